// Teams through mattermost-redux's getTeams (RECEIVED_TEAMS_LIST into entities.teams.teams, shared
// with the host); a system admin sees private teams too.
import type {Team} from '@mattermost/types/teams';

import {getTeams} from 'mattermost-redux/actions/teams';

import {dataOf, type HostDispatch} from './dispatch';
import type {PickOption} from './options';

const perPage = 200;

export const teamOption = (team: Team): PickOption => ({id: team.id, label: team.display_name || team.name, detail: team.name});

/** Every team not deleted, by display name (GET /api/v4/teams, paged until a short page). */
export async function listTeams(dispatch: HostDispatch): Promise<Team[]> {
    const all: Team[] = [];
    for (let page = 0; ; page++) {
        // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
        const answer = await dataOf(dispatch<Team[] | {teams: Team[]}>(getTeams(page, perPage)));
        const teams = Array.isArray(answer) ? answer : answer.teams;
        all.push(...teams);
        if (teams.length < perPage) {
            return all.filter((team) => !team.delete_at).sort((a, b) => (a.display_name || a.name).localeCompare(b.display_name || b.name));
        }
    }
}
