import {WaveRoutes} from 'contract/routes';

import {welcomeTestProp} from './welcomePreview';

import {KvKeys} from '../kv/keys';
import {waveFixture} from '../testing/waveFixture';

describe('welcome preview and test-send', () => {
    test('preview renders the saved template for the calling admin, with the targets and escaped values', async () => {
        const fixture = await fixture5();
        const wave = await fixture.createWave();
        const response = await fixture.client.post(WaveRoutes.welcomePreview(wave.id), {});
        expect(response.status).toBe(200);

        // The fixture's template: 'Hi {{first_name}}, welcome to {{team}} ({{channels}}). {{help_link}}'.
        expect(response.json).toEqual({markdown: 'Hi Ada, welcome to rollout (general\\-info, help). <https://help.example/start>'});
    });

    test('preview uses the template and help link being edited instead of the saved ones', async () => {
        const fixture = await fixture5();
        const wave = await fixture.createWave();
        const response = await fixture.client.post(WaveRoutes.welcomePreview(wave.id), {
            template: '**Hello {{username}}** from {{wave}} — {{help_link}} {{unknown}}',
            help_link: 'javascript:alert(1)',
        });
        expect(response.status).toBe(200);
        expect(response.json.markdown).toBe('**Hello admin** from Wave 1 — javascript\\:alert\\(1\\) {{unknown}}');

        // Nothing was posted by a preview.
        expect(fixture.api.createdPosts).toHaveLength(0);
    });

    test('preview follows the name and targets being edited, before they are saved', async () => {
        const fixture = await fixture5();
        const wave = await fixture.createWave({targets: {teams: [], channels: []}});
        const body = {
            template: '{{wave}}: {{team}} / {{channels}}',
            name: 'Edited',
            targets: {teams: [{team_id: fixture.team.id}], channels: [{channel_id: fixture.help.id}]},
        };
        const response = await fixture.client.post(WaveRoutes.welcomePreview(wave.id), body);
        expect(response.status).toBe(200);
        expect(response.json.markdown).toBe('Edited: rollout / help');
        const saved = await fixture.client.post(WaveRoutes.welcomePreview(wave.id), {template: body.template});
        expect(saved.json.markdown).toBe('Wave 1:  / ');
    });

    test('test-send posts the rendered DM from the bot to the caller only and marks nobody as welcomed', async () => {
        const fixture = await fixture5();
        const wave = await fixture.createWave();
        const response = await fixture.client.post(WaveRoutes.welcomeTestSend(wave.id), {template: 'Test for {{first_name}}'});
        expect(response.status).toBe(200);
        expect(response.json.markdown).toBe('Test for Ada');
        expect(fixture.api.createdPosts).toHaveLength(1);
        const [post] = fixture.api.createdPosts;
        expect(post.id).toBe(response.json.post_id);
        expect(post.user_id).toBe(fixture.botId);
        expect(post.message).toBe('Test for Ada');
        expect(post.props?.[welcomeTestProp]).toBe(wave.id);
        expect(post.props?.cockpit_welcome).toBeUndefined();
        const channel = fixture.api.directory.channels.get(post.channel_id)!;
        expect(channel.type).toBe('D');
        expect(channel.name.split('__').sort()).toEqual([fixture.admin.id, fixture.botId].sort());

        // The wave's definition and run are untouched.
        expect(JSON.parse(fixture.api.kv.get(KvKeys.waveRun(wave.id).key)!).value.state).toBe('draft');
    });

    test('only system admins; bad bodies and unknown waves are refused', async () => {
        const fixture = await fixture5();
        const wave = await fixture.createWave();
        const member = fixture.users[0];
        for (const path of [WaveRoutes.welcomePreview(wave.id), WaveRoutes.welcomeTestSend(wave.id)]) {
            expect((await fixture.as(member.id).post(path, {})).status).toBe(403);
            expect((await fixture.as('').post(path, {})).status).toBe(401);
            const tooLong = await fixture.client.post(path, {template: 'x'.repeat(8001)});
            expect(tooLong.status).toBe(400);
            const extra = await fixture.client.post(path, {template: 'hi', other: 1});
            expect(extra.status).toBe(400);
        }
        expect((await fixture.client.post(WaveRoutes.welcomePreview('a'.repeat(26)), {})).status).toBe(404);
        expect((await fixture.client.post(WaveRoutes.welcomeTestSend('a'.repeat(26)), {})).status).toBe(404);
        expect(fixture.api.createdPosts).toHaveLength(0);
    });
});

/** The wave fixture with the admin's first name set, so {{first_name}} is visibly the caller's. */
async function fixture5() {
    const fixture = await waveFixture({users: 5});
    fixture.api.directory.users.get(fixture.admin.id)!.first_name = 'Ada';
    return fixture;
}
