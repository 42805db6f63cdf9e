import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {useStore} from 'react-redux';

import type {AuditPage} from 'contract/plan_api';

import {clientFor, toRequestError, type Client, type RequestError} from '../client';

export const AUDIT_PAGE_SIZE = 25;

export interface AuditState {
    page: number;
    data: AuditPage | null;
    loading: boolean;
    error: RequestError | null;
}

/**
 * One page of the audit log (page counts from 0). Kept in component state: the log is only read here,
 * and a page is cheap to fetch again.
 */
export function useAudit(): AuditState & {client: Client; goTo: (page: number) => void; refresh: () => void} {
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const [state, setState] = useState<AuditState>({page: 0, data: null, loading: true, error: null});
    const seq = useRef(0);

    const goTo = useCallback((page: number) => {
        const mine = ++seq.current;
        setState((s) => ({...s, page, loading: true, error: null}));
        client.getAudit(page, AUDIT_PAGE_SIZE).then((data) => {
            if (mine === seq.current) {
                setState({page, data, loading: false, error: null});
            }
        }, (err: unknown) => {
            if (mine === seq.current) {
                setState((s) => ({...s, loading: false, error: toRequestError(err)}));
            }
        });
    }, [client]);

    useEffect(() => {
        goTo(0);
    }, [goTo]);

    return {...state, client, goTo, refresh: () => goTo(state.page)};
}
