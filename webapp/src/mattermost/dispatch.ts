// Dispatching mattermost-redux thunks into the host's store. The host runs redux-thunk with the
// `{loaders}` extra argument (mattermost-redux's configureStore), so its `dispatch` returns what the
// thunk returns; react-redux types `dispatch` for plain actions only.
import {useDispatch} from 'react-redux';

import type {ActionResult} from 'mattermost-redux/types/actions';

export type HostDispatch = <T = unknown>(thunk: unknown) => Promise<ActionResult<T>>;

export function useHostDispatch(): HostDispatch {
    return useDispatch() as unknown as HostDispatch;
}

/** The thunk's data, or its error thrown (mattermost-redux thunks answer `{error}` instead of throwing). */
export async function dataOf<T>(answer: Promise<ActionResult<T>>): Promise<T> {
    const {data, error} = await answer;
    if (error) {
        throw error instanceof Error ? error : new Error(String((error as {message?: string}).message ?? error));
    }
    return data as T;
}
