import type {Status} from 'contract/status';

import {statusSlice, type StatusState} from './state';

import type {Client} from '../client';
import {pluginState} from '../reducer';
import {useResource} from '../resource';

const selectStatus = (s: unknown) => pluginState(s)?.status;
const fetchStatus = (c: Client): Promise<Status> => c.getStatus();

/** The status slice and a `refresh` that reloads it. Loads once on mount; later loads are explicit (Refresh / Retry). */
export function useStatus(): {state: StatusState; refresh: () => Promise<void>} {
    const {state, load} = useResource(statusSlice, selectStatus, fetchStatus, 'always');
    return {state, refresh: load};
}
