import {StakeholderPage} from 'contract/stakeholders';

import {siteURLFrom, siteURLPath} from '../client';

interface TeamsState {
    entities?: {teams?: {currentTeamId?: string; teams?: Record<string, {name: string}>}};
}

interface WebappHistory {
    WebappUtils?: {browserHistory?: {push(path: string): void}};
}

/** The status page of the current team, or null outside a team. */
export function stakeholderPagePath(state: unknown): string | null {
    const teams = (state as TeamsState | undefined)?.entities?.teams;
    const team = teams?.currentTeamId ? teams.teams?.[teams.currentTeamId] : undefined;
    return team ? StakeholderPage.path(team.name) : null;
}

/** Opens the status page inside the webapp's router (no reload), or by URL when the router is not exported. */
export function openStakeholderPage(getState: () => unknown): void {
    const state = getState();
    const path = stakeholderPagePath(state);
    if (!path) {
        return;
    }
    const history = (window as unknown as WebappHistory).WebappUtils?.browserHistory;
    if (history) {
        history.push(path);
    } else {
        window.location.assign(siteURLPath(siteURLFrom(state)) + path);
    }
}
