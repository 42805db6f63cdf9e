import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {useStore} from 'react-redux';

import type {AdoptionResponse} from 'contract/adoption';

import {clientFor, toRequestError, type Client, type RequestError} from '../client';

export interface AdoptionState {
    data: AdoptionResponse | null;
    loading: boolean;
    error: RequestError | null;
}

/** GET /api/v1/adoption, kept in component state (only this tab reads it; the server serves a cached measurement). */
export function useAdoption(): AdoptionState & {client: Client; refresh: () => void} {
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const [state, setState] = useState<AdoptionState>({data: null, loading: true, error: null});
    const seq = useRef(0);

    const refresh = useCallback(() => {
        const mine = ++seq.current;
        setState((s) => ({...s, loading: true, error: null}));
        client.getAdoption().then((data) => {
            if (mine === seq.current) {
                setState({data, loading: false, error: null});
            }
        }, (err: unknown) => {
            if (mine === seq.current) {
                setState((s) => ({...s, loading: false, error: toRequestError(err)}));
            }
        });
    }, [client]);

    useEffect(() => {
        refresh();
    }, [refresh]);

    return {...state, client, refresh};
}
