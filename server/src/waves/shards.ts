import {pacedAcross} from './pace';
import {addCounts} from './runSteps';
import {emptyCounts} from './store';

import {KvKeys, type WaveRun, type WaveShard} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';

// A running wave's queue in work shards, so every node of a cluster works its own part of one wave.
//
// Shard n covers the queue indexes [n × shard_size, (n + 1) × shard_size) from the run's cursor up (the
// part below it is done and counted in the run record). Each shard keeps its own record: cursor, counts,
// in-flight welcomes, pace. A node works a shard only under the shard's cluster lock, so a shard has one
// writer at a time and no node compare-and-sets against another's progress: the run record, which every
// node reads, changes only on admin actions, arrivals and the finish. The run's counts are the run
// record's plus every shard's, summed on read (`withShardCounts`).
//
// The finish folds the shards into the run record in one compare-and-set (counts added, cursor moved to
// the queue's end, the next generation of shard keys): a finished wave is read from one record, and
// arrivals that reopen it start in fresh shards.
//
// A node that dies leaves its shard's lock to expire (15 s) and another node takes the shard over from
// its last checkpoint, as a crashed run resumes. The record names the run holding it (`owner`): a run whose
// lock was lost while it still ran finds another owner at its next write and stops before posting.

/** Users per work shard: several per node for a few hundred users, and 50 shard reads for a 10,000-user wave's progress. */
export const defaultShardSize = 200;

export const shardMutex = (waveId: string, shard: number) => `wave-${waveId}-shard-${shard}`;

/** Where the run's shards are: fixed for a wave once set, moved on by each finish. */
export interface ShardLayout {
    size: number;
    gen: number;

    /** The run's cursor: indexes below it are done and counted in the run record. */
    floor: number;
    queueLen: number;
}

/** The run's shard layout, or null before its first shard run. */
export function layoutOf(run: WaveRun): ShardLayout | null {
    return run.shard_size === undefined ?
        null :
        {size: run.shard_size, gen: run.shard_gen ?? 0, floor: run.cursor, queueLen: run.queue_len};
}

/** The run with its shard size fixed (a run started before sharding keeps its cursor as the floor). */
export function withLayout(run: WaveRun, size: number): WaveRun {
    return run.shard_size === undefined ? {...run, shard_size: size, shard_gen: run.shard_gen ?? 0} : run;
}

/** The queue indexes shard n holds: [start, end). */
export function shardRange(layout: ShardLayout, shard: number): {start: number; end: number} {
    return {
        start: Math.max(shard * layout.size, layout.floor),
        end: Math.min((shard + 1) * layout.size, layout.queueLen),
    };
}

/** The shards with queue indexes at or above the floor, in order. */
export function shardsOf(layout: ShardLayout): number[] {
    const first = Math.floor(layout.floor / layout.size);
    const last = Math.ceil(layout.queueLen / layout.size);
    return Array.from({length: Math.max(0, last - first)}, (_, i) => first + i).filter((shard) => {
        const {start, end} = shardRange(layout, shard);
        return start < end;
    });
}

export function freshShard(layout: ShardLayout, shard: number): WaveShard {
    return {cursor: shardRange(layout, shard).start, counts: emptyCounts(), welcoming: [], owner: '', done_by: {}};
}

export function readShard(kv: KvReader, waveId: string, layout: ShardLayout, shard: number): WaveShard {
    const stored = kv.readVersioned(KvKeys.waveShard(waveId, layout.gen, shard)).value;

    // A shard's cursor never falls below the floor.
    return stored === undefined ? freshShard(layout, shard) : {...stored, cursor: Math.max(stored.cursor, shardRange(layout, shard).start)};
}

/** Every shard of the run, in order. */
export function readShards(kv: KvReader, waveId: string, layout: ShardLayout): Array<{shard: number; record: WaveShard}> {
    return shardsOf(layout).map((shard) => ({shard, record: readShard(kv, waveId, layout, shard)}));
}

/** Whether shard n still has queue indexes to run. */
export const hasWork = (layout: ShardLayout, shard: number, record: WaveShard) => record.cursor < shardRange(layout, shard).end;

/** Thrown by a write of a run that no longer holds the shard: another node took it over. */
export class ShardLost extends Error {
    constructor(readonly shard: number) {
        super(`wave shard ${shard} was taken over by another run`);
        this.name = 'ShardLost';
    }
}

/**
 * A change of the shard by the run `owner` (compare-and-set). A run takes the shard with `claim`; any
 * later change by a run that is not the owner throws ShardLost and writes nothing.
 */
export function updateShard(
    kv: KvStore,
    waveId: string,
    layout: ShardLayout,
    shard: number,
    owner: string,
    change: (record: WaveShard) => WaveShard,
    claim = false,
): WaveShard {
    return kv.updateWithRetry(KvKeys.waveShard(waveId, layout.gen, shard), (current) => {
        const record = current === undefined ?
            freshShard(layout, shard) :
            {...current, cursor: Math.max(current.cursor, shardRange(layout, shard).start)};
        if (!claim && record.owner !== owner) {
            throw new ShardLost(shard);
        }
        return change({...record, owner});
    }).value;
}

/** The welcomes a retry takes over from a shard (changes no owner: the retried users are behind the shard's cursor). */
export function releaseWelcomes(kv: KvStore, waveId: string, layout: ShardLayout, shard: number, userIds: ReadonlySet<string>): void {
    kv.updateWithRetry(KvKeys.waveShard(waveId, layout.gen, shard), (current) => {
        const record = current ?? freshShard(layout, shard);
        return {...record, welcoming: record.welcoming.filter((userId) => !userIds.has(userId))};
    });
}

/** Whether queue index i has a checkpointed result: below the floor, or below its shard's cursor. */
export function checkpointedIn(kv: KvReader, waveId: string, run: WaveRun): (index: number) => boolean {
    const layout = layoutOf(run);
    if (layout === null) {
        return (index) => index < run.cursor;
    }
    const cursors = new Map(readShards(kv, waveId, layout).map(({shard, record}) => [shard, record.cursor]));
    return (index) => index < layout.floor || index < (cursors.get(Math.floor(index / layout.size)) ?? 0);
}

/** The shards' mean pace (ms per user), or the run record's when no shard has measured one. */
function meanPace(run: WaveRun, records: readonly WaveShard[]): number | undefined {
    const paces = records.flatMap((record) => (record.pace_ms === undefined ? [] : [record.pace_ms]));
    return paces.length === 0 ? run.pace_ms : paces.reduce((a, b) => a + b, 0) / paces.length;
}

/** The run as it reads: its counts are the run record's plus its shards', its pace theirs. A view, never written back. */
export function withShardCounts(kv: KvReader, waveId: string, run: WaveRun): WaveRun {
    const layout = layoutOf(run);
    if (layout === null) {
        return run;
    }
    const shards = readShards(kv, waveId, layout);
    const records = shards.map(({record}) => record);
    const counts = records.reduce((sum, record) => addCounts(sum, record.counts), run.counts);
    const paceMs = meanPace(run, records);
    const working = shards.filter(({shard, record}) => record.cursor > shardRange(layout, shard).start && hasWork(layout, shard, record));
    const paced = pacedAcross([run.paced, ...records.map((record) => record.paced)], working.map(({record}) => record.paced));
    return {...run, counts, ...(paceMs === undefined ? {} : {pace_ms: paceMs}), ...(paced === undefined ? {} : {paced})};
}

/**
 * The finish: a running run whose every shard is done, with nothing to retry and no arrival waiting,
 * completes with its shards folded in: `shards` are the ones read for this layout. A run that changed
 * since (arrivals, a retry) is left as it is.
 */
export function finishWithShards(run: WaveRun, layout: ShardLayout, shards: ReadonlyArray<{shard: number; record: WaveShard}>): WaveRun {
    const same = run.queue_len === layout.queueLen && (run.shard_gen ?? 0) === layout.gen && run.cursor === layout.floor;
    if (!same || run.state !== 'running' || shards.some(({shard, record}) => hasWork(layout, shard, record))) {
        return run;
    }
    const counts = shards.reduce((sum, {record}) => addCounts(sum, record.counts), run.counts);
    const paceMs = meanPace(run, shards.map(({record}) => record));
    const paced = pacedAcross([run.paced, ...shards.map(({record}) => record.paced)], []);
    return {
        ...run,
        counts,
        cursor: run.queue_len,
        shard_gen: layout.gen + 1,
        ...(paceMs === undefined ? {} : {pace_ms: paceMs}),
        ...(paced === undefined ? {} : {paced}),
    };
}
