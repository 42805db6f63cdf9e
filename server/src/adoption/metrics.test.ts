import type {AdoptionNumbers, AdoptionSnapshot, AdoptionTarget} from 'contract/adoption';
import {AdoptionTargetSchema} from 'contract/adoption';

import {dailyCsvHeader, dailyCsvRows, mergeDaily, snapshotFrom, targetGoal, targetProgress, utcDay} from './metrics';

const numbers: AdoptionNumbers = {daily_active: 30, weekly_active: 60, monthly_active: 75, posts_last_day: 400, active_channels: 12, total_users: 100};
const target = (fields: Partial<AdoptionTarget>): AdoptionTarget =>
    AdoptionTargetSchema.parse({id: 't', metric: 'monthly_active', kind: 'count', threshold: 50, due: '2026-03-01', ...fields});

describe('utcDay', () => {
    test.each([
        [Date.UTC(2026, 0, 1, 0, 0, 0), '2026-01-01'],
        [Date.UTC(2026, 0, 1, 23, 59, 59, 999), '2026-01-01'],
        [Date.UTC(2026, 1, 28, 23, 59, 59, 999) + 1, '2026-03-01'],
        [Date.UTC(2028, 1, 29, 12), '2028-02-29'],
    ])('%d → %s', (ms, day) => expect(utcDay(ms)).toBe(day));
});

test('snapshotFrom copies the host counts and stamps the UTC day', () => {
    const now = Date.UTC(2026, 4, 2, 23, 30);
    expect(snapshotFrom({...numbers}, now)).toEqual({day: '2026-05-02', taken_at: now, numbers});
});

describe('target progress', () => {
    test('count: goal is the threshold', () => {
        expect(targetGoal(target({threshold: 50}), numbers)).toBe(50);
        expect(targetProgress([target({threshold: 150})], numbers, '2026-01-01')[0]).toMatchObject({current: 75, goal: 150, percent: 50, status: 'on_track'});
    });

    test('percent: goal is that share of total users, rounded up', () => {
        expect(targetGoal(target({kind: 'percent', threshold: 80}), numbers)).toBe(80);
        expect(targetGoal(target({kind: 'percent', threshold: 33.3}), numbers)).toBe(34);
        expect(targetProgress([target({kind: 'percent', threshold: 80})], numbers, '2026-01-01')[0]).toMatchObject({goal: 80, percent: 93.8, status: 'on_track'});
    });

    test('met, overdue, unknown; percent caps at 100', () => {
        const [met, overdue] = targetProgress([target({threshold: 10}), target({metric: 'daily_active', threshold: 60, due: '2026-01-31'})], numbers, '2026-02-01');
        expect(met).toMatchObject({status: 'met', percent: 100});
        expect(overdue).toMatchObject({status: 'overdue', current: 30, percent: 50});
        expect(targetProgress([target({})], null, '2026-01-01')[0]).toMatchObject({status: 'unknown', current: null, goal: null, percent: 0});
        expect(targetProgress([target({threshold: 0})], numbers, '2026-01-01')[0]).toMatchObject({status: 'met', percent: 100});
    });

    test('due day itself is not overdue', () => {
        expect(targetProgress([target({threshold: 500, due: '2026-02-01'})], numbers, '2026-02-01')[0].status).toBe('on_track');
    });

    test('a percent above 100 is refused', () => {
        expect(AdoptionTargetSchema.safeParse({id: 't', metric: 'monthly_active', kind: 'percent', threshold: 101, due: '2026-03-01'}).success).toBe(false);
        expect(AdoptionTargetSchema.safeParse({id: 't', metric: 'monthly_active', kind: 'count', threshold: 101, due: '2026-03-01'}).success).toBe(true);
    });
});

const snap = (day: string, dailyActive = 1): AdoptionSnapshot => ({day, taken_at: Date.parse(`${day}T00:05:00Z`), numbers: {...numbers, daily_active: dailyActive}});

test('mergeDaily: one per day (the first stored wins), oldest first, newest kept', () => {
    const merged = mergeDaily([snap('2026-01-03'), snap('2026-01-01')], snap('2026-01-02'), 10);
    expect(merged.map((s) => s.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(mergeDaily([snap('2026-01-01', 5)], snap('2026-01-01', 9), 10)).toEqual([snap('2026-01-01', 5)]);
    expect(mergeDaily([snap('2026-01-01'), snap('2026-01-02'), snap('2026-01-03')], undefined, 2).map((s) => s.day)).toEqual(['2026-01-02', '2026-01-03']);
});

test('daily CSV rows', () => {
    expect(dailyCsvHeader).toHaveLength(8);
    expect(dailyCsvRows([snap('2026-01-02', 7)])).toEqual([['2026-01-02', '2026-01-02T00:05:00.000Z', '7', '60', '75', '400', '12', '100']]);
});
