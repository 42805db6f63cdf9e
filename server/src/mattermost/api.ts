import type {Channel, ChannelMembership} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team, TeamMembership} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import type {BotSpec, HostStats, KVSetOptions, ServerLicense, SystemActivity, SystemStats} from '../host/bindings.gen';

export type {BotSpec, HostStats, KVSetOptions, ServerLicense, SystemActivity, SystemStats};

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
}

export interface ChannelsApi {
    get(channelId: string): Channel;
    getByName(teamId: string, name: string): Channel;
    getMember(channelId: string, userId: string): ChannelMembership;
    /** Adds as if `asUserId` invited the user. */
    addMember(channelId: string, userId: string, asUserId: string): ChannelMembership;
    /** The direct-message channel of two users, created when missing. */
    getDirect(userIdA: string, userIdB: string): Channel;
    /** Replaces the member's roles, e.g. 'channel_user channel_admin'. */
    updateMemberRoles(channelId: string, userId: string, roles: string): ChannelMembership;
}

export interface PostsApi {
    create(post: Partial<Post>): Post;
    sendEphemeral(userId: string, post: Partial<Post>): Post;
    /** A page of the channel's posts, newest first. */
    listForChannel(channelId: string, page: number, perPage: number): Post[];
}

export interface GroupsApi {
    /** A page of a group's member users (any group source, LDAP-synced included). */
    members(groupId: string, page: number, perPage: number): UserProfile[];
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
    save(config: ServerConfig): void;
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
    unlock(name: string): void;
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
}
