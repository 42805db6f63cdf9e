import {WaveStateSchema, type UserResult} from 'contract/waves';

import {
    absorbArrivals,
    addArrival,
    checkpoint,
    finishIfDone,
    firstBatch,
    markResolved,
    mergeResults,
    nextBatch,
    nextBatchSize,
    nextPace,
    startIfDue,
    unqueued,
    type BatchBudget,
    type Processed,
} from './runSteps';
import {isAllowedChange, statesAllowing, waveTransition} from './status';
import {emptyCounts, newRun, transition} from './store';

import {ApiError} from '../errors/apiError';
import type {WaveRun} from '../kv/keys';
import {KvStore} from '../kv/store';
import {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';

const run = (overrides: Partial<WaveRun> = {}): WaveRun => ({...newRun(), state: 'running', resolved: true, ...overrides});

const result = (index: number, overrides: Partial<UserResult> = {}): UserResult => ({
    index,
    user_id: `u${index}`,
    username: `user${index}`,
    outcome: 'added',
    reason: '',
    welcome: 'sent',
    at: 1,
    attempts: 1,
    ...overrides,
});

describe('the wave state machine', () => {
    test('every state is reachable from draft, and cancelled and the completed states end the admin actions', () => {
        const reached = new Set(['draft']);
        for (let round = 0; round < WaveStateSchema.options.length; round++) {
            for (const state of [...reached]) {
                for (const to of WaveStateSchema.options) {
                    if (to !== state && isAllowedChange(state as WaveRun['state'], to)) {
                        reached.add(to);
                    }
                }
            }
        }
        expect([...reached].sort()).toEqual([...WaveStateSchema.options].sort());
        expect(waveTransition('cancelled', 'resume')).toBeNull();
        expect(waveTransition('completed', 'pause')).toBeNull();
    });

    test('the admin actions are allowed where the routes allow them', () => {
        expect(statesAllowing('pause').sort()).toEqual(['running', 'scheduled']);
        expect(statesAllowing('resume')).toEqual(['paused']);
        expect(statesAllowing('cancel').sort()).toEqual(['draft', 'paused', 'running', 'scheduled']);
        expect(statesAllowing('retry_failed').sort()).toEqual(['completed_with_failures', 'paused', 'running']);
        expect([...new Set([...statesAllowing('start'), ...statesAllowing('schedule')])].sort()).toEqual(['draft', 'scheduled']);
    });

    test('transition refuses a change the state machine does not have, even from an allowed state', () => {
        const kv = new KvStore(new InMemoryMattermostApi().kv);
        const waveId = 'w'.repeat(26);
        expect(transition(kv, waveId, 'cancel', ['draft'], (current) => ({...current, state: 'cancelled'})).value?.state).toBe('cancelled');
        const refused = () => transition(kv, waveId, 'reopen', ['cancelled'], (current) => ({...current, state: 'running'}));
        expect(refused).toThrow(ApiError);
        expect(refused).toThrow('Cannot reopen a wave that is cancelled.');
    });
});

describe('the engine run, step by step', () => {
    test('start if due: a scheduled wave runs once its time has come; nothing else changes', () => {
        const scheduled = run({state: 'scheduled', start_at: 100});
        expect(startIfDue(scheduled, 99)).toBe(scheduled);
        expect(startIfDue(scheduled, 100)).toEqual({...scheduled, state: 'running', started_at: 100});
        expect(startIfDue({...scheduled, started_at: 50}, 200).started_at).toBe(50);
        const paused = run({state: 'paused', start_at: 100});
        expect(startIfDue(paused, 200)).toBe(paused);
        expect(startIfDue(run({state: 'scheduled', start_at: null}), 200).state).toBe('scheduled');
    });

    test('resolve cohort: the queue length is set once', () => {
        expect(markResolved(run({resolved: false}), 7)).toMatchObject({resolved: true, queue_len: 7});
    });

    test('absorb arrivals: new users join the end of the queue once; a completed wave reopens', () => {
        expect(unqueued(['a', 'b'], ['b', 'c', 'c', 'd'])).toEqual(['c', 'd']);
        const completed = run({state: 'completed', queue_len: 2, cursor: 2, pending: ['c', 'd', 'e'], finished_at: 9});
        expect(absorbArrivals(completed, 2, 2)).toMatchObject({state: 'running', queue_len: 4, pending: ['e'], finished_at: null});
        expect(absorbArrivals(completed, 2, 0)).toMatchObject({state: 'completed', queue_len: 2, pending: ['e'], finished_at: 9});
        expect(absorbArrivals(run({state: 'paused', pending: ['c']}), 1, 1)).toMatchObject({state: 'paused', queue_len: 1, pending: []});
        expect(addArrival(completed, 'f')).toMatchObject({state: 'running', pending: ['c', 'd', 'e', 'f'], finished_at: null});
        expect(addArrival(run({state: 'paused', finished_at: 9}), 'f')).toMatchObject({state: 'paused', pending: ['f'], finished_at: 9});
    });

    test('batch size: the throttle, the doubling from the first batch, the time left at the measured pace', () => {
        const budget: BatchBudget = {
            elapsedMs: 0,
            budgetMs: 10_000,
            processed: 0,
            paceMs: 0,
            lastBatch: firstBatch / 2,
            usersPerSecond: 1000,
            tickSeconds: 3,
            batchSize: 250,
        };
        expect(nextBatchSize(budget)).toBe(firstBatch);
        expect(nextBatchSize({...budget, lastBatch: 100})).toBe(200);
        expect(nextBatchSize({...budget, usersPerSecond: 1})).toBe(3);
        expect(nextBatchSize({...budget, usersPerSecond: 1, processed: 3})).toBeNull();
        expect(nextBatchSize({...budget, elapsedMs: 10_000})).toBeNull();

        // 100 ms per user and 6 s of the 10 left at 60 %: 36 users fit.
        expect(nextBatchSize({...budget, elapsedMs: 4000, paceMs: 100, lastBatch: 100, processed: 20})).toBe(36);

        // Fewer than 8 fit after some work: end the run; before any work, one user while half the budget is left.
        expect(nextBatchSize({...budget, elapsedMs: 9000, paceMs: 100, processed: 20})).toBeNull();
        expect(nextBatchSize({...budget, elapsedMs: 4000, paceMs: 60_000})).toBe(1);
        expect(nextBatchSize({...budget, elapsedMs: 6000, paceMs: 60_000})).toBeNull();
    });

    test('next batch: the retry list first, else from the cursor within one results shard', () => {
        expect(nextBatch(run({retry: [5, 2, 9], cursor: 10, queue_len: 20}), 2)).toEqual({indexes: [5, 2], isRetry: true});
        expect(nextBatch(run({cursor: 10, queue_len: 13}), 5)).toEqual({indexes: [10, 11, 12], isRetry: false});
        expect(nextBatch(run({cursor: 998, queue_len: 2000}), 5).indexes).toEqual([998, 999]);
        expect(nextBatch(run({cursor: 13, queue_len: 13}), 5).indexes).toEqual([]);
    });

    test('merge results: what an earlier attempt achieved is kept; a retry takes its failure back', () => {
        const outcomes = new Map<number, Processed>([
            [0, {outcome: 'already_member', reason: '', welcome: 'already_sent', username: 'user0'}],
            [1, {outcome: 'skipped', reason: 'deactivated', welcome: 'not_sent', username: 'user1'}],
        ]);
        const entries = [
            {index: 0, userId: 'u0', before: result(0, {outcome: 'added', welcome: 'sent'})},
            {index: 1, userId: 'u1', before: undefined},
            {index: 2, userId: 'u2', before: undefined},
        ];
        const {batch, delta} = mergeResults(entries, outcomes, new Set(), false, () => 42);
        expect(batch.map((entry) => [entry.outcome, entry.welcome, entry.attempts, entry.at])).toEqual([
            ['added', 'sent', 2, 42],
            ['skipped', 'not_sent', 1, 42],

            // No outcome for a user: failed, so retry-failed takes them again.
            ['failed', 'not_sent', 1, 42],
        ]);
        expect(delta).toEqual({...emptyCounts(), added: 1, skipped: 1, failed: 1, welcomed: 1});

        const retried = mergeResults(
            [{index: 3, userId: 'u3', before: result(3, {outcome: 'failed', welcome: 'sent'})}],
            new Map([[3, {outcome: 'added', reason: '', welcome: 'already_sent', username: 'user3'} as Processed]]),
            new Set(),
            true,
            () => 0,
        );
        expect(retried.delta).toEqual({...emptyCounts(), added: 1, failed: -1, welcomed: 0});
    });

    test('checkpoint: cursor or retry list, counts, welcomes in flight and pace move together', () => {
        const before = run({cursor: 4, queue_len: 10, retry: [1], welcoming: ['u4', 'u5', 'x'], counts: {...emptyCounts(), failed: 1}});
        const batch = [result(4), result(5, {welcome: 'failed', outcome: 'failed'})];
        const delta = {...emptyCounts(), added: 1, failed: 1, welcomed: 1};
        expect(checkpoint(before, {batch, delta, isRetry: false, paceMs: 12, batchMs: 24}, 77)).toEqual({
            ...before,
            cursor: 6,
            counts: {...emptyCounts(), added: 1, failed: 2, welcomed: 1},
            welcoming: ['u5', 'x'],
            pace_ms: 12,
            paced: {users: 2, ms: 24},
            last_tick_at: 77,
        });
        const retried = checkpoint(before, {batch: [result(1)], delta, isRetry: true, paceMs: 12, batchMs: 5}, 77);
        expect(retried).toMatchObject({cursor: 4, retry: []});
        expect(nextPace(0, 30)).toBe(30);
        expect(nextPace(30, 60)).toBe(50);
    });

    test('finish: a running wave with everything done completes, with failures if any', () => {
        expect(finishIfDone(run({cursor: 3, queue_len: 3}), 5)).toMatchObject({state: 'completed', finished_at: 5});
        expect(finishIfDone(run({cursor: 3, queue_len: 3, counts: {...emptyCounts(), failed: 1}}), 5).state).toBe(
            'completed_with_failures',
        );
        const unfinished = [
            run({cursor: 2, queue_len: 3}),
            run({cursor: 3, queue_len: 3, retry: [0]}),
            run({cursor: 3, queue_len: 3, pending: ['u']}),
            run({state: 'paused', cursor: 3, queue_len: 3}),
        ];
        unfinished.forEach((current) => expect(finishIfDone(current, 5)).toBe(current));
    });
});
