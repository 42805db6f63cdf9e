import {SizingEndpoints} from 'contract/endpoints/sizing';

import {migrateLegacyLoadTestTarget, readSizing, saveSizing} from './store';

import type {Capability} from '../app/capability';
import {refreshReadiness} from '../readiness/readiness';

// The plan's sizing (planned users, concurrent users, the reference architecture chosen), saved once.
// The load-test task is verified against it, so a save refreshes the cached readiness report at once.
export const sizingCapability: Capability = {
    name: 'sizing',
    routes(routes) {
        routes.handle(SizingEndpoints.get, ({kv}) => readSizing(kv));

        routes.handle(SizingEndpoints.save, (context) => {
            const answer = saveSizing(context, context.body);
            refreshReadiness(context.api, context.kv);
            return answer;
        });
    },
    hooks: {
        onActivate: (_, {kv, log}) => migrateLegacyLoadTestTarget(kv, log),
    },
};
