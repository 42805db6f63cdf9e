import {useCallback, useState} from 'react';

import type {AuditPage} from 'contract/plan_api';

import type {Client, RequestError} from '../client';
import {inComponentState, resourceSlice, useResource} from '../resource';

export const AUDIT_PAGE_SIZE = 25;

export interface AuditState {
    page: number;
    data: AuditPage | null;
    loading: boolean;
    error: RequestError | null;
}

const auditSlice = resourceSlice<AuditPage>('audit');
const fetchFirstPage = (c: Client) => c.getAudit(0, AUDIT_PAGE_SIZE);

/**
 * One page of the audit log (page counts from 0). Kept in component state: the log is only read here,
 * and a page is cheap to fetch again.
 */
export function useAudit(): AuditState & {client: Client; goTo: (page: number) => void; refresh: () => void} {
    const {state, client, loadWith} = useResource(auditSlice, inComponentState, fetchFirstPage, 'always');
    const [page, setPage] = useState(0);

    const goTo = useCallback((next: number) => {
        setPage(next);
        loadWith((c) => c.getAudit(next, AUDIT_PAGE_SIZE));
    }, [loadWith]);

    return {page, data: state.data, loading: state.loading, error: state.error, client, goTo, refresh: () => goTo(page)};
}
