import {localDate, localDateTimeInput} from './dates';

describe('dates in the browser\'s time zone', () => {
    const at = new Date(2026, 0, 7, 9, 5).getTime();

    it('writes a day and a datetime-local value with two-digit fields', () => {
        expect(localDate(at)).toBe('2026-01-07');
        expect(localDateTimeInput(at)).toBe('2026-01-07T09:05');
    });
});
