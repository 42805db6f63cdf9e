// Users from the host's store (entities.users.profiles): what the web app already loaded is reused,
// and what we load (mattermost-redux's getMissingProfilesByIds, autocompleteUsers) lands there for
// the host too. The thunks batch ids asked for by components mounting together into one request.
import {useEffect} from 'react';
import {useSelector} from 'react-redux';

import type {UserProfile} from '@mattermost/types/users';

import {autocompleteUsers, getMissingProfilesByIds} from 'mattermost-redux/actions/users';

import {dataOf, type HostDispatch, useHostDispatch} from './dispatch';
import type {PickOption} from './options';

export type UserSummary = Pick<UserProfile, 'id' | 'username' | 'first_name' | 'last_name' | 'nickname'>;

type Profiles = Record<string, UserSummary> | undefined;

/** The host's loaded profiles, by id. */
export const selectProfiles = (state: {entities?: {users?: {profiles?: Profiles}}}) => state?.entities?.users?.profiles;

/** `@username (First Last)`, or `@username` alone. */
export function userLabel(user: UserSummary): string {
    const full = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.nickname;
    return full ? `@${user.username} (${full})` : `@${user.username}`;
}

export const userOption = (user: UserSummary): PickOption => ({id: user.id, label: userLabel(user)});

/** Active users matching `term` (GET /api/v4/users/autocomplete, no team or channel restriction). */
export async function searchUsers(dispatch: HostDispatch, term: string, limit = 10): Promise<UserSummary[]> {
    const answer = await dataOf(dispatch<{users?: UserSummary[]}>(autocompleteUsers(term, '', '', {limit})));
    return answer?.users ?? [];
}

/** Profiles for `ids` from the host's store; the missing ones are fetched (unknown ids stay absent). */
export function useUsers(ids: readonly string[]): Record<string, UserSummary> {
    const dispatch = useHostDispatch();
    const profiles = useSelector(selectProfiles);
    const key = [...new Set(ids.filter(Boolean))].sort().join(',');

    useEffect(() => {
        if (key) {
            dispatch(getMissingProfilesByIds(key.split(',')));
        }
    }, [key, dispatch]);

    const result: Record<string, UserSummary> = {};
    for (const id of key ? key.split(',') : []) {
        const user = profiles?.[id];
        if (user) {
            result[id] = user;
        }
    }
    return result;
}
