import {formatMessage, speakerForUser} from './messages';

// The bot's messages in the receiver's language. (Node's Intl here; the plugin's engine uses the host's
// CLDR tables, proven by server/host's TestIntl* and the real-server E2E test of a wave in three languages.)

describe('formatMessage', () => {
    test('fills the arguments in the language asked for', () => {
        expect(formatMessage('de', 'survey.changeUntil', {day: '2027-01-31'})).
            toBe('Sie können Ihre Antworten bis 2027-01-31 über dieselbe Schaltfläche ändern.');
        expect(formatMessage('ja', 'journey.stop')).toBe('ヒントを停止');
        expect(formatMessage('en', 'feedback.help')).toBe('🆘 I need help');
    });

    test("plurals follow each language's rules", () => {
        const rejected = (locale: 'en' | 'pl' | 'ru' | 'de', decided: number) => formatMessage(locale, 'review.rejected', {decided});
        expect([1, 2, 5].map((n) => rejected('en', n))).toEqual(['Rejected 1 channel.', 'Rejected 2 channels.', 'Rejected 5 channels.']);
        expect([1, 2, 5, 22, 25].map((n) => rejected('pl', n))).toEqual([
            'Odrzucono 1 kanał.',
            'Odrzucono 2 kanały.',
            'Odrzucono 5 kanałów.',
            'Odrzucono 22 kanały.',
            'Odrzucono 25 kanałów.',
        ]);
        expect(rejected('ru', 21)).toBe('Отклонено 21 канал.');
        expect(rejected('de', 1234)).toBe('1.234 Kanäle abgelehnt.');
    });

    test('an empty branch leaves nothing behind', () => {
        expect(formatMessage('en', 'review.approved', {decided: 2, applied: 2, notApplied: 0, link: 'L'})).
            toBe('Approved 2 channels: 2 applied.');
        expect(formatMessage('en', 'review.approved', {decided: 3, applied: 2, notApplied: 1, link: 'L'})).
            toBe('Approved 3 channels: 2 applied, 1 not (see the review panel for why: L).');
    });
});

describe('speakerForUser: whom the bot speaks to in what', () => {
    const config = (locale: string) => ({LocalizationSettings: {DefaultServerLocale: locale}});

    test.each([
        ['de', 'fr', 'de'],
        ['ja', 'en', 'ja'],
        ['pt-BR', 'en', 'pt-BR'],
        ['zh-CN', 'de', 'zh-CN'],
        ['en-AU', 'de', 'en'],
        ['sv', 'fr', 'fr'],
        ['tr', '', 'en'],
        ['zh-TW', 'ja', 'ja'],
        ['', 'es', 'es'],
        [undefined, 'nl', 'nl'],
        ['sv', 'xx', 'en'],
    ])('user locale %p on a server defaulting to %p → %p', (userLocale, serverDefault, expected) => {
        expect(speakerForUser({locale: userLocale}, config(serverDefault)).locale).toBe(expected);
    });

    test('no config and no user: English', () => {
        expect(speakerForUser(null, undefined).locale).toBe('en');
        expect(speakerForUser(null, undefined).t('journey.stop')).toBe('No more tips');
    });
});
