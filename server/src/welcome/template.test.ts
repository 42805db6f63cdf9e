import {cockpitLocales} from 'contract/locales';

import {
    escapeMarkdown,
    type GettingStarted,
    gettingStartedItems,
    renderGettingStarted,
    renderWelcome,
    type WelcomeVariables,
} from './template';

import {formatMessage} from '../i18n/messages';

const variables: WelcomeVariables = {
    first_name: 'Ada',
    username: 'ada',
    team: 'Rollout',
    channels: 'Info, Help',
    help_link: 'https://help.example/start',
    wave: 'Wave 1',
    start_date: '2026-12-07',
    today: '2026-12-02',
};

describe('renderWelcome', () => {
    test.each([
        [
            'every variable',
            'Hi {{first_name}} (@{{username}}) in {{team}}: {{channels}}, {{wave}}. {{help_link}}',
            {},
            'Hi Ada (@ada) in Rollout: Info, Help, Wave 1. <https://help.example/start>',
        ],
        ['spaces inside braces', '{{ first_name }}', {}, 'Ada'],
        ['unknown names stay as written', '{{nope}} {{first_name}}', {}, '{{nope}} Ada'],
        [
            'a markdown link in a name is inert text',
            '{{first_name}}',
            {first_name: '[click](https://evil.example)'},
            '\\[click\\]\\(https\\://evil\\.example\\)',
        ],
        [
            'an image in a name is inert text',
            '{{first_name}}',
            {first_name: '![x](http://e/x.png)'},
            '\\!\\[x\\]\\(http\\://e/x\\.png\\)',
        ],
        ['mentions cannot notify', '{{first_name}}', {first_name: '@channel @all'}, '＠channel ＠all'],
        ['emphasis, code and headings are escaped', '{{team}}', {team: '# *bold* `code` _x_'}, '\\# \\*bold\\* \\`code\\` \\_x\\_'],
        ['line breaks cannot start a new block', '{{first_name}}', {first_name: 'Ada\n# Heading\r\n> quote'}, 'Ada \\# Heading \\> quote'],
        ['html is escaped', '{{first_name}}', {first_name: '<script>'}, '\\<script\\>'],
        ['a non-http help link is text, not a link', '{{help_link}}', {help_link: 'javascript:alert(1)'}, 'javascript\\:alert\\(1\\)'],
        ['a help link with markdown is text', '{{help_link}}', {help_link: 'https://x.example/a)[b'}, 'https\\://x\\.example/a\\)\\[b'],
        ['an empty help link', 'Help: {{help_link}}', {help_link: ''}, 'Help: '],
    ])('%s', (_name, template, overrides, expected) => {
        expect(renderWelcome(template, {...variables, ...overrides})).toBe(expected);
    });

    test('template markdown itself is kept', () => {
        expect(renderWelcome('**Welcome** [docs](https://docs.example) {{username}}', variables)).toBe(
            '**Welcome** [docs](https://docs.example) ada',
        );
    });

    test('escaping is idempotent on plain words', () => {
        expect(escapeMarkdown('Ada Lovelace')).toBe('Ada Lovelace');
    });
});

describe('dates', () => {
    test('{{start_date}} and {{today}} are the given days', () => {
        expect(renderWelcome('Starts {{start_date}} (today is {{ today }})', variables)).toBe(
            'Starts 2026\\-12\\-07 (today is 2026\\-12\\-02)',
        );
    });
});

describe('getting started', () => {
    const list: GettingStarted = {
        locale: 'en',
        profile_picture: true,
        desktop_app: false,
        mobile_app: true,
        notifications: true,
        desktop_link: 'https://mattermost.com/download/',
        mobile_link: '',
        channels: [
            {name: 'town-square', display: 'Town Square', visited: true},
            {name: 'sales', display: 'Sales', visited: false},
            {name: 'Not A Url Name', display: '[x](https://evil.example) @all', visited: false},
        ],
    };

    test('a task list: what the server shows done is ticked, the rest open; channels link by URL name', () => {
        expect(renderGettingStarted(list).split('\n')).toEqual([
            '- [ ] Install the desktop app: <https://mattermost.com/download/>',
            '- [x] Install the mobile app',
            '- [x] Add a profile picture (Profile → Edit)',
            '- [x] Choose your notification settings (Settings → Notifications)',
            '- [x] Visit ~town-square',
            '- [ ] Visit ~sales',

            // A name that is not a URL name is shown as its display name, escaped: no link, no mention.
            '- [ ] Visit \\[x\\]\\(https\\://evil\\.example\\) ＠all',
        ]);
    });

    test('the words are the reader\'s language; links and channel names stay as they are', () => {
        expect(renderGettingStarted({...list, locale: 'de'}).split('\n')).toEqual([
            '- [ ] Installieren Sie die Desktop-App: <https://mattermost.com/download/>',
            '- [x] Installieren Sie die mobile App',
            '- [x] Fügen Sie ein Profilbild hinzu (Profil → Bearbeiten)',
            '- [x] Wählen Sie Ihre Benachrichtigungseinstellungen (Einstellungen → Benachrichtigungen)',
            '- [x] Besuchen Sie ~town-square',
            '- [ ] Besuchen Sie ~sales',
            '- [ ] Besuchen Sie \\[x\\]\\(https\\://evil\\.example\\) ＠all',
        ]);
        expect(renderGettingStarted({...list, locale: 'ja'})).toContain('- [x] ~town-square を開く');
    });

    test('no item\'s label starts another item\'s, in any language: ticking one never ticks another', () => {
        const labels = cockpitLocales.flatMap((locale) =>
            Object.entries(gettingStartedItems).map(([item, id]) => ({item, label: formatMessage(locale, id)})));
        for (const {item, label} of labels) {
            expect(labels.filter((other) => other.item !== item && other.label.startsWith(label))).toEqual([]);
        }
    });

    test('a link that is not a plain http(s) URL is inert text', () => {
        expect(renderGettingStarted({...list, desktop_link: 'javascript:alert(1)'})).toContain(
            'Install the desktop app: javascript\\:alert\\(1\\)',
        );
    });

    test('{{getting_started}} is a block of its own; without a list it stays as written', () => {
        expect(renderWelcome('Hi {{first_name}}! {{getting_started}}Bye', variables, list)).toBe(
            `Hi Ada! \n\n${renderGettingStarted(list)}\n\nBye`,
        );
        expect(renderWelcome('{{getting_started}}', variables)).toBe('{{getting_started}}');
    });
});
