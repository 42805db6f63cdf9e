import {WaveRoutes} from 'contract/routes';

import {runWave} from './engine';
import {layoutOf, shardMutex, shardRange, shardsOf, withLayout} from './shards';
import {newRun, transition} from './store';

import {KvKeys, type WaveRun} from '../kv/keys';
import {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';

// A wave's queue in work shards, run by several nodes: each node plays with the same store and cluster
// locks (the fixture's API) under its own system.getNodeId, and one node's run is interleaved into another's
// batch through a spy, as two app servers run side by side.

/** The fixture's API as another node of the cluster: same store, same locks, another node id. */
function nodeApi(api: InMemoryMattermostApi, nodeId: string): MattermostApi {
    return new Proxy(api, {
        get(target, name) {
            if (name === 'system') {
                return {...target.system, getNodeId: () => nodeId};
            }
            const value = Reflect.get(target, name);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    }) as unknown as MattermostApi;
}

const onNode = (fixture: WaveFixture, nodeId: string) => {
    const api = nodeApi(fixture.api, nodeId);
    return {api, kv: new KvStore(api.kv), log: memoryLogger()};
};

async function startedWave(fixture: WaveFixture) {
    const wave = await fixture.createWave({throttle: {users_per_second: 100}});

    // Scheduled a moment ahead, so the start itself runs nothing: the nodes below do.
    await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version, start_at: fixture.clock.now() + 1});
    fixture.clock.advance(1);
    return wave.id;
}

const storedRun = (fixture: WaveFixture, waveId: string): WaveRun => JSON.parse(fixture.api.kv.get(KvKeys.waveRun(waveId).key)!).value;

/** Users checkpointed per node, over every shard record of the wave. */
function doneByNode(fixture: WaveFixture, waveId: string): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const key of fixture.api.kv.listKeys(0, 10_000).filter((k) => k.startsWith(`wave:${waveId}:shard:`))) {
        const {done_by: doneBy} = JSON.parse(fixture.api.kv.get(key)!).value as {done_by: Record<string, number>};
        Object.entries(doneBy).forEach(([node, n]) => {
            sums[node] = (sums[node] ?? 0) + n;
        });
    }
    return sums;
}

function expectOneDmEach(fixture: WaveFixture) {
    const dms = fixture.dmsByUser();
    expect(dms.size).toBe(fixture.users.length);
    fixture.users.forEach((user) => expect({user: user.username, dms: dms.get(user.id)}).toEqual({user: user.username, dms: 1}));
}

/** Runs `during` once, in the middle of the first batch `node` reads its users for (before any membership or DM of it). */
function duringFirstBatch(fixture: WaveFixture, during: () => void) {
    const getMany = fixture.api.users.getMany.bind(fixture.api.users);
    let fired = false;
    jest.spyOn(fixture.api.users, 'getMany').mockImplementation((ids: string[]) => {
        if (!fired) {
            fired = true;
            during();
        }
        return getMany(ids);
    });
}

describe('a wave in work shards', () => {
    test('two nodes share one wave: each takes the shards whose locks are free; counts are exact, one DM each', async () => {
        const fixture = await waveFixture({users: 10, engine: {batchSize: 4, shardSize: 3}});
        const waveId = await startedWave(fixture);
        let second = {processed: 0};

        // Node 2 runs while node 1 is inside its first batch, holding shard 0.
        duringFirstBatch(fixture, () => {
            expect(fixture.api.heldMutexes.has(shardMutex(waveId, 0))).toBe(true);
            second = runWave(onNode(fixture, 'node-2'), waveId, fixture.engine);
        });
        const first = runWave(onNode(fixture, 'node-1'), waveId, fixture.engine);

        // Node 2 ran shards 1–3 (7 users), node 1 its shard 0 (3 users) and finished the wave.
        expect({first: first.processed, second: second.processed}).toEqual({first: 3, second: 7});
        expect(doneByNode(fixture, waveId)).toEqual({'node-1': 3, 'node-2': 7});
        expect(first.state).toBe('completed');
        const progress = (await fixture.client.get(WaveRoutes.progress(waveId))).json;
        expect(progress).toMatchObject({
            state: 'completed',
            total: 10,
            processed: 10,
            counts: {added: 10, already_member: 0, failed: 0, welcomed: 10},
        });
        expectOneDmEach(fixture);

        // The finish folded the shards into the run record: a finished wave reads from it alone.
        expect(storedRun(fixture, waveId)).toMatchObject({cursor: 10, shard_gen: 1, counts: {added: 10, welcomed: 10}});
        expect(fixture.api.heldMutexes.size).toBe(0);
    });

    test('while a wave runs, its progress is the run record\'s counts plus every shard\'s', async () => {
        const fixture = await waveFixture({users: 7, engine: {batchSize: 2, shardSize: 3}});
        const waveId = await startedWave(fixture);

        // Another node holds shard 1: this node runs shards 0 and 2 and cannot finish.
        fixture.api.heldMutexes.add(shardMutex(waveId, 1));
        expect(runWave(onNode(fixture, 'node-1'), waveId, fixture.engine)).toEqual({processed: 4, state: 'running'});
        expect(storedRun(fixture, waveId).counts.added).toBe(0);
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            state: 'running',
            processed: 4,
            counts: {added: 4, welcomed: 4},

            // The shards' measured users and what is left count in the pace and its time left.
            pace: {measured_users: 4, remaining: 3},
        });
        fixture.api.heldMutexes.delete(shardMutex(waveId, 1));
        expect(runWave(onNode(fixture, 'node-2'), waveId, fixture.engine)).toEqual({processed: 3, state: 'completed'});
        expect(doneByNode(fixture, waveId)).toEqual({'node-1': 4, 'node-2': 3});
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            processed: 7,
            counts: {added: 7},
            pace: {measured_users: 7, remaining: 0, eta_ms: 0},
        });
        expectOneDmEach(fixture);
    });

    test('a shard whose lock expired under a live run is taken over; the old run stops at its next write, before any DM', async () => {
        const fixture = await waveFixture({users: 6, engine: {batchSize: 4, shardSize: 3}});
        const waveId = await startedWave(fixture);
        let second = {processed: 0};

        // Node 1 stalls inside its first batch long enough for its lock to expire: node 2 takes shard 0 and
        // runs the whole wave. Node 1's host still believes it holds the lock (and releases it at the end).
        duringFirstBatch(fixture, () => {
            fixture.api.heldMutexes.delete(shardMutex(waveId, 0));
            second = runWave(onNode(fixture, 'node-2'), waveId, fixture.engine);
            fixture.api.heldMutexes.add(shardMutex(waveId, 0));
        });
        const node1 = onNode(fixture, 'node-1');
        const first = runWave(node1, waveId, fixture.engine);

        expect(second.processed).toBe(6);
        expect(first.processed).toBe(0);
        expect(node1.log.lines.map((line) => line.message)).toContain('Wave shard taken over by another run; this run stops');
        expect(doneByNode(fixture, waveId)).toEqual({'node-2': 6});
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            state: 'completed',
            processed: 6,
            counts: {added: 6, already_member: 0, welcomed: 6},
        });
        expectOneDmEach(fixture);
    });

    test('two waves run at once on two nodes', async () => {
        const fixture = await waveFixture({users: 6, engine: {batchSize: 4, shardSize: 3}});
        const a = await startedWave(fixture);
        const b = await startedWave(fixture);
        let second = {processed: 0};
        duringFirstBatch(fixture, () => {
            second = runWave(onNode(fixture, 'node-2'), b, fixture.engine);
        });
        const first = runWave(onNode(fixture, 'node-1'), a, fixture.engine);
        expect({first, second}).toEqual({first: {processed: 6, state: 'completed'}, second: {processed: 6, state: 'completed'}});
        expect(doneByNode(fixture, a)).toEqual({'node-1': 6});
        expect(doneByNode(fixture, b)).toEqual({'node-2': 6});

        // Each user got one DM per wave.
        const dms = fixture.dmsByUser();
        fixture.users.forEach((user) => expect(dms.get(user.id)).toBe(2));
    });

    test('a run started before work shards continues from its cursor: the part below it stays counted once', async () => {
        const fixture = await waveFixture({users: 7, engine: {batchSize: 2, shardSize: 3}});
        const waveId = await startedWave(fixture);
        fixture.api.heldMutexes.add(shardMutex(waveId, 1));
        fixture.api.heldMutexes.add(shardMutex(waveId, 2));
        expect(runWave(onNode(fixture, 'node-1'), waveId, fixture.engine).processed).toBe(3);
        fixture.api.heldMutexes.clear();

        // Rewrite the store as the engine before shards left it: the shard's counts in the run record, its
        // cursor after them, no shard layout and no shard records.
        const kv = new KvStore(fixture.api.kv);
        const shard0 = kv.readVersioned(KvKeys.waveShard(waveId, 0, 0)).value!;
        kv.updateWithRetry(KvKeys.waveRun(waveId), (run) => {
            const {shard_size: size, shard_gen: gen, ...legacy} = run!;
            expect({size, gen}).toEqual({size: 3, gen: 0});
            return {...legacy, cursor: shard0.cursor, counts: shard0.counts};
        });
        fixture.api.kv.delete(KvKeys.waveShard(waveId, 0, 0).key);
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({processed: 3, counts: {added: 3}});

        runToEnd(fixture, waveId);
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            state: 'completed',
            processed: 7,
            counts: {added: 7, already_member: 0, welcomed: 7},
        });
        expectOneDmEach(fixture);
    });
});

describe('admin actions on a wave in work shards', () => {
    test('a pause stops every node at its next batch; a resume continues; every user once', async () => {
        const fixture = await waveFixture({users: 9, engine: {batchSize: 2, shardSize: 3}});
        const waveId = await startedWave(fixture);
        let second = {processed: -1};

        // The admin pauses (the route's change of the run record) while node 1 is inside its first batch:
        // node 1 checkpoints that batch and stops; node 2, running right after the pause, takes nothing.
        duringFirstBatch(fixture, () => {
            transition(new KvStore(fixture.api.kv), waveId, 'pause', ['running'], (run) => ({...run, state: 'paused'}));
            second = runWave(onNode(fixture, 'node-2'), waveId, fixture.engine);
        });
        const first = runWave(onNode(fixture, 'node-1'), waveId, fixture.engine);
        expect({first, second}).toEqual({first: {processed: 2, state: 'paused'}, second: {processed: 0, state: 'paused'}});
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({state: 'paused', processed: 2});

        expect((await fixture.client.post(WaveRoutes.resume(waveId))).status).toBe(200);
        runToEnd(fixture, waveId);
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            state: 'completed',
            processed: 9,
            counts: {added: 9, already_member: 0, welcomed: 9},
        });
        expectOneDmEach(fixture);
    });

    test('a cancelled wave keeps the counts its shards reached', async () => {
        const fixture = await waveFixture({users: 7, engine: {batchSize: 2, shardSize: 3}});
        const waveId = await startedWave(fixture);
        fixture.api.heldMutexes.add(shardMutex(waveId, 1));
        expect(runWave(onNode(fixture, 'node-1'), waveId, fixture.engine).processed).toBe(4);
        fixture.api.heldMutexes.delete(shardMutex(waveId, 1));
        expect((await fixture.client.post(WaveRoutes.cancel(waveId))).status).toBe(200);
        expect(runWave(onNode(fixture, 'node-2'), waveId, fixture.engine)).toEqual({processed: 0, state: 'cancelled'});
        expect((await fixture.client.get(WaveRoutes.progress(waveId))).json).toMatchObject({
            state: 'cancelled',
            processed: 4,
            counts: {added: 4, welcomed: 4},

            // The shards' measured users and what is left count in the pace and its time left.
            pace: {measured_users: 4, remaining: 3},
        });
    });
});

describe('shard layout', () => {
    test('shards cover the queue from the run\'s cursor up, in fixed ranges; the size is set once', () => {
        const run = {...newRun(), queue_len: 10, cursor: 4};
        expect(layoutOf(run)).toBeNull();
        const sharded = withLayout(run, 3);
        expect(withLayout({...sharded, queue_len: 12}, 5).shard_size).toBe(3);
        const layout = layoutOf(sharded)!;
        expect(layout).toEqual({size: 3, gen: 0, floor: 4, queueLen: 10});

        // Shard 1 starts at the floor (index 3 is below it, counted in the run record); shard 3 ends with the queue.
        expect(shardsOf(layout)).toEqual([1, 2, 3]);
        expect(shardsOf(layout).map((shard) => shardRange(layout, shard))).toEqual([
            {start: 4, end: 6},
            {start: 6, end: 9},
            {start: 9, end: 10},
        ]);

        // Arrivals lengthen the last shard and add new ones; a finished run has none.
        expect(shardsOf({...layout, queueLen: 14})).toEqual([1, 2, 3, 4]);
        expect(shardsOf({...layout, floor: 10})).toEqual([]);
    });
});
