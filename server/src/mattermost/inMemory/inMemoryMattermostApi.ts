import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {manifest} from 'contract/manifest';

import {HostError} from '../../host/errors';
import type {
    BotApi,
    BotSpec,
    ChannelsApi,
    ConfigApi,
    GroupsApi,
    HostStats,
    JobsApi,
    MailApi,
    MattermostApi,
    MutexApi,
    PostsApi,
    ServerConfig,
    ServerLicense,
    SystemApi,
    TeamsApi,
    UsersApi,
} from '../api';

import {channelsApi, Directory, teamsApi, usersApi} from './directory';
import {makeChannel, makePost, makeTeam, makeUser} from './factories';
import {InMemoryKv} from './kv';
import {InMemoryPermissions} from './permissions';

export interface SentMail {
    to: string;
    subject: string;
    htmlBody: string;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

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
    readonly sentMails: SentMail[] = [];
    readonly scheduledJobs = new Map<string, number>();
    readonly heldMutexes = new Set<string>();
    /** Group id → member user ids, in insertion order (seed with addGroupMember). */
    readonly groupMembers = new Map<string, string[]>();

    license: ServerLicense | null = null;
    serverVersion = '11.9.0';
    hostStats: HostStats = {pool_idle: 0, pool_busy: 0, pool_max: 0, vms_created: 0, vms_discarded: 0, calls_served: 0, calls_failed: 0};
    serverConfig: ServerConfig = {ServiceSettings: {SiteURL: 'http://localhost:8065'}, PluginSettings: {Plugins: {}}};

    constructor(private readonly now: () => number = () => Date.now()) {
        this.kv = new InMemoryKv(now);
        this.users = usersApi(this.directory);
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
    };

    readonly posts: PostsApi = {
        create: (post) => {
            this.directory.channel(post.channel_id ?? '');
            const created = makePost(post, this.now());
            this.createdPosts.push(created);
            return copy(created);
        },
        sendEphemeral: (userId, post) => {
            const sent = makePost({...post, user_id: post.user_id ?? '', type: 'system_ephemeral' as Post['type']}, this.now());
            this.ephemeralPosts.push({userId, post: sent});
            return copy(sent);
        },
        listForChannel: (channelId, page, perPage) => {
            this.directory.channel(channelId);
            return this.createdPosts
                .filter((post) => post.channel_id === channelId)
                .reverse()
                .slice(page * perPage, (page + 1) * perPage)
                .map(copy);
        },
    };

    readonly bot: BotApi = {
        ensure: (spec: BotSpec) => {
            const existing = [...this.directory.users.values()].find((user) => user.username === spec.username);
            if (existing && !existing.is_bot) {
                throw new HostError(400, 'app.bot.createbot.username_already_in_use.app_error', `username ${spec.username} is taken by a user`);
            }
            if (existing) {
                return existing.id;
            }
            // The server shows a bot's display name as the user's first name.
            return this.addUser({username: spec.username, is_bot: true, first_name: spec.display_name, bot_description: spec.description}).id;
        },
    };

    readonly mail: MailApi = {
        send: (to, subject, htmlBody) => {
            this.sentMails.push({to, subject, htmlBody});
        },
    };

    // The real config.get() masks secrets; this fake returns a copy of everything.
    readonly config: ConfigApi = {
        get: () => copy(this.serverConfig),
        getUnsanitized: () => copy(this.serverConfig),
        save: (config) => {
            this.serverConfig = copy(config);
        },
        getPlugin: () => copy(this.serverConfig.PluginSettings?.Plugins?.[manifest.id] ?? {}),
    };

    readonly system: SystemApi = {
        getLicense: () => (this.license ? copy(this.license) : null),
        getServerVersion: () => this.serverVersion,
        getHostStats: () => copy(this.hostStats),
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
        cancel: (jobId) => {
            this.scheduledJobs.delete(jobId);
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
        unlock: (name) => {
            if (!this.heldMutexes.delete(name)) {
                throw new HostError(500, 'cockpit.fake.mutex_not_held', `mutex ${name} is not held`);
            }
        },
    };
}
