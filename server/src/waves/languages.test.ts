import {WaveRoutes} from 'contract/routes';

import {welcomeLanguages} from './dryRun';

import {runToEnd, waveFixture} from '../testing/waveFixture';
import {escapeMarkdown} from '../welcome/template';

// A wave's welcome per language: each person gets the wave's text for their language (their locale,
// else the server's default) or the fallback, with the feedback buttons in that language; the dry run
// counts each language; the preview renders the one asked for.

async function languageWave(locales: string[], serverDefault = '') {
    const fixture = await waveFixture({users: locales.length});
    fixture.users.forEach((user, i) => {
        fixture.api.directory.users.get(user.id)!.locale = locales[i];
    });
    fixture.api.serverConfig = {...fixture.api.serverConfig, LocalizationSettings: {DefaultServerLocale: serverDefault}};
    const wave = await fixture.createWave({
        welcome: {
            enabled: true,
            template: 'Welcome, {{username}}!',
            help_link: '',
            translations: {de: 'Willkommen, {{username}}!', ja: 'ようこそ、{{username}} さん！'},
        },
        feedback: {enabled: true, help_desk_channel_id: ''},
    });
    return {fixture, wave};
}

describe('a welcome per language', () => {
    test('each person gets their language’s text or the fallback, and the buttons in that language', async () => {
        const {fixture, wave} = await languageWave(['de', 'ja', 'sv', 'en', 'de-AT']);
        expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
        runToEnd(fixture, wave.id);
        const welcomes = fixture.users.map((user) => {
            const post = fixture.api.createdPosts.find((candidate) => candidate.props?.cockpit_welcome === `${wave.id}:${user.id}`)!;
            const attachment = (post.props.attachments as Array<{text: string; actions: Array<{name: string}>}>)[0];
            return [post.message, attachment.text, attachment.actions.map((action) => action.name).join('|')];
        });
        const [de, ja, sv, en, at] = fixture.users.map((user) => escapeMarkdown(user.username));
        expect(welcomes).toEqual([
            [`Willkommen, ${de}!`, 'Wie läuft Ihr Start?', '👍 Super|😐 Geht so|🆘 Ich brauche Hilfe'],
            [`ようこそ、${ja} さん！`, 'スタートは順調ですか？', '👍 順調|😐 まあまあ|🆘 助けが必要'],
            [`Welcome, ${sv}!`, 'How is your start going?', '👍 Great|😐 OK|🆘 I need help'],
            [`Welcome, ${en}!`, 'How is your start going?', '👍 Great|😐 OK|🆘 I need help'],
            [`Willkommen, ${at}!`, 'Wie läuft Ihr Start?', '👍 Super|😐 Geht so|🆘 Ich brauche Hilfe'],
        ]);
    });

    test('a person without a language of their own gets the server’s default', async () => {
        const {fixture, wave} = await languageWave(['', 'sv'], 'ja');
        expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
        runToEnd(fixture, wave.id);
        const messages = fixture.users.map((user) =>
            fixture.api.createdPosts.find((candidate) => candidate.props?.cockpit_welcome === `${wave.id}:${user.id}`)!.message);
        expect(messages.every((message) => message.startsWith('ようこそ、'))).toBe(true);
    });

    test('the dry run counts each language; the preview renders the one asked for', async () => {
        const {fixture, wave} = await languageWave(['de', 'de', 'ja', 'sv', 'fr']);
        const dry = await fixture.client.post(WaveRoutes.dryRun(wave.id), {});
        expect(dry.status).toBe(200);
        expect(dry.json.welcome_languages).toEqual([
            {locale: 'de', people: 2, own_template: true},
            {locale: 'en', people: 1, own_template: false},
            {locale: 'fr', people: 1, own_template: false},
            {locale: 'ja', people: 1, own_template: true},
        ]);
        const preview = async (body: Record<string, unknown>) =>
            (await fixture.client.post(WaveRoutes.welcomePreview(wave.id), body)).json.markdown;
        expect(await preview({locale: 'ja'})).toMatch(/^ようこそ、/);
        expect(await preview({locale: 'fr'})).toMatch(/^Welcome, /);
        expect(await preview({})).toMatch(/^Welcome, /);
        expect(await preview({locale: 'de', template: 'Hallo {{username}}'})).toMatch(/^Hallo /);
        expect((await fixture.client.post(WaveRoutes.welcomePreview(wave.id), {locale: 'sv'})).status).toBe(400);
    });

    test('a translation for a language the cockpit does not speak is refused', async () => {
        const {fixture, wave} = await languageWave(['de']);
        const response = await fixture.client.patch(WaveRoutes.wave(wave.id), {
            expected_version: wave.version,
            changes: {welcome: {template: 'x', translations: {sv: 'Välkommen'}}},
        });
        expect(response.status).toBe(400);
    });

    test('welcomeLanguages: most people first, then by locale', () => {
        expect(welcomeLanguages({template: 't', translations: {ko: 'k'}}, [{locale: 'ko'}, {locale: 'zh-TW'}, {}], 'ru')).toEqual([
            {locale: 'ru', people: 2, own_template: false},
            {locale: 'ko', people: 1, own_template: true},
        ]);
    });
});
