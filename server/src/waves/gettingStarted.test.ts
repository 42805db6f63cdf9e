import {WaveRoutes} from 'contract/routes';

import {utcDay} from '../dates/dates';
import {runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';
import {renderGettingStarted} from '../welcome/template';

// The welcome's dates and personal getting-started list, in the DMs the engine sends and in the preview.

/** The bot's DM to each user, by username. */
function dms(fixture: WaveFixture): Map<string, string> {
    const byUser = new Map<string, string>();
    for (const post of fixture.api.createdPosts) {
        const channel = fixture.api.directory.channels.get(post.channel_id)!;
        if (channel.type === 'D' && post.user_id === fixture.botId) {
            const other = channel.name.split('__').find((id) => id !== fixture.botId)!;
            byUser.set(fixture.api.directory.user(other).username, post.message);
        }
    }
    return byUser;
}

const template = 'Starts {{start_date}}, sent {{today}}.\n{{getting_started}}';

describe('welcome dates and getting-started list', () => {
    test('each DM carries the wave start, the day sent and a list ticked per user from their picture and app sessions', async () => {
        // One user per run (throttle 1/s, no tick allowance): the start sends one DM, the job the others.
        const fixture = await waveFixture({users: 3, engine: {tickSeconds: 0}});
        const [pictured, appUser, plain] = fixture.users;
        fixture.api.directory.users.get(pictured.id)!.last_picture_update = 1_650_000_000_000;

        // A reset to the generated picture leaves a negative value: not a picture the user chose.
        fixture.api.directory.users.get(plain.id)!.last_picture_update = -1_650_000_000_000;
        fixture.api.recordAppSession(appUser.id, 'desktop', 1_690_000_000_000);
        fixture.api.recordAppSession(appUser.id, 'mobile', 1_690_000_000_000);

        // Saved notification settings; a member of ~help already, who has opened it (a new membership reads 0).
        fixture.api.saveNotifySettings(appUser.id);
        fixture.api.addChannelMember(fixture.help.id, appUser.id);
        fixture.api.viewChannel(appUser.id, fixture.help.id, 1_690_000_000_000);
        fixture.api.serverConfig = {
            ...fixture.api.serverConfig,
            NativeAppSettings: {
                AppDownloadLink: 'https://mattermost.com/download/',
                IosAppDownloadLink: 'https://apps.apple.com/app/mattermost',
            },
        };
        const wave = await fixture.createWave({welcome: {enabled: true, template, help_link: ''}, throttle: {users_per_second: 1}});
        const startedAt = fixture.clock.now();
        expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);

        // The next day the job finishes the wave: {{today}} moves on, {{start_date}} stays the start.
        fixture.clock.advance(24 * 3600 * 1000);
        runToEnd(fixture, wave.id);

        const messages = dms(fixture);
        expect(messages.size).toBe(3);
        const day = (ms: number) => utcDay(ms).replace(/-/g, '\\-');
        const sent = [...messages.values()].map((message) => {
            expect(message.startsWith(`Starts ${day(startedAt)}, sent `)).toBe(true);
            expect(message).toContain('- [ ] Visit ~general-info\n');
            return message.slice(`Starts ${day(startedAt)}, sent `.length).split('.')[0];
        });
        expect(sent.sort()).toEqual([day(startedAt), day(startedAt + (24 * 3600 * 1000)), day(startedAt + (24 * 3600 * 1000))]);
        const ticked = (username: string) => messages.get(username)!.split('\n').filter((line) => line.startsWith('- [x]'));
        expect(ticked(pictured.username)).toEqual(['- [x] Add a profile picture (Profile → Edit)']);
        expect(ticked(appUser.username)).toEqual([
            '- [x] Install the desktop app: <https://mattermost.com/download/>',
            '- [x] Install the mobile app: <https://apps.apple.com/app/mattermost>',
            '- [x] Choose your notification settings (Settings → Notifications)',
            '- [x] Visit ~help',
        ]);
        expect(ticked(plain.username)).toEqual([]);
    });

    test('the preview renders the same list and dates for the admin, before the wave starts (start = today)', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave();
        const response = await fixture.client.post(WaveRoutes.welcomePreview(wave.id), {template});
        expect(response.status).toBe(200);
        const today = utcDay(Date.now()).replace(/-/g, '\\-');
        const list = renderGettingStarted({
            locale: 'en',
            profile_picture: false,
            desktop_app: false,
            mobile_app: false,
            notifications: false,
            desktop_link: '',
            mobile_link: '',
            channels: [{name: 'general-info', display: 'general-info', visited: false}, {name: 'help', display: 'help', visited: false}],
        });
        expect(response.json.markdown).toBe(`Starts ${today}, sent ${today}.\n\n\n${list}\n\n`);
    });

    test('a template without the list reads no sessions', async () => {
        const fixture = await waveFixture({users: 2});
        const activity = jest.spyOn(fixture.api.users, 'activity');
        const wave = await fixture.createWave();
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        runToEnd(fixture, wave.id);
        expect(fixture.dmsByUser().size).toBe(2);
        expect(activity).not.toHaveBeenCalled();
    });
});
