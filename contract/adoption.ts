import {z} from 'zod';

import {lazySchema} from './lazy';
import {ExpectedVersionSchema} from './versioned';

// Adoption metrics and success targets. Requests AND answers are schemas: the server
// validates bodies with them, the webapp validates every answer.

const isoDay = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'));

/** The numbers a snapshot holds; each is a metric a target can name. */
export const ADOPTION_METRICS = [
    'daily_active',
    'weekly_active',
    'monthly_active',
    'posts_last_day',
    'active_channels',
    'total_users',
] as const;
export const AdoptionMetricSchema = lazySchema(() => z.enum(ADOPTION_METRICS));
export type AdoptionMetric = z.infer<typeof AdoptionMetricSchema>;

const count = lazySchema(() => z.number().int().min(0));

export const AdoptionNumbersSchema = lazySchema(() => z.strictObject({
    daily_active: count,
    weekly_active: count,
    monthly_active: count,
    posts_last_day: count,
    active_channels: count,
    total_users: count,

    /**
     * Users the waves have provisioned so far (added, or already a member of the targets), summed
     * over all waves from their run counts: the base of "% of provisioned" targets. Absent from
     * snapshots taken before it was measured.
     */
    provisioned: count.optional(),
}));
export type AdoptionNumbers = z.infer<typeof AdoptionNumbersSchema>;

/** The stages of a wave's activation funnel, in order (each a count of the wave's users). */
export const WAVE_FUNNEL_STAGES = ['cohort', 'provisioned', 'welcomed', 'logged_in', 'posted'] as const;
export type WaveFunnelStage = typeof WAVE_FUNNEL_STAGES[number];

/**
 * The stages before `provisioned` for waves that invite or reach people without an account: invitation
 * emails sent, and accounts that appeared (created by the wave, or signed up after the invitation).
 * Absent from measurements taken before they were measured.
 */
export const WAVE_NEWCOMER_STAGES = ['invited', 'account'] as const;
export const FEEDBACK_ANSWERS = ['great', 'ok', 'help'] as const;

/**
 * One wave's activation as the adoption job measured it: its name then, the funnel (cohort queued →
 * provisioned → welcomed → logged in and posted since the wave reached them) and the feedback answers.
 */
export const WaveAdoptionSchema = lazySchema(() => z.strictObject({
    name: z.string(),
    measured_at: z.number().int().min(0),
    cohort: count,
    invited: count.optional(),
    account: count.optional(),
    provisioned: count,
    welcomed: count,
    logged_in: count,
    posted: count,
    feedback: z.strictObject({great: count, ok: count, help: count}),
}));
export type WaveAdoption = z.infer<typeof WaveAdoptionSchema>;

/**
 * One measurement: the numbers over the windows ending at `taken_at` (24 h, 7 and 30 days), `day` the
 * UTC day of taken_at. `waves` (wave id → activation) is filled by the scheduled job only (it reads
 * every result of each wave and its users' logins and posts, so a page view never computes it); absent
 * in a measurement taken for a page view and in snapshots older than it.
 */
export const AdoptionSnapshotSchema = lazySchema(() => z.strictObject({
    day: isoDay,
    taken_at: z.number().int().min(0),
    numbers: AdoptionNumbersSchema,
    waves: z.record(z.string(), WaveAdoptionSchema).optional(),
}));
export type AdoptionSnapshot = z.infer<typeof AdoptionSnapshotSchema>;

/**
 * A success target: `metric` ≥ threshold by `due` (a UTC day). A `count` threshold is a number; a
 * `percent` threshold is a share (0–100) of `base` at the time of measuring: the total users, or the
 * users provisioned by the waves ("MAU ≥ 80 % of provisioned by 1 March").
 */
export const TARGET_BASES = ['total_users', 'provisioned'] as const;
export const TargetBaseSchema = lazySchema(() => z.enum(TARGET_BASES));
export type TargetBase = z.infer<typeof TargetBaseSchema>;
export const AdoptionTargetSchema = lazySchema(() => z.
    strictObject({
        id: z.
            string().
            min(1).
            max(64).
            regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
        label: z.string().trim().max(200).default(''),
        metric: AdoptionMetricSchema,
        kind: z.enum(['count', 'percent']),
        threshold: z.number().min(0).max(100_000_000),
        base: TargetBaseSchema.default('total_users'),
        due: isoDay,
    }).
    refine((target) => target.kind !== 'percent' || target.threshold <= 100, {
        message: 'a percent threshold is at most 100',
        path: ['threshold'],
    }));
export type AdoptionTarget = z.infer<typeof AdoptionTargetSchema>;
export type AdoptionTargetInput = z.input<typeof AdoptionTargetSchema>;

export const MAX_ADOPTION_TARGETS = 50;

/** PUT /api/v1/adoption/targets: the complete list, based on `expected_version` (0 = none saved yet); stale → 409. */
export const SaveTargetsRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    targets: z.array(AdoptionTargetSchema).max(MAX_ADOPTION_TARGETS).refine(
        (targets) => new Set(targets.map((target) => target.id)).size === targets.length,
        {message: 'target ids must be unique'},
    ),
}));
export type SaveTargetsRequest = z.input<typeof SaveTargetsRequestSchema>;

export const TargetProgressSchema = lazySchema(() => z.object({
    target: AdoptionTargetSchema,

    /** The metric's current value (null without any measurement yet). */
    current: z.number().nullable(),

    /** The absolute number to reach (a percent threshold resolved against its base). */
    goal: z.number().nullable(),

    /** current / goal, 0–100 (100 when met or when the goal is 0). */
    percent: z.number().min(0).max(100),
    status: z.enum(['met', 'on_track', 'overdue', 'unknown']),
}));
export type TargetProgress = z.infer<typeof TargetProgressSchema>;

export const TargetsResponseSchema = lazySchema(() => z.object({
    version: z.number().int().min(0),
    targets: z.array(AdoptionTargetSchema),
}));
export type TargetsResponse = z.infer<typeof TargetsResponseSchema>;

/**
 * One server-load sample, taken by the adoption job on every run: unexpired sessions and the
 * database's open connections (all nodes) against its max_connections. WebSocket connections are not
 * reachable from a plugin (each node keeps them in memory): Site Statistics and Prometheus show them.
 */
export const LoadSampleSchema = lazySchema(() => z.strictObject({
    taken_at: z.number().int().min(0),
    active_sessions: count,
    db_connections: count,
    db_max_connections: count,
}));
export type LoadSample = z.infer<typeof LoadSampleSchema>;

/** GET /api/v1/adoption */
export const AdoptionResponseSchema = lazySchema(() => z.object({
    /** The latest measurement (the job refreshes it); null only if none could be taken. */
    current: AdoptionSnapshotSchema.nullable(),

    /** Whether `current` comes from the cache (false: computed for this answer because none was cached). */
    cached: z.boolean(),

    /** Daily snapshots, oldest first, at most the last 90 days. */
    daily: z.array(AdoptionSnapshotSchema),
    targets_version: z.number().int().min(0),
    progress: z.array(TargetProgressSchema),

    /** Server-load samples, oldest first (the job's runs of the last 3 days); absent from answers of older plugin versions. */
    load: z.array(LoadSampleSchema).default([]),
}));
export type AdoptionResponse = z.infer<typeof AdoptionResponseSchema>;

/**
 * GET /api/v1/adoption/export?series=…: every table and series of the Adoption tab as CSV. daily: the
 * daily snapshots; load: the server-load samples; current: the latest numbers; targets: the targets
 * with their progress; waves: each wave's latest funnel and feedback; waves_daily: the same per day.
 */
export const ADOPTION_EXPORT_SERIES = ['daily', 'load', 'current', 'targets', 'waves', 'waves_daily'] as const;
export type AdoptionExportSeries = typeof ADOPTION_EXPORT_SERIES[number];
