import type {UserProfile} from '@mattermost/types/users';

import {cockpitLocales} from 'contract/locales';
import {WaveRoutes} from 'contract/routes';

import {journeyCapabilityWith} from './journey';
import {allTicked, doneNow, listDays, needsLook, newlyDone, shownAfter, shownTo, tickedMessage} from './list';
import {runJourneys} from './run';
import {startedAt} from './schedule';

import type {UserActivity} from '../host/bindings.gen';
import {KvStore} from '../kv/store';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture} from '../testing/waveFixture';
import {welcomeProp} from '../waves/welcomeOnce';
import {gettingStartedFor, type WelcomeTargets} from '../waves/welcomeVariables';
import {type GettingStarted, renderGettingStarted} from '../welcome/template';

const minute = 60_000;
const list = (done: Partial<Omit<GettingStarted, 'channels'>> & {visited?: boolean[]} = {}) =>
    renderGettingStarted({
        locale: 'en',
        desktop_app: false,
        mobile_app: false,
        profile_picture: false,
        notifications: false,
        desktop_link: 'https://example.com/desktop',
        mobile_link: '',
        ...done,
        channels: [{name: 'town-square', display: 'Town Square'}, {name: 'town-square-2', display: 'Town Square 2'}].
            map((channel, i) => ({...channel, visited: done.visited?.[i] ?? false})),
    });
const nothingKnown: UserActivity = {
    last_login: 1,
    last_activity_at: 1,
    last_post_at: 0,
    desktop_app_at: 0,
    mobile_app_at: 0,
    notify_props_changed: false,
    channel_viewed_at: {},
};

describe('getting-started list decisions', () => {
    const targets: WelcomeTargets = {
        teams: ['Rollout'],
        channels: [{id: 'c1', name: 'town-square', display: 'Town Square'}, {id: 'c2', name: 'town-square-2', display: 'Town Square 2'}],
    };
    const user = {last_picture_update: -1} as UserProfile;
    const links = {desktop: '', mobile: ''};
    const done = (activity: Partial<UserActivity>, order = ['c1', 'c2']) =>
        doneNow(gettingStartedFor(user, {...nothingKnown, ...activity}, links, targets, 'en'), order);

    test('each item is done by its own fact: app sessions, picture, saved notification settings, a channel viewed', () => {
        expect(done({})).toEqual({items: 0, visited: '00'});
        expect(done({desktop_app_at: 5})).toEqual({items: 1, visited: '00'});
        expect(done({mobile_app_at: 5, notify_props_changed: true})).toEqual({items: 2 | 8, visited: '00'});
        expect(doneNow(gettingStartedFor({last_picture_update: 7} as UserProfile, nothingKnown, links, targets, 'en'), [])).
            toEqual({items: 4, visited: ''});

        // A membership the wave just made reads 0: not visited. A channel not asked about reads nothing.
        expect(done({channel_viewed_at: {c1: 0, c2: 1_700_000_000_000}})).toEqual({items: 0, visited: '01'});
        expect(done({channel_viewed_at: {c1: 9, c2: 9}})).toEqual({items: 0, visited: '11'});

        // The marks follow the wave's target order, so a channel that no longer resolves keeps its place.
        expect(done({channel_viewed_at: {c2: 9}}, ['gone', 'c1', 'c2'])).toEqual({items: 0, visited: '001'});
        const everything = {
            ...nothingKnown,
            desktop_app_at: 1,
            mobile_app_at: 1,
            notify_props_changed: true,
            channel_viewed_at: {c1: 1, c2: 1},
        };
        expect(done(everything).items).toBe(allTicked & ~4);
        expect(doneNow(gettingStartedFor({last_picture_update: 7} as UserProfile, everything, links, targets, 'en'), ['c1', 'c2'])).
            toEqual({items: allTicked, visited: '11'});
    });

    test('only what the welcome does not show yet calls for an edit; what was shown stays', () => {
        const none = {items: 0, visited: ''};
        expect(newlyDone(none, {items: 1, visited: '00'})).toEqual({items: 1, channels: []});
        expect(newlyDone({items: 1, visited: '10'}, {items: 1, visited: '11'})).toEqual({items: 0, channels: [1]});
        expect(newlyDone({items: 1, visited: '10'}, {items: 9, visited: '10'})).toEqual({items: 8, channels: []});
        expect(newlyDone({items: allTicked, visited: '11'}, {items: 0, visited: '00'})).toEqual({items: 0, channels: []});
        expect(shownAfter({items: 1, visited: '10'}, {items: 8, visited: '01'})).toEqual({items: 9, visited: '11'});
        expect(shownTo({...startedAt(0), list: 3, visited: '01'})).toEqual({items: 3, visited: '01'});
        expect(shownTo(startedAt(0))).toEqual(none);
    });

    test('a person is looked at while an item or a channel is not shown done, for the first weeks only', () => {
        const person = {...startedAt(0), list: allTicked, visited: '11'};
        expect(needsLook(person, 2, 0, minute)).toBe(false);
        expect(needsLook({...person, visited: '10'}, 2, 0, minute)).toBe(true);
        expect(needsLook({...person, list: 7}, 2, 0, minute)).toBe(true);

        // A record from before the notification item (bits 1–4 only) is looked at again.
        expect(needsLook({...startedAt(0), list: 7}, 0, 0, minute)).toBe(true);
        expect(needsLook({...person, visited: '10'}, 2, 0, listDays * 24 * 3600 * 1000)).toBe(false);
    });

    test('ticking rewrites exactly the rendered list lines, as a fresh render would show them', () => {
        const channels = [{name: 'town-square-2', display: 'Town Square 2'}];
        const before = `Hello *you*\n\n${list({})}\n\nBye`;
        expect(tickedMessage(before, 1)).toBe(`Hello *you*\n\n${list({desktop_app: true})}\n\nBye`);
        expect(tickedMessage(before, 8, channels)).toBe(`Hello *you*\n\n${list({notifications: true, visited: [false, true]})}\n\nBye`);
        const all = list({desktop_app: true, mobile_app: true, profile_picture: true, notifications: true});
        expect(tickedMessage(before, allTicked)).toBe(`Hello *you*\n\n${all}\n\nBye`);
        expect(tickedMessage(before, 0)).toBe(before);

        // ~town-square is a prefix of ~town-square-2: only the whole line is its line.
        expect(tickedMessage(before, 0, [{name: 'town-square', display: 'Town Square'}])).
            toBe(`Hello *you*\n\n${list({visited: [true, false]})}\n\nBye`);

        // Text that is not a list line is never touched, even if it names an item.
        expect(tickedMessage('Please Install the desktop app', 1)).toBe('Please Install the desktop app');
        expect(tickedMessage('Visit ~town-square', 0, channels)).toBe('Visit ~town-square');
    });

    test('a list in any language is ticked by its own words, on the same lines; an English one from before too', () => {
        const channels = [{name: 'town-square-2', display: 'Town Square 2'}];
        for (const locale of cockpitLocales) {
            const shown = (done: Partial<Omit<GettingStarted, 'channels'>> & {visited?: boolean[]} = {}) =>
                `Hallo\n\n${list({...done, locale})}\n\nBye`;
            expect(tickedMessage(shown(), 1 | 4, channels)).toBe(shown({desktop_app: true, profile_picture: true, visited: [false, true]}));
            const everything = {desktop_app: true, mobile_app: true, profile_picture: true, notifications: true};
            expect(tickedMessage(shown(), allTicked)).toBe(shown(everything));
        }

        // A German reader whose welcome was sent in English (before the list was translated, or before they
        // switched language) still gets its lines ticked.
        expect(tickedMessage(list({}), 2)).toBe(list({mobile_app: true}));
    });
});

describe('getting-started list kept true', () => {
    test('a German reader gets the list in German, with the German welcome, and the bot ticks it in German', async () => {
        const journey = journeyCapabilityWith({now: () => Date.now(), budgetMs: 0, maxPerShard: 0});
        const fixture = await waveFixture({users: 2, capabilities: [journey]});
        const [german, english] = fixture.users;
        fixture.api.directory.users.get(german.id)!.locale = 'de';
        const welcome = {
            enabled: true,
            template: 'Hi {{first_name}} {{getting_started}}',
            help_link: '',
            translations: {de: 'Hallo {{first_name}} {{getting_started}}'},
        };
        const wave = await fixture.createWave({welcome});
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        runToEnd(fixture, wave.id);
        const welcomeOf = (userId: string) =>
            fixture.api.createdPosts.find((post) => post.props?.[welcomeProp] === `${wave.id}:${userId}`)!;
        const sent = welcomeOf(german.id).message;
        expect(sent).toMatch(/^Hallo /);
        expect(sent).toContain('- [ ] Installieren Sie die Desktop-App\n');
        expect(sent).toContain('- [ ] Besuchen Sie ~help');
        expect(sent).not.toContain('Install the');
        expect(welcomeOf(english.id).message).toContain('- [ ] Install the desktop app\n');

        const posts = fixture.api.createdPosts.length;
        const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
        fixture.api.recordAppSession(german.id, 'desktop', fixture.clock.now());
        fixture.api.viewChannel(german.id, fixture.help.id, fixture.clock.now());
        runJourneys(context, {now: fixture.clock.now, budgetMs: 60_000, maxPerShard: 100});
        const ticked = welcomeOf(german.id);
        expect(fixture.api.createdPosts.length).toBe(posts);
        expect(ticked.message).toBe(sent.
            replace('- [ ] Installieren Sie die Desktop-App', '- [x] Installieren Sie die Desktop-App').
            replace('- [ ] Besuchen Sie ~help', '- [x] Besuchen Sie ~help'));
    });

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

        // Saving the notification settings and opening one of the wave's channels tick those lines, the others stay open.
        expect(welcomeOf(idle.id).message).toContain('- [ ] Visit ~help');
        fixture.api.saveNotifySettings(idle.id);
        fixture.api.viewChannel(idle.id, fixture.help.id, fixture.clock.now());
        fixture.clock.advance(minute);
        run();
        const idleNow = welcomeOf(idle.id).message;
        expect(idleNow).toContain('- [x] Choose your notification settings');
        expect(idleNow).toContain('- [x] Visit ~help');
        expect(idleNow).toContain('- [ ] Visit ~general-info');
        expect(idleNow).toContain('- [x] Add a profile picture');
        expect(welcomeOf(desktop.id).message).toContain('- [ ] Choose your notification settings');
        expect(fixture.api.createdPosts.length).toBe(posts);
    });
});
