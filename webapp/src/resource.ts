// The one way the webapp loads plugin data: a request/success/failure cycle (late answers ignored)
// plus `set` for the answer of a write. Kept in the plugin's redux slice when it is shared across tabs
// (status, plan, readiness report), else in the component's state (branding, adoption, audit, waves);
// `useAnswer` for data that follows the component's inputs (a wave's page, a filter, a draft's preview).
import {useCallback, useEffect, useMemo, useReducer, useRef, useState, type DependencyList} from 'react';
import {useSelector, useStore} from 'react-redux';

import {clientFor, toRequestError, type Client, type RequestError} from './client';

export interface ResourceState<T> {
    data: T | null;
    loading: boolean;
    error: RequestError | null;

    /** Unix ms of the last successful load or write; 0 before the first. */
    receivedAt: number;

    /** Sequence number of the newest request; answers of older requests are ignored. */
    seq: number;
}

export type ResourceAction<T> =
    | {type: string; kind: 'request'; seq: number}
    | {type: string; kind: 'success'; seq: number; data: T; receivedAt: number}
    | {type: string; kind: 'failure'; seq: number; error: RequestError}
    | {type: string; kind: 'set'; data: T; receivedAt: number};

export interface ResourceSlice<T> {
    name: string;
    initial: ResourceState<T>;
    reducer: (state: ResourceState<T> | undefined, action: {type: string}) => ResourceState<T>;
    actions: {
        request: (seq: number) => ResourceAction<T>;
        success: (seq: number, data: T) => ResourceAction<T>;
        failure: (seq: number, error: RequestError) => ResourceAction<T>;
        set: (data: T) => ResourceAction<T>;
    };
}

export function resourceSlice<T>(name: string): ResourceSlice<T> {
    const type = (kind: string) => `onboarding-cockpit/${name}/${kind}`;
    const initial: ResourceState<T> = {data: null, loading: false, error: null, receivedAt: 0, seq: 0};
    const mine = new Set(['request', 'success', 'failure', 'set'].map(type));

    const reducer = (state: ResourceState<T> = initial, action: {type: string}): ResourceState<T> => {
        if (!mine.has(action.type)) {
            return state;
        }
        const a = action as ResourceAction<T>;
        switch (a.kind) {
        case 'request':
            return {...state, loading: true, error: null, seq: a.seq};
        case 'success':
            return a.seq === state.seq ? {...state, loading: false, data: a.data, receivedAt: a.receivedAt} : state;
        case 'failure':
            return a.seq === state.seq ? {...state, loading: false, error: a.error} : state;
        case 'set':
            // A write's answer is newer than any load still in flight: bump seq so that load is ignored.
            return {...state, loading: false, error: null, data: a.data, receivedAt: a.receivedAt, seq: state.seq + 1};
        default:
            return state;
        }
    };

    return {
        name,
        initial,
        reducer,
        actions: {
            request: (seq) => ({type: type('request'), kind: 'request', seq}),
            success: (seq, data) => ({type: type('success'), kind: 'success', seq, data, receivedAt: Date.now()}),
            failure: (seq, error) => ({type: type('failure'), kind: 'failure', seq, error}),
            set: (data) => ({type: type('set'), kind: 'set', data, receivedAt: Date.now()}),
        },
    };
}

/** For `useResource`'s `select` when the data is only this component's: kept in its state. */
export const inComponentState = () => undefined;

export interface Resource<T> {
    state: ResourceState<T>;

    /** The newest state (for code that runs after awaits). */
    current: () => ResourceState<T>;
    load: () => Promise<void>;

    /** Runs `fetch` as a load: loading flag, error on failure, data on success. */
    loadWith: (fetch: (client: Client) => Promise<T>) => Promise<void>;
    set: (data: T) => void;
    client: Client;
}

/**
 * The resource's state and loaders. The data lives in the plugin's redux slice when the host store
 * has it (`select`), else in component state, so the tab still works without the reducer.
 * `autoload`: 'always' loads on mount, 'ifEmpty' only when nothing is loaded or loading yet.
 */
export function useResource<T>(
    slice: ResourceSlice<T>,
    select: (state: unknown) => ResourceState<T> | undefined,
    fetcher: (client: Client) => Promise<T>,
    autoload: 'always' | 'ifEmpty' | 'never' = 'always',
): Resource<T> {
    const store = useStore();
    const fromStore = useSelector(select);

    // Component state starts empty, so a mount that always loads shows "loading" from its first render.
    const [local, dispatchLocal] = useReducer(slice.reducer, slice.initial, (initial) =>
        (autoload === 'always' ? {...initial, loading: true} : initial),
    );
    const localRef = useRef(local);

    const inStore = fromStore !== undefined;
    const state = fromStore ?? local;
    const client = useMemo(() => clientFor(store.getState), [store]);

    const current = useCallback(
        () => (inStore ? select(store.getState()) ?? slice.initial : localRef.current),
        [inStore, select, store, slice],
    );
    const dispatch = useCallback((action: ResourceAction<T>) => {
        if (inStore) {
            store.dispatch(action);
        } else {
            localRef.current = slice.reducer(localRef.current, action);
            dispatchLocal(action);
        }
    }, [inStore, store, slice]);

    const loadWith = useCallback(async (fetch: (c: Client) => Promise<T>) => {
        const seq = current().seq + 1;
        dispatch(slice.actions.request(seq));
        try {
            dispatch(slice.actions.success(seq, await fetch(client)));
        } catch (err) {
            dispatch(slice.actions.failure(seq, toRequestError(err)));
        }
    }, [client, current, dispatch, slice]);

    const load = useCallback(() => loadWith(fetcher), [loadWith, fetcher]);
    const set = useCallback((data: T) => dispatch(slice.actions.set(data)), [dispatch, slice]);

    useEffect(() => {
        const now = current();
        if (autoload === 'always' || (autoload === 'ifEmpty' && now.data === null && !now.loading)) {
            load();
        }

        // Once per mount; later loads are explicit.
        // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mount; later loads are explicit.
    }, []);

    return {state, current, load, loadWith, set, client};
}

export interface Answer<T> {
    data: T | null;
    error: RequestError | null;
    loading: boolean;

    /** Loads again with the same inputs (the Retry and Refresh buttons). */
    reload: () => void;

    /** Shows the answer of a write without loading. */
    setData: (data: T) => void;
}

/**
 * For data that depends on the component's inputs (a wave, a page, a filter, a draft): loads again
 * whenever `deps` change and keeps only the newest answer, so a slow answer for an earlier page or
 * draft never overwrites a later one. `delayMs` waits for the inputs to settle (a preview while the
 * admin types) before asking.
 */
export function useAnswer<T>(fetch: () => Promise<T>, deps: DependencyList, delayMs = 0): Answer<T> {
    const [state, setState] = useState<{data: T | null; error: RequestError | null; loading: boolean}>(
        {data: null, error: null, loading: true},
    );
    const [generation, setGeneration] = useState(0);

    useEffect(() => {
        let current = true;
        const ask = () => {
            setState((s) => ({...s, loading: true}));
            fetch().then((data) => {
                if (current) {
                    setState({data, error: null, loading: false});
                }
            }, (err: unknown) => {
                if (current) {
                    setState((s) => ({...s, error: toRequestError(err), loading: false}));
                }
            });
        };
        const timer = delayMs > 0 ? setTimeout(ask, delayMs) : undefined;
        if (!timer) {
            ask();
        }
        return () => {
            current = false;
            clearTimeout(timer);
        };

    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what `fetch` reads; a new closure alone is no new input.
    }, [...deps, generation, delayMs]);

    const reload = useCallback(() => setGeneration((g) => g + 1), []);
    const setData = useCallback((data: T) => setState({data, error: null, loading: false}), []);
    return {...state, reload, setData};
}
