import type {ReadinessReport} from 'contract/readiness';

import {readinessSlice} from './state';

import type {Client} from '../client';
import {pluginState} from '../reducer';
import {useResource, type Resource} from '../resource';

const selectReadiness = (s: unknown) => pluginState(s)?.readiness;
const fetchReport = (c: Client) => c.getReadiness();

/** The cached readiness report; `run()` (POST /readiness/run) checks again now, `runProbes()` probes the live server first. */
export function useReadiness(
    autoload: 'always' | 'ifEmpty' = 'always',
): Resource<ReadinessReport> & {run: () => Promise<void>; runProbes: () => Promise<void>} {
    const resource = useResource(readinessSlice, selectReadiness, fetchReport, autoload);
    return {...resource, run: () => resource.loadWith((c) => c.runReadiness()), runProbes: () => resource.loadWith((c) => c.runProbes())};
}
