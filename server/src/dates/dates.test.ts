import {isoTime, utcDay} from './dates';

describe('utcDay', () => {
    test.each([
        [Date.UTC(2026, 11, 7, 0, 0, 0), '2026-12-07'],
        [Date.UTC(2026, 11, 7, 23, 59, 59), '2026-12-07'],
        [Date.UTC(2027, 0, 1, 0, 0, 0) - 1, '2026-12-31'],
        [Date.UTC(2026, 0, 1, 23, 59, 59, 999), '2026-01-01'],
        [Date.UTC(2026, 1, 28, 23, 59, 59, 999) + 1, '2026-03-01'],
        [Date.UTC(2028, 1, 29, 12), '2028-02-29'],
    ])('%d → %s (UTC)', (ms, day) => expect(utcDay(ms)).toBe(day));
});

test('isoTime is ISO 8601 in UTC, with milliseconds', () => {
    expect(isoTime(Date.UTC(2026, 1, 10, 9, 5, 3, 7))).toBe('2026-02-10T09:05:03.007Z');
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
});
