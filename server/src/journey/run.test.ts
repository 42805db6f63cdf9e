import {JourneyEndpoints} from 'contract/endpoints/journey';
import type {JourneyStep} from 'contract/journey';
import {WaveRoutes} from 'contract/routes';

import {journeyCapabilityWith} from './journey';
import {type JourneyOptions, runJourneys} from './run';
import {journeyProp, stopIntegrationUrl} from './stop';

import {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {memoryLogger} from '../testing/memoryLogger';
import {Crash, crashingApi, runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';
import type {EngineOptions} from '../waves/engine';

// The journey on the in-memory server: follow-ups after the welcome, each once per person, only where
// the condition holds, in order, never while the wave is paused, never after "No more tips", and once
// across a crash at any side effect of a run.

const minute = 60_000;

async function journeyFixture(users = 3, engine: Partial<EngineOptions> = {}) {
    // The routes' clock is not the runner's: the runner gets the fixture's clock below.
    const journey = journeyCapabilityWith({now: () => Date.now(), budgetMs: 0, maxPerShard: 0});
    const fixture = await waveFixture({users, engine, capabilities: [journey]});
    const options = (): JourneyOptions => ({now: fixture.clock.now, budgetMs: 60_000, maxPerShard: 100});
    return {fixture, options};
}

/** The bot's follow-ups per user id: their step ids, in the order posted. */
function followUps(fixture: WaveFixture): Map<string, string[]> {
    const byUser = new Map<string, string[]>();
    for (const post of fixture.api.createdPosts) {
        const marker = post.props?.[journeyProp];
        if (post.user_id === fixture.botId && typeof marker === 'string') {
            const [, stepId, userId] = marker.split(':');
            byUser.set(userId, [...(byUser.get(userId) ?? []), stepId]);
        }
    }
    return byUser;
}

const step = (id: string, overrides: Partial<JourneyStep> = {}): JourneyStep => ({
    id,
    after: 'previous',
    delay_minutes: 1,
    condition: null,
    template: `Tip ${id} for {{first_name}}`,
    ...overrides,
});

async function startedWave(fixture: WaveFixture, steps: JourneyStep[]) {
    const wave = await fixture.createWave();
    const put = await fixture.request('PUT', JourneyEndpoints.update.toPath({waveId: wave.id}), {
        userId: fixture.admin.id,
        body: {steps, expected_version: 0},
    });
    expect(put.status).toBe(200);
    expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
    runToEnd(fixture, wave.id);
    return wave.id;
}

function run(fixture: WaveFixture, options: JourneyOptions, api: MattermostApi = fixture.api) {
    runJourneys({api, kv: new KvStore(api.kv), log: memoryLogger()}, options);
}

describe('journey runner', () => {
    test('a follow-up "after 1 minute if no mobile session" reaches only those without one, once, in order', async () => {
        const {fixture, options} = await journeyFixture();
        const [mobile, plain, other] = fixture.users;
        fixture.api.recordAppSession(mobile.id, 'mobile', fixture.clock.now());
        const waveId = await startedWave(fixture, [step('app', {condition: 'no_mobile_session'}), step('two', {delay_minutes: 5})]);

        run(fixture, options());
        expect(followUps(fixture).size).toBe(0);

        fixture.clock.advance(minute);
        run(fixture, options());
        run(fixture, options());
        expect(followUps(fixture)).toEqual(new Map([[plain.id, ['app']], [other.id, ['app']]]));
        const post = fixture.api.createdPosts.find((p) => p.props?.[journeyProp] === `${waveId}:app:${plain.id}`)!;
        expect(post.message).toBe(`Tip app for ${plain.first_name}`);
        expect(JSON.stringify(post.props.attachments)).toContain(stopIntegrationUrl);

        // The second step counts from the first (skipped for the mobile user, at the same time).
        fixture.clock.advance(4 * minute);
        run(fixture, options());
        expect(followUps(fixture).get(mobile.id)).toBeUndefined();
        fixture.clock.advance(minute);
        run(fixture, options());
        run(fixture, options());
        expect(followUps(fixture)).toEqual(new Map([[mobile.id, ['two']], [plain.id, ['app', 'two']], [other.id, ['app', 'two']]]));

        const journey = await fixture.client.get(JourneyEndpoints.journey.toPath({waveId}));
        expect(journey.json.counts).toEqual({app: {sent: 2, skipped: 1}, two: {sent: 3, skipped: 0}});
    });

    test('a step timed from the first sign-in waits for it', async () => {
        const {fixture, options} = await journeyFixture(2);
        const [signsIn, never] = fixture.users;
        await startedWave(fixture, [step('hello', {after: 'first_sign_in', delay_minutes: 2})]);
        fixture.clock.advance(10 * minute);
        run(fixture, options());
        expect(followUps(fixture).size).toBe(0);
        fixture.api.lastLogins.set(signsIn.id, fixture.clock.now());
        fixture.clock.advance(minute);
        run(fixture, options());
        expect(followUps(fixture).size).toBe(0);
        fixture.clock.advance(2 * minute);
        run(fixture, options());
        expect(followUps(fixture)).toEqual(new Map([[signsIn.id, ['hello']]]));
        expect(followUps(fixture).get(never.id)).toBeUndefined();
    });

    test('"No more tips" stops the later steps, for the person who clicks only', async () => {
        const {fixture, options} = await journeyFixture(2);
        const [stopper, stays] = fixture.users;
        const waveId = await startedWave(fixture, [step('one'), step('two')]);

        fixture.clock.advance(minute);
        run(fixture, options());
        expect(followUps(fixture).get(stopper.id)).toEqual(['one']);

        // The click as the server posts it: only the addressee may stop their tips.
        const post = fixture.api.createdPosts.find((p) => p.props?.[journeyProp] === `${waveId}:one:${stopper.id}`)!;
        const click = (userId: string, addressee: string) =>
            fixture.request('POST', JourneyEndpoints.stopAction.path, {
                userId,
                body: {user_id: userId, post_id: post.id, context: {wave_id: waveId, user_id: addressee}},
            });
        expect((await click(stays.id, stopper.id)).status).toBe(403);
        expect((await click(stays.id, stays.id)).status).toBe(403);
        const stopped = await click(stopper.id, stopper.id);
        expect(stopped.status).toBe(200);
        expect(JSON.stringify(stopped.json.update.props.attachments)).not.toContain('journeystop');

        fixture.clock.advance(10 * minute);
        run(fixture, options());
        expect(followUps(fixture)).toEqual(new Map([[stopper.id, ['one']], [stays.id, ['one', 'two']]]));
        const journey = await fixture.client.get(JourneyEndpoints.journey.toPath({waveId}));
        expect(journey.json.stopped).toBe(1);
        expect(journey.json.counts.two).toEqual({sent: 1, skipped: 1});

        // Only system admins edit the steps.
        expect((await fixture.request('PUT', JourneyEndpoints.update.toPath({waveId}), {
            userId: stays.id,
            body: {steps: [], expected_version: 1},
        })).status).toBe(403);
    });

    test('a paused wave sends no follow-up until it is resumed', async () => {
        // One user per run (throttle 1/s, no tick allowance): the start welcomes one person, then the wave is paused.
        const {fixture, options} = await journeyFixture(3, {tickSeconds: 0});
        const wave = await fixture.createWave({throttle: {users_per_second: 1}});
        await fixture.request('PUT', JourneyEndpoints.update.toPath({waveId: wave.id}), {
            userId: fixture.admin.id,
            body: {steps: [step('one')], expected_version: 0},
        });
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect((await fixture.client.post(WaveRoutes.pause(wave.id), {})).status).toBe(200);
        expect(fixture.dmsByUser().size).toBe(1);

        fixture.clock.advance(10 * minute);
        run(fixture, options());
        expect(followUps(fixture).size).toBe(0);

        expect((await fixture.client.post(WaveRoutes.resume(wave.id), {})).status).toBe(200);
        run(fixture, options());
        expect(followUps(fixture).size).toBe(1);
    });

    test('the preview renders a step for a chosen person with their real state; the test-send goes to the caller only', async () => {
        const {fixture} = await journeyFixture(2);
        const [mobile, plain] = fixture.users;
        fixture.api.recordAppSession(mobile.id, 'mobile', fixture.clock.now());
        const wave = await fixture.createWave();
        const path = (end: string) => `${JourneyEndpoints.journey.toPath({waveId: wave.id})}/${end}`;
        const body = (userId: string) => ({template: 'Hi {{first_name}}', condition: 'no_mobile_session', user_id: userId});

        const forMobile = await fixture.client.post(path('preview'), body(mobile.id));
        expect(forMobile.json).toMatchObject({markdown: `Hi ${mobile.first_name}`, would_send: false, state: {mobile_session: true}});
        expect((await fixture.client.post(path('preview'), body(plain.id))).json.would_send).toBe(true);
        expect((await fixture.client.post(path('preview'), body('nobody'))).status).toBe(400);

        const before = fixture.api.createdPosts.length;
        const sent = await fixture.client.post(path('test-send'), body(plain.id));
        expect(sent.status).toBe(200);
        const posts = fixture.api.createdPosts.slice(before);
        expect(posts.map((post) => post.channel_id)).toEqual([sent.json.channel_id]);
        expect(fixture.api.directory.channels.get(sent.json.channel_id)!.name).toContain(fixture.admin.id);
        expect(posts[0].props?.[journeyProp]).toBeUndefined();
        expect((await fixture.as(plain.id).post(path('preview'), body(plain.id))).status).toBe(403);
    });

    test('an edit of the steps is compare-and-set and validated at the boundary', async () => {
        const {fixture} = await journeyFixture(1);
        const wave = await fixture.createWave();
        const path = JourneyEndpoints.update.toPath({waveId: wave.id});
        const put = (body: unknown) => fixture.request('PUT', path, {userId: fixture.admin.id, body});
        expect((await put({steps: [step('a')], expected_version: 0})).status).toBe(200);
        const stale = await put({steps: [step('b')], expected_version: 0});
        expect(stale.status).toBe(409);
        const duplicate = await put({steps: [step('a'), step('a')], expected_version: 1});
        expect(duplicate.status).toBe(400);
        expect(duplicate.json.error.id).toBe('cockpit.request.invalid');
        expect((await put({steps: [step('a', {delay_minutes: -1})], expected_version: 1})).status).toBe(400);
        expect((await put({steps: [step('a', {template: ' '})], expected_version: 1})).status).toBe(400);
    });
});

describe('journey runner: exactly once across crashes', () => {
    test.each(['before', 'after'] as const)('a crash %s any side effect of a run, then a healthy run: one follow-up each', async (when) => {
        let points = 0;
        for (let crashAt = 1; ; crashAt++) {
            const {fixture, options} = await journeyFixture(3);

            await startedWave(fixture, [step('one')]);
            fixture.clock.advance(minute);
            const dying = crashingApi(fixture.api, crashAt, when);
            try {
                run(fixture, options(), dying.api);
            } catch (error) {
                if (!(error instanceof Crash)) {
                    throw error;
                }
            }

            // The lock of the dead run expires; the next run takes the shard over.
            fixture.clock.advance(minute);
            run(fixture, options());
            run(fixture, options());
            const counts = [...followUps(fixture).values()].map((steps) => steps.length);
            expect({crashAt, counts}).toEqual({crashAt, counts: [1, 1, 1]});
            if (!dying.crashed()) {
                break;
            }
            points += 1;
        }

        // The claim, the announcement, each of the three posts, the checkpoint, at least.
        expect(points).toBeGreaterThanOrEqual(6);
    });
});
