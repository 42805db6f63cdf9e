import type {Outcome, UserResult, WaveCounts} from 'contract/waves';

import {pacedAfter} from './pace';
import {waveTransition} from './status';
import {emptyCounts, shardOf} from './store';

import {waveShardSize, type WaveRun} from '../kv/keys';

// The engine run's steps as pure functions of the run record (state in, state out): start if due,
// the resolved cohort, absorbing rolling arrivals, the next batch's size and indexes, merging a
// batch's outcomes with the earlier attempt's results, the checkpoint and the finish. engine.ts
// reads and writes the records around them; every state change is one of status.ts.

/** A run's first batch is at most this big, each next one at most twice the one before: a pace measured
 * under a lighter load must not start a batch that outlives the host's 30 s call limit. */
export const firstBatch = 25;

/** Batches are sized to end within this share of the time left: their time per user varies with the server's load. */
const batchMargin = 0.6;

/**
 * A run that has done something ends rather than start a batch the time left cuts below this: the host
 * works a batch's users 8 at a time (batch.go), so a smaller batch leaves workers idle, and the next
 * run (the next tick, or the job a few seconds later) starts with a whole budget. (Runs that shrank
 * their batches to the time left were seen doing 25, 33, 13, 4, 2 users.)
 */
const minUsefulBatch = 8;

/** Most users in one batch, whatever the options say: one results shard is written per checkpoint. */
const maxBatch = 1000;

/** A scheduled wave whose start time has come runs from now on; any other run is returned as it is. */
export function startIfDue(run: WaveRun, now: number): WaveRun {
    const next = run.start_at !== null && run.start_at <= now ? waveTransition(run.state, 'due') : null;
    return next === null ? run : {...run, state: next, started_at: run.started_at ?? now};
}

/** The cohort has been resolved into the queue's first `queueLen` positions. */
export function markResolved(run: WaveRun, queueLen: number): WaveRun {
    return {...run, resolved: true, queue_len: queueLen};
}

/** The arrivals not in `queued`, each once: a user is queued (and so welcomed) at most once per wave. */
export function unqueued(queued: Iterable<string>, arrivals: readonly string[]): string[] {
    const seen = new Set(queued);
    const fresh: string[] = [];
    for (const userId of arrivals) {
        if (!seen.has(userId)) {
            seen.add(userId);
            fresh.push(userId);
        }
    }
    return fresh;
}

/** A rolling arrival waits in `pending` for the engine's next run; a completed wave reopens for it. */
export function addArrival(run: WaveRun, userId: string): WaveRun {
    const reopened = waveTransition(run.state, 'reopen');
    return {...run, pending: [...run.pending, userId], ...(reopened === null ? {} : {state: reopened, finished_at: null})};
}

/**
 * The first `taken` pending arrivals were handled and `added` of them queued at the end of the queue.
 * Hooks only append to `pending`, so its first `taken` entries are the ones just handled. New users
 * reopen a completed wave.
 */
export function absorbArrivals(run: WaveRun, taken: number, added: number): WaveRun {
    const pending = run.pending.slice(taken);
    if (added === 0) {
        return {...run, pending};
    }
    return {...run, pending, queue_len: run.queue_len + added, state: waveTransition(run.state, 'reopen') ?? run.state, finished_at: null};
}

export interface BatchBudget {

    /** Milliseconds since the run started (the wait for the wave's lock included). */
    elapsedMs: number;
    budgetMs: number;

    /** Users this run has processed so far. */
    processed: number;

    /** Milliseconds per user measured so far; 0 = not measured yet. */
    paceMs: number;

    /** The size of the run's previous batch (half of firstBatch before the first). */
    lastBatch: number;
    usersPerSecond: number;
    tickSeconds: number;

    /** The options' batch size. */
    batchSize: number;
}

/** How many users the next batch takes, or null: the run ends here. */
export function nextBatchSize(budget: BatchBudget): number | null {
    const {elapsedMs, budgetMs, processed, paceMs} = budget;

    // The throttle: a tick's worth at once, then users_per_second for every second the run goes on.
    const allowance = Math.max(1, Math.floor(budget.usersPerSecond * (budget.tickSeconds + (elapsedMs / 1000)))) - processed;
    if (allowance <= 0 || elapsedMs >= budgetMs) {
        return null;
    }
    const size = Math.min(budget.batchSize, maxBatch, allowance, 2 * budget.lastBatch);
    if (paceMs <= 0) {
        return size;
    }

    // Start only a batch that ends within the budget: the host ends any call at 30 s, mid-batch.
    const fits = Math.floor((batchMargin * (budgetMs - elapsedMs)) / paceMs);
    if (processed > 0 && fits < Math.min(size, minUsefulBatch)) {
        return null;
    }
    if (Math.min(size, fits) >= 1) {
        return Math.min(size, fits);
    }

    // Not even one user fits. A run that has done nothing still takes one while it has half its
    // budget left, so a wave slower than the budget per user still moves.
    return processed > 0 || elapsedMs > budgetMs / 2 ? null : 1;
}

/**
 * The queue indexes of the next batch: the retry list first, else from the cursor. A cursor batch
 * stays within one results shard, so it reads and writes one shard.
 */
export function nextBatch(run: WaveRun, size: number): {indexes: number[]; isRetry: boolean} {
    if (run.retry.length > 0) {
        return {indexes: run.retry.slice(0, size), isRetry: true};
    }
    const {cursor} = run;
    const length = Math.max(0, Math.min(size, run.queue_len - cursor, ((shardOf(cursor) + 1) * waveShardSize) - cursor));
    return {indexes: Array.from({length}, (_, i) => cursor + i), isRetry: false};
}

/** One user of a batch. */
export interface BatchEntry {
    index: number;
    userId: string;

    /** This index's result from an earlier attempt (a crashed batch, or a retried failure). */
    before: UserResult | undefined;
}

/** What processing one user came to. */
export interface Processed {
    outcome: Outcome;
    reason: string;
    welcome: UserResult['welcome'];
    username: string;
    invitation?: UserResult['invitation'];

    /** The account's id when it is not the queued one: a placeholder's account, or '' for a person who has none. */
    userId?: string;

    /** The file's email of a person who had no account when the wave reached them. */
    email?: string;
}

export const hasWelcome = (result: UserResult | undefined) => result?.welcome === 'sent' || result?.welcome === 'already_sent';

/** The queued id as a user id: a placeholder (`row:<line>`, newcomers.ts) is nobody's yet. */
const accountOf = (queued: string) => (queued.includes(':') ? '' : queued);

/** A user the batch returned nothing for is recorded failed, so retry-failed takes them again. */
const noOutcome: Processed = {outcome: 'failed', reason: 'no outcome recorded', welcome: 'not_sent', username: ''};

export function addCounts(a: WaveCounts, b: WaveCounts): WaveCounts {
    return {
        added: a.added + b.added,
        already_member: a.already_member + b.already_member,

        // Run records written before waves made accounts have neither (their records are not re-parsed).
        created: (a.created ?? 0) + (b.created ?? 0),
        invited: (a.invited ?? 0) + (b.invited ?? 0),
        skipped: a.skipped + b.skipped,
        failed: a.failed + b.failed,
        welcomed: a.welcomed + b.welcomed,
    };
}

/**
 * The batch's results and what they add to the counts. A batch run again after a crash before its
 * checkpoint redid what the earlier attempt did: what that attempt achieved is kept (a failed user's
 * partial memberships count as added too). `clock` stamps each result.
 */
export function mergeResults(
    entries: readonly BatchEntry[],
    outcomes: ReadonlyMap<number, Processed>,
    announced: ReadonlySet<string>,
    isRetry: boolean,
    clock: () => number,
): {batch: UserResult[]; delta: WaveCounts} {
    const batch: UserResult[] = [];
    const delta = emptyCounts();
    for (const entry of entries) {
        const result = outcomes.get(entry.index) ?? noOutcome;
        const {before} = entry;
        const outcome = before?.outcome === 'added' && result.outcome === 'already_member' ? 'added' : result.outcome;
        const welcome = before?.welcome === 'sent' && result.welcome === 'already_sent' ? 'sent' : result.welcome;
        const entryResult: UserResult = {
            index: entry.index,
            user_id: result.userId ?? accountOf(entry.userId),
            username: result.username,
            ...(result.email ? {email: result.email} : {}),
            outcome,
            reason: result.reason,
            welcome,
            at: clock(),
            attempts: (before?.attempts ?? 0) + 1,
            ...(result.invitation ?
                {invitation: before?.invitation === 'sent' && result.invitation === 'already_sent' ? 'sent' : result.invitation} :
                {}),
        };
        batch.push(entryResult);
        delta[outcome] += 1;
        delta.welcomed += hasWelcome(entryResult) ? 1 : 0;
        if (isRetry) {
            // Only users counted as failed are in the retry list, and they stay counted so until this
            // checkpoint (whatever a crashed earlier retry wrote into the shard): take that failure back,
            // and their welcome if it was counted then (a failed invitation after the DM): a welcome
            // recorded but still announced comes from an attempt that never reached its checkpoint. (A
            // placeholder's welcome was announced under its account's id, which its result holds.)
            delta.failed -= 1;
            delta.welcomed -= hasWelcome(before) && !announced.has(before?.user_id || entry.userId) ? 1 : 0;
        }
    }
    return {batch, delta};
}

/** The pace follows the server's load, leaning on the latest batch. */
export function nextPace(paceMs: number, batchPaceMs: number): number {
    return paceMs > 0 ? (paceMs + (2 * batchPaceMs)) / 3 : batchPaceMs;
}

export interface BatchDone {
    batch: readonly UserResult[];
    delta: WaveCounts;
    isRetry: boolean;
    paceMs: number;

    /** The batch's own milliseconds (the wave's measured pace, pace.ts). */
    batchMs: number;
}

/**
 * The checkpoint: cursor (or retry list) and counts move together, or not at all; the welcomes now
 * recorded in the results are no longer in flight.
 */
export function checkpoint(run: WaveRun, done: BatchDone, now: number): WaveRun {
    const indexes = new Set(done.batch.map((entry) => entry.index));
    const confirmed = new Set(done.batch.filter(hasWelcome).map((entry) => entry.user_id));
    return {
        ...run,
        cursor: done.isRetry ? run.cursor : Math.max(run.cursor, ...done.batch.map((entry) => entry.index + 1)),
        retry: done.isRetry ? run.retry.filter((index) => !indexes.has(index)) : run.retry,
        counts: addCounts(run.counts, done.delta),
        welcoming: (run.welcoming ?? []).filter((userId) => !confirmed.has(userId)),
        pace_ms: done.paceMs,
        paced: pacedAfter(run.paced, run.last_tick_at, done.batch.length, done.batchMs, now),
        last_tick_at: now,
    };
}

/** A running wave with every queued user done, nothing to retry and no arrival waiting is complete. */
export function finishIfDone(run: WaveRun, now: number): WaveRun {
    if (run.cursor < run.queue_len || run.retry.length > 0 || run.pending.length > 0) {
        return run;
    }
    const next = waveTransition(run.state, run.counts.failed > 0 ? 'finish_with_failures' : 'finish');
    return next === null ? run : {...run, state: next, finished_at: now};
}
