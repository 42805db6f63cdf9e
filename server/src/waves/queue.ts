import type {UserResult} from 'contract/waves';

import type {BatchEntry} from './runSteps';
import {shardOf} from './store';

import {KvKeys, waveShardSize} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';

// A wave's queue of user ids (chunks `wave:<id>:queue:<n>`) and its per-user results (shards
// `wave:<id>:results:<n>`) in KV, as the engine reads and writes them.

/** The queue's chunks, each read once per run: below queue_len they never change. */
export function queueReader(kv: KvReader, waveId: string): (index: number) => string {
    const chunks = new Map<number, string[]>();
    return (index: number): string => {
        const chunk = shardOf(index);
        let ids = chunks.get(chunk);
        if (ids === undefined) {
            ids = kv.readVersioned(KvKeys.waveQueue(waveId, chunk)).value?.ids ?? [];
            chunks.set(chunk, ids);
        }
        return ids[index - (chunk * waveShardSize)] ?? '';
    };
}

/** The user ids at queue positions [0, queueLen). */
export function queuedIds(kv: KvReader, waveId: string, queueLen: number): string[] {
    const read = queueReader(kv, waveId);
    return Array.from({length: queueLen}, (_, index) => read(index));
}

/** Writes user ids at queue positions [from, from + ids.length): deterministic, so a re-run after a crash overwrites the same slots. */
export function writeQueue(kv: KvStore, waveId: string, from: number, ids: readonly string[]): void {
    let offset = 0;
    while (offset < ids.length) {
        const index = from + offset;
        const chunk = shardOf(index);
        const start = index - (chunk * waveShardSize);
        const take = Math.min(waveShardSize - start, ids.length - offset);
        const written = ids.slice(offset, offset + take);
        kv.updateWithRetry(KvKeys.waveQueue(waveId, chunk), (current) => ({
            ids: [...(current?.ids ?? []).slice(0, start), ...written],
        }));
        offset += take;
    }
}

/** The batch's users: each index's user id and its result from an earlier attempt, one read per shard. */
export function batchEntries(kv: KvReader, waveId: string, indexes: readonly number[], userIdAt: (index: number) => string): BatchEntry[] {
    const previous = new Map<number, UserResult>();
    for (const shard of new Set(indexes.map(shardOf))) {
        const results = kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {};
        indexes.
            filter((index) => shardOf(index) === shard && results[String(index)]).
            forEach((index) => previous.set(index, results[String(index)]));
    }
    return indexes.map((index) => ({index, userId: userIdAt(index), before: previous.get(index)}));
}

/** Writes the batch's results into their shards (before the checkpoint: a crash in between runs the batch again). */
export function writeResults(kv: KvStore, waveId: string, batch: readonly UserResult[]): void {
    for (const shard of new Set(batch.map((entry) => shardOf(entry.index)))) {
        kv.updateWithRetry(KvKeys.waveResults(waveId, shard), (current) => {
            const results = {...(current?.results ?? {})};
            batch.filter((entry) => shardOf(entry.index) === shard).forEach((entry) => {
                results[String(entry.index)] = entry;
            });
            return {results};
        });
    }
}
