import {z} from 'zod';

import {lazySchema} from './lazy';

// Live probes: what the server's own System Console "Test" buttons and status pages answer, asked by
// the cockpit's server component as the requesting system admin (or, for the probes the plugin API
// can answer, by the scheduled readiness job). Each result keeps the raw facts: what was asked, when,
// by whom, and what came back.

export const PROBE_IDS = [
    'ldap', 'smtp', 'filestore', 'elasticsearch', 'cluster', 'jobs', 'push', 'plugins', 'license', 'version',
] as const;
export const ProbeIdSchema = lazySchema(() => z.enum(PROBE_IDS));
export type ProbeId = z.infer<typeof ProbeIdSchema>;

/**
 * passed, warning and failed are verdicts on the deployment; the others say why there is none:
 * the feature is off (not_configured), the licence lacks it (not_licensed), this server build has no
 * such component (unavailable), the admin may not ask (forbidden), no answer in time (timeout), or
 * the answer could not be read (unknown).
 */
export const ProbeStateSchema = lazySchema(() => z.enum([
    'passed', 'warning', 'failed', 'not_configured', 'not_licensed', 'unavailable', 'forbidden', 'timeout', 'unknown',
]));
export type ProbeState = z.infer<typeof ProbeStateSchema>;

/** The states that say something about the deployment; only these pass or fail a check. */
export const CONCLUSIVE_PROBE_STATES: readonly ProbeState[] = ['passed', 'warning', 'failed'];

/** One call a probe made and what came back (the body cut to a readable length, never a secret: these answers hold none). */
export const ProbeCallSchema = lazySchema(() => z.object({

    /** e.g. "POST /api/v4/ldap/test", or "plugin API: GetLicense". */
    request: z.string(),

    /** HTTP status; 0 when the server did not answer. */
    status: z.number().int(),
    answer: z.string(),
    duration_ms: z.number(),
}));
export type ProbeCall = z.infer<typeof ProbeCallSchema>;

export const ProbeFactSchema = lazySchema(() => z.object({name: z.string(), value: z.string()}));
export type ProbeFact = z.infer<typeof ProbeFactSchema>;

export const ProbeResultSchema = lazySchema(() => z.object({
    id: ProbeIdSchema,
    title: z.string(),
    state: ProbeStateSchema,

    /** What the answer means, in one sentence. */
    summary: z.string(),
    facts: z.array(ProbeFactSchema),
    calls: z.array(ProbeCallSchema),

    /** The readiness checks this answer passes or fails (only when the state is conclusive). */
    checks: z.array(z.string()),
    probed_at: z.number(),

    /** The admin whose request ran it; null when the scheduled job ran it through the plugin API. */
    probed_by: z.object({user_id: z.string(), username: z.string()}).nullable(),

    /** True when only an admin's request can run it: the scheduled job leaves it as it was. */
    needs_admin: z.boolean(),
}));
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

/** POST /api/v1/readiness/probes/run: every probe, or the listed ones. */
export const RunProbesRequestSchema = lazySchema(() => z.strictObject({
    probes: z.array(ProbeIdSchema).max(PROBE_IDS.length).optional(),
}));
export type RunProbesRequest = z.infer<typeof RunProbesRequestSchema>;
