import type {AdoptionResponse} from 'contract/adoption';

import type {Client, RequestError} from '../client';
import {inComponentState, resourceSlice, useResource} from '../resource';

export interface AdoptionState {
    data: AdoptionResponse | null;
    loading: boolean;
    error: RequestError | null;
}

const adoptionSlice = resourceSlice<AdoptionResponse>('adoption');
const fetchAdoption = (c: Client) => c.getAdoption();

/** GET /api/v1/adoption, kept in component state (only this tab reads it; the server serves a cached measurement). */
export function useAdoption(): AdoptionState & {client: Client; refresh: () => void} {
    const {state, client, load} = useResource(adoptionSlice, inComponentState, fetchAdoption, 'always');
    return {data: state.data, loading: state.loading, error: state.error, client, refresh: load};
}
