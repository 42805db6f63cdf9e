import type {UserProfile} from '@mattermost/types/users';

import type {Outcome, UserResult, WaveCounts} from 'contract/waves';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import {isHostError} from '../host/errors';
import {KvKeys, type StoredWave, type WaveRun, waveShardSize} from '../kv/keys';
import type {MattermostApi} from '../mattermost/api';
import {renderWelcome} from '../welcome/template';

import {resolveCohort, skipReason} from './cohort';
import {emptyCounts, listWaveIds, shardOf} from './store';
import {sendWelcomeOnce} from './welcomeOnce';

// The wave engine. One run (a job tick, or a start/tick request) takes the wave's cluster mutex, then
// works in batches: read the users of the next queue indexes, provision each (idempotent calls), send
// the welcome exactly once (welcomeOnce.ts), write their results into the results shard, and only then
// move the cursor and the counts in the run record by compare-and-set: the checkpoint. A crash anywhere
// in a batch leaves the cursor where it was, so the batch runs again: memberships already made show as
// already there (the earlier result's `added` is kept), the welcome marker stops a second DM, and the
// counts, written only with the cursor, never count a user twice.

export interface EngineOptions {
    now: () => number;
    /** Users per checkpoint. */
    batchSize: number;
    /** Stop starting batches after this long (a job tick must end before the next one). */
    timeBudgetMs: number;
    /** The job interval: with users_per_second it bounds the users one run may take. */
    tickSeconds: number;
}

export const defaultEngineOptions: EngineOptions = {now: () => Date.now(), batchSize: 50, timeBudgetMs: 8000, tickSeconds: 10};

export const waveMutex = (waveId: string) => `wave-${waveId}`;

interface Targets {
    teams: Array<{id: string; name: string; admin: boolean}>;
    channels: Array<{id: string; name: string; admin: boolean}>;
}

function describe(error: unknown): string {
    if (isHostError(error)) {
        return `${error.status_code} ${error.id}: ${error.message}`;
    }
    return error instanceof Error ? error.message : String(error);
}

function loadTargets(api: MattermostApi, stored: StoredWave): Targets {
    const {targets} = stored.definition;
    return {
        teams: targets.teams.map((target) => {
            const team = api.teams.get(target.team_id);
            return {id: team.id, name: team.display_name || team.name, admin: target.role === 'team_admin'};
        }),
        channels: targets.channels.map((target) => {
            const channel = api.channels.get(target.channel_id);
            return {id: channel.id, name: channel.display_name || channel.name, admin: target.role === 'channel_admin'};
        }),
    };
}

/** Member of the team/channel? (a left team membership has delete_at > 0). */
export function isMember(read: () => object): boolean {
    try {
        return ((read() as {delete_at?: number}).delete_at ?? 0) === 0;
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return false;
        }
        throw error;
    }
}

function withRole(roles: string, role: string): string | null {
    const list = roles.split(' ').filter(Boolean);
    return list.includes(role) ? null : [...list, role].join(' ');
}

interface Processed {
    outcome: Outcome;
    reason: string;
    welcome: UserResult['welcome'];
    username: string;
}

function processUser(api: MattermostApi, waveId: string, stored: StoredWave, targets: Targets, botId: string, userId: string): Processed {
    let user: UserProfile;
    try {
        user = api.users.get(userId);
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return {outcome: 'skipped', reason: 'not_found', welcome: 'not_sent', username: ''};
        }
        return {outcome: 'failed', reason: describe(error), welcome: 'not_sent', username: ''};
    }
    const skip = skipReason(user, stored.definition.allow_guests);
    if (skip) {
        return {outcome: 'skipped', reason: skip, welcome: 'not_sent', username: user.username};
    }
    let added = false;
    const failures: string[] = [];
    for (const team of targets.teams) {
        try {
            if (!isMember(() => api.teams.getMember(team.id, userId))) {
                api.teams.addMember(team.id, userId);
                added = true;
            }
            if (team.admin) {
                const roles = withRole(api.teams.getMember(team.id, userId).roles, 'team_admin');
                if (roles) {
                    api.teams.updateMemberRoles(team.id, userId, roles);
                    added = true;
                }
            }
        } catch (error) {
            failures.push(`team ${team.name}: ${describe(error)}`);
        }
    }
    for (const channel of targets.channels) {
        try {
            if (!isMember(() => api.channels.getMember(channel.id, userId))) {
                api.channels.addMember(channel.id, userId, botId);
                added = true;
            }
            if (channel.admin) {
                const roles = withRole(api.channels.getMember(channel.id, userId).roles, 'channel_admin');
                if (roles) {
                    api.channels.updateMemberRoles(channel.id, userId, roles);
                    added = true;
                }
            }
        } catch (error) {
            failures.push(`channel ${channel.name}: ${describe(error)}`);
        }
    }
    if (failures.length > 0) {
        // No welcome for a half-provisioned user: retry-failed finishes the memberships, then welcomes.
        return {outcome: 'failed', reason: failures.join('; '), welcome: 'not_sent', username: user.username};
    }
    const outcome: Outcome = added ? 'added' : 'already_member';
    const {welcome} = stored.definition;
    if (!welcome.enabled) {
        return {outcome, reason: '', welcome: 'disabled', username: user.username};
    }
    try {
        const sent = sendWelcomeOnce(api, waveId, botId, userId, () =>
            renderWelcome(welcome.template, {
                first_name: user.first_name || user.username,
                username: user.username,
                team: targets.teams.map((team) => team.name).join(', '),
                channels: targets.channels.map((channel) => channel.name).join(', '),
                help_link: welcome.help_link,
                wave: stored.definition.name,
            }),
        );
        return {outcome, reason: '', welcome: sent, username: user.username};
    } catch (error) {
        return {outcome: 'failed', reason: `welcome: ${describe(error)}`, welcome: 'failed', username: user.username};
    }
}

const welcomed = (result: UserResult | undefined) => (result && (result.welcome === 'sent' || result.welcome === 'already_sent') ? 1 : 0);

function addCounts(a: WaveCounts, b: WaveCounts): WaveCounts {
    return {
        added: a.added + b.added,
        already_member: a.already_member + b.already_member,
        skipped: a.skipped + b.skipped,
        failed: a.failed + b.failed,
        welcomed: a.welcomed + b.welcomed,
    };
}

function queueIds(kv: HookContext['kv'], waveId: string, indexes: number[]): Map<number, string> {
    const chunks = new Map<number, string[]>();
    const ids = new Map<number, string>();
    for (const index of indexes) {
        const chunk = shardOf(index);
        if (!chunks.has(chunk)) {
            chunks.set(chunk, kv.readVersioned(KvKeys.waveQueue(waveId, chunk)).value?.ids ?? []);
        }
        const id = chunks.get(chunk)![index - chunk * waveShardSize];
        if (id !== undefined) {
            ids.set(index, id);
        }
    }
    return ids;
}

/** Writes user ids at queue positions [from, from + ids.length): deterministic, so a re-run after a crash overwrites the same slots. */
function writeQueue(kv: HookContext['kv'], waveId: string, from: number, ids: readonly string[]): void {
    let offset = 0;
    while (offset < ids.length) {
        const index = from + offset;
        const chunk = shardOf(index);
        const start = index - chunk * waveShardSize;
        const take = Math.min(waveShardSize - start, ids.length - offset);
        kv.updateWithRetry(KvKeys.waveQueue(waveId, chunk), (current) => ({
            ids: [...(current?.ids ?? []).slice(0, start), ...ids.slice(offset, offset + take)],
        }));
        offset += take;
    }
}

export interface RunReport {
    processed: number;
    state: WaveRun['state'];
}

/** One engine run for one wave, under its cluster mutex. */
export function runWave(context: HookContext, waveId: string, options: EngineOptions = defaultEngineOptions): RunReport {
    const {api} = context;
    // The time budget starts before the wait for the lock: a run that waited for another one must
    // still end well within the host's per-call limit (30 s), so a long wait leaves it less to do.
    const started = options.now();
    api.mutex.lock(waveMutex(waveId));
    try {
        if (options.now() - started >= options.timeBudgetMs) {
            const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
            return {processed: 0, state: run?.state ?? 'draft'};
        }
        return runLocked(context, waveId, options, started);
    } finally {
        api.mutex.unlock(waveMutex(waveId));
    }
}

function runLocked(context: HookContext, waveId: string, options: EngineOptions, started: number): RunReport {
    const {api, kv, log} = context;
    const runKey = KvKeys.waveRun(waveId);
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    let run = kv.readVersioned(runKey).value;
    if (!stored || !run) {
        return {processed: 0, state: run?.state ?? 'draft'};
    }

    if (run.state === 'scheduled' && run.start_at !== null && run.start_at <= started) {
        run = kv.updateWithRetry(runKey, (current): WaveRun =>
            current!.state === 'scheduled' ? {...current!, state: 'running', started_at: current!.started_at ?? started} : current!,
        ).value;
    }
    if (run.state !== 'running') {
        return {processed: 0, state: run.state};
    }

    if (!run.resolved) {
        const cohort = resolveCohort(api, stored.definition.cohort);
        const ids = cohort.users.map((user) => user.id);
        writeQueue(kv, waveId, 0, ids);
        run = kv.updateWithRetry(runKey, (current) => ({...current!, resolved: true, queue_len: ids.length})).value;
        log.info('Wave cohort resolved', {waveId, users: ids.length, csvProblems: cohort.csvProblems.length});
    }

    if (run.pending.length > 0) {
        const arrivals = run.pending;
        writeQueue(kv, waveId, run.queue_len, arrivals);
        // Hooks only append to `pending`, so its first arrivals.length entries are the ones just queued.
        run = kv.updateWithRetry(runKey, (current) => ({
            ...current!,
            queue_len: current!.queue_len + arrivals.length,
            pending: current!.pending.slice(arrivals.length),
            state: current!.state === 'completed' || current!.state === 'completed_with_failures' ? 'running' : current!.state,
            finished_at: null,
        })).value;
    }

    const botId = botUserId(kv);
    const targets = loadTargets(api, stored);
    const budget = Math.max(1, stored.definition.throttle.users_per_second * options.tickSeconds);
    let processed = 0;

    while (processed < budget && options.now() - started < options.timeBudgetMs) {
        run = kv.readVersioned(runKey).value!;
        if (run.state !== 'running') {
            break;
        }
        const size = Math.min(options.batchSize, budget - processed);
        const isRetry = run.retry.length > 0;
        const indexes = isRetry
            ? run.retry.slice(0, size)
            : Array.from({length: Math.min(size, run.queue_len - run.cursor)}, (_, i) => run!.cursor + i);
        if (indexes.length === 0) {
            run = finish(context, waveId, options.now());
            break;
        }
        const ids = queueIds(kv, waveId, indexes);
        const previous = new Map<number, UserResult>();
        for (const shard of new Set(indexes.map(shardOf))) {
            const results = kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {};
            indexes.filter((index) => shardOf(index) === shard && results[String(index)]).forEach((index) => previous.set(index, results[String(index)]));
        }

        const batch: UserResult[] = [];
        const delta = emptyCounts();
        for (const index of indexes) {
            // Out of time mid-batch: checkpoint what is done (at least one user, so every run makes progress).
            if (batch.length > 0 && options.now() - started >= options.timeBudgetMs) {
                break;
            }
            const userId = ids.get(index) ?? '';
            const result = userId
                ? processUser(api, waveId, stored, targets, botId, userId)
                : {outcome: 'failed' as const, reason: 'queue entry missing', welcome: 'not_sent' as const, username: ''};
            const before = previous.get(index);
            // A batch run again after a crash before its checkpoint redid what the earlier attempt did:
            // keep what that attempt achieved (a failed user's partial memberships count as added too).
            const outcome = before?.outcome === 'added' && result.outcome === 'already_member' ? 'added' : result.outcome;
            const welcome = before?.welcome === 'sent' && result.welcome === 'already_sent' ? 'sent' : result.welcome;
            const entry: UserResult = {
                index,
                user_id: userId,
                username: result.username,
                outcome,
                reason: result.reason,
                welcome,
                at: options.now(),
                attempts: (before?.attempts ?? 0) + 1,
            };
            batch.push(entry);
            delta[outcome] += 1;
            delta.welcomed += welcomed(entry);
            if (isRetry) {
                // Only users counted as failed are in the retry list, and they stay counted so until this
                // checkpoint (whatever a crashed earlier retry wrote into the shard): take that failure back.
                delta.failed -= 1;
            }
        }

        for (const shard of new Set(batch.map((entry) => shardOf(entry.index)))) {
            kv.updateWithRetry(KvKeys.waveResults(waveId, shard), (current) => {
                const results = {...(current?.results ?? {})};
                batch.filter((entry) => shardOf(entry.index) === shard).forEach((entry) => {
                    results[String(entry.index)] = entry;
                });
                return {results};
            });
        }

        // The checkpoint: cursor (or retry list) and counts move together, or not at all.
        const done = new Set(batch.map((entry) => entry.index));
        const last = batch[batch.length - 1].index;
        run = kv.updateWithRetry(runKey, (current) => ({
            ...current!,
            cursor: isRetry ? current!.cursor : Math.max(current!.cursor, last + 1),
            retry: isRetry ? current!.retry.filter((index) => !done.has(index)) : current!.retry,
            counts: addCounts(current!.counts, delta),
            last_tick_at: options.now(),
        })).value;
        processed += batch.length;
    }
    if (run.state === 'running' && run.cursor >= run.queue_len && run.retry.length === 0 && run.pending.length === 0) {
        run = finish(context, waveId, options.now());
    }
    if (processed > 0) {
        log.info('Wave run', {waveId, processed, ms: options.now() - started, cursor: run.cursor, total: run.queue_len, state: run.state});
    }
    return {processed, state: run.state};
}

function finish(context: HookContext, waveId: string, now: number): WaveRun {
    return context.kv.updateWithRetry(KvKeys.waveRun(waveId), (current): WaveRun => {
        const run = current!;
        if (run.state !== 'running' || run.cursor < run.queue_len || run.retry.length > 0 || run.pending.length > 0) {
            return run;
        }
        return {...run, state: run.counts.failed > 0 ? 'completed_with_failures' : 'completed', finished_at: now};
    }).value;
}

/** The job: every wave that is running (or due), one after the other; a failing wave does not stop the others. */
export function runDueWaves(context: HookContext, options: EngineOptions = defaultEngineOptions): void {
    for (const waveId of listWaveIds(context.kv)) {
        const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
        if (!run || (run.state !== 'running' && run.state !== 'scheduled')) {
            continue;
        }
        try {
            runWave(context, waveId, options);
        } catch (error) {
            context.log.error('Wave run failed; it resumes on the next tick', {waveId, error: describe(error)});
        }
    }
}
