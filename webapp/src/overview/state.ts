// Redux slice for GET /api/v1/status: what the Overview tab shows.
import type {Status} from 'contract/status';

import {toRequestError, type Client, type RequestError} from '../client';

export interface StatusState {
    data: Status | null;
    loading: boolean;
    error: RequestError | null;

    /** Unix ms of the last successful load; 0 before the first. */
    receivedAt: number;

    /** Sequence number of the newest request; answers of older requests are ignored. */
    seq: number;
}

export const initialStatusState: StatusState = {data: null, loading: false, error: null, receivedAt: 0, seq: 0};

export const StatusActionTypes = {
    request: 'onboarding-cockpit/status/request',
    success: 'onboarding-cockpit/status/success',
    failure: 'onboarding-cockpit/status/failure',
} as const;

export type StatusAction =
    | {type: typeof StatusActionTypes.request; seq: number}
    | {type: typeof StatusActionTypes.success; seq: number; data: Status; receivedAt: number}
    | {type: typeof StatusActionTypes.failure; seq: number; error: RequestError};

export function statusReducer(state: StatusState = initialStatusState, action: {type: string}): StatusState {
    const a = action as StatusAction;
    switch (a.type) {
    case StatusActionTypes.request:
        return {...state, loading: true, error: null, seq: a.seq};
    case StatusActionTypes.success:
        return a.seq === state.seq ? {...state, loading: false, data: a.data, receivedAt: a.receivedAt} : state;
    case StatusActionTypes.failure:
        return a.seq === state.seq ? {...state, loading: false, error: a.error} : state;
    default:
        return state;
    }
}

/**
 * Loads the status. Written as a thunk `(dispatch, getState)` but called directly, so it works with or
 * without thunk middleware in the host store.
 */
export function loadStatus(client: Client) {
    return async (dispatch: (action: StatusAction) => void, getState: () => StatusState): Promise<void> => {
        const seq = getState().seq + 1;
        dispatch({type: StatusActionTypes.request, seq});
        try {
            const data = await client.getStatus();
            dispatch({type: StatusActionTypes.success, seq, data, receivedAt: Date.now()});
        } catch (err) {
            dispatch({type: StatusActionTypes.failure, seq, error: toRequestError(err)});
        }
    };
}
