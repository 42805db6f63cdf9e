import type {Channel} from '@mattermost/types/channels';
import type {Group} from '@mattermost/types/groups';
import type {OpenDialogRequest} from '@mattermost/types/integrations';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {manifest} from 'contract/manifest';

import {channelsApi, Directory, memberKey, teamsApi, usersApi} from './directory';
import {makeChannel, makePost, makeTeam, makeUser} from './factories';
import {InMemoryKv} from './kv';
import {InMemoryPermissions} from './permissions';

import {HostError} from '../../host/errors';
import type {
    AdminApi,
    AuditApi,
    BotApi,
    BotSpec,
    ChannelsApi,
    ConfigApi,
    DialogsApi,
    GroupsApi,
    HostStats,
    JobsApi,
    MailApi,
    MattermostApi,
    MutexApi,
    PluginState,
    PostsApi,
    ProbeResponse,
    RestApi,
    RestRequest,
    RestResponse,
    ServerAuditRecord,
    ServerConfig,
    ServerLicense,
    SystemApi,
    SystemLoad,
    TeamsApi,
    UserActivity,
    UsersApi,
} from '../../mattermost/api';
import {createDirectOneByOne} from '../oneByOne';

export interface SentMail {
    to: string;
    subject: string;
    htmlBody: string;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function groupRecord(id: string, name: string, displayName: string): Group {
    return {id,
        name,
        display_name: displayName,
        description: '',
        source: 'custom',
        remote_id: null,
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        has_syncables: false,
        member_count: 0,
        scheme_admin: false,
        allow_reference: true};
}

/**
 * A faithful stand-in for the Go host in jest: the same MattermostApi, backed by maps. Seed it with
 * the add* methods; inspect what the code did through the public records (posts, mails, jobs…).
 * Errors are HostErrors with the server's status codes and ids.
 */
export class InMemoryMattermostApi implements MattermostApi {
    readonly directory = new Directory();
    readonly kv: InMemoryKv;
    readonly users: UsersApi;
    readonly teams: TeamsApi;
    readonly channels: ChannelsApi;
    readonly permissions: InMemoryPermissions;

    readonly createdPosts: Post[] = [];
    readonly ephemeralPosts: Array<{userId: string; post: Post}> = [];

    /** The dialogs opened, in order (the real server pushes each to the trigger's user). */
    readonly openedDialogs: OpenDialogRequest[] = [];
    readonly sentMails: SentMail[] = [];

    /** User id → Users.LastLogin (seed with recordLogin). */
    readonly lastLogins = new Map<string, number>();
    readonly scheduledJobs = new Map<string, number>();

    /** Jobs every node runs on its own (jobs.scheduleOnEveryNode). */
    readonly nodeJobs = new Map<string, number>();

    /** system.getNodeId: a test plays another node with a copy of the API that answers another id. */
    nodeId = 'node-1';
    readonly heldMutexes = new Set<string>();

    /** Group id → member user ids, in insertion order (seed with addGroupMember). */
    readonly groupMembers = new Map<string, string[]>();

    /** `team:<id>` / `channel:<id>` → the linked group ids (seed with linkGroup). */
    readonly groupLinks = new Map<string, string[]>();

    /** Groups by id (seed with addGroup; a group only seeded through addGroupMember is named after its id). */
    readonly groupsById = new Map<string, Group>();

    /** User id → when their newest desktop / mobile app session was created (seed with recordAppSession). */
    readonly appSessions = new Map<string, {desktop: number; mobile: number}>();

    /** Users who saved their notification settings (seed with saveNotifySettings); the host compares NotifyProps with the defaults. */
    readonly notifySettingsSaved = new Set<string>();

    /** User id → their preference rows, as the server's Preferences table holds them (seed with setPreference). */
    readonly preferences = new Map<string, Array<{category: string; name: string; value: string}>>();

    /** What system.load answers. */
    systemLoad: SystemLoad = {active_sessions: 0, db_connections: 0, db_max_connections: 100};

    license: ServerLicense | null = null;
    serverVersion = '11.9.0';

    /** rest.probeAsAdmin: the recorded answer per "METHOD path", and the calls made. */
    probeAnswers = new Map<string, ProbeResponse>();
    probeCalls: string[] = [];

    /** rest.probePushProxy: the recorded answer per route (none recorded: nothing listens there), and the routes asked. */
    pushProxyAnswers = new Map<string, ProbeResponse>();
    pushProxyCalls: string[] = [];
    pluginStateList: PluginState[] = [];

    /** What system.timezones answers (a few of the server's DefaultSupportedTimezones). */
    supportedTimezones: string[] = ['UTC', 'Europe/Berlin', 'Europe/London', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
    hostStats: HostStats = {pool_idle: 0, pool_busy: 0, pool_max: 0, vms_created: 0, vms_discarded: 0, calls_served: 0, calls_failed: 0};
    serverConfig: ServerConfig = {ServiceSettings: {SiteURL: 'http://localhost:8065'}, PluginSettings: {Plugins: {}}};

    constructor(private readonly now: () => number = () => Date.now()) {
        this.kv = new InMemoryKv(now);
        this.users = {
            ...usersApi(this.directory),

            // Like the host's query (server/host/user_activity.go): Users.LastLogin (seed with recordLogin),
            // Status.LastActivityAt (users.last_activity_at here), the newest non-system post since `since`,
            // saved notification settings (saveNotifySettings), the members' last_viewed_at of the asked channels (viewChannel).
            activity: (userIds, since, channelIds) => {
                if (userIds.length > 1000 || channelIds.length > 100) {
                    throw new HostError(500, 'cockpit.host.error', 'users.activity: at most 1000 users and 100 channels per call');
                }
                const activity: Record<string, UserActivity> = {};
                for (const userId of userIds) {
                    const user = this.directory.users.get(userId);
                    if (!user) {
                        continue;
                    }
                    const posts = this.createdPosts.filter(
                        (post) =>
                            post.user_id === userId &&
                            post.create_at >= since &&
                            post.delete_at === 0 &&
                            !(post.type ?? '').startsWith('system_'),
                    );
                    activity[userId] = {
                        last_login: this.lastLogins.get(userId) ?? 0,
                        last_activity_at: user.last_activity_at,
                        last_post_at: Math.max(0, ...posts.map((post) => post.create_at)),
                        desktop_app_at: this.appSessions.get(userId)?.desktop ?? 0,
                        mobile_app_at: this.appSessions.get(userId)?.mobile ?? 0,
                        notify_props_changed: this.notifySettingsSaved.has(userId),
                        channel_viewed_at: Object.fromEntries(channelIds.flatMap((channelId) => {
                            const member = this.directory.channelMember(channelId, userId);
                            return member ? [[channelId, member.last_viewed_at]] : [];
                        })),
                    };
                }
                return activity;
            },

            // Like the host (server/host/batch.go): only the (category, name) pairs the user has no row for.
            setDefaultPreferences: (specs) => {
                if (specs.length > 1000) {
                    throw new HostError(500, 'cockpit.host.error', 'users.setDefaultPreferences: at most 1000 users per call');
                }
                return specs.map((spec) => {
                    if (!this.directory.users.has(spec.user_id)) {
                        return {
                            user_id: spec.user_id,
                            written: 0,
                            error: {status_code: 400, id: 'app.preference.save.updating.app_error', message: 'unknown user'},
                        };
                    }
                    const rows = this.preferences.get(spec.user_id) ?? [];
                    let written = 0;
                    for (const {replace_value: replaceValue, ...preference} of spec.preferences) {
                        const row = rows.find((candidate) =>
                            candidate.category === preference.category && candidate.name === preference.name);
                        if (!row) {
                            rows.push({...preference});
                            written++;
                        } else if (replaceValue && row.value === replaceValue && row.value !== preference.value) {
                            row.value = preference.value;
                            written++;
                        }
                    }
                    this.preferences.set(spec.user_id, rows);
                    return {user_id: spec.user_id, written, error: null};
                });
            },
        };

        // Like the server (createUserOrGuest in server/channels/app/user.go): every new account starts with
        // a few preference rows of the server's own, the tour's tutorial_step "0" among them.
        const createMany = this.users.createMany;
        this.users.createMany = (specs) => {
            const results = createMany(specs);
            results.filter((result) => result.created).forEach(({user_id: userId}) => {
                this.setPreference(userId, 'tutorial_step', userId, '0');
                this.setPreference(userId, 'recommended_next_steps', 'hide', 'false');
            });
            return results;
        };
        this.teams = teamsApi(this.directory);
        this.channels = channelsApi(this.directory);
        this.permissions = new InMemoryPermissions(this.directory);
    }

    // ---- seeding ----

    addUser(fields: Partial<UserProfile> & {username: string}): UserProfile {
        const user = makeUser(fields);
        this.directory.users.set(user.id, user);
        return copy(user);
    }

    addSystemAdmin(username: string): UserProfile {
        return this.addUser({username, roles: 'system_user system_admin'});
    }

    addTeam(name: string): Team {
        const team = makeTeam({name});
        this.directory.teams.set(team.id, team);
        return copy(team);
    }

    /** `roles` as the server stores them, e.g. 'team_user team_admin'. */
    addTeamMember(teamId: string, userId: string, roles = 'team_user'): void {
        this.directory.joinTeam(teamId, userId, roles);
    }

    addChannel(teamId: string, name: string, type: Channel['type'] = 'O'): Channel {
        const channel = makeChannel({team_id: teamId, name, type});
        this.directory.channels.set(channel.id, channel);
        return copy(channel);
    }

    addChannelMember(channelId: string, userId: string, roles = 'channel_user'): void {
        this.directory.joinChannel(channelId, userId, roles);
    }

    addGroup(name: string, displayName = name): Group {
        const group = groupRecord(`group${this.groupsById.size + 1}`.padEnd(26, '0'), name, displayName);
        const id = group.id;
        this.groupsById.set(id, group);
        this.groupMembers.set(id, this.groupMembers.get(id) ?? []);
        return copy(group);
    }

    /** A preference the user set themselves (replaces the row of the same category and name). */
    setPreference(userId: string, category: string, name: string, value: string): void {
        const rows = (this.preferences.get(userId) ?? []).filter((row) => row.category !== category || row.name !== name);
        this.preferences.set(userId, [...rows, {category, name, value}]);
    }

    /** The user's preference value, or undefined without a row. */
    preference(userId: string, category: string, name: string): string | undefined {
        return this.preferences.get(userId)?.find((row) => row.category === category && row.name === name)?.value;
    }

    /** A session of the user from the desktop app or a mobile app (the host reads the Sessions table). */
    recordAppSession(userId: string, app: 'desktop' | 'mobile', at: number): void {
        const current = this.appSessions.get(userId) ?? {desktop: 0, mobile: 0};
        this.appSessions.set(userId, {...current, [app]: Math.max(current[app], at)});
    }

    /** The user saves their notification settings (PUT /users/me/patch with notify_props, as the web app's settings modal). */
    saveNotifySettings(userId: string): void {
        this.notifySettingsSaved.add(userId);
    }

    /** The user opens a channel they are a member of (POST /channels/members/{user_id}/view raises last_viewed_at). */
    viewChannel(userId: string, channelId: string, at: number): void {
        const member = this.directory.channelMember(channelId, userId);
        if (!member) {
            throw new Error(`viewChannel: ${userId} is not a member of ${channelId}`);
        }
        this.directory.channelMembers.set(memberKey(channelId, userId), {...member, last_viewed_at: Math.max(member.last_viewed_at, at)});
    }

    /** Links a group to a team or channel (as the System Console's group sync does); constrain it with group_constrained. */
    linkGroup(groupId: string, kind: 'team' | 'channel', id: string): void {
        const key = `${kind}:${id}`;
        this.groupLinks.set(key, [...(this.groupLinks.get(key) ?? []), groupId]);
    }

    /** The server writes Users.LastLogin on every login. */
    recordLogin(userId: string, at: number): void {
        this.directory.user(userId);
        this.lastLogins.set(userId, at);
    }

    addGroupMember(groupId: string, userId: string): void {
        this.directory.user(userId);
        const members = this.groupMembers.get(groupId) ?? [];
        if (!members.includes(userId)) {
            members.push(userId);
        }
        this.groupMembers.set(groupId, members);
    }

    // ---- API namespaces that are simple enough to live here ----

    readonly groups: GroupsApi = {
        members: (groupId, page, perPage) => {
            const members = this.groupMembers.get(groupId);
            if (!members) {
                throw new HostError(404, 'app.group.no_rows', `group ${groupId} not found`);
            }
            return members.slice(page * perPage, (page + 1) * perPage).map((userId) => this.directory.user(userId));
        },
        get: (groupId) => {
            const group = this.groupsById.get(groupId);
            if (group) {
                return copy(group);
            }
            if (!this.groupMembers.has(groupId)) {
                throw new HostError(404, 'app.group.no_rows', `group ${groupId} not found`);
            }
            return groupRecord(groupId, groupId, groupId);
        },
        getByName: (name) => {
            const group = [...this.groupsById.values()].find((candidate) => candidate.name === name);
            if (!group) {
                throw new HostError(404, 'app.group.no_rows', `group ${name} not found`);
            }
            return copy(group);
        },
        linkedTo: (kind, id) => [...(this.groupLinks.get(`${kind}:${id}`) ?? [])],
        idsForUser: (userId) => [...this.groupMembers].filter(([, members]) => members.includes(userId)).map(([groupId]) => groupId),
    };

    readonly posts: PostsApi = {
        get: (postId) => {
            const post = this.createdPosts.find((candidate) => candidate.id === postId);
            if (!post) {
                throw new HostError(404, 'app.post.get.app_error', `post ${postId} not found`);
            }
            return copy(post);
        },
        create: (post) => {
            this.directory.channel(post.channel_id ?? '');
            const created = makePost(post, this.now());
            this.createdPosts.push(created);
            return copy(created);
        },
        update: (post) => {
            const index = this.createdPosts.findIndex((candidate) => candidate.id === post.id);
            if (index < 0) {
                throw new HostError(404, 'app.post.get.app_error', `post ${post.id} not found`);
            }
            const current = this.createdPosts[index];
            const updated = {...current, message: post.message ?? current.message, props: post.props ?? current.props, edit_at: this.now()};
            this.createdPosts[index] = updated;
            return copy(updated);
        },
        sendEphemeral: (userId, post) => {
            const sent = makePost({...post, user_id: post.user_id ?? '', type: 'system_ephemeral' as Post['type']}, this.now());
            this.ephemeralPosts.push({userId, post: sent});
            return copy(sent);
        },
        createDirect: (fromUserId, specs) => createDirectOneByOne(this, fromUserId, specs),
        listForChannel: (channelId, page, perPage) => {
            this.directory.channel(channelId);
            return this.createdPosts.
                filter((post) => post.channel_id === channelId).
                reverse().
                slice(page * perPage, (page + 1) * perPage).
                map(copy);
        },
    };

    readonly dialogs: DialogsApi = {
        open: (request) => {
            if (!request.trigger_id) {
                throw new HostError(400, 'interactive_message.decode_trigger_id.base64_decode_failed', 'no trigger id');
            }
            this.openedDialogs.push(copy(request));
        },
    };

    readonly bot: BotApi = {
        ensure: (spec: BotSpec) => {
            const existing = [...this.directory.users.values()].find((user) => user.username === spec.username);
            if (existing && !existing.is_bot) {
                throw new HostError(
                    400,
                    'app.bot.createbot.username_already_in_use.app_error',
                    `username ${spec.username} is taken by a user`,
                );
            }
            if (existing) {
                return existing.id;
            }

            // The server shows a bot's display name as the user's first name.
            return this.addUser({
                username: spec.username,
                is_bot: true,
                first_name: spec.display_name,
                bot_description: spec.description,
            }).id;
        },
    };

    /** Access tokens by id (createAccessToken); revoked ones are removed. */
    readonly accessTokens = new Map<string, {userId: string; token: string; description: string}>();
    readonly registeredCommands: string[] = [];

    /** Every REST call made, WITHOUT its token (tests assert on method, path and body). */
    readonly restCalls: Array<Omit<RestRequest, 'token'> & {tokenValid: boolean}> = [];

    /**
     * Answers REST calls made with a valid token (seed it to stand in for server routes); unset = 404.
     * A call with an unknown or revoked token gets 401 before reaching it, as on the server.
     */
    restHandler: ((request: RestRequest & {userId: string}) => {status: number; body: unknown}) | null = null;

    readonly admin: AdminApi = {
        updateUserRoles: (userId, roles) => {
            this.directory.user(userId);
            const user = this.directory.users.get(userId)!;
            user.roles = roles;
            return copy(user);
        },
        createAccessToken: (userId, description) => {
            const user = this.directory.user(userId);
            const id = `token${this.accessTokens.size + 1}`.padEnd(26, '0');
            const token = `secret${Math.random().toString(36).slice(2)}`.padEnd(26, 'x');
            this.accessTokens.set(id, {userId: user.id, token, description});
            return {id, token};
        },
        revokeAccessToken: (tokenId) => {
            if (!this.accessTokens.delete(tokenId)) {
                throw new HostError(404, 'app.user_access_token.get_by_token.app_error', `token ${tokenId} not found`);
            }
        },
        createBot: (spec) => this.bot.ensure(spec),
        registerCommand: (command) => {
            this.registeredCommands.push(command.trigger);
        },
    };

    readonly rest: RestApi = {
        request: (request) => this.restCall(request),
        get: (path, token) => this.restCall({method: 'GET', path, body: null, token}),
        probePushProxy: (route) => this.pushProxyCall(route),

        // Like the host: only a system admin's request; the answer is the recorded one for the call.
        probeAsAdmin: (userId, request) => {
            const user = this.users.get(userId);
            if (!user || user.delete_at !== 0 || !user.roles.split(' ').includes('system_admin')) {
                throw new HostError(403, 'cockpit.admin_session.not_system_admin', "Only a system admin's request can do this.");
            }
            const call = `${request.method.toUpperCase()} ${request.path}`;
            this.probeCalls.push(call);
            return copy(this.probeAnswers.get(call) ?? {
                status: 404,
                body: '{"id":"api.context.404.app_error"}',
                error: '',
                timed_out: false,
                duration_ms: 1,
            });
        },
    };

    private pushProxyCall(route: string): ProbeResponse {
        this.pushProxyCalls.push(route);
        return copy(this.pushProxyAnswers.get(route) ?? {
            status: 0,
            body: '',
            error: `Get "https://push.example${route}": dial tcp: connect: connection refused`,
            timed_out: false,
            duration_ms: 1,
        });
    }

    private restCall(request: RestRequest): RestResponse {
        if (!request.path.startsWith('/api/v4/')) {
            throw new HostError(400, 'cockpit.host.bad_arguments', 'rest.request: the path must be a /api/v4/ path of this server');
        }
        const holder = [...this.accessTokens.values()].find((candidate) => candidate.token === request.token);
        this.restCalls.push({
            method: request.method.toUpperCase(),
            path: request.path,
            body: request.body,
            tokenValid: holder !== undefined,
        });
        if (!holder) {
            return {status: 401, body: JSON.stringify({id: 'api.context.session_expired.app_error'}), error: ''};
        }
        if (!this.restHandler) {
            return {status: 404, body: JSON.stringify({id: 'api.context.404.app_error'}), error: ''};
        }
        const answer = this.restHandler({...request, method: request.method.toUpperCase(), userId: holder.userId});
        return {status: answer.status, body: JSON.stringify(answer.body), error: ''};
    }

    readonly mail: MailApi = {
        send: (to, subject, htmlBody) => {
            this.sentMails.push({to, subject, htmlBody});
        },
    };

    // The real config.get() masks secrets; this fake returns a copy of everything.
    readonly config: ConfigApi = {
        get: () => copy(this.serverConfig),
        getUnsanitized: () => copy(this.serverConfig),

        // Like the host: only a system admin's request, and only the named settings change.
        patchAs: (userId, patch) => {
            const user = this.users.get(userId);
            if (!user || user.delete_at !== 0 || !user.roles.split(' ').includes('system_admin')) {
                throw new HostError(
                    403,
                    'cockpit.config.not_system_admin',
                    "Only a system admin's request can change the server configuration.",
                );
            }
            for (const [section, settings] of Object.entries(copy(patch))) {
                this.serverConfig[section] = {...(this.serverConfig[section] ?? {}), ...(settings as object)};
            }
        },
        getPlugin: () => copy(this.serverConfig.PluginSettings?.Plugins?.[manifest.id] ?? {}),
    };

    readonly system: SystemApi = {
        getLicense: () => (this.license ? copy(this.license) : null),
        getServerVersion: () => this.serverVersion,
        getPluginStates: () => copy(this.pluginStateList),
        timezones: () => [...this.supportedTimezones],
        getHostStats: () => copy(this.hostStats),
        getNodeId: () => this.nodeId,
        load: (now) => {
            if (!(now > 0) || !Number.isInteger(now)) {
                throw new HostError(500, 'cockpit.host.error', 'system.load: now must be a positive time in milliseconds');
            }
            return copy(this.systemLoad);
        },

        // Like the host: active (not deactivated) people, bots left out; every post created through the API.
        stats: () => ({
            total_users: [...this.directory.users.values()].filter((user) => user.delete_at === 0 && !user.is_bot).length,
            total_posts: this.createdPosts.length,
        }),

        // Like the host's queries (server/host/activity.go): users.last_activity_at stands for
        // Status.LastActivityAt; posts are the ones created through the API (system messages left out);
        // a channel's last post is the later of its last_post_at and its newest created post.
        activity: (now) => {
            if (!(now > 0) || !Number.isInteger(now)) {
                throw new HostError(500, 'cockpit.host.error', 'system.activity: now must be a positive time in milliseconds');
            }
            const day = 24 * 60 * 60 * 1000;
            const people = [...this.directory.users.values()].filter((user) => user.delete_at === 0 && !user.is_bot);
            const activeSince = (start: number) => people.filter((user) => user.last_activity_at >= start).length;
            const lastPostAt = new Map<string, number>();
            for (const post of this.createdPosts) {
                lastPostAt.set(post.channel_id, Math.max(lastPostAt.get(post.channel_id) ?? 0, post.create_at));
            }
            const activeChannels = [...this.directory.channels.values()].filter((channel) =>
                channel.delete_at === 0 && (channel.type === 'O' || channel.type === 'P') &&
                Math.max(channel.last_post_at, lastPostAt.get(channel.id) ?? 0) >= now - (7 * day));
            return {
                daily_active: activeSince(now - day),
                weekly_active: activeSince(now - (7 * day)),
                monthly_active: activeSince(now - (30 * day)),
                posts_last_day: this.createdPosts.filter((post) =>
                    post.create_at >= now - day && post.delete_at === 0 && !(post.type ?? '').startsWith('system_')).length,
                active_channels: activeChannels.length,
                total_users: people.length,
            };
        },
    };

    readonly jobs: JobsApi = {
        schedule: (jobId, intervalSeconds) => {
            this.scheduledJobs.set(jobId, intervalSeconds);
        },
        scheduleOnEveryNode: (jobId, intervalSeconds) => {
            this.nodeJobs.set(jobId, intervalSeconds);
        },
        cancel: (jobId) => {
            this.scheduledJobs.delete(jobId);
            this.nodeJobs.delete(jobId);
        },
    };

    /** What the server's audit log received, in order (the real server writes them to its audit targets). */
    readonly serverAuditRecords: ServerAuditRecord[] = [];

    readonly audit: AuditApi = {
        logServer: (record) => {
            this.serverAuditRecords.push(copy(record));
        },
    };

    // Jest runs one call at a time, so locking a held mutex could never be released: fail loudly instead.
    readonly mutex: MutexApi = {
        lock: (name) => {
            if (this.heldMutexes.has(name)) {
                throw new HostError(500, 'cockpit.fake.mutex_deadlock', `mutex ${name} is already held: this would block forever`);
            }
            this.heldMutexes.add(name);
        },

        // Nothing else runs here: a lock held now stays held for the whole wait, as on a busy cluster.
        lockWithin: (name) => {
            if (this.heldMutexes.has(name)) {
                throw new HostError(503, 'cockpit.host.mutex_timeout', `timed out waiting for lock ${name}`);
            }
            this.heldMutexes.add(name);
        },
        unlock: (name) => {
            if (!this.heldMutexes.delete(name)) {
                throw new HostError(500, 'cockpit.fake.mutex_not_held', `mutex ${name} is not held`);
            }
        },
    };
}
