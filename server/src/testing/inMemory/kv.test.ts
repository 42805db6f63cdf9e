import {InMemoryKv} from './kv';

import {isHostError} from '../../host/errors';

function clockedKv() {
    const clock = {now: 1_000_000};
    return {clock, kv: new InMemoryKv(() => clock.now)};
}

describe('InMemoryKv compare-and-set', () => {
    test('null as the old value means "only if missing"', () => {
        const {kv} = clockedKv();
        expect(kv.compareAndSet('k', null, 'a')).toBe(true);
        expect(kv.compareAndSet('k', null, 'b')).toBe(false);
        expect(kv.get('k')).toBe('a');
    });

    test('swaps only when the stored bytes equal the old value', () => {
        const {kv} = clockedKv();
        kv.set('k', 'a');
        expect(kv.compareAndSet('k', 'x', 'b')).toBe(false);
        expect(kv.get('k')).toBe('a');
        expect(kv.compareAndSet('k', 'a', 'b')).toBe(true);
        expect(kv.get('k')).toBe('b');
    });

    test('setWithOptions: atomic with a null value is compare-and-delete', () => {
        const {kv} = clockedKv();
        kv.set('k', 'a');
        expect(kv.setWithOptions('k', null, {atomic: true, old_value: 'zzz'})).toBe(false);
        expect(kv.get('k')).toBe('a');
        expect(kv.setWithOptions('k', null, {atomic: true, old_value: 'a'})).toBe(true);
        expect(kv.get('k')).toBeNull();
    });

    test('setWithOptions without atomic always writes', () => {
        const {kv} = clockedKv();
        kv.set('k', 'a');
        expect(kv.setWithOptions('k', 'b', {old_value: 'not-checked'})).toBe(true);
        expect(kv.get('k')).toBe('b');
    });
});

describe('InMemoryKv expiry', () => {
    test('an expired key is missing for get, list and compare-and-set', () => {
        const {kv, clock} = clockedKv();
        kv.setWithExpiry('lock', 'held', 15);
        kv.set('plain', 'stays');
        clock.now += 14_999;
        expect(kv.get('lock')).toBe('held');
        clock.now += 1;
        expect(kv.get('lock')).toBeNull();
        expect(kv.listKeys(0, 10)).toEqual(['plain']);
        expect(kv.compareAndSet('lock', null, 'mine')).toBe(true);
    });

    test('setWithOptions honours expire_in_seconds', () => {
        const {kv, clock} = clockedKv();
        kv.setWithOptions('k', 'v', {expire_in_seconds: 1});
        clock.now += 1000;
        expect(kv.get('k')).toBeNull();
    });
});

describe('InMemoryKv keys', () => {
    test('listKeys is sorted and paged', () => {
        const {kv} = clockedKv();
        for (const key of ['c', 'a', 'b', 'd']) {
            kv.set(key, '1');
        }
        expect(kv.listKeys(0, 3)).toEqual(['a', 'b', 'c']);
        expect(kv.listKeys(1, 3)).toEqual(['d']);
    });

    test('a key longer than 150 characters is refused with a 400 HostError', () => {
        const {kv} = clockedKv();
        let thrown: unknown;
        try {
            kv.set('k'.repeat(151), 'v');
        } catch (error) {
            thrown = error;
        }
        expect(isHostError(thrown) && thrown.status_code).toBe(400);
    });
});
