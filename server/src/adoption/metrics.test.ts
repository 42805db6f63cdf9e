import type {AdoptionNumbers, AdoptionSnapshot, AdoptionTarget} from 'contract/adoption';
import {AdoptionTargetSchema} from 'contract/adoption';

import {
    currentCsvRows,
    dailyCsvHeader,
    dailyCsvRows,
    mergeDaily,
    snapshotFrom,
    targetGoal,
    targetProgress,
    targetsCsvRows,
    wavesCsvHeader,
    wavesCsvRows,
    wavesDailyCsvRows,
} from './metrics';

const numbers: AdoptionNumbers = {
    daily_active: 30,
    weekly_active: 60,
    monthly_active: 75,
    posts_last_day: 400,
    active_channels: 12,
    total_users: 100,
};
const target = (fields: Partial<AdoptionTarget>): AdoptionTarget =>
    AdoptionTargetSchema.parse({id: 't', metric: 'monthly_active', kind: 'count', threshold: 50, due: '2026-03-01', ...fields});

test('snapshotFrom copies the host counts and stamps the UTC day', () => {
    const now = Date.UTC(2026, 4, 2, 23, 30);
    expect(snapshotFrom({...numbers}, now)).toEqual({day: '2026-05-02', taken_at: now, numbers});
    expect(snapshotFrom({...numbers}, now, 7, {})).toEqual({
        day: '2026-05-02',
        taken_at: now,
        numbers: {...numbers, provisioned: 7},
        waves: {},
    });
});

describe('target progress', () => {
    test('count: goal is the threshold', () => {
        expect(targetGoal(target({threshold: 50}), numbers)).toBe(50);
        expect(targetProgress([target({threshold: 150})], numbers, '2026-01-01')[0]).toMatchObject({
            current: 75,
            goal: 150,
            percent: 50,
            status: 'on_track',
        });
    });

    test('percent: goal is that share of total users, rounded up', () => {
        expect(targetGoal(target({kind: 'percent', threshold: 80}), numbers)).toBe(80);
        expect(targetGoal(target({kind: 'percent', threshold: 33.3}), numbers)).toBe(34);
        expect(targetProgress([target({kind: 'percent', threshold: 80})], numbers, '2026-01-01')[0]).toMatchObject({
            goal: 80,
            percent: 93.8,
            status: 'on_track',
        });
    });

    test('met, overdue, unknown; percent caps at 100', () => {
        const [met, overdue] = targetProgress(
            [target({threshold: 10}), target({metric: 'daily_active', threshold: 60, due: '2026-01-31'})],
            numbers,
            '2026-02-01',
        );
        expect(met).toMatchObject({status: 'met', percent: 100});
        expect(overdue).toMatchObject({status: 'overdue', current: 30, percent: 50});
        expect(targetProgress([target({})], null, '2026-01-01')[0]).toMatchObject({
            status: 'unknown',
            current: null,
            goal: null,
            percent: 0,
        });
        expect(targetProgress([target({threshold: 0})], numbers, '2026-01-01')[0]).toMatchObject({status: 'met', percent: 100});
    });

    test('due day itself is not overdue', () => {
        expect(targetProgress([target({threshold: 500, due: '2026-02-01'})], numbers, '2026-02-01')[0].status).toBe('on_track');
    });

    test('a percent above 100 is refused', () => {
        expect(
            AdoptionTargetSchema.safeParse({id: 't', metric: 'monthly_active', kind: 'percent', threshold: 101, due: '2026-03-01'}).
                success,
        ).toBe(false);
        expect(
            AdoptionTargetSchema.safeParse({id: 't', metric: 'monthly_active', kind: 'count', threshold: 101, due: '2026-03-01'}).
                success,
        ).toBe(true);
    });
});

const snap = (day: string, dailyActive = 1): AdoptionSnapshot => ({
    day,
    taken_at: Date.parse(`${day}T00:05:00Z`),
    numbers: {...numbers, daily_active: dailyActive},
});

test('mergeDaily: one per day (the first stored wins), oldest first, newest kept', () => {
    const merged = mergeDaily([snap('2026-01-03'), snap('2026-01-01')], snap('2026-01-02'), 10);
    expect(merged.map((s) => s.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(mergeDaily([snap('2026-01-01', 5)], snap('2026-01-01', 9), 10)).toEqual([snap('2026-01-01', 5)]);
    expect(mergeDaily([snap('2026-01-01'), snap('2026-01-02'), snap('2026-01-03')], undefined, 2).map((s) => s.day)).toEqual([
        '2026-01-02',
        '2026-01-03',
    ]);
});

test('daily CSV rows (provisioned empty when a snapshot predates it)', () => {
    expect(dailyCsvHeader).toHaveLength(9);
    expect(dailyCsvRows([snap('2026-01-02', 7)])).toEqual([
        ['2026-01-02', '2026-01-02T00:05:00.000Z', '7', '60', '75', '400', '12', '100', ''],
    ]);
    const withProvisioned = {...snap('2026-01-03'), numbers: {...numbers, provisioned: 40}};
    expect(dailyCsvRows([withProvisioned])[0][8]).toBe('40');
});

describe('percent of provisioned', () => {
    const ofProvisioned = target({kind: 'percent', threshold: 80, base: 'provisioned'});

    test('the goal is that share of the users the waves provisioned', () => {
        expect(targetGoal(ofProvisioned, {...numbers, provisioned: 50})).toBe(40);
        expect(targetProgress([ofProvisioned], {...numbers, provisioned: 50}, '2026-01-01')[0]).toMatchObject({
            current: 75,
            goal: 40,
            percent: 100,
            status: 'met',
        });
        expect(targetProgress([ofProvisioned], {...numbers, provisioned: 125}, '2026-01-01')[0]).toMatchObject({
            goal: 100,
            percent: 75,
            status: 'on_track',
        });
    });

    test('a snapshot without the provisioned count → no goal, status unknown (never a false "met")', () => {
        expect(targetGoal(ofProvisioned, numbers)).toBeNull();
        expect(targetProgress([ofProvisioned], numbers, '2026-04-01')[0]).toMatchObject({
            current: 75,
            goal: null,
            percent: 0,
            status: 'unknown',
        });
    });

    test('the base is stored; it defaults to total users; an unknown base is refused', () => {
        expect(ofProvisioned.base).toBe('provisioned');
        expect(target({kind: 'percent'}).base).toBe('total_users');
        expect(
            AdoptionTargetSchema.safeParse({
                id: 't',
                metric: 'monthly_active',
                kind: 'percent',
                threshold: 1,
                base: 'licensed',
                due: '2026-03-01',
            }).success,
        ).toBe(false);
    });
});

test('targets CSV rows: the base only for percent targets; empty cells before any measurement', () => {
    const progress = targetProgress(
        [target({id: 'a', kind: 'percent', threshold: 80, base: 'provisioned', label: 'MAU'}), target({id: 'b'})],
        {...numbers, provisioned: 50},
        '2026-01-01',
    );
    expect(targetsCsvRows(progress)).toEqual([
        ['a', 'MAU', 'monthly_active', 'percent', '80', 'provisioned', '2026-03-01', '75', '40', '100', 'met'],
        ['b', '', 'monthly_active', 'count', '50', '', '2026-03-01', '75', '50', '100', 'met'],
    ]);
    expect(targetsCsvRows(targetProgress([target({id: 'c'})], null, '2026-01-01'))[0].slice(7)).toEqual(['', '', '0', 'unknown']);
});

test('current and wave CSV rows', () => {
    const wave = {
        name: 'Pilot',
        measured_at: Date.UTC(2026, 0, 2),
        cohort: 10,
        provisioned: 9,
        welcomed: 8,
        logged_in: 5,
        posted: 3,
        feedback: {great: 2, ok: 1, help: 1},
    };
    const snapshot = {...snap('2026-01-02'), numbers: {...numbers, provisioned: 9}, waves: {w1: wave}};
    expect(currentCsvRows(null)).toEqual([]);
    expect(currentCsvRows(snapshot).map((row) => row.slice(0, 2))).toEqual([
        ['daily_active', '30'],
        ['weekly_active', '60'],
        ['monthly_active', '75'],
        ['posts_last_day', '400'],
        ['active_channels', '12'],
        ['total_users', '100'],
        ['provisioned', '9'],
    ]);

    // A measurement taken before the invitation and account stages existed counts 0 in them; their
    // columns come last, so the earlier columns keep their positions.
    expect(wavesCsvRows(snapshot)).toEqual([
        ['w1', 'Pilot', '10', '9', '8', '5', '3', '2', '1', '1', '2026-01-02T00:00:00.000Z', '0', '0'],
    ]);
    expect(wavesCsvRows(snap('2026-01-02'))).toEqual([]);
    expect(wavesDailyCsvRows([snap('2026-01-01'), snapshot])).toEqual([
        ['2026-01-02', 'w1', 'Pilot', '10', '9', '8', '5', '3', '2', '1', '1', '2026-01-02T00:00:00.000Z', '0', '0'],
    ]);
    const newcomers = {...snapshot, waves: {w1: {...wave, invited: 7, account: 6}}};
    expect(wavesCsvRows(newcomers)[0].slice(-2)).toEqual(['7', '6']);
    expect(wavesCsvHeader).toEqual([
        'wave_id', 'wave_name', 'cohort', 'provisioned', 'welcomed', 'logged_in', 'posted',
        'feedback_great', 'feedback_ok', 'feedback_help', 'measured_at', 'invited', 'account',
    ]);
});
