// Teams, channels and groups for the wave pickers, from Mattermost's own REST API through Client4
// (the user's session, as components/users.ts does). The bundle carries its own Client4, so its URL
// is set from the site URL path before each call.
import type {Channel} from '@mattermost/types/channels';
import type {GetGroupsParams, Group} from '@mattermost/types/groups';
import type {Team} from '@mattermost/types/teams';

import {Client4} from 'mattermost-redux/client';

import {siteURLFrom, siteURLPath} from '../client';

function client4(state: unknown) {
    Client4.setUrl(siteURLPath(siteURLFrom(state)));
    return Client4;
}

/** One choice in a picker. */
export interface PickOption {
    id: string;
    label: string;

    /** Shown after the label, muted (e.g. "~town-square", "LDAP · 120 members"). */
    detail?: string;

    /** The channel's team. */
    teamId?: string;
}

const teamOption = (team: Team): PickOption => ({id: team.id, label: team.display_name || team.name, detail: team.name});
const channelOption = (channel: Channel): PickOption => ({
    id: channel.id,
    label: channel.display_name || channel.name,
    detail: `~${channel.name}${channel.type === 'P' ? ' · private' : ''}`,
    teamId: channel.team_id,
});

/** Every team (GET /api/v4/teams; a system admin sees private teams too), up to 1,000. */
export async function listTeams(state: unknown): Promise<PickOption[]> {
    const teams: Team[] = [];
    for (let page = 0; page < 5; page++) {
        // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
        const answer = await client4(state).getTeams(page, 200);
        const list = Array.isArray(answer) ? answer : answer.teams;
        teams.push(...list);
        if (list.length < 200) {
            break;
        }
    }
    return teams.filter((team) => !team.delete_at).map(teamOption).sort((a, b) => a.label.localeCompare(b.label));
}

/** Public and private channels of `teamIds` matching `term` (POST /api/v4/channels/search, system admins). */
export async function searchChannels(state: unknown, teamIds: string[], term: string): Promise<PickOption[]> {
    if (teamIds.length === 0) {
        return [];
    }
    const answer = await client4(state).searchAllChannels(term, {team_ids: teamIds, per_page: 50, page: 0, include_deleted: false});
    const list = Array.isArray(answer) ? answer : answer.channels;
    return list.filter((channel) => (channel.type === 'O' || channel.type === 'P') && !channel.delete_at).map(channelOption);
}

/** Channels by id (their names for a saved wave). Missing ones are left out. */
export async function channelsByIds(state: unknown, ids: string[]): Promise<PickOption[]> {
    const found = await Promise.all(ids.map((id) => client4(state).getChannel(id).then(channelOption, () => null)));
    return found.filter((option): option is PickOption => option !== null);
}

const groupOption = (group: Group): PickOption => ({
    id: group.id,
    label: group.display_name || group.name,
    detail: `${group.source === 'ldap' ? 'LDAP' : group.source}${typeof group.member_count === 'number' ? ` · ${group.member_count} members` : ''}`,
});

/** Groups matching `q`, LDAP-synced and custom (GET /api/v4/groups?q=&include_member_count=true). */
export async function searchGroups(state: unknown, q: string): Promise<PickOption[]> {
    const params = {q, include_member_count: true, per_page: 20, page: 0} as GetGroupsParams & {q: string};
    const groups = await client4(state).getGroups(params);
    return groups.filter((group) => !group.delete_at).map(groupOption);
}

/** Groups by id (their names for a saved wave). Missing ones are left out. */
export async function groupsByIds(state: unknown, ids: string[]): Promise<PickOption[]> {
    const found = await Promise.all(ids.map((id) => client4(state).getGroup(id, true).then(groupOption, () => null)));
    return found.filter((option): option is PickOption => option !== null);
}
