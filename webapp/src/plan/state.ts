// Redux slice for the plan (GET /api/v1/plan and the answer of every plan write).
import type {PlanResponse} from 'contract/plan_api';

import {resourceSlice, type ResourceState} from '../resource';

export type PlanState = ResourceState<PlanResponse>;
export const planSlice = resourceSlice<PlanResponse>('plan');
