import {siteURLFrom, siteURLPath} from '../client';

// Opening a page of the plugin inside the current team (registerNeedsTeamRoute), from a menu entry.

interface TeamsState {
    entities?: {teams?: {currentTeamId?: string; teams?: Record<string, {name: string}>}};
}

interface WebappHistory {
    WebappUtils?: {browserHistory?: {push(path: string): void}};
}

/** `pathOf(current team name)`, or null outside a team. */
export function teamPagePath(state: unknown, pathOf: (teamName: string) => string): string | null {
    const teams = (state as TeamsState | undefined)?.entities?.teams;
    const team = teams?.currentTeamId ? teams.teams?.[teams.currentTeamId] : undefined;
    return team ? pathOf(team.name) : null;
}

/** Opens the current team's page inside the webapp's router (no reload), or by URL when the router is not exported. */
export function openTeamPage(getState: () => unknown, pathOf: (teamName: string) => string): void {
    const state = getState();
    const path = teamPagePath(state, pathOf);
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
