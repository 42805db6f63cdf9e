// Redux slice for the readiness report: the Readiness tab shows it, the Plan tab badges tasks with it.
import type {ReadinessReport} from 'contract/readiness';

import {resourceSlice, type ResourceState} from '../resource';

export type ReadinessState = ResourceState<ReadinessReport>;
export const readinessSlice = resourceSlice<ReadinessReport>('readiness');
