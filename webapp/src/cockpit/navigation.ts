import {createContext, useContext} from 'react';

import type {CapabilityId} from './types';

/**
 * Selects another tab of the cockpit, for links from one tab to another (the Overview's sections).
 * Outside the cockpit's tabs (a panel rendered alone) it does nothing.
 */
export const GoToTabContext = createContext<(id: CapabilityId) => void>(() => undefined);

export function useGoToTab(): (id: CapabilityId) => void {
    return useContext(GoToTabContext);
}
