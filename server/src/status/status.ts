import {StatusEndpoints} from 'contract/endpoints/status';

import {buildStatus} from './summary';

import type {Capability} from '../app/capability';

export const statusCapability: Capability = {
    name: 'status',
    routes(routes) {
        routes.handle(StatusEndpoints.status, ({api}) => buildStatus(api));

        // The cheapest authenticated round trip through the bundle; the benchmark compares it with the host's own ping.
        routes.handle(StatusEndpoints.ping, () => ({ok: true as const}));
    },
};
