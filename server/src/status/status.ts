import {Routes} from 'contract/routes';

import {buildStatus} from './summary';

import type {Capability} from '../app/capability';
import {requireConsoleReader, requireUser} from '../http/guards';

export const statusCapability: Capability = {
    name: 'status',
    routes(routes) {
        routes.get(Routes.status, requireConsoleReader, ({api}) => buildStatus(api));

        // The cheapest authenticated round trip through the bundle; the benchmark compares it with the host's own ping.
        routes.get(Routes.ping, requireUser, () => ({ok: true}));
    },
};
