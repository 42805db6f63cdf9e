import {z} from 'zod';

import {lazySchema} from './lazy';

// GET /api/v1/status — system admins only.
export const LicenseSummarySchema = lazySchema(() => z.object({
    licensed: z.boolean(),
    sku: z.string(),
    is_trial: z.boolean(),

    /** Unix milliseconds; 0 when unlicensed. */
    expires_at: z.number(),

    /** Licensed seats; 0 when unknown or unlicensed. */
    users: z.number(),
}));

export const HostStatsSchema = lazySchema(() => z.object({
    pool_idle: z.number(),
    pool_busy: z.number(),
    pool_max: z.number(),
    vms_created: z.number(),
    vms_discarded: z.number(),
    calls_served: z.number(),
    calls_failed: z.number(),
}));

export const StatusSchema = lazySchema(() => z.object({
    plugin_id: z.string(),
    plugin_version: z.string(),
    server_version: z.string(),

    /** The plugin process that answered (system.getNodeId, new at every activation): which node of a cluster this is. */
    node_id: z.string(),
    license: LicenseSummarySchema,
    host: HostStatsSchema,
}));

export type LicenseSummary = z.infer<typeof LicenseSummarySchema>;
export type Status = z.infer<typeof StatusSchema>;
