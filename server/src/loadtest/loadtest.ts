import {LoadTestEndpoints} from 'contract/endpoints/loadtest';

import {readOverview, uploadResult} from './store';

import type {Capability} from '../app/capability';
import {refreshReadiness} from '../readiness/readiness';

// Load-test results against the plan's saved sizing (server/src/sizing). An upload changes whether the
// load-test task is verified, so it refreshes the cached readiness report at once rather than at the
// next job run.
export const loadTestCapability: Capability = {
    name: 'loadtest',
    routes(routes) {
        routes.handle(LoadTestEndpoints.overview, ({kv}) => readOverview(kv));

        routes.handle(LoadTestEndpoints.upload, (context) => {
            const runs = uploadResult(context, context.body);
            refreshReadiness(context.api, context.kv);
            return {run: runs[runs.length - 1], overview: readOverview(context.kv)};
        });
    },
};
