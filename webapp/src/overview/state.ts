// Redux slice for GET /api/v1/status: what the Overview tab shows.
import type {Status} from 'contract/status';

import {resourceSlice, type ResourceState} from '../resource';

export type StatusState = ResourceState<Status>;
export const statusSlice = resourceSlice<Status>('status');
