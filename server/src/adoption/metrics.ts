import {ADOPTION_METRICS, WAVE_FUNNEL_STAGES, WAVE_NEWCOMER_STAGES} from 'contract/adoption';
import type {AdoptionNumbers, AdoptionSnapshot, AdoptionTarget, LoadSample, TargetProgress, WaveAdoption} from 'contract/adoption';

import {isoTime, utcDay} from '../dates/dates';
import type {SystemActivity} from '../mattermost/api';

// Pure adoption computations: day keys, snapshots from the host's counts, progress against targets,
// the CSV rows. No KV, no host: everything here is tested over fixtures.

/**
 * A measurement from the host's counts, `provisioned` (users the waves provisioned, see
 * provisionedByWaves) and, from the job only, the waves' activation.
 */
export function snapshotFrom(
    activity: SystemActivity,
    now: number,
    provisioned?: number,
    waves?: Record<string, WaveAdoption>,
): AdoptionSnapshot {
    const numbers: AdoptionNumbers = {
        daily_active: activity.daily_active,
        weekly_active: activity.weekly_active,
        monthly_active: activity.monthly_active,
        posts_last_day: activity.posts_last_day,
        active_channels: activity.active_channels,
        total_users: activity.total_users,
    };
    if (provisioned !== undefined) {
        numbers.provisioned = provisioned;
    }
    return waves === undefined ? {day: utcDay(now), taken_at: now, numbers} : {day: utcDay(now), taken_at: now, numbers, waves};
}

/**
 * The absolute number a target asks for: the threshold itself, or its percent of the base (rounded
 * up); null when the base was not measured (a snapshot older than the provisioned count).
 */
export function targetGoal(target: AdoptionTarget, numbers: AdoptionNumbers): number | null {
    if (target.kind === 'count') {
        return target.threshold;
    }
    const base = numbers[target.base];
    return base === undefined ? null : Math.ceil((target.threshold * base) / 100);
}

/** Progress of each target against the latest numbers, on `today` (a UTC day). */
export function targetProgress(targets: readonly AdoptionTarget[], numbers: AdoptionNumbers | null, today: string): TargetProgress[] {
    return targets.map((target) => {
        if (!numbers) {
            return {target, current: null, goal: null, percent: 0, status: 'unknown'};
        }
        const current = numbers[target.metric];
        const goal = targetGoal(target, numbers);
        if (goal === null) {
            return {target, current, goal, percent: 0, status: 'unknown'};
        }
        const percent = goal <= 0 ? 100 : Math.min(100, Math.round((current / goal) * 1000) / 10);
        let status: TargetProgress['status'] = 'on_track';
        if (current >= goal) {
            status = 'met';
        } else if (today > target.due) {
            status = 'overdue';
        }
        return {target, current, goal, percent, status};
    });
}

/** Keeps the newest `limit` snapshots (one per day, the first stored wins), oldest first. */
export function mergeDaily(days: readonly AdoptionSnapshot[], add: AdoptionSnapshot | undefined, limit: number): AdoptionSnapshot[] {
    const byDay = new Map<string, AdoptionSnapshot>();
    for (const snapshot of add ? [...days, add] : days) {
        if (!byDay.has(snapshot.day)) {
            byDay.set(snapshot.day, snapshot);
        }
    }
    return [...byDay.values()].sort((a, b) => {
        if (a.day === b.day) {
            return 0;
        }
        return a.day < b.day ? -1 : 1;
    }).slice(-limit);
}

const optional = (value: number | null | undefined) => (value === undefined || value === null ? '' : String(value));

export const dailyCsvHeader = ['day', 'taken_at', ...ADOPTION_METRICS, 'provisioned'];

export function dailyCsvRows(days: readonly AdoptionSnapshot[]): string[][] {
    return days.map((snapshot) => [
        snapshot.day,
        isoTime(snapshot.taken_at),
        ...ADOPTION_METRICS.map((metric) => String(snapshot.numbers[metric])),
        optional(snapshot.numbers.provisioned),
    ]);
}

/** The latest numbers, one row per metric (the "Adoption today" table). */
export const currentCsvHeader = ['metric', 'value', 'taken_at'];

export function currentCsvRows(snapshot: AdoptionSnapshot | null): string[][] {
    if (!snapshot) {
        return [];
    }
    const takenAt = isoTime(snapshot.taken_at);
    return [
        ...ADOPTION_METRICS.map((metric) => [metric, String(snapshot.numbers[metric]), takenAt]),
        ['provisioned', optional(snapshot.numbers.provisioned), takenAt],
    ];
}

export const targetsCsvHeader = ['id', 'label', 'metric', 'kind', 'threshold', 'base', 'due', 'current', 'goal', 'percent', 'status'];

export function targetsCsvRows(progress: readonly TargetProgress[]): string[][] {
    return progress.map(({target, current, goal, percent, status}) => [
        target.id,
        target.label,
        target.metric,
        target.kind,
        String(target.threshold),
        target.kind === 'percent' ? target.base : '',
        target.due,
        optional(current),
        optional(goal),
        String(percent),
        status,
    ]);
}

const waveCells = (waveId: string, wave: WaveAdoption) => [
    waveId,
    wave.name,
    ...WAVE_FUNNEL_STAGES.map((stage) => String(wave[stage])),
    String(wave.feedback.great),
    String(wave.feedback.ok),
    String(wave.feedback.help),
    isoTime(wave.measured_at),
    ...WAVE_NEWCOMER_STAGES.map((stage) => String(wave[stage] ?? 0)),
];

// The invitation and account stages came later: their columns go last (0 in older measurements), so
// readers of the earlier export keep their column positions.
const waveColumns = [
    'wave_id',
    'wave_name',
    ...WAVE_FUNNEL_STAGES,
    'feedback_great',
    'feedback_ok',
    'feedback_help',
    'measured_at',
    ...WAVE_NEWCOMER_STAGES,
];

/** Each wave's latest funnel and feedback (names are admin text: toCsv neutralises formulas). */
export const wavesCsvHeader = waveColumns;

export function wavesCsvRows(snapshot: AdoptionSnapshot | null): string[][] {
    return Object.entries(snapshot?.waves ?? {}).map(([waveId, wave]) => waveCells(waveId, wave));
}

/** The per-wave series: one row per day and wave, oldest day first. */
export const wavesDailyCsvHeader = ['day', ...waveColumns];

export function wavesDailyCsvRows(days: readonly AdoptionSnapshot[]): string[][] {
    return days.flatMap((snapshot) =>
        Object.entries(snapshot.waves ?? {}).map(([waveId, wave]) => [snapshot.day, ...waveCells(waveId, wave)]),
    );
}

/** The load samples taken at or after `keepFrom`, plus `add` (replacing one taken at the same time), oldest first. */
export function mergeLoad(samples: readonly LoadSample[], add: LoadSample, keepFrom: number): LoadSample[] {
    const kept = samples.filter((sample) => sample.taken_at >= keepFrom && sample.taken_at !== add.taken_at);
    return [...kept, add].sort((a, b) => a.taken_at - b.taken_at);
}

export const loadCsvHeader = ['taken_at', 'active_sessions', 'db_connections', 'db_max_connections'];

export function loadCsvRows(samples: readonly LoadSample[]): string[][] {
    return samples.map((sample) => [
        isoTime(sample.taken_at),
        String(sample.active_sessions),
        String(sample.db_connections),
        String(sample.db_max_connections),
    ]);
}
