import {z} from 'zod';

import {Access, read} from './endpoint';

import {lazySchema} from '../lazy';
import {StatusSchema} from '../status';

/** The status capability: the overview and the cheapest authenticated round trip. */
export const StatusEndpoints = {
    status: read('/api/v1/status', {access: Access.consoleReader, answer: StatusSchema}),

    /** The benchmark compares it with the host's own ping (Routes.hostPing, served by the Go host). */
    ping: read('/api/v1/ping', {access: Access.user, answer: lazySchema(() => z.object({ok: z.literal(true)}))}),
};
