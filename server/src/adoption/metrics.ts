import type {AdoptionNumbers, AdoptionSnapshot, AdoptionTarget, LoadSample, TargetProgress} from 'contract/adoption';

import type {SystemActivity} from '../mattermost/api';

// Pure adoption computations: day keys, snapshots from the host's counts, progress against targets,
// the CSV rows. No KV, no host: everything here is tested over fixtures.

/** The UTC day of a time in ms, as YYYY-MM-DD (toISOString is UTC; goja has no Intl). */
export function utcDay(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

export function snapshotFrom(activity: SystemActivity, now: number): AdoptionSnapshot {
    const numbers: AdoptionNumbers = {
        daily_active: activity.daily_active,
        weekly_active: activity.weekly_active,
        monthly_active: activity.monthly_active,
        posts_last_day: activity.posts_last_day,
        active_channels: activity.active_channels,
        total_users: activity.total_users,
    };
    return {day: utcDay(now), taken_at: now, numbers};
}

/** The absolute number a target asks for: the threshold itself, or its percent of the base (rounded up). */
export function targetGoal(target: AdoptionTarget, numbers: AdoptionNumbers): number {
    return target.kind === 'count' ? target.threshold : Math.ceil((target.threshold * numbers[target.base]) / 100);
}

/** Progress of each target against the latest numbers, on `today` (a UTC day). */
export function targetProgress(targets: readonly AdoptionTarget[], numbers: AdoptionNumbers | null, today: string): TargetProgress[] {
    return targets.map((target) => {
        if (!numbers) {
            return {target, current: null, goal: null, percent: 0, status: 'unknown'};
        }
        const current = numbers[target.metric];
        const goal = targetGoal(target, numbers);
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
    return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).slice(-limit);
}

export const dailyCsvHeader = ['day', 'taken_at', 'daily_active', 'weekly_active', 'monthly_active', 'posts_last_day', 'active_channels', 'total_users'];

export function dailyCsvRows(days: readonly AdoptionSnapshot[]): string[][] {
    return days.map((snapshot) => [
        snapshot.day,
        new Date(snapshot.taken_at).toISOString(),
        String(snapshot.numbers.daily_active),
        String(snapshot.numbers.weekly_active),
        String(snapshot.numbers.monthly_active),
        String(snapshot.numbers.posts_last_day),
        String(snapshot.numbers.active_channels),
        String(snapshot.numbers.total_users),
    ]);
}

/** The load samples taken at or after `keepFrom`, plus `add` (replacing one taken at the same time), oldest first. */
export function mergeLoad(samples: readonly LoadSample[], add: LoadSample, keepFrom: number): LoadSample[] {
    const kept = samples.filter((sample) => sample.taken_at >= keepFrom && sample.taken_at !== add.taken_at);
    return [...kept, add].sort((a, b) => a.taken_at - b.taken_at);
}

export const loadCsvHeader = ['taken_at', 'active_sessions', 'db_connections', 'db_max_connections'];

export function loadCsvRows(samples: readonly LoadSample[]): string[][] {
    return samples.map((sample) => [
        new Date(sample.taken_at).toISOString(),
        String(sample.active_sessions),
        String(sample.db_connections),
        String(sample.db_max_connections),
    ]);
}
