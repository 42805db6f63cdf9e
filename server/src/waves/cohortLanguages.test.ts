import {WaveRoutes} from 'contract/routes';
import {type CsvRow, speaksCohortLanguage} from 'contract/waves';

import {arrivalsInCohortLanguages, inCohortLanguages} from './cohort';

import {runToEnd, waveFixture} from '../testing/waveFixture';

// A cohort narrowed by language: only the people whose language (their Mattermost locale, else the
// server's default: the language the bot speaks to them in) is one of the wave's. The run queues only
// them, the dry run counts the others apart, a new account or team join outside the languages is not
// taken, and a language the cockpit does not speak is refused at the boundary.

async function filteredWave(locales: string[], cohortLocales: unknown, serverDefault = 'ja') {
    const fixture = await waveFixture({users: locales.length});
    fixture.users.forEach((user, i) => {
        fixture.api.directory.users.get(user.id)!.locale = locales[i];
    });
    fixture.api.serverConfig = {...fixture.api.serverConfig, LocalizationSettings: {DefaultServerLocale: serverDefault}};
    const cohort = {team_ids: [fixture.source.id], locales: cohortLocales};
    return {fixture, create: () => fixture.client.post(WaveRoutes.waves, fixture.definition({cohort}))};
}

describe('a cohort filtered by language', () => {
    test('speaksCohortLanguage: the person’s locale, else the server’s default; no filter takes everybody', () => {
        expect(speaksCohortLanguage({locales: ['de']}, 'de-AT', 'en')).toBe(true);
        expect(speaksCohortLanguage({locales: ['de']}, 'sv', 'de')).toBe(true);
        expect(speaksCohortLanguage({locales: ['de']}, '', 'ja')).toBe(false);
        expect(speaksCohortLanguage({locales: ['en']}, 'sv', '')).toBe(true);
        expect(speaksCohortLanguage({locales: []}, 'ja', 'en')).toBe(true);
        expect(speaksCohortLanguage({}, 'ja', 'en')).toBe(true);
        expect(inCohortLanguages({locales: ['pt-BR', 'ko']}, [{locale: 'pt-BR'}, {locale: 'pt-PT'}, {locale: 'ko'}, {}], 'en')).
            toEqual({kept: [{locale: 'pt-BR'}, {locale: 'ko'}], outside: 2});
    });

    test('the run provisions and greets only the people of the chosen languages', async () => {
        const {fixture, create} = await filteredWave(['de', 'ja', 'sv', '', 'de-AT', 'fr'], ['de', 'fr']);
        const created = await create();
        expect(created.status).toBe(201);
        expect(created.json.definition.cohort.locales).toEqual(['de', 'fr']);
        const waveId = created.json.id;
        expect((await fixture.client.post(WaveRoutes.start(waveId), {expected_version: created.json.version})).status).toBe(200);
        runToEnd(fixture, waveId);
        const provisioned = fixture.users.map((user) => fixture.api.directory.teamMember(fixture.team.id, user.id) !== undefined);
        expect(provisioned).toEqual([true, false, false, false, true, true]);
        const greeted = fixture.dmsByUser();
        expect(fixture.users.map((user) => greeted.get(user.id) ?? 0)).toEqual([1, 0, 0, 0, 1, 1]);
        const progress = (await fixture.client.get(WaveRoutes.progress(waveId))).json;
        expect(progress.total).toBe(3);
    });

    test('the dry run counts the people the filter leaves out apart, and the languages of those it keeps', async () => {
        const {fixture, create} = await filteredWave(['de', 'ja', 'sv', '', 'de'], ['ja']);
        const wave = (await create()).json;
        const dry = await fixture.client.post(WaveRoutes.dryRun(wave.id), {});
        expect(dry.status).toBe(200);

        // sv and '' read the server's default, ja.
        expect(dry.json.cohort_size).toBe(3);
        expect(dry.json.outside_languages).toBe(2);
        expect(dry.json.sources.teams).toBe(5);
        expect(dry.json.welcome_languages).toEqual([{locale: 'ja', people: 3, own_template: false}]);
    });

    test('people of the file without an account count by the locale the wave gives their account, else the server’s default', async () => {
        const fixture = await waveFixture({users: 0});
        fixture.api.serverConfig = {...fixture.api.serverConfig, LocalizationSettings: {DefaultServerLocale: 'en'}};
        const row = (line: number, person: Record<string, string>): CsvRow => ({line, value: person.email, person});
        const csv = [
            row(2, {email: 'anna@corp.example', locale: 'de'}),
            row(3, {email: 'ben@corp.example'}),
            row(4, {email: 'chie@corp.example', locale: 'ja'}),
        ];
        const dryRunWith = async (newcomerLocale: string) => {
            const created = await fixture.client.post(WaveRoutes.waves, fixture.definition({
                cohort: {csv, locales: ['de']},
                newcomers: {mode: 'create', auth_service: 'email', locale: newcomerLocale, timezone: ''},
            }));
            expect(created.status).toBe(201);
            return (await fixture.client.post(WaveRoutes.dryRun(created.json.id), {})).json;
        };

        // Ben's row names no locale: the server's default (en) leaves him out; the wave's default (de) keeps him.
        const serverDefault = await dryRunWith('');
        expect([serverDefault.cohort_size, serverDefault.outside_languages, serverDefault.people.create]).toEqual([1, 2, 3]);
        const waveDefault = await dryRunWith('de');
        expect([waveDefault.cohort_size, waveDefault.outside_languages]).toEqual([2, 1]);
    });

    test('arrivals: only the accounts of the chosen languages; without a filter every arrival, unread', async () => {
        const {fixture} = await filteredWave(['de', 'ja', 'sv'], []);
        const ids = fixture.users.map((user) => user.id);
        expect(arrivalsInCohortLanguages(fixture.api, {locales: ['de', 'en']}, 'en', [...ids, 'gone'])).toEqual([ids[0], ids[2]]);
        const unread = {users: {getMany: () => {
            throw new Error('read without a filter');
        }}} as unknown as Parameters<typeof arrivalsInCohortLanguages>[0];
        expect(arrivalsInCohortLanguages(unread, {}, 'en', ids)).toEqual(ids);
    });

    test.each([
        ['a language the cockpit does not speak', ['de', 'sv']],
        ['a language listed twice', ['de', 'de']],
        ['not a list', 'de'],
    ])('refuses %s with 400 and changes nothing', async (_what, locales) => {
        const {fixture, create} = await filteredWave(['de'], ['de']);
        const wave = (await create()).json;
        const response = await fixture.client.patch(WaveRoutes.wave(wave.id), {
            expected_version: wave.version,
            changes: {cohort: {team_ids: [fixture.source.id], locales}},
        });
        expect(response.status).toBe(400);
        expect(response.json.error).toEqual({
            id: expect.any(String),
            message: expect.stringContaining('locales'),
            field: expect.stringMatching(/^changes\.cohort\.locales/),
        });
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).json.definition.cohort.locales).toEqual(['de']);
    });
});
