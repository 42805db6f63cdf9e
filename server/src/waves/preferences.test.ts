import {WaveRoutes} from 'contract/routes';

import {KvKeys} from '../kv/keys';
import {runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';

// Default preferences of a wave's targets: set after provisioning, never over a user's own choice.

const preferences = [
    {key: 'collapsed_reply_threads', value: 'off'},
    {key: 'email_interval', value: '3600'},
    {key: 'skip_tour', value: '999'},
];

async function launch(fixture: WaveFixture, list: unknown[] | null = preferences) {
    const wave = await fixture.createWave({targets: {...fixture.definition().targets, ...(list ? {preferences: list} : {})}});
    const started = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
    expect(started.status).toBe(200);
    runToEnd(fixture, wave.id);
    return wave;
}

describe('default preferences', () => {
    test('every provisioned user gets them; a preference the user already set is kept', async () => {
        const fixture = await waveFixture({users: 6});
        const [chooser] = fixture.users;
        fixture.api.setPreference(chooser.id, 'display_settings', 'collapsed_reply_threads', 'on');
        await launch(fixture);
        for (const user of fixture.users) {
            expect(fixture.api.preference(user.id, 'display_settings', 'collapsed_reply_threads')).toBe(
                user.id === chooser.id ? 'on' : 'off',
            );
            expect(fixture.api.preference(user.id, 'notifications', 'email_interval')).toBe('3600');

            // The tour's progress is keyed by the user's own id.
            expect(fixture.api.preference(user.id, 'tutorial_step', user.id)).toBe('999');
            expect(fixture.api.preferences.get(user.id)).toHaveLength(3);
        }
    });

    test('a wave without preferences writes none', async () => {
        const fixture = await waveFixture({users: 2});
        await launch(fixture, null);
        expect(fixture.api.preferences.size).toBe(0);
    });

    test('a user the server refuses the preferences for fails with the reason and gets no welcome; retry-failed finishes', async () => {
        const fixture = await waveFixture({users: 3});
        const [refused] = fixture.users;
        const real = fixture.api.users.setDefaultPreferences;
        fixture.api.users.setDefaultPreferences = (specs) =>
            real(specs.filter((spec) => spec.user_id !== refused.id)).concat(
                specs.
                    filter((spec) => spec.user_id === refused.id).
                    map((spec) => ({
                        user_id: spec.user_id,
                        written: 0,
                        error: {status_code: 500, id: 'app.preference.save.updating.app_error', message: 'db down'},
                    })),
            );
        const wave = await launch(fixture);
        const results = (await fixture.client.get(WaveRoutes.results(wave.id))).json.results;
        const mine = results.find((result: {user_id: string}) => result.user_id === refused.id);
        expect(mine).toMatchObject({outcome: 'failed', welcome: 'not_sent'});
        expect(mine.reason).toContain('preferences: 500 app.preference.save.updating.app_error');
        expect(fixture.dmsByUser().get(refused.id)).toBeUndefined();

        fixture.api.users.setDefaultPreferences = real;
        const run = JSON.parse(fixture.api.kv.get(KvKeys.waveRun(wave.id).key)!).value;
        expect(run.state).toBe('completed_with_failures');
        const retried = await fixture.client.post(WaveRoutes.retryFailed(wave.id), {});
        expect(retried.status).toBe(200);
        runToEnd(fixture, wave.id);
        expect(fixture.api.preference(refused.id, 'notifications', 'email_interval')).toBe('3600');
        expect(fixture.dmsByUser().get(refused.id)).toBe(1);

        // Nobody got a row twice.
        for (const user of fixture.users) {
            expect(fixture.api.preferences.get(user.id)).toHaveLength(3);
        }
    });

    test.each([
        ['an unknown key', [{key: 'theme', value: 'dark'}]],
        ['a value the preference does not take', [{key: 'email_interval', value: '5'}]],
        ['a key twice', [{key: 'email_interval', value: '30'}, {key: 'email_interval', value: '900'}]],
    ])('%s is refused with 400', async (_name, list) => {
        const fixture = await waveFixture({users: 1});
        const response = await fixture.client.post(
            WaveRoutes.waves,
            fixture.definition({targets: {...fixture.definition().targets, preferences: list}}),
        );
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBeTruthy();
    });
});
