import {z} from 'zod';

import {lazySchema} from './lazy';
import {SizingPlanSchema, type SizingPlan} from './sizing';

// Results of Mattermost's own load-test tool (mattermost/mattermost-load-test-ng) uploaded as files and
// kept as a history of runs, measured against the planned concurrent users of the plan's saved sizing
// (contract/sizing.ts, SizingPlanSchema). The server parses the files (server/src/loadtest/parse.ts names the tool's
// source files each format comes from); the webapp sends the file's text.

/** The largest result file accepted: the tool's files are a few kilobytes; a report with graphs is not a result. */
export const LOAD_TEST_FILE_MAX_BYTES = 256 * 1024;

/** How many runs one page of the history shows (newest first). */
export const LOAD_TEST_HISTORY_PAGE = 50;

/**
 * Which of the tool's outputs a file was:
 * - `coordinator_status`: the coordinator API's status answer (`{"status": {…}}`) or a bare coordinator.Status;
 * - `ltctl_status`: the text `ltctl loadtest status` prints;
 * - `comparison`: the comparison.json `ltctl comparison run --format json` writes (unbounded runs only).
 */
export const LoadTestFormatSchema = lazySchema(() => z.enum(['coordinator_status', 'ltctl_status', 'comparison']));
export type LoadTestFormat = z.infer<typeof LoadTestFormatSchema>;

/** What a result file says, once parsed. */
export const LoadTestMeasurementSchema = lazySchema(() => z.strictObject({
    format: LoadTestFormatSchema,

    /** The coordinator's answer: the most concurrently active users the target supported. */
    supported_users: z.number().int().min(0),

    /** Start and stop of the run (ms), when the file has them. */
    started_at: z.number().nullable(),
    stopped_at: z.number().nullable(),
    num_errors: z.number().int().min(0).nullable(),

    /** The comparison's label of the run (e.g. "base"), or null. */
    label: z.string().nullable(),
}));
export type LoadTestMeasurement = z.infer<typeof LoadTestMeasurementSchema>;

/** One uploaded run, as stored (written once). */
export const LoadTestRunSchema = lazySchema(() => LoadTestMeasurementSchema.extend({
    seq: z.number().int().min(1),
    uploaded_at: z.number(),
    uploaded_by: z.string(),
    file_name: z.string(),

    /** The target when the run was uploaded, for the history (0 = none was set). */
    target_at_upload: z.number().int().min(0),
}));
export type LoadTestRun = z.infer<typeof LoadTestRunSchema>;

/**
 * Whether the newest run reaches the target: `reached` verifies the load-test task; `below` fails it;
 * `no_run` and `no_target` leave it unverified.
 */
export const LoadTestVerdictSchema = lazySchema(() => z.strictObject({
    state: z.enum(['no_target', 'no_run', 'below', 'reached']),
    supported_users: z.number().int().nullable(),
    concurrent_users: z.number().int().nullable(),
    run_seq: z.number().int().nullable(),

    /** The UTC day the newest run was measured (its stop, else its upload): its evidence expires from then. */
    measured_on: z.string().nullable(),
}));
export type LoadTestVerdict = z.infer<typeof LoadTestVerdictSchema>;

/** The newest run counts: a later run on changed hardware replaces the earlier answer, better or worse. */
export function loadTestVerdict(target: SizingPlan | null, newest: LoadTestRun | null): LoadTestVerdict {
    const concurrent = target && target.concurrent_users > 0 ? target.concurrent_users : null;
    const supported = newest?.supported_users ?? null;
    const runSeq = newest?.seq ?? null;
    const measuredOn = newest ? new Date(newest.stopped_at ?? newest.uploaded_at).toISOString().slice(0, 10) : null;
    if (concurrent === null) {
        return {state: 'no_target', supported_users: supported, concurrent_users: null, run_seq: runSeq, measured_on: measuredOn};
    }
    if (supported === null) {
        return {state: 'no_run', supported_users: null, concurrent_users: concurrent, run_seq: null, measured_on: null};
    }
    return {
        state: supported >= concurrent ? 'reached' : 'below',
        supported_users: supported,
        concurrent_users: concurrent,
        run_seq: runSeq,
        measured_on: measuredOn,
    };
}

/** GET /api/v1/loadtest: the plan's saved sizing (PUT /api/v1/sizing sets it), the verdict and the newest runs. */
export const LoadTestOverviewSchema = lazySchema(() => z.object({
    target: SizingPlanSchema.nullable(),
    verdict: LoadTestVerdictSchema,
    runs: z.array(LoadTestRunSchema),
    total_runs: z.number().int().min(0),
}));
export type LoadTestOverview = z.infer<typeof LoadTestOverviewSchema>;

/** POST /api/v1/loadtest/runs: one result file, as text. Its size is checked by the handler, to answer with a clear id. */
export const LoadTestUploadSchema = lazySchema(() => z.strictObject({
    file_name: z.string().trim().min(1).max(255),
    content: z.string(),
}));

export const LoadTestUploadAnswerSchema = lazySchema(() => z.object({run: LoadTestRunSchema, overview: LoadTestOverviewSchema}));
