// Teams, channels and groups from Mattermost's own REST API (the system admin's session), for the
// proposal form and the template editor. The bundle carries its own Client4: its URL is set from the
// site URL before each call, as components/users.ts does.
import type {Channel} from '@mattermost/types/channels';
import type {Group} from '@mattermost/types/groups';
import type {Team} from '@mattermost/types/teams';

import {Client4} from 'mattermost-redux/client';

import {siteURLFrom, siteURLPath} from '../client';

export type TeamSummary = Pick<Team, 'id' | 'name' | 'display_name'>;
export type ChannelSummary = Pick<Channel, 'id' | 'name' | 'display_name' | 'type' | 'team_id'>;
export type GroupSummary = Pick<Group, 'id' | 'name' | 'display_name'>;

const perPage = 200;

function client4(state: unknown) {
    Client4.setUrl(siteURLPath(siteURLFrom(state)));
    return Client4;
}

/** Every team (GET /api/v4/teams, paged): a system admin sees private teams too. */
export async function listTeams(state: unknown): Promise<TeamSummary[]> {
    const c = client4(state);
    const all: TeamSummary[] = [];
    for (let page = 0; ; page++) {
        // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
        const answer = await c.getTeams(page, perPage);
        const teams = Array.isArray(answer) ? answer : answer.teams;
        all.push(...teams);
        if (teams.length < perPage) {
            return all.sort((a, b) => a.display_name.localeCompare(b.display_name));
        }
    }
}

async function getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, Client4.getOptions({method: 'GET'}));
    if (!response.ok) {
        throw new Error(`GET ${url}: HTTP ${response.status}`);
    }
    return JSON.parse(await response.text()) as T;
}

/** The team's public and private channels (the private list needs manage_system, which a system admin has). */
export async function listTeamChannels(state: unknown, teamId: string): Promise<ChannelSummary[]> {
    const c = client4(state);
    const all: ChannelSummary[] = [];
    for (const route of ['channels', 'channels/private']) {
        for (let page = 0; ; page++) {
            // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
            const channels = await getJson<ChannelSummary[]>(`${c.getTeamRoute(teamId)}/${route}?page=${page}&per_page=${perPage}`);
            all.push(...channels);
            if (channels.length < perPage) {
                break;
            }
        }
    }
    return all.sort((a, b) => a.display_name.localeCompare(b.display_name));
}

/** Groups whose name matches `term` (GET /api/v4/groups?q=…). */
export async function searchGroups(state: unknown, term: string): Promise<GroupSummary[]> {
    const c = client4(state);
    return getJson<GroupSummary[]>(`${c.getGroupsRoute()}?q=${encodeURIComponent(term)}&page=0&per_page=20&filter_allow_reference=false`);
}

/** Groups by id, for showing names (unknown ids are left out). */
export async function groupsByIds(state: unknown, ids: readonly string[]): Promise<GroupSummary[]> {
    const c = client4(state);
    const found = await Promise.all(ids.map((id) => getJson<GroupSummary>(c.getGroupRoute(id)).catch(() => null)));
    return found.filter((g): g is GroupSummary => g !== null);
}
