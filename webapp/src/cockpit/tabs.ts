import {CapabilityIds, type CockpitTab} from './types';

import {adoptionTab} from '../adoption/tab';
import {auditTab} from '../audit/tab';
import {brandingTab} from '../branding/tab';
import {overviewTab} from '../overview/tab';
import {planTab} from '../plan/tab';
import {readinessTab} from '../readiness/tab';
import {templatesTab} from '../templates/tab';
import {wavesTab} from '../waves/tab';

/**
 * The tabs of capabilities that exist. A capability adds its tab descriptor to this list when it ships;
 * the display order comes from CapabilityIds, not from this list.
 */
const registered: readonly CockpitTab[] = [
    overviewTab,
    planTab,
    readinessTab,
    brandingTab,
    templatesTab,
    wavesTab,
    adoptionTab,
    auditTab,
];

export function orderTabs(list: readonly CockpitTab[]): CockpitTab[] {
    const seen = new Set<string>();
    for (const tab of list) {
        if (seen.has(tab.id)) {
            throw new Error(`cockpit tab "${tab.id}" registered twice`);
        }
        seen.add(tab.id);
    }
    return [...list].sort((a, b) => CapabilityIds.indexOf(a.id) - CapabilityIds.indexOf(b.id));
}

export const tabs: readonly CockpitTab[] = orderTabs(registered);
