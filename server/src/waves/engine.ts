import {describe, largestTeam, loadTargets, processBatch, type WelcomeContext} from './batch';
import {arrivalsInCohortLanguages, inCohortLanguages, resolveCohort} from './cohort';
import {smtpConfigured} from './invitation';
import {invitationLinks} from './invitationVariables';
import {fileNewcomerAt, placeholderId, withoutOwnAccounts} from './newcomers';
import {pacedAfter, recordPaceSample} from './pace';
import {newcomersOf, type ServerFacts, serverFactsOf} from './people';
import {profiledApi} from './profile';
import {batchEntries, queuedIds, queueReader, writeQueue, writeResults} from './queue';
import {
    absorbArrivals,
    addCounts,
    checkpoint,
    finishIfDone,
    firstBatch,
    hasWelcome,
    markResolved,
    mergeResults,
    nextBatchSize,
    nextPace,
    startIfDue,
    unqueued,
} from './runSteps';
import {
    checkpointedIn,
    defaultShardSize,
    finishWithShards,
    hasWork,
    layoutOf,
    readShard,
    readShards,
    releaseWelcomes,
    ShardLost,
    shardMutex,
    shardRange,
    shardsOf,
    updateShard,
    withLayout,
} from './shards';
import {listWaveIds, newRun, shardOf, updateRun} from './store';
import {appLinks, usesGettingStarted, waveStart} from './welcomeVariables';

import type {HookContext} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {isHostError} from '../host/errors';
import {serverLocale} from '../i18n/messages';
import {KvKeys, type StoredWave, type WaveRun, waveShardSize} from '../kv/keys';
import {KvStore} from '../kv/store';

// The wave engine. One run (a job tick on any node, or a start/tick request) first takes the wave's
// cluster mutex for the wave's own steps: start when due, resolve the cohort, queue arrivals, run the
// retry list, finish. Then it works the queue's work shards (shards.ts) whose cluster locks are free,
// so every node of a cluster works its own part of the wave. Each shard is worked in batches: read the
// users of the next queue indexes in one call, provision the whole batch into each target team and
// channel with one batch call per target, welcome them exactly once (welcomeOnce.ts: one announcement
// write, one batch of DMs), write their results into the results shard, and only then move the shard's
// cursor and counts in its record by compare-and-set: the checkpoint. A crash anywhere in a batch
// leaves the cursor where it was, so the batch runs again (on this node or, once the lock expires, on
// another): memberships already made show as already there (the earlier result's `added` is kept), the
// announced welcomes are looked up before any second post, and the counts, written only with the
// cursor, never count a user twice.
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

    /** Queue indexes per work shard for waves that start sharding now (shards.ts; default defaultShardSize). */
    shardSize?: number;
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

/** The host's answer when a cluster lock stayed taken for the whole wait. */
const mutexTimeoutId = 'cockpit.host.mutex_timeout';

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

/**
 * One engine run for one wave on this node: the wave's own steps under its cluster mutex (start when due,
 * the cohort, arrivals, the retry list, the finish), then the work shards whose locks are free.
 */
export function runWave(outer: HookContext, waveId: string, options: EngineOptions = defaultEngineOptions): RunReport {
    // The time budget starts before the wait for the lock: a run that waited for another one must
    // still end well within the host's per-call limit (30 s), so a long wait leaves it less to do.
    const started = options.now();

    // Every API call of the run is timed: the run's log line says where its time went.
    const wallStart = Date.now();
    const profile = profiledApi(outer.api, Date.now);
    const context: HookContext = {api: profile.api, kv: new KvStore(profile.api.kv), log: outer.log};
    const {api, kv} = context;

    // Another run holds the wave (the job, a request, another node): wait at most half the budget for it.
    api.mutex.lockWithin(waveMutex(waveId), Math.floor(options.timeBudgetMs / 2));
    let control: Control | null = null;
    try {
        if (options.now() - started < options.timeBudgetMs) {
            control = controlStep(context, waveId, options, started);
        }
    } finally {
        api.mutex.unlock(waveMutex(waveId));
    }
    if (control === null || control.work === null) {
        const run = control?.run ?? kv.readVersioned(KvKeys.waveRun(waveId)).value;
        return {processed: 0, state: run?.state ?? 'draft'};
    }
    const {run: controlled, work} = control;
    let run = controlled;
    if (run.state === 'running') {
        shardsStep(work.run, run, work.pacer);
        if (work.pacer.processed > 0) {
            run = finishAfterShards(context, waveId, options.now()) ?? run;
        }
    }
    if (work.pacer.processed > 0) {
        context.log.info('Wave run', {
            waveId,
            processed: work.pacer.processed,
            ms: options.now() - started,
            total: run.queue_len,
            state: run.state,
            ...profile.fields(Date.now() - wallStart),
        });
    }
    return {processed: work.pacer.processed, state: run.state};
}

interface Control {
    run: WaveRun;

    /** What the run's batches need; null when the wave does not run. */
    work: {run: RunContext; pacer: Pacer} | null;
}

/** The wave's own steps, under its lock: the shards' work needs none of it but the layout. */
function controlStep(context: HookContext, waveId: string, options: EngineOptions, started: number): Control {
    const {kv} = context;
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    const first = kv.readVersioned(KvKeys.waveRun(waveId)).value;
    if (!stored || !first) {
        return {run: first ?? newRun(), work: null};
    }
    let run = startIfDueStep(kv, waveId, first, started);
    if (run.state !== 'running') {
        return {run, work: null};
    }
    run = resolveCohortStep(context, waveId, stored, run);
    run = absorbArrivalsStep(context, waveId, stored, run);
    if (run.shard_size === undefined) {
        run = updateRun(kv, waveId, (current) => withLayout(current, options.shardSize ?? defaultShardSize));
    }
    const runContext = runContextOf(context, waveId, stored, run, options, started);
    const pacer = new Pacer(runContext, run.pace_ms ?? 0);
    run = retryStep(runContext, run, pacer);
    run = finishStep(context, waveId, run, options.now());
    return {run, work: {run: runContext, pacer}};
}

/** The finish once this run's shards are done, if the wave's lock is free now (else a later run finishes). */
function finishAfterShards(context: HookContext, waveId: string, now: number): WaveRun | undefined {
    const {api, kv} = context;
    try {
        api.mutex.lockWithin(waveMutex(waveId), 1);
    } catch (error) {
        if (isHostError(error) && error.id === mutexTimeoutId) {
            return undefined;
        }
        throw error;
    }
    try {
        const run = kv.readVersioned(KvKeys.waveRun(waveId)).value;
        return run === undefined ? undefined : finishStep(context, waveId, run, now);
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
    const serverDefault = serverLocale(context.api.config.get());
    const users = inCohortLanguages(definition.cohort, cohort.users, serverDefault);
    const newcomers = inCohortLanguages(definition.cohort, cohort.newcomers, serverDefault);
    const ids = [...users.kept.map((user) => user.id), ...newcomers.kept.map((person) => placeholderId(person.line))];
    writeQueue(context.kv, waveId, 0, ids);
    const resolved = updateRun(context.kv, waveId, (current) => markResolved(current, ids.length));
    context.log.info('Wave cohort resolved', {
        waveId,
        users: users.kept.length,
        newcomers: newcomers.kept.length,
        outsideLanguages: users.outside + newcomers.outside,
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
    const notOwn = newcomersOf(stored.definition).mode === 'create' ? withoutOwnAccounts(api, waveId, fresh) : fresh;
    const arrivals = arrivalsInCohortLanguages(api, stored.definition.cohort, serverLocale(api.config.get()), notOwn);
    writeQueue(kv, waveId, run.queue_len, arrivals);
    return updateRun(kv, waveId, (current) => absorbArrivals(current, taken, arrivals.length));
}

/** A `welcoming` list with more users announced, each once. */
const withAnnounced = (welcoming: readonly string[] | undefined, userIds: readonly string[]) =>
    [...new Set([...(welcoming ?? []), ...userIds])];

/** What a run reads once for all its batches (retry and shard ones alike). */
interface RunContext {
    context: HookContext;
    waveId: string;
    stored: StoredWave;
    targets: ReturnType<typeof loadTargets>;
    botId: string;
    welcomeContext: WelcomeContext;
    userIdAt: (index: number) => string;
    options: EngineOptions;
    started: number;
}

function runContextOf(
    context: HookContext,
    waveId: string,
    stored: StoredWave,
    run: WaveRun,
    options: EngineOptions,
    started: number,
): RunContext {
    const {api, kv} = context;
    const targets = loadTargets(api, stored);
    const config = api.config.get();

    // The server's facts are read only when a batch meets a newcomer.
    let facts: ServerFacts | null = null;
    const welcomeContext: WelcomeContext = {
        startAt: waveStart(run, started),
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
    return {context, waveId, stored, targets, botId: botUserId(kv), welcomeContext, userIdAt: queueReader(kv, waveId), options, started};
}

/** The run's batch sizes and pace: each batch sized to the time left (runSteps.ts nextBatchSize). */
class Pacer {
    processed = 0;
    private lastBatch = firstBatch / 2;

    constructor(private readonly run: RunContext, public paceMs: number) {}

    nextSize(): number | null {
        const {options, started, stored} = this.run;
        return nextBatchSize({
            elapsedMs: options.now() - started,
            budgetMs: options.timeBudgetMs,
            processed: this.processed,
            paceMs: this.paceMs,
            lastBatch: this.lastBatch,
            usersPerSecond: stored.definition.throttle.users_per_second,
            tickSeconds: options.tickSeconds,
            batchSize: options.batchSize,
        });
    }

    /** A batch done: the next batch's size follows its pace, and this server's pace samples keep it (pace.ts). */
    done(users: number, ms: number): void {
        const {context, targets} = this.run;
        recordPaceSample(context.kv, {members: largestTeam(targets) + this.processed, ms_per_user: ms / users, users});
        this.paceMs = nextPace(this.paceMs, ms / users);
        this.processed += users;
        this.lastBatch = users;
    }
}

/** One batch's users processed and merged with their earlier results, written into the results shards: what to checkpoint. */
function runBatch(
    run: RunContext,
    indexes: number[],
    isRetry: boolean,
    announced: Set<string>,
    announce: (ids: readonly string[]) => void,
) {
    const {context, waveId, options} = run;
    const entries = batchEntries(context.kv, waveId, indexes, run.userIdAt);
    const announcements = {
        has: (userId: string) => announced.has(userId),
        announce,
    };
    const outcomes = processBatch(context, waveId, run.stored, run.targets, run.botId, entries, announcements, run.welcomeContext);
    const merged = mergeResults(entries, outcomes, announced, isRetry, options.now);
    writeResults(context.kv, waveId, merged.batch);
    return merged;
}

/**
 * The retry list's batches, under the wave's lock, checkpointed into the run record as before sharding.
 * Only indexes whose result is checkpointed are taken (an index at or past its shard's cursor may be in
 * a batch another node is still running; it waits for the next run). The shards' announced welcomes of
 * the retried users move into the run record first, so the retry looks before posting to them.
 */
function retryStep(run: RunContext, start: WaveRun, pacer: Pacer): WaveRun {
    const {context, waveId, options} = run;
    const {kv} = context;
    let current = start;
    for (;;) {
        if (current.state !== 'running' || current.retry.length === 0) {
            return current;
        }
        const checkpointed = checkpointedIn(kv, waveId, current);
        const ready = current.retry.filter(checkpointed);
        const size = ready.length === 0 ? null : pacer.nextSize();
        if (size === null) {
            return current;
        }
        const indexes = ready.slice(0, size);
        current = adoptShardWelcomes(run, current, indexes);
        const batchStarted = options.now();
        const announced = new Set(current.welcoming ?? []);
        const {batch, delta} = runBatch(run, indexes, true, announced, (ids) =>
            updateRun(kv, waveId, (latest) => ({...latest, welcoming: withAnnounced(latest.welcoming, ids)})),
        );
        const batchMs = options.now() - batchStarted;
        pacer.done(batch.length, batchMs);
        const done = {batch, delta, isRetry: true, paceMs: pacer.paceMs, batchMs};
        const now = options.now();
        current = updateRun(kv, waveId, (latest) => checkpoint(latest, done, now));
    }
}

/** The retried users' welcomes announced in their shards, now announced in the run record (added there first: never in neither). */
function adoptShardWelcomes(run: RunContext, current: WaveRun, indexes: readonly number[]): WaveRun {
    const {context, waveId} = run;
    const layout = layoutOf(current);
    if (layout === null) {
        return current;
    }
    const entries = batchEntries(context.kv, waveId, indexes, run.userIdAt);
    const byShard = new Map<number, Set<string>>();
    for (const entry of entries) {
        const shard = Math.floor(entry.index / layout.size);
        const ids = byShard.get(shard) ?? new Set<string>();
        [entry.userId, entry.before?.user_id ?? ''].filter(Boolean).forEach((id) => ids.add(id));
        byShard.set(shard, ids);
    }
    const firstShard = Math.floor(layout.floor / layout.size);
    const inFlight = [...byShard].flatMap(([shard, ids]) =>
        (shard < firstShard ? [] : readShard(context.kv, waveId, layout, shard).welcoming.filter((id) => ids.has(id))),
    );
    if (inFlight.length === 0) {
        return current;
    }
    const adopted = updateRun(context.kv, waveId, (latest) => ({...latest, welcoming: withAnnounced(latest.welcoming, inFlight)}));
    const moved = new Set(inFlight);
    byShard.forEach((_, shard) => releaseWelcomes(context.kv, waveId, layout, shard, moved));
    return adopted;
}

/**
 * One shard's batches under its lock, until the shard is done, the budget or the throttle ends the run,
 * or the wave leaves `running`. Each batch is checkpointed into the shard's own record.
 */
function shardStep(run: RunContext, shard: number, owner: string, nodeId: string, pacer: Pacer): 'more' | 'stop' {
    const {context, waveId, options} = run;
    const {kv} = context;
    let latest = kv.readVersioned(KvKeys.waveRun(waveId)).value;
    let layout = latest === undefined ? null : layoutOf(latest);
    if (latest === undefined || latest.state !== 'running' || layout === null) {
        return 'stop';
    }
    let record = updateShard(kv, waveId, layout, shard, owner, (current) => current, true);
    if (record.pace_ms !== undefined && pacer.processed === 0) {
        pacer.paceMs = record.pace_ms;
    }
    for (;;) {
        const {end} = shardRange(layout, shard);
        if (record.cursor >= end) {
            return 'more';
        }
        const size = pacer.nextSize();
        if (size === null) {
            return 'stop';
        }

        // An admin may have paused or cancelled the wave since the last checkpoint; a finish moves the shards on.
        latest = kv.readVersioned(KvKeys.waveRun(waveId)).value;
        const now = latest === undefined ? null : layoutOf(latest);
        if (latest === undefined || latest.state !== 'running' || now === null || now.gen !== layout.gen) {
            return 'stop';
        }
        layout = now;
        const {cursor} = record;
        const length = Math.min(size, shardRange(layout, shard).end - cursor, ((shardOf(cursor) + 1) * waveShardSize) - cursor);
        const indexes = Array.from({length}, (_, i) => cursor + i);
        const batchStarted = options.now();
        const announced = new Set([...record.welcoming, ...(latest.welcoming ?? [])]);
        const shardLayout = layout;
        const {batch, delta} = runBatch(run, indexes, false, announced, (ids) => {
            updateShard(kv, waveId, shardLayout, shard, owner, (current) => ({
                ...current,
                welcoming: withAnnounced(current.welcoming, ids),
            }));
        });
        const batchMs = options.now() - batchStarted;
        pacer.done(batch.length, batchMs);
        const confirmed = new Set(batch.filter(hasWelcome).map((entry) => entry.user_id));
        const paceMs = pacer.paceMs;
        const checkpointAt = options.now();
        record = updateShard(kv, waveId, layout, shard, owner, (current) => ({
            ...current,
            cursor: Math.max(current.cursor, cursor + batch.length),
            counts: addCounts(current.counts, delta),
            welcoming: current.welcoming.filter((userId) => !confirmed.has(userId)),
            pace_ms: paceMs,
            paced: pacedAfter(current.paced, current.last_at ?? null, batch.length, batchMs, checkpointAt),
            last_at: checkpointAt,
            done_by: {...current.done_by, [nodeId]: (current.done_by[nodeId] ?? 0) + batch.length},
        }));
    }
}

/** Tries the run's shards with work in order; works each one whose lock is free. */
function shardsStep(run: RunContext, start: WaveRun, pacer: Pacer): void {
    const {context, waveId} = run;
    const {api, kv} = context;
    const layout = layoutOf(start);
    if (layout === null) {
        return;
    }
    const nodeId = api.system.getNodeId();
    const owner = `${nodeId}:${run.started}:${Math.random().toString(36).slice(2, 10)}`;
    for (const shard of shardsOf(layout)) {
        if (!hasWork(layout, shard, readShard(kv, waveId, layout, shard))) {
            continue;
        }
        try {
            // A glance, not a wait: a taken shard is another node's (or another request's) to run.
            api.mutex.lockWithin(shardMutex(waveId, shard), 1);
        } catch (error) {
            if (isHostError(error) && error.id === mutexTimeoutId) {
                continue;
            }
            throw error;
        }
        let next: 'more' | 'stop';
        try {
            next = shardStep(run, shard, owner, nodeId, pacer);
        } catch (error) {
            if (!(error instanceof ShardLost)) {
                throw error;
            }
            context.log.warn('Wave shard taken over by another run; this run stops', {waveId, shard});
            next = 'stop';
        } finally {
            api.mutex.unlock(shardMutex(waveId, shard));
        }
        if (next === 'stop') {
            return;
        }
    }
}

/** Completes the run when every shard is done (folding them in), under the wave's lock the caller holds. */
function finishStep(context: HookContext, waveId: string, run: WaveRun, now: number): WaveRun {
    const layout = layoutOf(run);
    if (run.state !== 'running' || run.retry.length > 0 || run.pending.length > 0 || layout === null) {
        return run;
    }
    const shards = readShards(context.kv, waveId, layout);
    if (shards.some(({shard, record}) => hasWork(layout, shard, record))) {
        return run;
    }
    let finished = false;
    const after = updateRun(context.kv, waveId, (current) => {
        const next = finishIfDone(finishWithShards(current, layout, shards), now);

        // Set on the attempt that was written: a retry after a lost race re-runs this step.
        finished = current.state === 'running' && next.state !== 'running';
        return next;
    });
    if (finished) {
        // The plan's timeline shows when a wave finished; the engine (not a person) finishes it.
        recordAudit({kv: context.kv, log: context.log, userId: '', api: context.api}, {
            action: 'waves.wave.finish',
            target: `wave:${waveId}`,
            before: {state: 'running'},
            after: {state: after.state, processed: after.cursor, failed: after.counts.failed},
        }, now);
    }
    return after;
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
            if (isHostError(error) && error.id === mutexTimeoutId) {
                // A request (tick, start) or another node is running this wave right now: nothing is wrong.
                context.log.info('Wave busy; the job leaves it to the run holding it', {waveId});
                continue;
            }
            context.log.error('Wave run failed; it resumes on the next tick', {waveId, error: describe(error)});
        }
    }
}
