import {z} from 'zod';

import {lazySchema} from './lazy';
import {ProbeResultSchema} from './probes';

// Readiness checks: computed on the server from the live config, license, version and statistics.
export const CheckStatusSchema = lazySchema(() => z.enum(['ok', 'info', 'warning', 'error', 'needs_license']));
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

export const CheckResultSchema = lazySchema(() => z.object({
    id: z.string(),

    /** Seed phase the check belongs to (plan phase id). */
    phase: z.string(),
    title: z.string(),
    status: CheckStatusSchema,

    /** Why the check has this status, in one or two sentences. */
    explanation: z.string(),

    /** System Console path that fixes it, e.g. `/admin_console/environment/web_server`. */
    console_path: z.string(),

    /** Weight in the score (Workspace Optimization style). */
    impact: z.number(),

    /**
     * What the status rests on: a live probe's answer ("probe"), a measurement an admin uploaded
     * ("evidence": the load-test tool's result), or the settings alone ("configured"). A failing probe
     * makes the check an error whatever the settings say.
     */
    verification: z.enum(['probe', 'evidence', 'configured']).default('configured'),

    /** For a verdict resting on an uploaded measurement: the day it was measured (its evidence expires from then). */
    measured_on: z.string().optional(),

    /** The probe whose answer counted, with when and by whom it ran. */
    probe: z.object({
        id: z.string(),
        state: z.string(),
        probed_at: z.number(),
        probed_by: z.string().nullable(),
    }).nullable().default(null),
}));
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const ReadinessReportSchema = lazySchema(() => z.object({
    /** 0–100; checks that need a license are left out of the score. */
    score: z.number(),
    checked_at: z.number(),
    results: z.array(CheckResultSchema),

    /** The last answer of every live probe (cached per probe), with its raw facts. */
    probes: z.array(ProbeResultSchema).default([]),
}));
export type ReadinessReport = z.infer<typeof ReadinessReportSchema>;
