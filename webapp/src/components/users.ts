// Users from Mattermost's own REST API (Client4 of mattermost-redux): owner search and id → name.
// The bundle carries its own Client4, so its URL is set from the site URL path before each call.
import {useEffect, useReducer} from 'react';
import {useSelector, useStore} from 'react-redux';

import type {UserProfile} from '@mattermost/types/users';

import {Client4} from 'mattermost-redux/client';

import {siteURLFrom, siteURLPath} from '../client';

export type UserSummary = Pick<UserProfile, 'id' | 'username' | 'first_name' | 'last_name' | 'nickname'>;

/** Profiles fetched per host store, shared by every component on the page. */
interface Directory {
    profiles: Map<string, UserSummary>;

    /** Ids asked for (in flight or answered): never asked twice. */
    asked: Set<string>;
    listeners: Set<() => void>;

    /** Ids to ask for in the next batch; components mounting together share one request. */
    queued: Set<string>;
}

const directories = new WeakMap<object, Directory>();

function directoryFor(store: object): Directory {
    let dir = directories.get(store);
    if (!dir) {
        dir = {profiles: new Map(), asked: new Set(), listeners: new Set(), queued: new Set()};
        directories.set(store, dir);
    }
    return dir;
}

function client4(state: unknown) {
    Client4.setUrl(siteURLPath(siteURLFrom(state)));
    return Client4;
}

/** `@username (First Last)`, or `@username` alone. */
export function userLabel(user: UserSummary): string {
    const full = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.nickname;
    return full ? `@${user.username} (${full})` : `@${user.username}`;
}

/** Searches active users by name (GET /api/v4/users/autocomplete, no team or channel restriction). */
export async function searchUsers(state: unknown, term: string, limit = 10): Promise<UserSummary[]> {
    const answer = await client4(state).autocompleteUsers(term, '', '', {limit});
    return answer.users ?? [];
}

/** Remembers profiles already at hand (a picked search result) so they need no lookup. */
export function rememberUsers(store: object, users: UserSummary[]): void {
    const dir = directoryFor(store);
    for (const u of users) {
        dir.profiles.set(u.id, u);
        dir.asked.add(u.id);
    }
    dir.listeners.forEach((l) => l());
}

type HostUsers = Record<string, UserSummary> | undefined;

/** Profiles for `ids`: from the host store when it has them, else one POST /api/v4/users/ids for the rest. */
export function useUsers(ids: readonly string[]): Record<string, UserSummary> {
    const store = useStore();
    const host = useSelector((s: {entities?: {users?: {profiles?: HostUsers}}}) => s?.entities?.users?.profiles);
    const [, rerender] = useReducer((n: number) => n + 1, 0);
    const dir = directoryFor(store);
    const key = [...new Set(ids.filter(Boolean))].sort().join(',');

    useEffect(() => {
        dir.listeners.add(rerender);
        return () => {
            dir.listeners.delete(rerender);
        };
    }, [dir]);

    useEffect(() => {
        const missing = key.split(',').filter((id) => id && !dir.asked.has(id) && !host?.[id]);
        if (missing.length === 0) {
            return;
        }
        const first = dir.queued.size === 0;
        missing.forEach((id) => {
            dir.asked.add(id);
            dir.queued.add(id);
        });
        if (first) {
            // After the current commit: every row's effect has queued its ids by then.
            Promise.resolve().then(() => {
                const batch = [...dir.queued];
                dir.queued.clear();
                client4(store.getState()).getProfilesByIds(batch).then((users) => {
                    rememberUsers(store, users);
                }, () => {
                    // Unknown ids stay shown as ids.
                });
            });
        }
    }, [key, dir, host, store]);

    const result: Record<string, UserSummary> = {};
    for (const id of key.split(',')) {
        const user = dir.profiles.get(id) ?? host?.[id];
        if (user) {
            result[id] = user;
        }
    }
    return result;
}
