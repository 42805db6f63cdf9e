import {z} from 'zod';

import {ErrorIds} from 'contract/errors';

import {ConflictError} from './conflictError';
import {plainRecord, versionedRecord} from './records';
import {KvStore} from './store';
import {KvTurn} from './turn';

import type {KvApi} from '../mattermost/api';
import {InMemoryKv} from '../testing/inMemory/kv';

const Counter = z.strictObject({count: z.number().int(), by: z.array(z.string())});
const counterRecord = versionedRecord('test:counter', Counter);

function newStore(kv: KvApi = new InMemoryKv(() => 0)) {
    return {kv, store: new KvStore(kv)};
}

/** A KV whose next compareAndSet is preceded by another writer's update: the race we must survive. */
function kvWithRivalWriter(rivalWrites: number): KvApi {
    const kv = new InMemoryKv(() => 0);
    const rival = new KvStore(kv);
    let remaining = rivalWrites;
    return Object.assign(Object.create(kv) as KvApi, {
        compareAndSet(key: string, oldValue: string | null, newValue: string): boolean {
            if (remaining > 0) {
                remaining -= 1;
                const current = rival.readVersioned(counterRecord);
                rival.writeVersioned(
                    counterRecord,
                    {count: (current.value?.count ?? 0) + 1, by: [...(current.value?.by ?? []), 'rival']},
                    current.version,
                );
            }
            return kv.compareAndSet(key, oldValue, newValue);
        },
    });
}

describe('versioned records', () => {
    test('a missing record reads as version 0 and is created by writing version 0', () => {
        const {store} = newStore();
        expect(store.readVersioned(counterRecord)).toEqual({value: undefined, version: 0});
        expect(store.writeVersioned(counterRecord, {count: 1, by: ['a']}, 0)).toEqual({value: {count: 1, by: ['a']}, version: 1});
        expect(store.readVersioned(counterRecord)).toEqual({value: {count: 1, by: ['a']}, version: 1});
    });

    test('two writers from the same version: the second gets a 409 ConflictError and the first write stays', () => {
        const {store} = newStore();
        store.writeVersioned(counterRecord, {count: 0, by: []}, 0);
        const readByAlice = store.readVersioned(counterRecord);
        const readByBob = store.readVersioned(counterRecord);

        store.writeVersioned(counterRecord, {count: 1, by: ['alice']}, readByAlice.version);
        let conflict: unknown;
        try {
            store.writeVersioned(counterRecord, {count: 1, by: ['bob']}, readByBob.version);
        } catch (error) {
            conflict = error;
        }

        expect(conflict).toBeInstanceOf(ConflictError);
        expect(conflict).toMatchObject({status: 409, id: ErrorIds.conflict, expectedVersion: 1, actualVersion: 2});
        expect(store.readVersioned(counterRecord)).toEqual({value: {count: 1, by: ['alice']}, version: 2});
    });

    test('creating a record that someone else just created is a conflict too', () => {
        const {store} = newStore();
        store.writeVersioned(counterRecord, {count: 5, by: ['first']}, 0);
        expect(() => store.writeVersioned(counterRecord, {count: 1, by: ['second']}, 0)).toThrow(ConflictError);
    });

    test('a write between our read and our compare-and-set is detected, not overwritten', () => {
        const {store} = newStore(kvWithRivalWriter(1));

        // Our create reads "missing", then the rival creates version 1 before our compare-and-set runs.
        expect(() => store.writeVersioned(counterRecord, {count: 0, by: ['us']}, 0)).toThrow(ConflictError);
        expect(store.readVersioned(counterRecord)).toEqual({value: {count: 1, by: ['rival']}, version: 1});
    });

    test('updateWithRetry re-applies the update after a conflict, so no increment is lost', () => {
        const {store} = newStore(kvWithRivalWriter(2));
        const result = store.updateWithRetry(counterRecord, (current) => ({
            count: (current?.count ?? 0) + 1,
            by: [...(current?.by ?? []), 'us'],
        }));
        expect(result.value).toEqual({count: 3, by: ['rival', 'rival', 'us']});
        expect(store.readVersioned(counterRecord).version).toBe(3);
    });

    test('updateWithRetry gives up with the ConflictError after its attempts', () => {
        const {store} = newStore(kvWithRivalWriter(10));
        expect(() => store.updateWithRetry(counterRecord, () => ({count: 0, by: []}), 3)).toThrow(ConflictError);
    });

    test('a value that does not match the schema is refused before it is stored', () => {
        const {store, kv} = newStore();
        expect(() => store.writeVersioned(counterRecord, {count: 1.5, by: []}, 0)).toThrow();
        expect(kv.get(counterRecord.key)).toBeNull();
    });

    test('stored data that no longer matches its schema fails loudly on read', () => {
        const {store, kv} = newStore();
        kv.set(counterRecord.key, JSON.stringify({version: 1, value: {count: 'many'}}));
        expect(() => store.readVersioned(counterRecord)).toThrow(/test:counter does not match its schema/);
    });

    test('a record that skips the read check returns what was stored, and its writes are still validated', () => {
        const {store, kv} = newStore();
        const trusted = versionedRecord('test:trusted', z.object({count: z.number()}), {checkOnRead: false});
        kv.set(trusted.key, JSON.stringify({version: 1, value: {count: 'many'}}));
        expect(store.readVersioned(trusted)).toEqual({value: {count: 'many'}, version: 1});
        expect(() => store.writeVersioned(trusted, {count: 'more'} as unknown as {count: number}, 1)).toThrow();
        expect(store.readVersioned(trusted).version).toBe(1);
    });
});

describe('plain records', () => {
    const greeting = plainRecord('test:greeting', z.string());

    test('round-trip as JSON; missing reads as undefined; delete removes', () => {
        const {store, kv} = newStore();
        expect(store.get(greeting)).toBeUndefined();
        store.set(greeting, 'hello');
        expect(kv.get('test:greeting')).toBe('"hello"');
        expect(store.get(greeting)).toBe('hello');
        store.delete(greeting);
        expect(store.get(greeting)).toBeUndefined();
    });

    test('keys with an empty part (a missing id) are refused when the record is declared', () => {
        expect(() => plainRecord('wave::results', z.string())).toThrow(/invalid KV key/);
        expect(() => plainRecord('x:' + 'y'.repeat(150), z.string())).toThrow(/invalid KV key/);
    });
});

describe('create', () => {
    test('writes version 1 without reading the key first, and refuses a key that exists', () => {
        const kv = new InMemoryKv(() => 0);
        const get = jest.fn((key: string) => kv.get(key));

        // Only this store's own reads count (the in-memory compare-and-set reads the key itself).
        const store = new KvStore(Object.assign(Object.create(kv) as KvApi, {
            get,
            compareAndSet: (key: string, oldValue: string | null, newValue: string) => kv.compareAndSet(key, oldValue, newValue),
        }));
        expect(store.create(counterRecord, {count: 1, by: ['a']})).toEqual({version: 1, value: {count: 1, by: ['a']}});
        expect(get).not.toHaveBeenCalled();
        expect(store.readVersioned(counterRecord)).toEqual({version: 1, value: {count: 1, by: ['a']}});

        expect(() => store.create(counterRecord, {count: 2, by: ['b']})).toThrow(ConflictError);
        expect(store.readVersioned(counterRecord).value).toEqual({count: 1, by: ['a']});
    });
});

describe('in a turn', () => {
    test('the held record is parsed once per value, and what a request wrote is read back as written', () => {
        const kv = new InMemoryKv(() => 0);
        new KvStore(kv).writeVersioned(counterRecord, {count: 1, by: ['a']}, 0);
        const turn = new KvTurn(kv, counterRecord.key);
        const parse = jest.spyOn(JSON, 'parse');
        const first = new KvStore(turn.kv).readVersioned(counterRecord);
        expect(new KvStore(turn.kv).readVersioned(counterRecord)).toEqual(first);
        const written = new KvStore(turn.kv).writeVersioned(counterRecord, {count: 2, by: ['a', 'b']}, 1);
        expect(new KvStore(turn.kv).readVersioned(counterRecord)).toEqual(written);
        const planParses = parse.mock.calls.filter(([text]) => typeof text === 'string' && text.includes('"count"')).length;
        parse.mockRestore();
        expect(planParses).toBe(1); // the first read; the second and the read after the write parse nothing

        turn.commit({error: jest.fn()} as never);
        expect(new KvStore(kv).readVersioned(counterRecord)).toEqual({version: 2, value: {count: 2, by: ['a', 'b']}});
    });
});
