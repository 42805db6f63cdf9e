import type {Channel, ChannelMembership} from '@mattermost/types/channels';
import type {Team, TeamMembership} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {createUsersLikeServer} from './createUsers';
import {makeChannel, makeChannelMember, makeTeamMember} from './factories';

import {HostError} from '../../host/errors';
import type {ChannelsApi, TeamsApi, UsersApi} from '../../mattermost/api';
import {addChannelMembersOneByOne, addTeamMembersOneByOne} from '../oneByOne';

function notFound(id: string, what: string): HostError {
    return new HostError(404, id, `${what} not found`);
}

export const memberKey = (containerId: string, userId: string) => `${containerId}/${userId}`;

/** Users, teams, channels and their memberships, with the server's 404 errors for missing ones. */
export class Directory {
    readonly users = new Map<string, UserProfile>();
    readonly teams = new Map<string, Team>();
    readonly channels = new Map<string, Channel>();
    readonly teamMembers = new Map<string, TeamMembership>();
    readonly channelMembers = new Map<string, ChannelMembership>();

    user(userId: string): UserProfile {
        return this.found(this.users.get(userId), 'app.user.missing_account.const', `user ${userId}`);
    }

    team(teamId: string): Team {
        return this.found(this.teams.get(teamId), 'app.team.get.find.app_error', `team ${teamId}`);
    }

    channel(channelId: string): Channel {
        return this.found(this.channels.get(channelId), 'app.channel.get.existing.app_error', `channel ${channelId}`);
    }

    teamMember(teamId: string, userId: string): TeamMembership | undefined {
        return this.teamMembers.get(memberKey(teamId, userId));
    }

    channelMember(channelId: string, userId: string): ChannelMembership | undefined {
        return this.channelMembers.get(memberKey(channelId, userId));
    }

    joinTeam(teamId: string, userId: string, roles: string): TeamMembership {
        this.team(teamId);
        this.user(userId);
        const member = this.teamMember(teamId, userId) ?? makeTeamMember(teamId, userId, roles);
        this.teamMembers.set(memberKey(teamId, userId), member);
        return member;
    }

    joinChannel(channelId: string, userId: string, roles: string): ChannelMembership {
        this.channel(channelId);
        this.user(userId);
        const member = this.channelMember(channelId, userId) ?? makeChannelMember(channelId, userId, roles);
        this.channelMembers.set(memberKey(channelId, userId), member);
        return member;
    }

    found<T>(value: T | undefined, errorId: string, what: string): T {
        if (value === undefined) {
            throw notFound(errorId, what);
        }
        return structuredCopy(value);
    }
}

/** Callers get copies, as they would across the JSON boundary: mutating a result must not change the store. */
function structuredCopy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}

/** Everything but `activity` and `setDefaultPreferences`, which need the posts and preferences (InMemoryMattermostApi adds them). */
export function usersApi(directory: Directory): Omit<UsersApi, 'activity' | 'setDefaultPreferences'> {
    const find = (match: (user: UserProfile) => boolean, what: string) =>
        directory.found([...directory.users.values()].find(match), 'app.user.missing_account.const', what);
    return {
        get: (userId) => directory.user(userId),
        getByEmail: (email) => find((user) => user.email === email, `user ${email}`),
        getByUsername: (username) => find((user) => user.username === username, `user ${username}`),
        list: (page, perPage, inTeamId) =>
            [...directory.users.values()].

                // Like the host: every active user, or a team's members (deactivated ones included).
                filter((user) => (inTeamId === '' ? user.delete_at === 0 : directory.teamMember(inTeamId, user.id))).
                slice(page * perPage, (page + 1) * perPage).
                map(structuredCopy),
        getMany: (userIds) => userIds.filter((userId) => directory.users.has(userId)).map((userId) => directory.user(userId)),
        createMany: (specs) => createUsersLikeServer(directory, specs),
    };
}

export function teamsApi(directory: Directory): TeamsApi {
    return {
        get: (teamId) => directory.team(teamId),
        getByName: (name) =>
            directory.found(
                [...directory.teams.values()].find((team) => team.name === name),
                'app.team.get_by_name.missing.app_error',
                `team ${name}`,
            ),
        list: () => [...directory.teams.values()].map(structuredCopy),
        listForUser: (userId) => [...directory.teams.values()].filter((team) => directory.teamMember(team.id, userId)).map(structuredCopy),
        getMember: (teamId, userId) =>
            directory.found(
                directory.teamMember(teamId, userId),
                'app.team.get_member.missing.app_error',
                `member ${userId} of team ${teamId}`,
            ),
        addMember: (teamId, userId) => structuredCopy(directory.joinTeam(teamId, userId, 'team_user')),
        updateMemberRoles: (teamId, userId, roles) => {
            const member = directory.teamMember(teamId, userId);
            if (!member) {
                throw notFound('app.team.get_member.missing.app_error', `member ${userId} of team ${teamId}`);
            }
            member.roles = roles;
            member.scheme_admin = roles.split(' ').includes('team_admin');
            return structuredCopy(member);
        },
        stats: (teamId) => {
            directory.team(teamId);
            const members = [...directory.teamMembers.values()].filter((member) => member.team_id === teamId && !member.delete_at);
            const active = members.filter((member) => !directory.users.get(member.user_id)?.delete_at);
            return {team_id: teamId, total_member_count: members.length, active_member_count: active.length};
        },
        members: (teamId, page, perPage) => {
            directory.team(teamId);
            return [...directory.teamMembers.values()].filter((member) => member.team_id === teamId).
                slice(page * perPage, (page + 1) * perPage).map(structuredCopy);
        },

        // Through this object's own single-user calls, so a test that replaces one sees the batch use it.
        addMembers(teamId, userIds, options) {
            directory.team(teamId);
            return addTeamMembersOneByOne(this, teamId, userIds, options);
        },
    };
}

export function channelsApi(directory: Directory): ChannelsApi {
    return {
        create: (fields) => {
            // Like the server: a public or private channel of an existing team, its name unique in the team.
            directory.team(fields.team_id ?? '');
            if (fields.type !== 'O' && fields.type !== 'P') {
                throw new HostError(400, 'model.channel.is_valid.type.app_error', 'invalid channel type');
            }
            if (!(/^[a-z0-9]([a-z0-9_-]{0,62}[a-z0-9])?$/).test(fields.name ?? '')) {
                throw new HostError(400, 'model.channel.is_valid.name.app_error', 'invalid channel name');
            }
            if ([...directory.channels.values()].some((channel) => channel.team_id === fields.team_id && channel.name === fields.name)) {
                throw new HostError(400, 'store.sql_channel.save_channel.exists.app_error', 'a channel with that name already exists');
            }
            const channel = makeChannel({...fields, name: fields.name!, team_id: fields.team_id!});
            directory.channels.set(channel.id, channel);
            if (fields.creator_id) {
                directory.joinChannel(channel.id, fields.creator_id, 'channel_user channel_admin');
            }
            return structuredCopy(channel);
        },
        get: (channelId) => directory.channel(channelId),
        getByName: (teamId, name) =>
            directory.found(
                [...directory.channels.values()].find((channel) => channel.team_id === teamId && channel.name === name),
                'app.channel.get_by_name.missing.app_error',
                `channel ${name}`,
            ),
        getMember: (channelId, userId) =>
            directory.found(
                directory.channelMember(channelId, userId),
                'app.channel.get_member.missing.app_error',
                `member ${userId} of channel ${channelId}`,
            ),
        addMember: (channelId, userId) => {
            // Like the server: a channel member must first be a member of the channel's team.
            const channel = directory.channel(channelId);
            if (channel.team_id && !directory.teamMember(channel.team_id, userId)) {
                throw new HostError(
                    403,
                    'api.channel.add_user.to.channel.failed.deleted.app_error',
                    `user ${userId} is not a member of the channel's team`,
                );
            }
            return structuredCopy(directory.joinChannel(channelId, userId, 'channel_user'));
        },
        updateMemberRoles: (channelId, userId, roles) => {
            const member = directory.channelMember(channelId, userId);
            if (!member) {
                throw notFound('app.channel.get_member.missing.app_error', `member ${userId} of channel ${channelId}`);
            }
            member.roles = roles;
            member.scheme_admin = roles.split(' ').includes('channel_admin');
            return structuredCopy(member);
        },
        update: (channel) => {
            const stored = directory.channel(channel.id);

            // Like model.Channel.IsValid: the header and purpose limits, in runes.
            if ([...(channel.header ?? '')].length > 1024 || [...(channel.purpose ?? '')].length > 250) {
                throw new HostError(400, 'model.channel.is_valid.header.app_error', 'header or purpose too long');
            }
            const updated = {
                ...stored,
                ...structuredCopy(channel),
                id: stored.id,
                team_id: stored.team_id,
                type: stored.type,
                name: stored.name,
            };
            directory.channels.set(stored.id, updated);
            return structuredCopy(updated);
        },
        listPublic: (teamId, page, perPage) => {
            directory.team(teamId);
            return [...directory.channels.values()].
                filter((channel) => channel.team_id === teamId && channel.type === 'O' && channel.delete_at === 0).
                slice(page * perPage, (page + 1) * perPage).
                map(structuredCopy);
        },
        members: (channelId, page, perPage) => {
            directory.channel(channelId);
            return [...directory.channelMembers.values()].filter((member) => member.channel_id === channelId).
                slice(page * perPage, (page + 1) * perPage).map(structuredCopy);
        },

        // Through this object's own single-user calls, so a test that replaces one sees the batch use it.
        addMembers(channelId, userIds, options) {
            directory.channel(channelId);
            return addChannelMembersOneByOne(this, channelId, userIds, options);
        },
        getDirect: (userIdA, userIdB) => {
            directory.user(userIdA);
            directory.user(userIdB);

            // The server names a DM channel after both user ids, sorted.
            const name = [userIdA, userIdB].sort().join('__');
            let channel = [...directory.channels.values()].find((candidate) => candidate.type === 'D' && candidate.name === name);
            if (!channel) {
                channel = makeChannel({name, team_id: '', type: 'D', display_name: ''});
                directory.channels.set(channel.id, channel);
                directory.joinChannel(channel.id, userIdA, 'channel_user');
                directory.joinChannel(channel.id, userIdB, 'channel_user');
            }
            return structuredCopy(channel);
        },
    };
}
