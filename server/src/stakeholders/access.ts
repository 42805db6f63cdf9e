import type {SaveStakeholderAccessRequest, StakeholderAccessResponse} from 'contract/stakeholders';

import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import type {Guard} from '../http/guards';
import {requireUser} from '../http/guards';
import {KvKeys} from '../kv/keys';
import {KvReader} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {Permissions} from '../mattermost/permissions';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Who may read the stakeholder status page: system admins always; otherwise the users and the members
// of the groups a system admin listed (stored as ids, so renames do not lose access).

export interface StoredAccess {
    user_ids: string[];
    group_ids: string[];
}

export function readAccess(kv: KvReader) {
    return kv.readVersioned(KvKeys.stakeholdersAccess);
}

/** Whether the user may read the status page: a system admin, listed by id, or a member of a listed group. */
export function mayReadStatus(
    api: Pick<ReadOnlyMattermostApi, 'permissions' | 'groups'>,
    access: StoredAccess | undefined,
    userId: string,
): boolean {
    if (api.permissions.hasSystemPermission(userId, Permissions.manageSystem)) {
        return true;
    }
    if (!access) {
        return false;
    }
    if (access.user_ids.includes(userId)) {
        return true;
    }
    if (access.group_ids.length === 0) {
        return false;
    }
    let groupIds: string[];
    try {
        // One lookup of the user's groups, however large the listed groups are.
        groupIds = api.groups.idsForUser(userId);
    } catch (error) {
        // No group support on this server (licence) or the user is gone: no access through groups.
        if (isHostError(error)) {
            return false;
        }
        throw error;
    }
    return groupIds.some((groupId) => access.group_ids.includes(groupId));
}

/** The status route's guard: signed in, and allowed by mayReadStatus (reads the access record, writes nothing). */
export const requireStakeholder: Guard = {
    description: 'system admin or listed stakeholder (user or group member)',

    // The users and members of the groups on the access list (GET/PUT /api/v1/stakeholders/access); everybody else 403.
    access: {kind: 'listed', list: 'stakeholders:access'},
    check(input) {
        requireUser.check(input);
        if (!mayReadStatus(input.api, readAccess(new KvReader(input.api.kv)).value, input.userId)) {
            throw ApiError.forbidden('Only the roll-out team members a system admin listed can see the roll-out status.');
        }
    },
};

/**
 * Resolves the names of a PUT to ids. Every unknown or deactivated name is reported in one 400, so an
 * admin fixes the list at once and nothing is half-applied.
 */
export function resolveAccess(api: Pick<MattermostApi, 'users' | 'groups'>, body: SaveStakeholderAccessRequest): StoredAccess {
    const problems: string[] = [];
    const userIds: string[] = [];
    for (const username of body.usernames) {
        const user = lookup(() => api.users.getByUsername(username));
        if (!user) {
            problems.push(`no user @${username}`);
        } else if (user.delete_at === 0) {
            userIds.push(user.id);
        } else {
            problems.push(`@${username} is deactivated`);
        }
    }
    const groupIds: string[] = [];
    for (const name of body.group_names) {
        const group = lookup(() => api.groups.getByName(name));
        if (!group || group.delete_at !== 0) {
            problems.push(`no group @${name}`);
        } else {
            groupIds.push(group.id);
        }
    }
    if (problems.length > 0) {
        throw ApiError.invalid(`Stakeholder access not saved: ${problems.join('; ')}.`);
    }
    return {user_ids: [...new Set(userIds)], group_ids: [...new Set(groupIds)]};
}

/** The access list as the settings panel shows it: names looked up now (a user or group removed since shows as missing). */
export function toAccessResponse(
    api: Pick<ReadOnlyMattermostApi, 'users' | 'groups'>,
    stored: {version: number; value?: StoredAccess & {updated_at: number}},
): StakeholderAccessResponse {
    const value = stored.value;
    return {
        version: stored.version,
        updated_at: value?.updated_at ?? 0,
        users: (value?.user_ids ?? []).map((id) => {
            const user = lookup(() => api.users.get(id));
            return {id, username: user?.username ?? '', missing: !user};
        }),
        groups: (value?.group_ids ?? []).map((id) => {
            const group = lookup(() => api.groups.get(id));
            return {id, name: group?.name ?? '', display_name: group?.display_name ?? '', missing: !group};
        }),
    };
}

/** A host lookup whose 4xx means "no such thing". */
function lookup<T>(find: () => T): T | undefined {
    try {
        return find();
    } catch (error) {
        if (isHostError(error) && error.status_code >= 400 && error.status_code < 500) {
            return undefined;
        }
        throw error;
    }
}
