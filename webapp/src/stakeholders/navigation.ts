import {StakeholderPage} from 'contract/stakeholders';

import {openTeamPage, teamPagePath} from '../components/team_navigation';

/** The status page of the current team, or null outside a team. */
export function stakeholderPagePath(state: unknown): string | null {
    return teamPagePath(state, StakeholderPage.path);
}

/** Opens the status page inside the webapp's router (no reload), or by URL when the router is not exported. */
export function openStakeholderPage(getState: () => unknown): void {
    openTeamPage(getState, StakeholderPage.path);
}
