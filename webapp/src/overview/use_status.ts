import {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {useSelector, useStore} from 'react-redux';

import {initialStatusState, loadStatus, statusReducer, type StatusAction, type StatusState} from './state';

import {clientFor} from '../client';
import {pluginState} from '../reducer';

/**
 * The status slice and a `refresh` that reloads it. Loads once on mount.
 *
 * The data lives in the plugin's redux slice (registry.registerReducer). If the host store has no such
 * slice, the same reducer runs as component state instead, so the Overview still works.
 */
export function useStatus(): {state: StatusState; refresh: () => Promise<void>} {
    const store = useStore();
    const slice = useSelector((s: unknown) => pluginState(s)?.status);

    const [local, setLocal] = useReducer(statusReducer, initialStatusState);
    const localRef = useRef(local);

    const inStore = slice !== undefined;
    const state = slice ?? local;

    const client = useMemo(() => clientFor(store.getState), [store]);

    const refresh = useCallback(() => {
        if (inStore) {
            return loadStatus(client)(
                (action: StatusAction) => store.dispatch(action),
                () => pluginState(store.getState())?.status ?? initialStatusState,
            );
        }
        return loadStatus(client)(
            (action: StatusAction) => {
                localRef.current = statusReducer(localRef.current, action);
                setLocal(action);
            },
            () => localRef.current,
        );
    }, [client, store, inStore]);

    useEffect(() => {
        refresh();

        // Load once per mount; later loads are explicit (Refresh / Retry).
        // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per mount; later loads are explicit (Refresh / Retry).
    }, []);

    return {state, refresh};
}
