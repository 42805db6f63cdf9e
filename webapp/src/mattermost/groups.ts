// Groups (LDAP-synced and custom) through mattermost-redux's group thunks: they land in
// entities.groups.groups, where the names of saved ids are read back.
import type {GetGroupsParams, Group} from '@mattermost/types/groups';
import type {GlobalState} from '@mattermost/types/store';

import {getGroup, getGroups} from 'mattermost-redux/actions/groups';
import {getGroup as selectGroup} from 'mattermost-redux/selectors/entities/groups';

import {dataOf, type HostDispatch} from './dispatch';
import type {PickOption} from './options';

type HostStore = {dispatch: unknown; getState: () => unknown};

export const groupOption = (group: Group): PickOption => ({
    id: group.id,
    label: group.display_name || group.name,
    detail: `${group.source === 'ldap' ? 'LDAP' : group.source}` +
        `${typeof group.member_count === 'number' ? ` · ${group.member_count} members` : ''}`,
});

/** Groups matching `q`, with member counts (GET /api/v4/groups?q=…). */
export async function searchGroups(dispatch: HostDispatch, q: string): Promise<PickOption[]> {
    const params = {q, include_member_count: true, filter_allow_reference: false, per_page: 20, page: 0} as GetGroupsParams & {q: string};
    const groups = await dataOf(dispatch<Group[]>(getGroups(params)));
    return groups.filter((group) => !group.delete_at).map(groupOption);
}

/** Groups by id, from the host's store or fetched. Unknown ids are left out. */
export async function groupsByIds(store: HostStore, ids: readonly string[]): Promise<PickOption[]> {
    const dispatch = store.dispatch as HostDispatch;
    const found = await Promise.all(ids.map(async (id) => {
        const known = selectGroup(store.getState() as GlobalState, id);
        if (known) {
            return groupOption(known);
        }
        return dataOf(dispatch<Group>(getGroup(id, true))).then(groupOption, () => null);
    }));
    return found.filter((option): option is PickOption => option !== null);
}
