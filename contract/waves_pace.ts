import {z} from 'zod';

import {lazySchema} from './lazy';

// How fast a wave goes: the running wave's measured pace and time left (in its progress), and the dry
// run's estimate and advice. Kept in their own file; contract/waves.ts re-exports them.

/** The measured pace of a wave and what it leaves: part of every progress answer. */
export interface WavePace {

    /** Milliseconds per user, measured from this wave's own progress; null until its first batch. */
    ms_per_user: number | null;

    /** The users that measurement covers. */
    measured_users: number;

    /** Users still to do: the queue past the cursor, the retries and the waiting arrivals. */
    remaining: number;

    /** Milliseconds the remaining users take at the measured pace; null without a pace. */
    eta_ms: number | null;
}

export const WavePaceSchema: z.ZodType<WavePace> = lazySchema(() => z.object({
    ms_per_user: z.number().nullable(),
    measured_users: z.number(),
    remaining: z.number(),
    eta_ms: z.number().nullable(),
}));

/**
 * The engine's cost per user on this server: `base_ms` plus `per_member_ms` for each member the target
 * team already has (every join makes system posts whose notification pass reads every member). Learned
 * from the batches of this server's waves; until there are any, `source` is `default`: the figures
 * measured on the project's benchmark machine (README, Waves at scale).
 */
export interface PaceModel {
    base_ms: number;
    per_member_ms: number;
    source: 'learned' | 'default';

    /** Batches it was learned from (0 for the default). */
    samples: number;
}

export const PaceModelSchema: z.ZodType<PaceModel> = lazySchema(() => z.object({
    base_ms: z.number(),
    per_member_ms: z.number(),
    source: z.enum(['learned', 'default']),
    samples: z.number(),
}));

/** The dry run's estimate of the wave's duration. */
export interface WaveEstimate {

    /** Users the estimate covers (the eligible cohort). */
    users: number;

    /** Members of the largest target team now (0 without target teams). */
    team_members: number;
    model: PaceModel;

    /** Milliseconds at the model's pace, or at the wave's throttle when that is slower. */
    ms: number;

    /** The throttle (users per second) sets the pace, not the server. */
    throttled: boolean;
}

export const WaveEstimateSchema: z.ZodType<WaveEstimate> = lazySchema(() => z.object({
    users: z.number(),
    team_members: z.number(),
    model: PaceModelSchema,
    ms: z.number(),
    throttled: z.boolean(),
}));

/**
 * A server setting that makes waves cheaper, as measured: shown with a link to the System Console page
 * holding it; the plugin never changes it. `join_leave_messages`: with
 * ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages on, every team join posts "added to
 * the team" in town-square and "added to the channel" in off-topic.
 */
export interface WaveAdvice {
    id: 'join_leave_messages';

    /** The setting's name in config.json. */
    setting: string;

    /** Measured share of the wave's time it saves, in percent. */
    saving_percent: number;

    /** The System Console page, relative to the site URL. */
    console_path: string;
}

export const WaveAdviceSchema: z.ZodType<WaveAdvice> = lazySchema(() => z.object({
    id: z.enum(['join_leave_messages']),
    setting: z.string(),
    saving_percent: z.number(),
    console_path: z.string(),
}));

/** What the dry run adds about time: the estimate and the advice (absent from servers without them). */
export interface DryRunPace {
    estimate?: WaveEstimate;
    advice?: WaveAdvice[];
}
