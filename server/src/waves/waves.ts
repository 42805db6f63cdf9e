import type {UserProfile} from '@mattermost/types/users';

import {ErrorIds} from 'contract/errors';
import {WaveRoutes} from 'contract/routes';
import {
    AppendCsvRequestSchema,
    CreateWaveRequestSchema,
    maxCsvRows,
    DeleteWaveRequestSchema,
    OutcomeSchema,
    StartWaveRequestSchema,
    UpdateWaveRequestSchema,
    type UserResult,
    WaveActionRequestSchema,
    type WaveDefinition,
    type WaveResultsPage,
} from 'contract/waves';

import {matchesByProfile} from './cohort';
import {dryRun, resolveTargets} from './dryRun';
import {defaultEngineOptions, type EngineOptions, runDueWaves, runWave} from './engine';
import {registerWaveExtrasRoutes} from './extrasRoutes';
import {dryRunExtras, prepareLaunch} from './launch';
import {groupRollingJobId, groupRollingSeconds, openToArrivals, queueArrival, queueNewGroupMembers} from './rolling';
import {badTransition, listWaveIds, loadWave, newRun, readResults, toProgress, toWaveResponse, toWaveSummary, transition} from './store';
import {registerWelcomePreviewRoutes} from './welcomePreview';

import type {Capability, HookContext} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {parseBody} from '../http/body';
import {requireConsoleReader, requireSystemAdmin} from '../http/guards';
import {created} from '../http/responses';
import {ConflictError} from '../kv/conflictError';
import {KvKeys, type WaveRun} from '../kv/keys';

export const wavesJobId = 'waves.tick';

const wavePath = '/api/v1/waves/:waveId';
const action = (name: string) => `${wavePath}/${name}`;

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
function runNow(context: HookContext, waveId: string, options: EngineOptions, busy: 'ignore' | 'throw', length: 'short' | 'job' = 'short'): number {
    try {
        const budget = length === 'short' ? (options.requestBudgetMs ?? options.timeBudgetMs) : options.timeBudgetMs;
        return runWave(context, waveId, {...options, timeBudgetMs: budget}).processed;
    } catch (error) {
        if (isHostError(error) && error.id === mutexTimeoutId) {
            if (busy === 'throw') {
                throw new ApiError(503, ErrorIds.waveBusy, 'The wave is being run right now (by the job or another server); try again in a few seconds.');
            }
            return 0;
        }
        throw error;
    }
}

/** Rolling waves: queue a user who joined the cohort after the wave started (once per user and wave). */
function enqueueArrival(context: HookContext, matches: (definition: WaveDefinition) => boolean, user: {id: string}): void {
    const {kv} = context;
    for (const waveId of listWaveIds(kv)) {
        // The run record first: it is small, and most waves are not open to arrivals.
        if (!openToArrivals(kv.readVersioned(KvKeys.waveRun(waveId)).value)) {
            continue;
        }
        const definition = kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition;
        if (!definition || !definition.rolling || !matches(definition)) {
            continue;
        }
        queueArrival(context, waveId, user.id);
    }
}

/** The engine options; tests pass their own clock and batch size through `wavesCapabilityWith`. */
export function wavesCapabilityWith(options: EngineOptions): Capability {
    return {
        name: 'waves',
        routes(routes) {
            routes.get(WaveRoutes.waves, requireConsoleReader, ({kv}) => listWaveIds(kv).map((waveId) => toWaveSummary(loadWave(kv, waveId))));

            routes.post(WaveRoutes.waves, requireSystemAdmin, CreateWaveRequestSchema, (context) => {
                const {kv, body, userId} = context;
                const now = options.now();
                const waveId = newWaveId(now);
                const stored = {id: waveId, definition: body, created_at: now, created_by: userId, updated_at: now, updated_by: userId};
                kv.writeVersioned(KvKeys.waveDef(waveId), stored, 0);
                kv.writeVersioned(KvKeys.waveRun(waveId), newRun(), 0);
                kv.updateWithRetry(KvKeys.wavesIndex, (current) => ({ids: [...(current?.ids ?? []), waveId]}));
                recordAudit(context, {action: 'waves.wave.create', target: `wave:${waveId}`, before: null, after: {...body, cohort: {...body.cohort, csv: body.cohort.csv.length}}});
                return created(toWaveResponse(loadWave(kv, waveId)));
            });

            routes.get(wavePath, requireConsoleReader, ({kv, params}) => toWaveResponse(loadWave(kv, params.waveId)));

            routes.patch(wavePath, requireSystemAdmin, UpdateWaveRequestSchema, (context) => {
                const {kv, body, params, userId} = context;
                const wave = loadWave(kv, params.waveId);
                assertVersion(wave.def.version, body.expected_version, params.waveId);
                if (wave.run.value.state !== 'draft') {
                    throw badTransition('edit', wave.run.value.state);
                }
                const definition = {...wave.def.value.definition, ...body.changes};
                kv.writeVersioned(KvKeys.waveDef(params.waveId), {...wave.def.value, definition, updated_at: options.now(), updated_by: userId}, body.expected_version);
                const changed = Object.keys(body.changes);
                const summary = (value: Record<string, unknown>) =>
                    Object.fromEntries(changed.map((key) => [key, key === 'cohort' ? {...(value.cohort as object), csv: (value.cohort as {csv: unknown[]}).csv.length} : value[key]]));
                recordAudit(context, {action: 'waves.wave.update', target: `wave:${params.waveId}`, before: summary(wave.def.value.definition), after: summary(definition)});
                return toWaveResponse(loadWave(kv, params.waveId));
            });

            routes.post(action('csv'), requireSystemAdmin, AppendCsvRequestSchema, (context) => {
                const {kv, body, params, userId} = context;
                const wave = loadWave(kv, params.waveId);
                assertVersion(wave.def.version, body.expected_version, params.waveId);
                if (wave.run.value.state !== 'draft') {
                    throw badTransition('edit', wave.run.value.state);
                }
                const before = wave.def.value.definition.cohort.csv;
                const csv = [...(body.replace ? [] : before), ...body.rows];
                if (csv.length > maxCsvRows) {
                    throw ApiError.invalid(`A cohort CSV has at most ${maxCsvRows} rows; this would make ${csv.length}.`);
                }
                const definition = {...wave.def.value.definition, cohort: {...wave.def.value.definition.cohort, csv}};
                kv.writeVersioned(KvKeys.waveDef(params.waveId), {...wave.def.value, definition, updated_at: options.now(), updated_by: userId}, body.expected_version);
                recordAudit(context, {action: 'waves.wave.csv', target: `wave:${params.waveId}`, before: {csv_rows: before.length}, after: {csv_rows: csv.length, replaced: body.replace}});
                return toWaveResponse(loadWave(kv, params.waveId));
            });

            routes.delete(wavePath, requireSystemAdmin, (context) => {
                const {kv, params} = context;
                const body = parseBody(context.request.body, DeleteWaveRequestSchema);
                const wave = loadWave(kv, params.waveId);
                assertVersion(wave.def.version, body.expected_version, params.waveId);
                if (!['draft', 'completed', 'completed_with_failures', 'cancelled'].includes(wave.run.value.state)) {
                    throw badTransition('delete', wave.run.value.state);
                }

                // Only the index entry goes: results and welcome markers stay (a deleted wave's DMs were still sent).
                kv.updateWithRetry(KvKeys.wavesIndex, (current) => ({ids: (current?.ids ?? []).filter((id) => id !== params.waveId)}));
                kv.delete(KvKeys.waveDef(params.waveId));
                recordAudit(context, {action: 'waves.wave.delete', target: `wave:${params.waveId}`, before: {name: wave.def.value.definition.name, state: wave.run.value.state}, after: null});
                return {deleted: params.waveId};
            });

            routes.post(action('dry-run'), requireSystemAdmin, WaveActionRequestSchema, ({api, kv, params}) => {
                const {definition} = loadWave(kv, params.waveId).def.value;
                return {...dryRun(api, definition), ...dryRunExtras(api, definition)};
            });

            routes.post(action('start'), requireSystemAdmin, StartWaveRequestSchema, (context) => {
                const {api, kv, body, params} = context;
                const wave = loadWave(kv, params.waveId);
                assertVersion(wave.def.version, body.expected_version, params.waveId);

                // SMTP and help-desk checks (400), then the channels to create, added to the targets (launch.ts).
                const {definition} = prepareLaunch(context, params.waveId, wave, botUserId(kv), options.now());
                const {problems} = resolveTargets(api, definition);
                if (problems.length > 0) {
                    throw ApiError.invalid(`The wave's targets cannot be used: ${problems.join('; ')}`);
                }
                if (definition.targets.teams.length === 0) {
                    throw ApiError.invalid('A wave needs at least one target team.');
                }
                const now = options.now();
                const later = body.start_at !== null && body.start_at > now;
                const run = transition(kv, params.waveId, 'start', ['draft', 'scheduled'], (current) => ({
                    ...current,
                    state: later ? 'scheduled' : 'running',
                    start_at: later ? body.start_at : now,
                    started_at: later ? null : now,
                }));
                recordAudit(context, {action: later ? 'waves.wave.schedule' : 'waves.wave.start', target: `wave:${params.waveId}`, before: {state: wave.run.value.state}, after: {state: run.value!.state, start_at: run.value!.start_at}});
                if (!later) {
                    // The first batches run now, so a small wave is done before the job's next tick.
                    runNow(context, params.waveId, options, 'ignore');
                }
                return toWaveResponse(loadWave(kv, params.waveId));
            });

            const simple = (name: string, from: Array<WaveRun['state']>, to: (run: WaveRun) => WaveRun, runAfter = false) =>
                routes.post(action(name), requireSystemAdmin, WaveActionRequestSchema, (context) => {
                    const {kv, params} = context;
                    const before = loadWave(kv, params.waveId).run.value;
                    const after = transition(kv, params.waveId, name, from, to).value!;
                    recordAudit(context, {action: `waves.wave.${name}`, target: `wave:${params.waveId}`, before: {state: before.state}, after: {state: after.state, retry: after.retry.length}});
                    if (runAfter) {
                        runNow(context, params.waveId, options, 'ignore');
                    }
                    return toProgress(params.waveId, loadWave(kv, params.waveId).run.value);
                });

            simple('pause', ['running', 'scheduled'], (run) => ({...run, state: 'paused'}));
            simple('resume', ['paused'], (run) => ({...run, state: 'running', started_at: run.started_at ?? options.now()}), true);
            simple('cancel', ['draft', 'scheduled', 'running', 'paused'], (run) => ({...run, state: 'cancelled', finished_at: options.now()}));

            routes.post(action('retry-failed'), requireSystemAdmin, WaveActionRequestSchema, (context) => {
                const {kv, params} = context;
                const wave = loadWave(kv, params.waveId);
                const failed: number[] = [];

                // Only checkpointed results (below the cursor) are counted; later ones may be a crashed batch's.
                readResults(kv, params.waveId, wave.run.value.cursor, (result) => {
                    if (result.outcome === 'failed') {
                        failed.push(result.index);
                    }
                });
                const after = transition(kv, params.waveId, 'retry the failed users of', ['completed_with_failures', 'paused', 'running'], (run) => ({
                    ...run,
                    retry: [...new Set([...run.retry, ...failed])],
                    state: run.state === 'paused' ? 'paused' : 'running',
                    finished_at: null,
                })).value!;
                recordAudit(context, {action: 'waves.wave.retry_failed', target: `wave:${params.waveId}`, before: {state: wave.run.value.state}, after: {state: after.state, retry: after.retry.length}});
                runNow(context, params.waveId, options, 'ignore');
                return toProgress(params.waveId, loadWave(kv, params.waveId).run.value);
            });

            routes.post(action('tick'), requireSystemAdmin, WaveActionRequestSchema, (context) => {
                // What the jobs would do, now: new members of a rolling wave's cohort groups first (this may reopen it).
                loadWave(context.kv, context.params.waveId);
                queueNewGroupMembers(context, [context.params.waveId]);
                const wave = loadWave(context.kv, context.params.waveId);
                if (wave.run.value.state !== 'running' && wave.run.value.state !== 'scheduled') {
                    throw badTransition('run', wave.run.value.state);
                }
                const ran = runNow(context, context.params.waveId, options, 'throw', 'job');
                return {...toProgress(context.params.waveId, loadWave(context.kv, context.params.waveId).run.value), ran};
            });

            registerWelcomePreviewRoutes(routes);
            registerWaveExtrasRoutes(routes, options.now);

            routes.get(action('progress'), requireConsoleReader, ({kv, params}) => toProgress(params.waveId, loadWave(kv, params.waveId).run.value));

            // Per-user outcomes (names, reasons): system admins only; read-only admins see the counts above.
            routes.get(action('results'), requireSystemAdmin, ({kv, params, query}): WaveResultsPage => {
                const wave = loadWave(kv, params.waveId);
                const page = parsePage(query.get('page'), 0, 1000000);
                const perPage = parsePage(query.get('per_page'), 100, 1000) || 100;
                const filter = query.get('outcome');
                if (filter !== undefined && !OutcomeSchema.safeParse(filter).success) {
                    throw ApiError.invalid(`outcome must be one of ${OutcomeSchema.options.join(', ')}.`);
                }
                const results: UserResult[] = [];
                let total = 0;
                readResults(kv, params.waveId, wave.run.value.queue_len, (result) => {
                    if (filter === undefined || result.outcome === filter) {
                        if (total >= page * perPage && results.length < perPage) {
                            results.push(result);
                        }
                        total += 1;
                    }
                });
                return {page, per_page: perPage, total, results};
            });
        },
        hooks: {
            onActivate: (_, {api}) => {
                api.jobs.schedule(wavesJobId, options.tickSeconds);
                api.jobs.schedule(groupRollingJobId, groupRollingSeconds);
            },
            userHasBeenCreated: (user: UserProfile, context) => enqueueArrival(context, (definition) => matchesByProfile(definition.cohort, user), user),
            userHasJoinedTeam: ({team_member: teamMember}, context) =>
                enqueueArrival(context, (definition) => definition.cohort.team_ids.includes(teamMember.team_id), {id: teamMember.user_id}),
        },
        jobs: {[wavesJobId]: (context) => runDueWaves(context, options),
            [groupRollingJobId]: (context) => {
                queueNewGroupMembers(context);
            }},
    };
}

export const wavesCapability: Capability = wavesCapabilityWith(defaultEngineOptions);
