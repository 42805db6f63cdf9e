// Mattermost's own REST API faked at the Client4 seam: the mattermost-redux thunks the webapp
// dispatches call these methods, so the store, the thunks and the pickers run for real.
import type {Channel} from '@mattermost/types/channels';
import type {Group} from '@mattermost/types/groups';
import type {Team} from '@mattermost/types/teams';

import {Client4} from 'mattermost-redux/client';

export const fakeTeam = (id: string, displayName: string, name: string) => ({id, display_name: displayName, name, delete_at: 0}) as Team;

export const fakeChannel = (id: string, displayName: string, name: string, teamId: string, type = 'O') =>
    ({id, display_name: displayName, name, team_id: teamId, type, delete_at: 0}) as Channel;

export const fakeGroup = (id: string, displayName: string, name: string, memberCount: number, source = 'ldap') =>
    ({id, display_name: displayName, name, source, member_count: memberCount, delete_at: 0}) as Group;

/** Spies on the Client4 methods behind teams, channel search and by-id lookups, and group search. */
export function fakeMattermost({teams = [] as Team[], channels = [] as Channel[], groups = [] as Group[]} = {}) {
    const notFound = async (id: string) => {
        throw Object.assign(new Error(`${id} not found`), {status_code: 404, server_error_id: 'app.not_found'});
    };
    return {
        getTeams: jest.spyOn(Client4, 'getTeams').mockResolvedValue(teams as never),
        searchAllChannels: jest.spyOn(Client4, 'searchAllChannels').mockResolvedValue(channels as never),
        getChannel: jest.
            spyOn(Client4, 'getChannel').
            mockImplementation(async (id: string) => (channels.find((c) => c.id === id) ?? notFound(id)) as never),
        getGroups: jest.spyOn(Client4, 'getGroups').mockResolvedValue(groups as never),
        getGroup: jest.
            spyOn(Client4, 'getGroup').
            mockImplementation(async (id: string) => (groups.find((g) => g.id === id) ?? notFound(id)) as never),
    };
}
