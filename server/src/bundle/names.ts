import type {ChannelRef} from 'contract/bundle';

import {isNotFound} from '../host/errors';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Ids differ between servers, names do not: the export writes a team, channel, user or group by its
// name, the import finds the object of that name on this server. Each lookup is asked once per request.

type LookupApi = Pick<ReadOnlyMattermostApi, 'teams' | 'channels' | 'groups' | 'users'>;

/** undefined when the server answers 404. */
function orMissing<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (error) {
        if (isNotFound(error)) {
            return undefined;
        }
        throw error;
    }
}

function cached<T>(cache: Map<string, T | undefined>, key: string, read: () => T | undefined): T | undefined {
    if (!cache.has(key)) {
        cache.set(key, read());
    }
    return cache.get(key);
}

/**
 * Id → name, for the export. An object that no longer exists keeps its id as its name, so the import
 * reports it as missing rather than the export dropping it silently.
 */
export function namesOf(api: LookupApi) {
    const teams = new Map<string, string | undefined>();
    const channels = new Map<string, ChannelRef | undefined>();
    const groups = new Map<string, string | undefined>();
    const users = new Map<string, string | undefined>();
    const teamName = (teamId: string) => cached(teams, teamId, () => orMissing(() => api.teams.get(teamId).name)) ?? teamId;
    return {
        team: teamName,
        channel: (channelId: string): ChannelRef => cached(channels, channelId, () => orMissing(() => {
            const channel = api.channels.get(channelId);
            return {team: teamName(channel.team_id), channel: channel.name};
        })) ?? {team: '', channel: channelId},
        group: (groupId: string) => cached(groups, groupId, () => orMissing(() => api.groups.get(groupId).name ?? groupId)) ?? groupId,
        user: (userId: string) => cached(users, userId, () => orMissing(() => api.users.get(userId).username)) ?? userId,
    };
}
export type NamesOf = ReturnType<typeof namesOf>;

/**
 * Name → id, for the import. A name this server does not know is collected in `missing` (each once) and
 * answered with '' — the part cannot apply, so the id is never written.
 */
export function idsOf(api: LookupApi) {
    const missing: string[] = [];
    const note = (what: string) => {
        if (!missing.includes(what)) {
            missing.push(what);
        }
        return '';
    };
    const teams = new Map<string, string | undefined>();
    const channels = new Map<string, string | undefined>();
    const groups = new Map<string, string | undefined>();
    const users = new Map<string, string | undefined>();
    const teamId = (name: string) => cached(teams, name, () => orMissing(() => api.teams.getByName(name).id));
    return {
        missing,
        team: (name: string) => teamId(name) ?? note(`team "${name}"`),
        channel: (ref: ChannelRef) => {
            const team = teamId(ref.team);
            if (team === undefined) {
                return note(`team "${ref.team}"`);
            }
            return cached(channels, `${ref.team}/${ref.channel}`, () => orMissing(() => api.channels.getByName(team, ref.channel).id)) ??
                note(`channel "${ref.channel}" of team "${ref.team}"`);
        },
        group: (name: string) => cached(groups, name, () => orMissing(() => api.groups.getByName(name).id)) ?? note(`group "${name}"`),
        user: (username: string) => cached(users, username, () => orMissing(() => api.users.getByUsername(username).id)) ??
            note(`user "${username}"`),
    };
}
export type IdsOf = ReturnType<typeof idsOf>;

/** The import's problems for the names this server does not know. */
export function notOnThisServer(ids: IdsOf): string[] {
    return ids.missing.map((what) => `${what} does not exist on this server`);
}
