import {ErrorIds} from 'contract/errors';
import {
    maxCsvRows,
    type AppendCsvRequest,
    type CreateWaveRequest,
    type Outcome,
    type StartWaveRequest,
    type UpdateWaveRequest,
    type UserResult,
    type WaveDefinition,
    type WaveResultsPage,
} from 'contract/waves';

import {dryRun, resolveTargets} from './dryRun';
import {type EngineOptions, runWave} from './engine';
import {dryRunExtras, prepareLaunch} from './launch';
import {dryRunPace} from './pace';
import {serverFactsOf} from './people';
import {openToArrivals, queueArrival, queueNewGroupMembers} from './rolling';
import {checkpointedIn} from './shards';
import {badTransition, listWaveIds, loadWave, newRun, readResults, toProgress, toWaveResponse, toWaveSummary, transition} from './store';

import type {HookContext} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {ConflictError} from '../kv/conflictError';
import {KvKeys, type WaveRun} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// What the wave endpoints do, apart from HTTP: waves.ts binds each endpoint to one function here.
// Every change checks the version or state it is based on, writes, then records its audit entry.

/** A change made for a user (the audit names them). */
export type WaveChangeContext = HookContext & {userId: string};

/** What reads need: read-only views. */
export interface WaveReadContext {
    api: ReadOnlyMattermostApi;
    kv: KvReader;
}

/** A Mattermost-style id: 26 lowercase alphanumerics (goja has no crypto; ids only need to be unique). */
function newWaveId(now: number): string {
    let id = now.toString(36);
    while (id.length < 26) {
        id += Math.floor(Math.random() * 36).toString(36);
    }
    return id.slice(0, 26);
}

function assertVersion(actual: number, expected: number, waveId: string): void {
    if (actual !== expected) {
        throw new ConflictError(KvKeys.waveDef(waveId).key, expected, actual);
    }
}

const parsePage = (value: string | undefined, fallback: number, max: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
        throw ApiError.invalid(`page and per_page must be whole numbers (per_page at most ${max}).`);
    }
    return parsed;
};

/** The host's answer when the wave's cluster lock stayed taken for its whole wait. */
const mutexTimeoutId = 'cockpit.host.mutex_timeout';

/**
 * Runs the wave now, after a state change. Another run holding the wave's lock (the job, another node)
 * is not an error here: that run, or the job's next tick, carries on. `busy` says what to do then.
 * A state change's run is short (the admin waits for the answer); `tick` asks for a whole job's run.
 */
function runNow(
    context: HookContext,
    waveId: string,
    options: EngineOptions,
    busy: 'ignore' | 'throw',
    length: 'short' | 'job' = 'short',
): number {
    try {
        const budget = length === 'short' ? (options.requestBudgetMs ?? options.timeBudgetMs) : options.timeBudgetMs;
        return runWave(context, waveId, {...options, timeBudgetMs: budget}).processed;
    } catch (error) {
        if (isHostError(error) && error.id === mutexTimeoutId) {
            if (busy === 'throw') {
                throw new ApiError(
                    503,
                    ErrorIds.waveBusy,
                    'The wave is being run right now (by the job or another server); try again in a few seconds.',
                );
            }
            return 0;
        }
        throw error;
    }
}

/** The audit's view of a definition: the CSV as its row count. */
function withCsvCount(value: Record<string, unknown>, keys: readonly string[]) {
    return Object.fromEntries(
        keys.map((key) => [
            key,
            key === 'cohort' ? {...(value.cohort as object), csv: (value.cohort as {csv: unknown[]}).csv.length} : value[key],
        ]),
    );
}

export function listWaves({kv}: WaveReadContext) {
    return listWaveIds(kv).map((waveId) => toWaveSummary(loadWave(kv, waveId)));
}

export function getWave({api, kv}: WaveReadContext, waveId: string) {
    return toWaveResponse(loadWave(kv, waveId), serverFactsOf(api));
}

export function getProgress({kv}: WaveReadContext, waveId: string) {
    return toProgress(waveId, loadWave(kv, waveId).run.value);
}

export function createWave(context: WaveChangeContext, definition: CreateWaveRequest, options: EngineOptions) {
    const {kv, userId} = context;
    const now = options.now();
    const waveId = newWaveId(now);
    const stored = {id: waveId, definition, created_at: now, created_by: userId, updated_at: now, updated_by: userId};
    kv.writeVersioned(KvKeys.waveDef(waveId), stored, 0);
    kv.writeVersioned(KvKeys.waveRun(waveId), newRun(), 0);
    kv.updateWithRetry(KvKeys.wavesIndex, (current) => ({ids: [...(current?.ids ?? []), waveId]}));
    recordAudit(context, {
        action: 'waves.wave.create',
        target: `wave:${waveId}`,
        before: null,
        after: {...definition, cohort: {...definition.cohort, csv: definition.cohort.csv.length}},
    });
    return toWaveResponse(loadWave(kv, waveId), serverFactsOf(context.api));
}

/** Draft only. */
export function updateWave(context: WaveChangeContext, waveId: string, body: UpdateWaveRequest, options: EngineOptions) {
    const {kv, userId} = context;
    const wave = loadWave(kv, waveId);
    assertVersion(wave.def.version, body.expected_version, waveId);
    if (wave.run.value.state !== 'draft') {
        throw badTransition('edit', wave.run.value.state);
    }
    const definition = {...wave.def.value.definition, ...body.changes};
    kv.writeVersioned(
        KvKeys.waveDef(waveId),
        {...wave.def.value, definition, updated_at: options.now(), updated_by: userId},
        body.expected_version,
    );
    const changed = Object.keys(body.changes);
    recordAudit(context, {
        action: 'waves.wave.update',
        target: `wave:${waveId}`,
        before: withCsvCount(wave.def.value.definition, changed),
        after: withCsvCount(definition, changed),
    });
    return toWaveResponse(loadWave(kv, waveId), serverFactsOf(context.api));
}

/** Draft only: appends a chunk of CSV rows (or replaces the rows stored so far). */
export function appendCsv(context: WaveChangeContext, waveId: string, body: AppendCsvRequest, options: EngineOptions) {
    const {kv, userId} = context;
    const wave = loadWave(kv, waveId);
    assertVersion(wave.def.version, body.expected_version, waveId);
    if (wave.run.value.state !== 'draft') {
        throw badTransition('edit', wave.run.value.state);
    }
    const before = wave.def.value.definition.cohort.csv;
    const csv = [...(body.replace ? [] : before), ...body.rows];
    if (csv.length > maxCsvRows) {
        throw ApiError.invalid(`A cohort CSV has at most ${maxCsvRows} rows; this would make ${csv.length}.`);
    }
    const definition = {...wave.def.value.definition, cohort: {...wave.def.value.definition.cohort, csv}};
    kv.writeVersioned(
        KvKeys.waveDef(waveId),
        {...wave.def.value, definition, updated_at: options.now(), updated_by: userId},
        body.expected_version,
    );
    recordAudit(context, {
        action: 'waves.wave.csv',
        target: `wave:${waveId}`,
        before: {csv_rows: before.length},
        after: {csv_rows: csv.length, replaced: body.replace},
    });
    return toWaveResponse(loadWave(kv, waveId), serverFactsOf(context.api));
}

/** Draft, finished or cancelled waves only. */
export function deleteWave(context: WaveChangeContext, waveId: string, expectedVersion: number) {
    const {kv} = context;
    const wave = loadWave(kv, waveId);
    assertVersion(wave.def.version, expectedVersion, waveId);
    if (!['draft', 'completed', 'completed_with_failures', 'cancelled'].includes(wave.run.value.state)) {
        throw badTransition('delete', wave.run.value.state);
    }

    // Only the index entry goes: results and welcome markers stay (a deleted wave's DMs were still sent).
    kv.updateWithRetry(KvKeys.wavesIndex, (current) => ({ids: (current?.ids ?? []).filter((id) => id !== waveId)}));
    kv.delete(KvKeys.waveDef(waveId));
    recordAudit(context, {
        action: 'waves.wave.delete',
        target: `wave:${waveId}`,
        before: {name: wave.def.value.definition.name, state: wave.run.value.state},
        after: null,
    });
    return {deleted: waveId};
}

/** Changes nothing. */
export function dryRunWave({api, kv}: WaveReadContext, waveId: string) {
    const {definition} = loadWave(kv, waveId).def.value;
    const report = dryRun(api, definition);
    const extras = dryRunExtras(api, definition);
    const pace = dryRunPace(api, kv, definition, report);
    return {...report, ...extras, ...pace, warnings: [...(extras.warnings ?? []), ...(report.warnings ?? [])]};
}

/** Starts the wave now (running its first batches) or schedules it. */
export function startWave(context: WaveChangeContext, waveId: string, body: StartWaveRequest, options: EngineOptions) {
    const {api, kv} = context;
    const wave = loadWave(kv, waveId);
    assertVersion(wave.def.version, body.expected_version, waveId);

    // SMTP and help-desk checks (400), then the channels to create, added to the targets (launch.ts).
    const {definition} = prepareLaunch(context, waveId, wave, botUserId(kv), options.now());
    const {problems} = resolveTargets(api, definition);
    if (problems.length > 0) {
        throw ApiError.invalid(`The wave's targets cannot be used: ${problems.join('; ')}`);
    }
    if (definition.targets.teams.length === 0) {
        throw ApiError.invalid('A wave needs at least one target team.');
    }
    const now = options.now();
    const later = body.start_at !== null && body.start_at > now;
    const run = transition(kv, waveId, 'start', ['draft', 'scheduled'], (current) => ({
        ...current,
        state: later ? 'scheduled' : 'running',
        start_at: later ? body.start_at : now,
        started_at: later ? null : now,
    }));
    recordAudit(context, {
        action: later ? 'waves.wave.schedule' : 'waves.wave.start',
        target: `wave:${waveId}`,
        before: {state: wave.run.value.state},
        after: {state: run.value!.state, start_at: run.value!.start_at},
    });
    if (!later) {
        // The first batches run now, so a small wave is done before the job's next tick.
        runNow(context, waveId, options, 'ignore');
    }
    return toWaveResponse(loadWave(kv, waveId), serverFactsOf(context.api));
}

/** The simple state changes: from which states, to what, and whether the wave runs right after. */
const stateChanges = {
    pause: {from: ['running', 'scheduled'], to: (run) => ({...run, state: 'paused'}), runAfter: false},
    resume: {from: ['paused'], to: (run, now) => ({...run, state: 'running', started_at: run.started_at ?? now}), runAfter: true},
    cancel: {
        from: ['draft', 'scheduled', 'running', 'paused'],
        to: (run, now) => ({...run, state: 'cancelled', finished_at: now}),
        runAfter: false,
    },
} satisfies Record<string, {from: Array<WaveRun['state']>; to: (run: WaveRun, now: number) => WaveRun; runAfter: boolean}>;

export type StateChange = keyof typeof stateChanges;

export function changeState(context: WaveChangeContext, waveId: string, name: StateChange, options: EngineOptions) {
    const {kv} = context;
    const change = stateChanges[name];
    const before = loadWave(kv, waveId).run.value;
    const after = transition(kv, waveId, name, change.from, (run) => change.to(run, options.now())).value!;
    recordAudit(context, {
        action: `waves.wave.${name}`,
        target: `wave:${waveId}`,
        before: {state: before.state},
        after: {state: after.state, retry: after.retry.length},
    });
    if (change.runAfter) {
        runNow(context, waveId, options, 'ignore');
    }
    return toProgress(waveId, loadWave(kv, waveId).run.value);
}

/** Queues the users whose result is `failed` again and runs the wave. */
export function retryFailed(context: WaveChangeContext, waveId: string, options: EngineOptions) {
    const {kv} = context;
    const wave = loadWave(kv, waveId);
    const failed: number[] = [];

    // Only checkpointed results (below the cursor, or their shard's) are counted; later ones may be a crashed batch's.
    const checkpointed = checkpointedIn(kv, waveId, wave.run.value);
    readResults(kv, waveId, wave.run.value.queue_len, (result) => {
        if (result.outcome === 'failed' && checkpointed(result.index)) {
            failed.push(result.index);
        }
    });
    const after = transition(kv, waveId, 'retry the failed users of', ['completed_with_failures', 'paused', 'running'], (run) => ({
        ...run,
        retry: [...new Set([...run.retry, ...failed])],
        state: run.state === 'paused' ? 'paused' : 'running',
        finished_at: null,
    })).value!;
    recordAudit(context, {
        action: 'waves.wave.retry_failed',
        target: `wave:${waveId}`,
        before: {state: wave.run.value.state},
        after: {state: after.state, retry: after.retry.length},
    });
    runNow(context, waveId, options, 'ignore');
    return toProgress(waveId, loadWave(kv, waveId).run.value);
}

/** What the jobs would do, now: new members of a rolling wave's cohort groups first (this may reopen it), then a job's run. */
export function tickWave(context: WaveChangeContext, waveId: string, options: EngineOptions) {
    loadWave(context.kv, waveId);
    queueNewGroupMembers(context, [waveId]);
    const wave = loadWave(context.kv, waveId);
    if (wave.run.value.state !== 'running' && wave.run.value.state !== 'scheduled') {
        throw badTransition('run', wave.run.value.state);
    }
    const ran = runNow(context, waveId, options, 'throw', 'job');
    return {...toProgress(waveId, loadWave(context.kv, waveId).run.value), ran};
}

/** Per-user outcomes, paged (`page` from 0, `per_page` ≤ 1000, default 100), optionally of one outcome. */
export function waveResults(
    {kv}: WaveReadContext,
    waveId: string,
    query: {page?: string; per_page?: string; outcome?: Outcome},
): WaveResultsPage {
    const wave = loadWave(kv, waveId);
    const page = parsePage(query.page, 0, 1000000);
    const perPage = parsePage(query.per_page, 100, 1000) || 100;
    const filter = query.outcome;
    const results: UserResult[] = [];
    let total = 0;
    readResults(kv, waveId, wave.run.value.queue_len, (result) => {
        if (filter === undefined || result.outcome === filter) {
            if (total >= page * perPage && results.length < perPage) {
                results.push(result);
            }
            total += 1;
        }
    });
    return {page, per_page: perPage, total, results};
}

/**
 * Queues a user who arrived after the wave started (once per user and wave) in every wave open to
 * arrivals that `matches` them: rolling waves for people who joined the cohort, invite waves for the
 * people they invited (waves.ts decides which).
 */
export function enqueueArrival(
    context: HookContext,
    matches: (definition: WaveDefinition, waveId: string) => boolean,
    user: {id: string},
): void {
    const {kv} = context;
    for (const waveId of listWaveIds(kv)) {
        // The run record first: it is small, and most waves are not open to arrivals.
        if (!openToArrivals(kv.readVersioned(KvKeys.waveRun(waveId)).value)) {
            continue;
        }
        const definition = kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition;
        if (!definition || !matches(definition, waveId)) {
            continue;
        }
        queueArrival(context, waveId, user.id);
    }
}
