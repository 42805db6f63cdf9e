// The plugin's redux state, mounted by the host at state['plugins-<id>'] through registry.registerReducer.
import {combineReducers} from 'redux';

import {manifest} from 'contract/manifest';

import {statusSlice, type StatusState} from './overview/state';
import {planSlice, type PlanState} from './plan/state';
import {readinessSlice, type ReadinessState} from './readiness/state';

export const pluginStateKey = `plugins-${manifest.id}`;

export interface PluginState {
    status: StatusState;
    plan: PlanState;
    readiness: ReadinessState;
}

export const reducer = combineReducers({
    status: statusSlice.reducer,
    plan: planSlice.reducer,
    readiness: readinessSlice.reducer,
});

/** The plugin's slice of a host state, or undefined when the reducer is not mounted. */
export function pluginState(state: unknown): PluginState | undefined {
    if (state && typeof state === 'object') {
        return (state as Record<string, PluginState | undefined>)[pluginStateKey];
    }
    return undefined;
}
