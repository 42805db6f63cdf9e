import type {AdoptionResponse, AdoptionSnapshot, LoadSample} from 'contract/adoption';
import {toCsv} from 'contract/csv';
import {AdoptionEndpoints} from 'contract/endpoints/adoption';

import {
    currentCsvHeader, currentCsvRows, dailyCsvHeader, dailyCsvRows, loadCsvHeader, loadCsvRows, mergeDaily, mergeLoad, snapshotFrom,
    targetProgress, targetsCsvHeader, targetsCsvRows, wavesCsvHeader, wavesCsvRows, wavesDailyCsvHeader, wavesDailyCsvRows,
} from './metrics';
import {measureWaves, provisionedByWaves} from './waves';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {utcDay} from '../dates/dates';
import type {Logger} from '../host/log';
import {Download} from '../http/responses';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

export const ADOPTION_JOB_ID = 'adoption.refresh';

/** How often the numbers are measured: a page view never queries the database, it reads the last measurement. */
export const ADOPTION_REFRESH_MINUTES = 15;

/** Days the GET answer carries. */
export const ADOPTION_DAYS_SHOWN = 90;

/** Days kept in adoption:recent (the per-day keys stay regardless). */
export const ADOPTION_DAYS_KEPT = 400;

/** Hours of server-load samples kept and shown (one per job run: 288 at 15 minutes). */
export const LOAD_HOURS_KEPT = 72;

/**
 * The job's work: measure the server's numbers and the users provisioned by waves, cache them as
 * adoption:current, and create the day's snapshot if this is the first measurement of the UTC day; then
 * measure each wave's funnel and feedback and cache them too. The day key is created by compare-and-set
 * on "absent", so when two nodes (or two runs) race, exactly one snapshot is stored and the other run
 * keeps it.
 *
 * The waves come last on purpose: their measurement is the slow part (it reads every result of each
 * wave and its users' logins and posts), so if it fails or runs into the call limit the numbers and the
 * day's snapshot are stored already. The day's snapshot therefore holds the waves as the previous run
 * measured them (at most one interval older; each wave carries its own measured_at).
 */
export function refreshAdoption(
    api: ReadOnlyMattermostApi,
    kv: KvStore,
    now: number,
    options: {log?: Pick<Logger, 'warn'>; clock?: () => number} = {},
): {snapshot: AdoptionSnapshot; createdDay: boolean} {
    const previousWaves = kv.get(KvKeys.adoptionCurrent)?.waves ?? {};
    const snapshot = snapshotFrom(api.system.activity(now), now, provisionedByWaves(kv), previousWaves);
    kv.set(KvKeys.adoptionCurrent, snapshot);
    const dayRecord = KvKeys.adoptionDay(snapshot.day);
    let createdDay = true;
    let daySnapshot = snapshot;
    try {
        kv.writeVersioned(dayRecord, snapshot, 0);
    } catch (error) {
        if (!(error instanceof ConflictError)) {
            throw error;
        }
        createdDay = false;
        daySnapshot = kv.readVersioned(dayRecord).value ?? snapshot;
    }

    // The index of recent days: written only when the day is missing from it (also repairs a run that
    // stopped between the two writes).
    const recent = kv.readVersioned(KvKeys.adoptionRecent).value?.days ?? [];
    if (!recent.some((stored) => stored.day === daySnapshot.day)) {
        kv.updateWithRetry(KvKeys.adoptionRecent, (current) => ({days: mergeDaily(current?.days ?? [], daySnapshot, ADOPTION_DAYS_KEPT)}));
    }
    const measured: AdoptionSnapshot = {
        ...snapshot,
        waves: measureWaves(api, kv, previousWaves, options.clock ?? Date.now, options.log ?? {warn: () => undefined}),
    };
    kv.set(KvKeys.adoptionCurrent, measured);
    return {snapshot: measured, createdDay};
}

/**
 * Appends a server-load sample (sessions, database connections) to adoption:load, dropping samples
 * older than LOAD_HOURS_KEPT. Cheap: three small queries and one compare-and-set per job run.
 */
export function sampleLoad(api: Pick<MattermostApi, 'system'>, kv: KvStore, now: number): LoadSample {
    const sample: LoadSample = {taken_at: now, ...api.system.load(now)};
    kv.updateWithRetry(KvKeys.adoptionLoad, (current) => ({
        samples: mergeLoad(current?.samples ?? [], sample, now - (LOAD_HOURS_KEPT * 60 * 60 * 1000)),
    }));
    return sample;
}

function recentLoad(kv: KvReader) {
    return kv.readVersioned(KvKeys.adoptionLoad).value?.samples ?? [];
}

function recentDays(kv: KvReader) {
    return kv.readVersioned(KvKeys.adoptionRecent).value?.days ?? [];
}

export const adoptionCapability: Capability = {
    name: 'adoption',
    routes(routes) {
        // Reads the last measurement; only before the job's first run does it measure, for this answer
        // alone (a GET writes nothing).
        routes.handle(AdoptionEndpoints.adoption, ({kv, api}): AdoptionResponse => {
            const now = Date.now();
            const cachedSnapshot = kv.get(KvKeys.adoptionCurrent);
            const current = cachedSnapshot ?? snapshotFrom(api.system.activity(now), now, provisionedByWaves(kv));
            const targets = kv.readVersioned(KvKeys.adoptionTargets);
            return {
                current,
                cached: cachedSnapshot !== undefined,
                daily: recentDays(kv).slice(-ADOPTION_DAYS_SHOWN),
                targets_version: targets.version,
                progress: targetProgress(targets.value?.targets ?? [], current.numbers, utcDay(now)),
                load: recentLoad(kv),
            };
        });

        routes.handle(AdoptionEndpoints.targets, (context) => {
            const previous = context.kv.readVersioned(KvKeys.adoptionTargets);
            const saved = context.kv.writeVersioned(KvKeys.adoptionTargets, {targets: context.body.targets}, context.body.expected_version);
            recordAudit(context, {
                action: 'adoption.targets.update',
                target: 'adoption:targets',
                before: previous.value?.targets ?? [],
                after: saved.value.targets,
            });
            return {version: saved.version, targets: saved.value.targets};
        });

        // Every table and series of the tab. Reads stored records only (the cached measurement, never a
        // fresh one: a CSV without a measurement is just its header).
        routes.handle(AdoptionEndpoints.export, ({kv, query}) => {
            const series = query.series ?? 'daily';
            const now = Date.now();
            // eslint-disable-next-line consistent-return -- the switch covers every series; tsc checks each case returns.
            const csv = (): string => {
                switch (series) {
                case 'load':
                    return toCsv(loadCsvHeader, loadCsvRows(recentLoad(kv)));
                case 'current':
                    return toCsv(currentCsvHeader, currentCsvRows(kv.get(KvKeys.adoptionCurrent) ?? null));
                case 'targets': {
                    const targets = kv.readVersioned(KvKeys.adoptionTargets).value?.targets ?? [];
                    return toCsv(
                        targetsCsvHeader,
                        targetsCsvRows(targetProgress(targets, kv.get(KvKeys.adoptionCurrent)?.numbers ?? null, utcDay(now))),
                    );
                }
                case 'waves':
                    return toCsv(wavesCsvHeader, wavesCsvRows(kv.get(KvKeys.adoptionCurrent) ?? null));
                case 'waves_daily':
                    return toCsv(wavesDailyCsvHeader, wavesDailyCsvRows(recentDays(kv).slice(-ADOPTION_DAYS_SHOWN)));
                case 'daily':
                    return toCsv(dailyCsvHeader, dailyCsvRows(recentDays(kv)));
                }
            };
            return new Download(`cockpit-adoption-${series.replace('_', '-')}-${utcDay(now)}.csv`, 'text/csv; charset=utf-8', csv());
        });
    },
    hooks: {
        // jobs.schedule is cluster-wide: one node runs each interval.
        onActivate: (_, {api}) => api.jobs.schedule(ADOPTION_JOB_ID, ADOPTION_REFRESH_MINUTES * 60),
    },
    jobs: {
        [ADOPTION_JOB_ID]: ({api, kv, log}) => {
            const now = Date.now();

            // The load sample first: whoever sees this run's measurement also sees its sample. A failed
            // sample (e.g. a database role that may not read pg_stat_activity) must not cost the adoption numbers.
            try {
                sampleLoad(api, kv, now);
            } catch (error) {
                log.warn('Server load sample failed', {error: String(error)});
            }
            const {snapshot, createdDay} = refreshAdoption(api, kv, now, {log});
            log.debug('Adoption measured', {
                day: snapshot.day,
                created_day: createdDay,
                daily_active: snapshot.numbers.daily_active,
                waves: Object.keys(snapshot.waves ?? {}).length,
            });
        },
    },
};
