import {WaveRoutes} from 'contract/routes';

import {journeyCapabilityWith} from './journey';
import {allTicked, doneItems, newlyDone, tickedMessage} from './list';
import {runJourneys} from './run';
import {startedAt} from './schedule';

import {KvStore} from '../kv/store';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture} from '../testing/waveFixture';
import {welcomeProp} from '../waves/welcomeOnce';
import {renderGettingStarted} from '../welcome/template';

const minute = 60_000;
const list = (done: {desktop_app?: boolean; mobile_app?: boolean; profile_picture?: boolean}) =>
    renderGettingStarted({
        desktop_app: false,
        mobile_app: false,
        profile_picture: false,
        desktop_link: 'https://example.com/desktop',
        mobile_link: '',
        channels: [{name: 'town-square', display: 'Town Square'}],
        ...done,
    });

describe('getting-started list decisions', () => {
    test('the items done come from the app sessions and the picture; only new ones call for an edit', () => {
        const activity = {last_login: 1, last_activity_at: 1, last_post_at: 0, desktop_app_at: 5, mobile_app_at: 0};
        const done = doneItems(activity, -1);
        expect(done).toBe(1);
        expect(doneItems({...activity, mobile_app_at: 3}, 7)).toBe(allTicked);
        expect(doneItems(undefined, undefined)).toBe(0);
        expect(newlyDone(startedAt(0), done)).toBe(1);
        expect(newlyDone({...startedAt(0), list: 1}, done)).toBe(0);
        expect(newlyDone({...startedAt(0), list: 1}, allTicked)).toBe(6);
    });

    test('ticking rewrites exactly the rendered list lines, as a fresh render would show them', () => {
        const before = `Hello *you*\n\n${list({})}\n\nBye`;
        expect(tickedMessage(before, 1)).toBe(`Hello *you*\n\n${list({desktop_app: true})}\n\nBye`);
        const all = list({desktop_app: true, mobile_app: true, profile_picture: true});
        expect(tickedMessage(before, allTicked)).toBe(`Hello *you*\n\n${all}\n\nBye`);
        expect(tickedMessage(before, 0)).toBe(before);

        // Text that is not a list line is never touched, even if it names an item.
        expect(tickedMessage('Please Install the desktop app', 1)).toBe('Please Install the desktop app');
    });
});

describe('getting-started list kept true', () => {
    test('a desktop sign-in after the welcome ticks the welcome post in place, once; no new message', async () => {
        const journey = journeyCapabilityWith({now: () => Date.now(), budgetMs: 0, maxPerShard: 0});
        const fixture = await waveFixture({users: 2, capabilities: [journey]});
        const [desktop, idle] = fixture.users;
        const welcome = {enabled: true, template: 'Hi {{first_name}} {{getting_started}}', help_link: ''};
        const wave = await fixture.createWave({welcome});
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        runToEnd(fixture, wave.id);
        const welcomeOf = (userId: string) =>
            fixture.api.createdPosts.find((post) => post.props?.[welcomeProp] === `${wave.id}:${userId}`)!;
        expect(welcomeOf(desktop.id).message).toContain('- [ ] Install the desktop app');
        const posts = fixture.api.createdPosts.length;
        const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
        const run = () => runJourneys(context, {now: fixture.clock.now, budgetMs: 60_000, maxPerShard: 100});

        fixture.api.recordAppSession(desktop.id, 'desktop', fixture.clock.now());
        run();
        const edited = welcomeOf(desktop.id);
        expect(edited.message).toContain('- [x] Install the desktop app');
        expect(edited.message).toContain('- [ ] Install the mobile app');
        expect(welcomeOf(idle.id).message).toContain('- [ ] Install the desktop app');
        expect(fixture.api.createdPosts.length).toBe(posts);

        // Compared at most once a minute per shard; a known tick is not edited again.
        const editAt = edited.edit_at;
        fixture.api.directory.users.get(idle.id)!.last_picture_update = fixture.clock.now();
        run();
        expect(welcomeOf(idle.id).message).toContain('- [ ] Add a profile picture');
        fixture.clock.advance(minute);
        run();
        run();
        expect(welcomeOf(idle.id).message).toContain('- [x] Add a profile picture');
        expect(welcomeOf(desktop.id).edit_at).toBe(editAt);
        expect(fixture.api.createdPosts.length).toBe(posts);
    });
});
