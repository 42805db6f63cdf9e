import type {UserProfile} from '@mattermost/types/users';

import {type DefaultPreference, defaultPreferenceCatalogue, type Outcome, type UserResult, type WaveCounts} from 'contract/waves';

import {resolveCohort, skipReason} from './cohort';
import {welcomeFeedbackProps} from './feedback';
import {sendInvitationOnce} from './invitation';
import {profiledApi} from './profile';
import {emptyCounts, listWaveIds, shardOf} from './store';
import {sendWelcomes, type WelcomeAnswer, type WelcomeRequest} from './welcomeOnce';
import {appLinks, gettingStartedFor, usesGettingStarted, waveStart, type WelcomeTargets, welcomeVariables} from './welcomeVariables';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import type {BatchError} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import {KvKeys, type StoredWave, type WaveRun, waveShardSize} from '../kv/keys';
import {KvStore} from '../kv/store';
import type {MattermostApi, MemberAddResult} from '../mattermost/api';
import {renderWelcome, type WelcomeVariables} from '../welcome/template';

// The wave engine. One run (a job tick, or a start/tick request) takes the wave's cluster mutex, then
// works in batches: read the users of the next queue indexes in one call, provision the whole batch into
// each target team and channel with one batch call per target, welcome them exactly once (welcomeOnce.ts:
// one announcement write, one batch of DMs), write their results into the results shard, and only then
// move the cursor and the counts in the run record by compare-and-set: the checkpoint. A crash anywhere
// in a batch leaves the cursor where it was, so the batch runs again: memberships already made show as
// already there (the earlier result's `added` is kept), the announced welcomes are looked up before any
// second post, and the counts, written only with the cursor, never count a user twice.
//
// Where a batch's time goes is logged with every run (profile.ts): the Mattermost calls dominate
// (each membership and each DM is several database writes on the server), so the engine makes few
// host calls per batch and lets the host run a batch's per-user server calls side by side (batch.go).

export interface EngineOptions {
    now: () => number;

    /** Most users per batch (one checkpoint, at most 1,000); a run sizes its batches to fit the time it has left. */
    batchSize: number;

    /** A job run starts no batch it cannot finish within this (the host stops any call at 30 s). */
    timeBudgetMs: number;

    /** The same for the runs that follow a state change (start, resume, retry), so the answer comes back soon. Default: timeBudgetMs. */
    requestBudgetMs?: number;

    /** The job interval: a run may take users_per_second × (tickSeconds + the seconds it has run so far). */
    tickSeconds: number;
}

// The job waits tickSeconds after a run ends (cluster.MakeWaitForInterval), so a wave driven by the job
// alone works budget / (budget + tickSeconds) of the time: 3 s keeps that near 85 % (10 s gave 67 %),
// and an idle tick is a few KV reads.
export const defaultEngineOptions: EngineOptions = {now: () => Date.now(), batchSize: 250, timeBudgetMs: 20000, requestBudgetMs: 3000, tickSeconds: 3};

/** A run's first batch is at most this big, each next one at most twice the one before: a pace measured
 * under a lighter load must not start a batch that outlives the host's 30 s call limit. */
const firstBatch = 25;

/** Batches are sized to end within this share of the time left: their time per user varies with the server's load. */
const batchMargin = 0.6;

/**
 * A run that has done something ends rather than start a batch the time left cuts below this: the host
 * works a batch's users 4 at a time (batch.go), so a batch of 2 or 3 leaves workers idle, and the next
 * run (the next tick, or the job a few seconds later) starts with a whole budget. (Runs that shrank
 * their batches to the time left were seen doing 25, 33, 13, 4, 2 users.)
 */
const minUsefulBatch = 8;

export const waveMutex = (waveId: string) => `wave-${waveId}`;

interface Target {
    id: string;

    /** Display name, else name. */
    name: string;

    /** The URL name (the getting-started list links ~name). */
    urlName: string;
    admin: boolean;
}

interface Targets {
    teams: Target[];
    channels: Target[];
}

function describe(error: unknown): string {
    if (isHostError(error)) {
        return `${error.status_code} ${error.id}: ${error.message}`;
    }
    return error instanceof Error ? error.message : String(error);
}

const describeBatch = (error: BatchError) => `${error.status_code} ${error.id}: ${error.message}`;

function loadTargets(api: MattermostApi, stored: StoredWave): Targets {
    const {targets} = stored.definition;
    return {
        teams: targets.teams.map((target) => {
            const team = api.teams.get(target.team_id);
            return {id: team.id, name: team.display_name || team.name, urlName: team.name, admin: target.role === 'team_admin'};
        }),
        channels: targets.channels.map((target) => {
            const channel = api.channels.get(target.channel_id);
            return {id: channel.id, name: channel.display_name || channel.name, urlName: channel.name, admin: target.role === 'channel_admin'};
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

interface Processed {
    outcome: Outcome;
    reason: string;
    welcome: UserResult['welcome'];
    username: string;
    invitation?: UserResult['invitation'];
}

interface BatchEntry {
    index: number;
    userId: string;

    /** This index's result from an earlier attempt (a crashed batch, or a retried failure). */
    before: UserResult | undefined;
}

const hasWelcome = (result: UserResult | undefined) => result?.welcome === 'sent' || result?.welcome === 'already_sent';

/**
 * Adds the eligible users to every target with one batch call per target. Returns, per user id, the
 * failures (one per target that refused them) and whether anything was made.
 */
function provision(api: MattermostApi, targets: Targets, botId: string, userIds: string[]): {failures: Map<string, string[]>; added: Set<string>} {
    const failures = new Map<string, string[]>();
    const added = new Set<string>();
    const fail = (userId: string, reason: string) => failures.set(userId, [...(failures.get(userId) ?? []), reason]);
    const each = (kind: 'team' | 'channel', target: Target, call: () => MemberAddResult[]) => {
        if (userIds.length === 0) {
            return;
        }
        let answers: MemberAddResult[];
        try {
            answers = call();
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }

            // The whole call failed (e.g. the target is gone): every user fails on it, as each would alone.
            userIds.forEach((userId) => fail(userId, `${kind} ${target.name}: ${describe(error)}`));
            return;
        }
        for (const answer of answers) {
            if (answer.error) {
                fail(answer.user_id, `${kind} ${target.name}: ${describeBatch(answer.error)}`);
            } else if (answer.added) {
                added.add(answer.user_id);
            }
        }
    };
    for (const team of targets.teams) {
        each('team', team, () => api.teams.addMembers(team.id, userIds, {requestor_id: botId, admin: team.admin}));
    }
    for (const channel of targets.channels) {
        each('channel', channel, () => api.channels.addMembers(channel.id, userIds, {requestor_id: botId, admin: channel.admin}));
    }
    return {failures, added};
}

/**
 * The wave's default preferences for the provisioned users, one host call for the batch. Each user gets
 * only the rows they do not have yet (the host reads theirs first), so a re-run after a crash or a retry
 * writes nothing twice and never overwrites a choice the user made. Returns the failures by user id.
 */
function applyPreferences(api: MattermostApi, preferences: readonly DefaultPreference[], userIds: string[]): Map<string, string> {
    const failures = new Map<string, string>();
    if (preferences.length === 0 || userIds.length === 0) {
        return failures;
    }
    const specs = userIds.map((userId) => ({
        user_id: userId,
        preferences: preferences.map(({key, value}) => {
            const entry = defaultPreferenceCatalogue[key];
            return {category: entry.category, name: entry.name ?? userId, value};
        }),
    }));
    try {
        for (const answer of api.users.setDefaultPreferences(specs)) {
            if (answer.error) {
                failures.set(answer.user_id, `preferences: ${describeBatch(answer.error)}`);
            }
        }
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        userIds.forEach((userId) => failures.set(userId, `preferences: ${describe(error)}`));
    }
    return failures;
}

/** What the welcome's dates and getting-started list need, read once per run. */
interface WelcomeContext {
    startAt: number;
    now: number;
    links: {desktop: string; mobile: string};
}

/** The app sessions of the users the getting-started list is for: one query; unknown (all unticked) if it fails. */
function appSessions(context: HookContext, userIds: string[], now: number) {
    try {
        // `since` = now: the query then scans no posts, only the users' sessions.
        return userIds.length > 0 ? context.api.users.activity(userIds, now) : {};
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        context.log.warn('Wave welcome: app sessions unreadable; the getting-started list shows the apps unticked', {error: describe(error)});
        return {};
    }
}

/** One batch: its users' outcomes, by queue index. Changes memberships and posts; writes no result. */
function processBatch(context: HookContext, waveId: string, stored: StoredWave, targets: Targets, botId: string, entries: BatchEntry[], announced: ReadonlySet<string>, welcome: WelcomeContext): Map<number, Processed> {
    const {api} = context;
    const {definition} = stored;
    const processed = new Map<number, Processed>();

    const profiles = new Map<string, UserProfile>();
    let lookupError = '';
    try {
        api.users.getMany([...new Set(entries.map((entry) => entry.userId).filter(Boolean))]).forEach((user) => profiles.set(user.id, user));
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        lookupError = describe(error);
    }
    const eligible: BatchEntry[] = [];
    for (const entry of entries) {
        const user = profiles.get(entry.userId);
        const skip = user ? skipReason(user, definition.allow_guests) : null;
        if (!entry.userId) {
            processed.set(entry.index, {outcome: 'failed', reason: 'queue entry missing', welcome: 'not_sent', username: ''});
        } else if (lookupError) {
            processed.set(entry.index, {outcome: 'failed', reason: lookupError, welcome: 'not_sent', username: ''});
        } else if (!user) {
            processed.set(entry.index, {outcome: 'skipped', reason: 'not_found', welcome: 'not_sent', username: ''});
        } else if (skip) {
            processed.set(entry.index, {outcome: 'skipped', reason: skip, welcome: 'not_sent', username: user.username});
        } else {
            eligible.push(entry);
        }
    }

    const {failures, added} = provision(api, targets, botId, eligible.map((entry) => entry.userId));
    const welcomeTargets: WelcomeTargets = {
        teams: targets.teams.map((team) => team.name),
        channels: targets.channels.map((channel) => ({name: channel.urlName, display: channel.name})),
    };
    const variables = (user: UserProfile): WelcomeVariables => welcomeVariables(user, definition, welcomeTargets, welcome.startAt, welcome.now);
    const members = eligible.filter((entry) => !failures.has(entry.userId));

    // Preferences after the memberships (a user who could not join gets none yet; retry-failed sets them).
    // Waves saved before `preferences` existed have none.
    const preferenceFailures = applyPreferences(api, definition.targets.preferences ?? [], members.map((entry) => entry.userId));
    const provisioned: BatchEntry[] = [];
    for (const entry of eligible) {
        const reasons = [...(failures.get(entry.userId) ?? []), ...(preferenceFailures.has(entry.userId) ? [preferenceFailures.get(entry.userId)!] : [])];
        if (reasons.length > 0) {
            // No welcome for a half-provisioned user: retry-failed finishes the memberships, then welcomes.
            processed.set(entry.index, {outcome: 'failed', reason: reasons.join('; '), welcome: 'not_sent', username: profiles.get(entry.userId)!.username});
        } else {
            provisioned.push(entry);
        }
    }

    let welcomes = new Map<string, WelcomeAnswer>();
    if (definition.welcome.enabled) {
        const toWelcome = provisioned.filter((entry) => !hasWelcome(entry.before));
        const sessions = usesGettingStarted(definition.welcome.template) ? appSessions(context, toWelcome.map((entry) => entry.userId), welcome.now) : null;
        const requests: WelcomeRequest[] = toWelcome.
            map((entry) => ({
                userId: entry.userId,
                message: renderWelcome(definition.welcome.template, variables(profiles.get(entry.userId)!),
                    sessions ? gettingStartedFor(profiles.get(entry.userId)!, sessions[entry.userId], welcome.links, welcomeTargets) : undefined),

                // With feedback on, the DM carries the answer buttons (feedback.ts).
                props: welcomeFeedbackProps(waveId, entry.userId, definition),
            }));
        welcomes = sendWelcomes(context, waveId, botId, requests, announced);
    }

    for (const entry of provisioned) {
        const user = profiles.get(entry.userId)!;
        const outcome: Outcome = added.has(entry.userId) ? 'added' : 'already_member';
        let welcome: UserResult['welcome'] = 'disabled';
        if (definition.welcome.enabled) {
            const answer: WelcomeAnswer = hasWelcome(entry.before) ? {status: 'already_sent'} : welcomes.get(entry.userId)!;
            if (answer.status === 'failed') {
                processed.set(entry.index, {outcome: 'failed', reason: `welcome: ${answer.error}`, welcome: 'failed', username: user.username});
                continue;
            }
            welcome = answer.status;
        }

        // The optional invitation email, once per user per wave (invitation.ts); a failure is retried by retry-failed.
        try {
            const invitation = sendInvitationOnce(api, waveId, definition, user, variables(user));
            processed.set(entry.index, {outcome, reason: '', welcome, username: user.username, ...(invitation === 'disabled' ? {} : {invitation})});
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }
            processed.set(entry.index, {outcome: 'failed', reason: `invitation: ${describe(error)}`, welcome, username: user.username, invitation: 'failed'});
        }
    }
    return processed;
}

const welcomed = (result: UserResult | undefined) => (hasWelcome(result) ? 1 : 0);

function addCounts(a: WaveCounts, b: WaveCounts): WaveCounts {
    return {
        added: a.added + b.added,
        already_member: a.already_member + b.already_member,
        skipped: a.skipped + b.skipped,
        failed: a.failed + b.failed,
        welcomed: a.welcomed + b.welcomed,
    };
}

/** The queue's chunks, each read once per run: below queue_len they never change. */
function queueReader(kv: HookContext['kv'], waveId: string) {
    const chunks = new Map<number, string[]>();
    return (index: number): string => {
        const chunk = shardOf(index);
        if (!chunks.has(chunk)) {
            chunks.set(chunk, kv.readVersioned(KvKeys.waveQueue(waveId, chunk)).value?.ids ?? []);
        }
        return chunks.get(chunk)![index - (chunk * waveShardSize)] ?? '';
    };
}

/** Writes user ids at queue positions [from, from + ids.length): deterministic, so a re-run after a crash overwrites the same slots. */
function writeQueue(kv: HookContext['kv'], waveId: string, from: number, ids: readonly string[]): void {
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

/** Rolling arrivals not yet in the queue, each once: a user is queued (and so welcomed) at most once per wave. */
function newArrivals(kv: HookContext['kv'], waveId: string, queueLen: number, arrivals: readonly string[]): string[] {
    const queued = new Set<string>();
    const read = queueReader(kv, waveId);
    for (let index = 0; index < queueLen; index++) {
        queued.add(read(index));
    }
    return arrivals.filter((userId) => !queued.has(userId) && (queued.add(userId), true));
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

    // Another run holds the wave (the job, a request, another node): wait at most half the budget for it.
    api.mutex.lockWithin(waveMutex(waveId), Math.floor(options.timeBudgetMs / 2));
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

function runLocked(outer: HookContext, waveId: string, options: EngineOptions, started: number): RunReport {
    // Every API call of the run is timed: the run's log line says where its time went.
    const wallStart = Date.now();
    const profile = profiledApi(outer.api, Date.now);
    const context: HookContext = {api: profile.api, kv: new KvStore(profile.api.kv), log: outer.log};
    const {api, kv, log} = context;
    const runKey = KvKeys.waveRun(waveId);
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    let run = kv.readVersioned(runKey).value;
    if (!stored || !run) {
        return {processed: 0, state: run?.state ?? 'draft'};
    }

    if (run.state === 'scheduled' && run.start_at !== null && run.start_at <= started) {
        run = kv.updateWithRetry(runKey, (current): WaveRun =>
            (current!.state === 'scheduled' ? {...current!, state: 'running', started_at: current!.started_at ?? started} : current!),
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
        const taken = run.pending.length;
        const arrivals = newArrivals(kv, waveId, run.queue_len, run.pending);
        writeQueue(kv, waveId, run.queue_len, arrivals);

        // Hooks only append to `pending`, so its first `taken` entries are the ones just handled.
        run = kv.updateWithRetry(runKey, (current) => ({
            ...current!,
            queue_len: current!.queue_len + arrivals.length,
            pending: current!.pending.slice(taken),
            state: arrivals.length > 0 && (current!.state === 'completed' || current!.state === 'completed_with_failures') ? 'running' : current!.state,
            finished_at: arrivals.length > 0 ? null : current!.finished_at,
        })).value;
    }

    const botId = botUserId(kv);
    const targets = loadTargets(api, stored);
    const welcomeContext: WelcomeContext = {
        startAt: waveStart(run, started),
        now: started,
        links: usesGettingStarted(stored.definition.welcome.template) ? appLinks(api.config.get()) : {desktop: '', mobile: ''},
    };
    const budgetMs = options.timeBudgetMs;
    const usersPerSecond = stored.definition.throttle.users_per_second;
    const queueId = queueReader(kv, waveId);
    let processed = 0;

    // Time per user: the wave's last measured pace, then this run's own batches.
    let pace = run.pace_ms ?? 0;
    let lastBatch = firstBatch / 2;

    for (;;) {
        const elapsed = options.now() - started;

        // The throttle: a tick's worth at once, then users_per_second for every second the run goes on.
        const allowance = Math.max(1, Math.floor(usersPerSecond * (options.tickSeconds + (elapsed / 1000)))) - processed;
        if (allowance <= 0 || elapsed >= budgetMs) {
            break;
        }
        let size = Math.min(options.batchSize, 1000, allowance, 2 * lastBatch);
        if (pace > 0) {
            // Start only a batch that ends within the budget: the host ends any call at 30 s, mid-batch.
            const fits = Math.floor((batchMargin * (budgetMs - elapsed)) / pace);
            if (processed > 0 && fits < Math.min(size, minUsefulBatch)) {
                break;
            }
            size = Math.min(size, fits);
            if (size < 1) {
                // Not even one user fits. A run that has done nothing still takes one while it has half
                // its budget left, so a wave slower than the budget per user still moves.
                if (processed > 0 || elapsed > budgetMs / 2) {
                    break;
                }
                size = 1;
            }
        }
        run = kv.readVersioned(runKey).value!;
        if (run.state !== 'running') {
            break;
        }
        const isRetry = run.retry.length > 0;

        // A cursor batch stays within one results shard, so it reads and writes one shard.
        const cursor = run.cursor;
        const indexes = isRetry ? run.retry.slice(0, size) : Array.from({length: Math.max(0, Math.min(size, run.queue_len - cursor, ((shardOf(cursor) + 1) * waveShardSize) - cursor))}, (_, i) => cursor + i);
        if (indexes.length === 0) {
            run = finish(context, waveId, options.now());
            break;
        }
        const batchStarted = options.now();
        const previous = new Map<number, UserResult>();
        for (const shard of new Set(indexes.map(shardOf))) {
            const results = kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {};
            indexes.filter((index) => shardOf(index) === shard && results[String(index)]).forEach((index) => previous.set(index, results[String(index)]));
        }
        const entries = indexes.map((index) => ({index, userId: queueId(index), before: previous.get(index)}));
        const announced = new Set(run.welcoming ?? []);
        const outcomes = processBatch(context, waveId, stored, targets, botId, entries, announced, welcomeContext);

        const batch: UserResult[] = [];
        const delta = emptyCounts();
        for (const entry of entries) {
            const result = outcomes.get(entry.index)!;
            const {before} = entry;

            // A batch run again after a crash before its checkpoint redid what the earlier attempt did:
            // keep what that attempt achieved (a failed user's partial memberships count as added too).
            const outcome = before?.outcome === 'added' && result.outcome === 'already_member' ? 'added' : result.outcome;
            const welcome = before?.welcome === 'sent' && result.welcome === 'already_sent' ? 'sent' : result.welcome;
            const entryResult: UserResult = {
                index: entry.index,
                user_id: entry.userId,
                username: result.username,
                outcome,
                reason: result.reason,
                welcome,
                at: options.now(),
                attempts: (before?.attempts ?? 0) + 1,
                ...(result.invitation ? {invitation: before?.invitation === 'sent' && result.invitation === 'already_sent' ? 'sent' : result.invitation} : {}),
            };
            batch.push(entryResult);
            delta[outcome] += 1;
            delta.welcomed += welcomed(entryResult);
            if (isRetry) {
                // Only users counted as failed are in the retry list, and they stay counted so until this
                // checkpoint (whatever a crashed earlier retry wrote into the shard): take that failure back,
                // and their welcome if it was counted then (a failed invitation after the DM): a welcome
                // recorded but still announced comes from an attempt that never reached its checkpoint.
                delta.failed -= 1;
                delta.welcomed -= hasWelcome(before) && !announced.has(entry.userId) ? 1 : 0;
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

        // The checkpoint: cursor (or retry list) and counts move together, or not at all; the welcomes
        // now recorded in the results are no longer in flight.
        const done = new Set(batch.map((entry) => entry.index));
        const confirmed = new Set(batch.filter(hasWelcome).map((entry) => entry.user_id));
        const last = batch[batch.length - 1].index;

        // The pace follows the server's load, leaning on the latest batch.
        const batchPace = (options.now() - batchStarted) / batch.length;
        pace = pace > 0 ? (pace + (2 * batchPace)) / 3 : batchPace;
        const paceMs = pace;
        run = kv.updateWithRetry(runKey, (current) => ({
            ...current!,
            cursor: isRetry ? current!.cursor : Math.max(current!.cursor, last + 1),
            retry: isRetry ? current!.retry.filter((index) => !done.has(index)) : current!.retry,
            counts: addCounts(current!.counts, delta),
            welcoming: (current!.welcoming ?? []).filter((userId) => !confirmed.has(userId)),
            pace_ms: paceMs,
            last_tick_at: options.now(),
        })).value;
        processed += batch.length;
        lastBatch = batch.length;
    }
    if (run.state === 'running' && run.cursor >= run.queue_len && run.retry.length === 0 && run.pending.length === 0) {
        run = finish(context, waveId, options.now());
    }
    if (processed > 0) {
        log.info('Wave run', {waveId, processed, ms: options.now() - started, cursor: run.cursor, total: run.queue_len, state: run.state, ...profile.fields(Date.now() - wallStart)});
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

/**
 * The job: every wave that is running (or due), one after the other, sharing the job's time budget
 * evenly; a failing wave does not stop the others.
 */
export function runDueWaves(context: HookContext, options: EngineOptions = defaultEngineOptions): void {
    const started = options.now();
    const due = listWaveIds(context.kv).filter((waveId) => {
        const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
        return run !== undefined && (run.state === 'running' || run.state === 'scheduled');
    });
    for (const [i, waveId] of due.entries()) {
        const left = options.timeBudgetMs - (options.now() - started);
        if (left <= 0) {
            break;
        }
        try {
            runWave(context, waveId, {...options, timeBudgetMs: left / (due.length - i)});
        } catch (error) {
            if (isHostError(error) && error.id === 'cockpit.host.mutex_timeout') {
                // A request (tick, start) or another node is running this wave right now: nothing is wrong.
                context.log.info('Wave busy; the job leaves it to the run holding it', {waveId});
                continue;
            }
            context.log.error('Wave run failed; it resumes on the next tick', {waveId, error: describe(error)});
        }
    }
}
