import {WaveRoutes} from 'contract/routes';

import {
    adviceFor,
    defaultPaceModel,
    estimateWave,
    fitModel,
    idleAllowanceMs,
    maxPaceSamples,
    paceOf,
    pacedAcross,
    pacedAfter,
    recordPaceSample,
} from './pace';
import {newRun} from './store';

import {HostError} from '../host/errors';
import {KvKeys, type WaveRun} from '../kv/keys';
import {KvStore} from '../kv/store';
import {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';
import {runToEnd, waveFixture} from '../testing/waveFixture';

const run = (overrides: Partial<WaveRun> = {}): WaveRun => ({...newRun(), state: 'running', resolved: true, ...overrides});

describe('the measured pace', () => {
    test('the first checkpoint counts its batch; the next ones the time since the previous checkpoint', () => {
        const first = pacedAfter(undefined, null, 10, 2000, 50_000);
        expect(first).toEqual({users: 10, ms: 2000});

        // Back to back (the job's 3 s wait between runs included): the wall time between checkpoints.
        expect(pacedAfter(first, 50_000, 10, 2000, 55_000)).toEqual({users: 20, ms: 7000});
    });

    test('a pause or a restart between two checkpoints counts only the batch and the idle allowance', () => {
        const paced = pacedAfter({users: 10, ms: 2000}, 0, 10, 2000, 3_600_000);
        expect(paced).toEqual({users: 20, ms: 2000 + 2000 + idleAllowanceMs});
    });

    test('batches of two nodes side by side count their wall time once', () => {
        // Node A checkpoints at 10 s after a 10 s batch; node B, whose batch ran alongside, 1 s later.
        const afterA = pacedAfter(undefined, null, 100, 10_000, 10_000);
        const afterB = pacedAfter(afterA, 10_000, 100, 10_000, 11_000);
        expect(afterB).toEqual({users: 200, ms: 11_000});
    });

    test('the progress shows ms per user and the time the remaining users take', () => {
        expect(paceOf(run({queue_len: 100, retry: [1, 2], pending: ['a'], paced: {users: 40, ms: 8000}}), 40)).toEqual({
            ms_per_user: 200,
            measured_users: 40,
            remaining: 63,
            eta_ms: 63 * 200,
        });
        expect(paceOf(run({queue_len: 5}), 0)).toEqual({ms_per_user: null, measured_users: 0, remaining: 5, eta_ms: null});
    });
});

describe('a wave in work shards', () => {
    test('shards at work side by side: the wave goes at the sum of their rates', () => {
        const a = {users: 100, ms: 20_000};
        const b = {users: 50, ms: 10_000};
        const done = {users: 200, ms: 60_000};

        // 5 users per second each: 10 per second together, over the 350 users measured.
        expect(pacedAcross([a, b, done], [a, b])).toEqual({users: 350, ms: 35_000});
    });

    test('no shard at work: the pace of everything measured', () => {
        expect(pacedAcross([{users: 100, ms: 20_000}, undefined, {users: 100, ms: 40_000}], [])).toEqual({users: 200, ms: 60_000});
    });

    test('nothing measured yet: no pace', () => {
        expect(pacedAcross([undefined, {users: 0, ms: 0}], [])).toBeUndefined();
    });
});

describe('the per-user cost model', () => {
    test('without samples: the documented default', () => {
        expect(fitModel([])).toEqual({...defaultPaceModel, source: 'default', samples: 0});
    });

    test('samples over teams of different sizes give base and slope (weighted least squares)', () => {
        // 20 ms + 0.3 ms per member, exactly.
        const samples = [0, 500, 1000, 2000].map((members) => ({members, ms_per_user: 20 + (0.3 * members), users: 50}));
        const model = fitModel(samples);
        expect(model.source).toBe('learned');
        expect(model.samples).toBe(4);
        expect(model.base_ms).toBeCloseTo(20, 6);
        expect(model.per_member_ms).toBeCloseTo(0.3, 6);
    });

    test('one team size (or a falling fit) keeps the default slope and learns the base', () => {
        const model = fitModel([{members: 1000, ms_per_user: 300, users: 10}, {members: 1050, ms_per_user: 100, users: 10}]);
        expect(model.per_member_ms).toBe(defaultPaceModel.per_member_ms);
        expect(model.base_ms).toBeCloseTo(200 - (defaultPaceModel.per_member_ms * 1025), 6);
        const falling = fitModel([{members: 0, ms_per_user: 300, users: 10}, {members: 1000, ms_per_user: 100, users: 10}]);
        expect(falling.per_member_ms).toBe(defaultPaceModel.per_member_ms);
    });

    test('the samples are a bounded list of the latest batches', () => {
        const kv = new KvStore(new InMemoryMattermostApi().kv);
        for (let i = 0; i < maxPaceSamples + 5; i++) {
            recordPaceSample(kv, {members: i, ms_per_user: 10, users: 1});
        }
        recordPaceSample(kv, {members: 1, ms_per_user: Number.NaN, users: 1});
        const samples = kv.readVersioned(KvKeys.wavePaceSamples).value!.samples;
        expect(samples).toHaveLength(maxPaceSamples);
        expect(samples[0].members).toBe(5);
        expect(samples.at(-1)!.members).toBe(maxPaceSamples + 4);
    });

    test('a sample lost to a busy record or a KV error does not fail the batch', () => {
        const api = new InMemoryMattermostApi();
        const kv = new KvStore(api.kv);
        jest.spyOn(api.kv, 'compareAndSet').mockReturnValue(false);
        expect(() => recordPaceSample(kv, {members: 1, ms_per_user: 10, users: 1})).not.toThrow();
        jest.spyOn(api.kv, 'get').mockImplementation(() => {
            throw new HostError(500, 'kv', 'down');
        });
        expect(() => recordPaceSample(kv, {members: 1, ms_per_user: 10, users: 1})).not.toThrow();
    });
});

describe('the estimate', () => {
    const model = {base_ms: 50, per_member_ms: 0.1, source: 'default' as const, samples: 0};

    test('each user costs the base plus the slope times the team they join, which grows as they join', () => {
        // 1,000 users into a team of 500: Σ (500 + i) for i < 1,000 = 500,000 + 499,500 members.
        const estimate = estimateWave({model, users: 1000, joining: 1000, teamMembers: 500, usersPerSecond: 1000});
        expect(estimate.ms).toBeCloseTo((1000 * 50) + (0.1 * 999_500), 6);
        expect(estimate.throttled).toBe(false);

        // Already members do not grow the team.
        const none = estimateWave({model, users: 1000, joining: 0, teamMembers: 500, usersPerSecond: 1000});
        expect(none.ms).toBeCloseTo((1000 * 50) + (0.1 * 500_000), 6);
    });

    test('a throttle slower than the server sets the time', () => {
        const estimate = estimateWave({model, users: 100, joining: 100, teamMembers: 0, usersPerSecond: 1});
        expect(estimate).toMatchObject({ms: 100_000, throttled: true, users: 100, team_members: 0});
    });
});

describe('advice', () => {
    const definition = {targets: {teams: [{team_id: 't'}]}} as Parameters<typeof adviceFor>[1];

    test('the join/leave messages setting is advised while it is on (its default) and the wave joins teams', () => {
        const advice = [{
            id: 'join_leave_messages',
            setting: 'ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages',
            saving_percent: 15,
            console_path: '/admin_console/experimental/features',
        }];
        expect(adviceFor({ServiceSettings: {ExperimentalEnableDefaultChannelLeaveJoinMessages: true}}, definition)).toEqual(advice);
        expect(adviceFor({}, definition)).toEqual(advice);
        expect(adviceFor({ServiceSettings: {ExperimentalEnableDefaultChannelLeaveJoinMessages: false}}, definition)).toEqual([]);
        expect(adviceFor({}, {targets: {teams: []}} as unknown as typeof definition)).toEqual([]);
    });
});

describe('through the routes', () => {
    test('the dry run estimates from the default model, then from what the engine learned; progress shows the pace', async () => {
        const fixture = await waveFixture({users: 6});
        for (let i = 0; i < 3; i++) {
            fixture.api.addTeamMember(fixture.team.id, fixture.api.addUser({username: `old${i}`, email: `old${i}@corp.example`}).id);
        }
        const wave = await fixture.createWave({throttle: {users_per_second: 500}});
        const before = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(before.estimate).toMatchObject({users: 6, team_members: 3, model: {source: 'default', samples: 0}, throttled: false});
        expect(before.estimate.ms).toBeCloseTo((6 * defaultPaceModel.base_ms) + (defaultPaceModel.per_member_ms * ((6 * 3) + 15)), 6);
        expect(before.advice.map((advice: {id: string}) => advice.id)).toEqual(['join_leave_messages']);

        // Each batch of the run takes 400 ms per user on the fixture's clock.
        const slowed = fixture.api.teams.addMembers.bind(fixture.api.teams);
        fixture.api.teams.addMembers = (teamId, userIds, options) => {
            fixture.clock.advance(400 * userIds.length);
            return slowed(teamId, userIds, options);
        };
        const started = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(started.status).toBe(200);
        runToEnd(fixture, wave.id);
        const progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress.state).toBe('completed');
        expect(progress.pace).toMatchObject({measured_users: 6, remaining: 0, eta_ms: 0});
        expect(progress.pace.ms_per_user).toBeGreaterThanOrEqual(400);

        const after = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(after.estimate.model.source).toBe('learned');
        expect(after.estimate.model.samples).toBeGreaterThan(0);
        expect(after.estimate.ms / 6).toBeGreaterThan(350);
    });
});
