import type {Channel, ChannelMembership} from '@mattermost/types/channels';
import type {Group} from '@mattermost/types/groups';
import type {Post} from '@mattermost/types/posts';
import type {Team, TeamMembership} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import type {
    BotSpec,
    DirectPostResult,
    DirectPostSpec,
    HostStats,
    KVSetOptions,
    MemberAddOptions,
    MemberAddResult,
    PreferenceDefaultsResult,
    PreferenceDefaultsSpec,
    PreferenceSpec,
    ServerLicense,
    SystemActivity,
    SystemLoad,
    SystemStats,
    UserActivity,
} from '../host/bindings.gen';

export type {BotSpec, DirectPostResult, DirectPostSpec, HostStats, KVSetOptions, MemberAddOptions, MemberAddResult, PreferenceDefaultsResult, PreferenceDefaultsSpec, PreferenceSpec, ServerLicense, SystemActivity, SystemLoad, SystemStats, UserActivity};

// The Mattermost plugin API as the product code sees it. Two implementations share this interface:
// `createHostApi()` (the Go host, via __host_call) and `InMemoryMattermostApi` (jest). Every method
// is synchronous because host calls are; failures throw a HostError (see ../host/errors.ts).
// bindingTable.ts ties each method to its host binding and checks the signatures match.

export interface KvApi {
    /** The stored text, or null when the key is missing or expired. */
    get(key: string): string | null;
    set(key: string, value: string): void;

    /** With `atomic`, writes only if the current value equals `old_value` (null = must not exist); a null value deletes. */
    setWithOptions(key: string, value: string | null, options: KVSetOptions): boolean;
    setWithExpiry(key: string, value: string, expireInSeconds: number): void;

    /** Writes only if the current value equals `oldValue` (null = key must not exist); false when it did not. */
    compareAndSet(key: string, oldValue: string | null, newValue: string): boolean;
    delete(key: string): void;
    listKeys(page: number, perPage: number): string[];
}

export interface UsersApi {
    get(userId: string): UserProfile;
    getByEmail(email: string): UserProfile;
    getByUsername(username: string): UserProfile;

    /** `inTeamId` '' lists every active user; a team id lists that team's members, deactivated ones included. */
    list(page: number, perPage: number, inTeamId: string): UserProfile[];

    /**
     * Last login, last activity and newest post since `since` (ms; 0 when none) of up to 1,000 users,
     * keyed by user id (unknown ids are left out). One indexed database query (server/host/user_activity.go).
     */
    activity(userIds: string[], since: number): Record<string, UserActivity>;

    /** Up to 1,000 users by id in one call, in no particular order; unknown ids are left out. */
    getMany(userIds: string[]): UserProfile[];

    /**
     * Up to 1,000 users' default preferences: each user gets only those whose (category, name) they have
     * no row for yet, so nothing the user chose is overwritten. One answer per spec, in order (server/host/batch.go).
     */
    setDefaultPreferences(specs: PreferenceDefaultsSpec[]): PreferenceDefaultsResult[];
}

export interface TeamsApi {
    get(teamId: string): Team;
    getByName(name: string): Team;
    list(): Team[];
    listForUser(userId: string): Team[];
    getMember(teamId: string, userId: string): TeamMembership;
    addMember(teamId: string, userId: string): TeamMembership;

    /** Replaces the member's roles, e.g. 'team_user team_admin'. */
    updateMemberRoles(teamId: string, userId: string, roles: string): TeamMembership;

    /** A page of the team's memberships (`scheme_admin` marks team admins). */
    members(teamId: string, page: number, perPage: number): TeamMembership[];

    /**
     * Up to 1,000 users into the team (and team_admin with `admin`), one answer per user in order: made
     * (`added`), already there, or that user's error. One host call (server/host/batch.go).
     */
    addMembers(teamId: string, userIds: string[], options: MemberAddOptions): MemberAddResult[];
}

export interface ChannelsApi {
    /** Creates a public (O) or private (P) channel: team_id, name, display_name, type, creator_id. */
    create(channel: Partial<Channel>): Channel;
    get(channelId: string): Channel;
    getByName(teamId: string, name: string): Channel;
    getMember(channelId: string, userId: string): ChannelMembership;

    /** Adds as if `asUserId` invited the user. */
    addMember(channelId: string, userId: string, asUserId: string): ChannelMembership;

    /** The direct-message channel of two users, created when missing. */
    getDirect(userIdA: string, userIdB: string): Channel;

    /** Replaces the member's roles, e.g. 'channel_user channel_admin'. */
    updateMemberRoles(channelId: string, userId: string, roles: string): ChannelMembership;

    /** Saves the whole channel (read it first): header, purpose, display name. */
    update(channel: Channel): Channel;

    /** A page of the team's public channels. */
    listPublic(teamId: string, page: number, perPage: number): Channel[];

    /** A page of the channel's memberships (`scheme_admin` marks channel admins). */
    members(channelId: string, page: number, perPage: number): ChannelMembership[];

    /** Like teams.addMembers, for a public or private channel (added as if `requestor_id` invited them). */
    addMembers(channelId: string, userIds: string[], options: MemberAddOptions): MemberAddResult[];
}

export interface PostsApi {
    get(postId: string): Post;
    create(post: Partial<Post>): Post;
    sendEphemeral(userId: string, post: Partial<Post>): Post;

    /** Up to 1,000 direct messages from one user (a bot): each in its DM channel, created when missing; one answer per spec, in order. */
    createDirect(fromUserId: string, posts: DirectPostSpec[]): DirectPostResult[];

    /** A page of the channel's posts, newest first. */
    listForChannel(channelId: string, page: number, perPage: number): Post[];
}

export interface GroupsApi {
    /** A page of a group's member users (any group source, LDAP-synced included). */
    members(groupId: string, page: number, perPage: number): UserProfile[];
    get(groupId: string): Group;
    getByName(name: string): Group;

    /** The ids of the groups the user belongs to. */
    idsForUser(userId: string): string[];

    /** The ids of the groups linked to a team or channel (a group-constrained one takes only their members). One query. */
    linkedTo(kind: 'team' | 'channel', id: string): string[];
}

export interface BotApi {
    /** Creates the bot, or finds the existing one; returns its user id. Idempotent. */
    ensure(bot: BotSpec): string;
}

export interface MailApi {
    send(to: string, subject: string, htmlBody: string): void;
}

export type ServerConfig = Record<string, any>;

export interface ConfigApi {
    /** Secrets are masked: never save what this returns. */
    get(): ServerConfig;
    getUnsanitized(): ServerConfig;

    /**
     * Sets exactly the settings in `patch` (sections of settings), as `userId`, a system admin, through
     * the server's REST patch. The plugin API's whole-config save is not offered: over the plugin RPC
     * every false setting arrives as unset and is saved as the server's default (server/host/rest.go).
     */
    patchAs(userId: string, patch: ServerConfig): void;

    /** This plugin's own settings (plugin.json settings_schema). */
    getPlugin(): Record<string, any>;
}

export interface SystemApi {
    getLicense(): ServerLicense | null;
    getServerVersion(): string;
    getHostStats(): HostStats;

    /** Active non-bot users and (an estimate of) all posts: what the readiness checks size against. */
    stats(): SystemStats;

    /**
     * Adoption counts over the windows ending at `now` (ms): active users in the last 24 h / 7 / 30 days
     * (bots and deactivated users left out), posts in the last 24 h, channels with a post in the last 7 days.
     * A few indexed database queries: call it from a job, not on every page view.
     */
    activity(now: number): SystemActivity;

    /** Unexpired sessions and the database's open connections (with its max_connections), at `now` (ms). A few cheap queries. */
    load(now: number): SystemLoad;
}

export interface PermissionsApi {
    hasSystemPermission(userId: string, permission: string): boolean;
    hasTeamPermission(userId: string, teamId: string, permission: string): boolean;
    hasChannelPermission(userId: string, channelId: string, permission: string): boolean;
}

export interface JobsApi {
    /** Cluster-wide recurring job: the host calls the runJob hook with `jobId` every interval, on one node. */
    schedule(jobId: string, intervalSeconds: number): void;
    cancel(jobId: string): void;
}

export interface MutexApi {
    /** Cluster-wide lock; blocks until acquired. */
    lock(name: string): void;

    /** The same lock, waiting at most `waitMs` (never past the host's call timeout); then throws HostError 503 cockpit.host.mutex_timeout. */
    lockWithin(name: string, waitMs: number): void;
    unlock(name: string): void;
}

/** A REST call to this server's own /api/v4/ (see server/host/rest.go); status 0 = not reached (`error` says why). */
export interface RestRequest {
    method: string;
    path: string;
    body: string | null;
    token: string;
}
export interface RestResponse {
    status: number;
    body: string;
    error: string;
}
export interface CommandSpec {
    trigger: string;
    display_name: string;
    description: string;
    auto_complete_desc: string;
    auto_complete_hint: string;
}

/**
 * What only system-level administration needs: user roles, bot accounts and their access tokens, slash
 * commands, and REST calls authenticated with a token (for what the plugin API cannot do).
 */
export interface AdminApi {
    /** Replaces the user's system roles, e.g. 'system_user system_user_manager'. No license check (REST has one). */
    updateUserRoles(userId: string, roles: string): UserProfile;

    /** The secret is returned once: store it server-side only, never log or return it. */
    createAccessToken(userId: string, description: string): {id: string; token: string};
    revokeAccessToken(tokenId: string): void;

    /** A bot owned by the plugin (not the plugin's main bot), or the existing bot of that username. */
    createBot(bot: BotSpec): string;
    registerCommand(command: CommandSpec): void;
}

/** This server's own REST API with a bearer token (server/host/rest.go): /api/v4/ paths only, never redirected. */
export interface RestApi {
    request(request: RestRequest): RestResponse;

    /** A GET (the only call a GET route's read-only view has). */
    get(path: string, token: string): RestResponse;
}

export interface MattermostApi {
    kv: KvApi;
    users: UsersApi;
    teams: TeamsApi;
    channels: ChannelsApi;
    posts: PostsApi;
    groups: GroupsApi;
    bot: BotApi;
    mail: MailApi;
    config: ConfigApi;
    system: SystemApi;
    permissions: PermissionsApi;
    jobs: JobsApi;
    mutex: MutexApi;
    admin: AdminApi;
    rest: RestApi;
}
