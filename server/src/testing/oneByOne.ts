import type {ChannelMembership} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {TeamMembership} from '@mattermost/types/teams';

import type {BatchError, DirectPostResult, DirectPostSpec, MemberAddOptions, MemberAddResult} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import type {ChannelsApi, PostsApi, TeamsApi} from '../mattermost/api';

// The batch calls (teams.addMembers, channels.addMembers, posts.createDirect) spelled out one user at a
// time with the single-user calls: what the Go host does (server/host/batch.go), minus its parallelism.
// The in-memory API answers its batch calls with these, and the crash-injection tests run them over a
// dying API so a crash can land between two users of one batch. A HostError is that user's answer;
// any other error (a crash) ends the call, as it would end the host's.

function asBatchError(error: unknown): BatchError {
    if (isHostError(error)) {
        return {status_code: error.status_code, id: error.id, message: error.message};
    }
    throw error;
}

const hasRole = (roles: string, role: string) => roles.split(' ').includes(role);
const withRole = (roles: string, role: string) => [...roles.split(' ').filter(Boolean), role].join(' ');

interface MembershipCalls {
    get(userId: string): TeamMembership | ChannelMembership;
    add(userId: string): TeamMembership | ChannelMembership;
    updateRoles(userId: string, roles: string): TeamMembership | ChannelMembership;
}

function addOneByOne(calls: MembershipCalls, adminRole: string, userIds: readonly string[], options: MemberAddOptions): MemberAddResult[] {
    return userIds.map((userId) => {
        const result: MemberAddResult = {user_id: userId, added: false, roles: '', error: null};
        try {
            let member: TeamMembership | ChannelMembership | null = null;
            try {
                member = calls.get(userId);
            } catch (error) {
                if (!(isHostError(error) && error.status_code === 404)) {
                    throw error;
                }
            }

            // A left team membership (delete_at > 0) is as good as none.
            if (!member || ((member as {delete_at?: number}).delete_at ?? 0) > 0) {
                member = calls.add(userId);
                result.added = true;
            }
            result.roles = member.roles;
            if (options.admin && !hasRole(member.roles, adminRole)) {
                result.roles = calls.updateRoles(userId, withRole(member.roles, adminRole)).roles;
                result.added = true;
            }
        } catch (error) {
            result.error = asBatchError(error);
        }
        return result;
    });
}

export function addTeamMembersOneByOne(
    teams: TeamsApi,
    teamId: string,
    userIds: readonly string[],
    options: MemberAddOptions,
): MemberAddResult[] {
    return addOneByOne(
        {
            get: (userId) => teams.getMember(teamId, userId),
            add: (userId) => teams.addMember(teamId, userId),
            updateRoles: (userId, roles) => teams.updateMemberRoles(teamId, userId, roles),
        },
        'team_admin',
        userIds,
        options,
    );
}

export function addChannelMembersOneByOne(
    channels: ChannelsApi,
    channelId: string,
    userIds: readonly string[],
    options: MemberAddOptions,
): MemberAddResult[] {
    return addOneByOne(
        {
            get: (userId) => channels.getMember(channelId, userId),
            add: (userId) => channels.addMember(channelId, userId, options.requestor_id),
            updateRoles: (userId, roles) => channels.updateMemberRoles(channelId, userId, roles),
        },
        'channel_admin',
        userIds,
        options,
    );
}

export function createDirectOneByOne(
    api: {channels: ChannelsApi; posts: PostsApi},
    fromUserId: string,
    specs: readonly DirectPostSpec[],
): DirectPostResult[] {
    return specs.map((spec) => {
        const result: DirectPostResult = {user_id: spec.user_id, channel_id: '', post_id: '', error: null};
        try {
            result.channel_id = api.channels.getDirect(fromUserId, spec.user_id).id;
            result.post_id = api.posts.create({
                channel_id: result.channel_id,
                user_id: fromUserId,
                message: spec.message,
                props: spec.props,
            } as Partial<Post>).id;
        } catch (error) {
            result.error = asBatchError(error);
        }
        return result;
    });
}
