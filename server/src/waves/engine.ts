import {describe, largestTeam, loadTargets, processBatch, type WelcomeContext} from './batch';
import {resolveCohort} from './cohort';
import {smtpConfigured} from './invitation';
import {invitationLinks} from './invitationVariables';
import {fileNewcomerAt, placeholderId, withoutOwnAccounts} from './newcomers';
import {recordPaceSample} from './pace';
import {newcomersOf, type ServerFacts, serverFactsOf} from './people';
import {profiledApi} from './profile';
import {batchEntries, queuedIds, queueReader, writeQueue, writeResults} from './queue';
import {
    absorbArrivals,
    checkpoint,
    finishIfDone,
    firstBatch,
    markResolved,
    mergeResults,
    nextBatch,
    nextBatchSize,
    nextPace,
    startIfDue,
    unqueued,
} from './runSteps';
import {listWaveIds, updateRun} from './store';
import {appLinks, usesGettingStarted, waveStart} from './welcomeVariables';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import {isHostError} from '../host/errors';
import {KvKeys, type StoredWave, type WaveRun} from '../kv/keys';
import {KvStore} from '../kv/store';

// The wave engine. One run (a job tick, or a start/tick request) takes the wave's cluster mutex, then
// works in batches: read the users of the next queue indexes in one call, provision the whole batch into
// each target team and channel with one batch call per target, welcome them exactly once (welcomeOnce.ts:
// one announcement write, one batch of DMs), write their results into the results shard, and only then
// move the cursor and the counts in the run record by compare-and-set: the checkpoint. A crash anywhere
// in a batch leaves the cursor where it was, so the batch runs again: memberships already made show as
// already there (the earlier result's `added` is kept), the announced welcomes are looked up before any
// second post, and the counts, written only with the cursor, never count a user twice.
//
// Where a batch's time goes is logged with every run (profile.ts): the Mattermost calls dominate
// (each membership and each DM is several database writes on the server), so the engine makes few
// host calls per batch and lets the host run a batch's per-user server calls side by side (batch.go).

export interface EngineOptions {
    now: () => number;

    /** Most users per batch (one checkpoint, at most 1,000); a run sizes its batches to fit the time it has left. */
    batchSize: number;

    /** A job run starts no batch it cannot finish within this (the host stops any call at 30 s). */
    timeBudgetMs: number;

    /** The same for the runs that follow a state change (start, resume, retry), so the answer comes back soon. Default: timeBudgetMs. */
    requestBudgetMs?: number;

    /** The job interval: a run may take users_per_second × (tickSeconds + the seconds it has run so far). */
    tickSeconds: number;
}

// The job waits tickSeconds after a run ends (cluster.MakeWaitForInterval), so a wave driven by the job
// alone works budget / (budget + tickSeconds) of the time: 3 s keeps that near 85 % (10 s gave 67 %),
// and an idle tick is a few KV reads.
export const defaultEngineOptions: EngineOptions = {
    now: () => Date.now(),
    batchSize: 250,
    timeBudgetMs: 20000,
    requestBudgetMs: 3000,
    tickSeconds: 3,
};

export const waveMutex = (waveId: string) => `wave-${waveId}`;

/** Member of the team/channel? (a left team membership has delete_at > 0). */
export function isMember(read: () => object): boolean {
    try {
        return ((read() as {delete_at?: number}).delete_at ?? 0) === 0;
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return false;
        }
        throw error;
    }
}

export interface RunReport {
    processed: number;
    state: WaveRun['state'];
}

/** One engine run for one wave, under its cluster mutex. */
export function runWave(context: HookContext, waveId: string, options: EngineOptions = defaultEngineOptions): RunReport {
    const {api} = context;

    // The time budget starts before the wait for the lock: a run that waited for another one must
    // still end well within the host's per-call limit (30 s), so a long wait leaves it less to do.
    const started = options.now();

    // Another run holds the wave (the job, a request, another node): wait at most half the budget for it.
    api.mutex.lockWithin(waveMutex(waveId), Math.floor(options.timeBudgetMs / 2));
    try {
        if (options.now() - started >= options.timeBudgetMs) {
            const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
            return {processed: 0, state: run?.state ?? 'draft'};
        }
        return runLocked(context, waveId, options, started);
    } finally {
        api.mutex.unlock(waveMutex(waveId));
    }
}

/** A scheduled wave whose start time has come starts. */
function startIfDueStep(kv: KvStore, waveId: string, run: WaveRun, now: number): WaveRun {
    return startIfDue(run, now) === run ? run : updateRun(kv, waveId, (current) => startIfDue(current, now));
}

/**
 * The cohort, resolved once into the queue (a crash before the run record says so resolves it again,
 * into the same slots): the accounts by user id, then the file's newcomers as placeholders `row:<line>`
 * (newcomers.ts) when the wave creates or invites them. Rows the server would refuse queue nothing.
 */
function resolveCohortStep(context: HookContext, waveId: string, stored: StoredWave, run: WaveRun): WaveRun {
    if (run.resolved) {
        return run;
    }
    const {definition} = stored;
    const cohort = resolveCohort(context.api, definition.cohort, {newcomers: newcomersOf(definition), facts: serverFactsOf(context.api)});
    const ids = [...cohort.users.map((user) => user.id), ...cohort.newcomers.map((person) => placeholderId(person.line))];
    writeQueue(context.kv, waveId, 0, ids);
    const resolved = updateRun(context.kv, waveId, (current) => markResolved(current, ids.length));
    context.log.info('Wave cohort resolved', {
        waveId,
        users: cohort.users.length,
        newcomers: cohort.newcomers.length,
        csvProblems: cohort.csvProblems.length,
    });
    return resolved;
}

/** Rolling arrivals move from `pending` to the end of the queue, each user once (a create wave's own accounts are queued already). */
function absorbArrivalsStep(context: HookContext, waveId: string, stored: StoredWave, run: WaveRun): WaveRun {
    const {api, kv} = context;
    if (run.pending.length === 0) {
        return run;
    }
    const taken = run.pending.length;
    const fresh = unqueued(queuedIds(kv, waveId, run.queue_len), run.pending);
    const arrivals = newcomersOf(stored.definition).mode === 'create' ? withoutOwnAccounts(api, waveId, fresh) : fresh;
    writeQueue(kv, waveId, run.queue_len, arrivals);
    return updateRun(kv, waveId, (current) => absorbArrivals(current, taken, arrivals.length));
}

/** The batches, each checkpointed, until the time budget or the throttle ends the run or the queue is done. */
function batchesStep(
    context: HookContext,
    waveId: string,
    stored: StoredWave,
    start: WaveRun,
    options: EngineOptions,
    started: number,
): {run: WaveRun; processed: number} {
    const {api, kv} = context;
    const botId = botUserId(kv);
    const targets = loadTargets(api, stored);
    const config = api.config.get();

    // The server's facts are read only when a batch meets a newcomer.
    let facts: ServerFacts | null = null;
    const welcomeContext: WelcomeContext = {
        startAt: waveStart(start, started),
        now: started,
        links: usesGettingStarted(stored.definition.welcome.template) ? appLinks(config) : {desktop: '', mobile: ''},
        config,
        smtp: smtpConfigured(config),
        invitationLinks: invitationLinks(config, targets.teams[0]?.inviteId ?? ''),
        personAt: fileNewcomerAt(stored.definition, () => {
            facts = facts ?? serverFactsOf(api);
            return facts;
        }),
    };
    const userIdAt = queueReader(kv, waveId);
    let run = start;
    let processed = 0;

    // Time per user: the wave's last measured pace, then this run's own batches.
    let paceMs = run.pace_ms ?? 0;
    let lastBatch = firstBatch / 2;
    for (;;) {
        const size = nextBatchSize({
            elapsedMs: options.now() - started,
            budgetMs: options.timeBudgetMs,
            processed,
            paceMs,
            lastBatch,
            usersPerSecond: stored.definition.throttle.users_per_second,
            tickSeconds: options.tickSeconds,
            batchSize: options.batchSize,
        });
        if (size === null) {
            break;
        }

        // An admin may have paused or cancelled the wave since the last checkpoint.
        const latest = kv.readVersioned(KvKeys.waveRun(waveId)).value;
        if (latest === undefined || latest.state !== 'running') {
            run = latest ?? run;
            break;
        }
        run = latest;
        const {indexes, isRetry} = nextBatch(run, size);
        if (indexes.length === 0) {
            const now = options.now();
            run = updateRun(kv, waveId, (current) => finishIfDone(current, now));
            break;
        }
        const batchStarted = options.now();
        const entries = batchEntries(kv, waveId, indexes, userIdAt);
        const announced = new Set(run.welcoming ?? []);
        const outcomes = processBatch(context, waveId, stored, targets, botId, entries, announced, welcomeContext);
        const {batch, delta} = mergeResults(entries, outcomes, announced, isRetry, options.now);
        writeResults(kv, waveId, batch);
        const batchMs = options.now() - batchStarted;
        paceMs = nextPace(paceMs, batchMs / batch.length);
        const done = {batch, delta, isRetry, paceMs, batchMs};
        const now = options.now();
        run = updateRun(kv, waveId, (current) => checkpoint(current, done, now));
        recordPaceSample(kv, {members: largestTeam(targets) + processed, ms_per_user: batchMs / batch.length, users: batch.length});
        processed += batch.length;
        lastBatch = batch.length;
    }
    return {run, processed};
}

function runLocked(outer: HookContext, waveId: string, options: EngineOptions, started: number): RunReport {
    // Every API call of the run is timed: the run's log line says where its time went.
    const wallStart = Date.now();
    const profile = profiledApi(outer.api, Date.now);
    const context: HookContext = {api: profile.api, kv: new KvStore(profile.api.kv), log: outer.log};
    const {kv} = context;
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    const first = kv.readVersioned(KvKeys.waveRun(waveId)).value;
    if (!stored || !first) {
        return {processed: 0, state: first?.state ?? 'draft'};
    }
    let run = startIfDueStep(kv, waveId, first, started);
    if (run.state !== 'running') {
        return {processed: 0, state: run.state};
    }
    run = resolveCohortStep(context, waveId, stored, run);
    run = absorbArrivalsStep(context, waveId, stored, run);
    const batches = batchesStep(context, waveId, stored, run, options, started);
    run = batches.run;
    const now = options.now();
    if (finishIfDone(run, now) !== run) {
        run = updateRun(kv, waveId, (current) => finishIfDone(current, now));
    }
    if (batches.processed > 0) {
        context.log.info('Wave run', {
            waveId,
            processed: batches.processed,
            ms: options.now() - started,
            cursor: run.cursor,
            total: run.queue_len,
            state: run.state,
            ...profile.fields(Date.now() - wallStart),
        });
    }
    return {processed: batches.processed, state: run.state};
}

/**
 * The job: every wave that is running (or due), one after the other, sharing the job's time budget
 * evenly; a failing wave does not stop the others.
 */
export function runDueWaves(context: HookContext, options: EngineOptions = defaultEngineOptions): void {
    const started = options.now();
    const due = listWaveIds(context.kv).filter((waveId) => {
        const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
        return run !== undefined && (run.state === 'running' || run.state === 'scheduled');
    });
    for (const [i, waveId] of due.entries()) {
        const left = options.timeBudgetMs - (options.now() - started);
        if (left <= 0) {
            break;
        }
        try {
            runWave(context, waveId, {...options, timeBudgetMs: left / (due.length - i)});
        } catch (error) {
            if (isHostError(error) && error.id === 'cockpit.host.mutex_timeout') {
                // A request (tick, start) or another node is running this wave right now: nothing is wrong.
                context.log.info('Wave busy; the job leaves it to the run holding it', {waveId});
                continue;
            }
            context.log.error('Wave run failed; it resumes on the next tick', {waveId, error: describe(error)});
        }
    }
}
