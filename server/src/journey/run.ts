import type {UserProfile} from '@mattermost/types/users';

import {type JourneyStep, surveyBefore} from 'contract/journey';
import type {UserResult, WaveState} from 'contract/waves';

import {keepListsTrue, listCheckMs, listDays, type ListTargets, needsLook} from './list';
import {conditionHolds, nextLook, personState, planShard, startedAt, stepDone, withSignIn} from './schedule';
import {journeyMarker, journeyProp, readStops, stopAttachment} from './stop';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import type {UserActivity} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import {speakerForUser} from '../i18n/messages';
import {type JourneyPerson, type JourneyProgress, KvKeys, waveShardSize} from '../kv/keys';
import type {KvStore} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {surveyAttachment} from '../survey/action';
import {answeredUsers} from '../survey/store';
import {hasWelcome} from '../waves/runSteps';
import {listWaveIds} from '../waves/store';
import {findMarkedPost} from '../waves/welcomeOnce';
import {welcomeTargetsOf} from '../waves/welcomePreview';
import {appLinks, gettingStartedFor, listChannelIds, usesGettingStarted, waveStart, welcomeVariables} from '../waves/welcomeVariables';
import {renderWelcome} from '../welcome/template';

// The journey's runner, a part of the waves' job (waves.tick, on every node): for each wave with
// follow-up steps that is running or done (a paused or cancelled wave sends none), each of its results
// shards (the people the wave has welcomed, 1,000 per shard) is looked at when something in it is due,
// under the shard's cluster lock, so each node works the shards the others do not hold.
//
// Each follow-up goes out at most once per person, as the welcome does (waves/welcomeOnce.ts): the
// shard's `sending` list announces it by compare-and-set BEFORE the post, the post carries the
// deterministic prop cockpit_journey = "<waveId>:<stepId>:<userId>", and the person's progress says the
// step is done only after it. A run that finds a step still announced looks for that post in the DM
// first. Like the waves' work shards, the record names the run holding it: a run whose lock expired
// finds another owner at its next write and stops before posting. A person's steps go out in order:
// only the first step not done is ever considered, and it counts from the previous step's time.

export interface JourneyOptions {
    now: () => number;

    /** The runner starts no shard after this much of its time has gone. */
    budgetMs: number;

    /** Most follow-ups one shard sends per run (the rest go in the next run, seconds later). */
    maxPerShard: number;
}

export const defaultJourneyOptions: JourneyOptions = {now: () => Date.now(), budgetMs: 5000, maxPerShard: 100};

/** The wave states whose people get their follow-ups. */
const journeyStates: ReadonlySet<WaveState> = new Set<WaveState>(['running', 'completed', 'completed_with_failures']);

export const journeyMutex = (waveId: string, shard: number) => `journey-${waveId}-${shard}`;
const mutexTimeoutId = 'cockpit.host.mutex_timeout';

const emptyProgress = (): JourneyProgress => ({people: {}, sending: {}, next_at: 0, journey_version: 0, owner: ''});

/** Thrown by a write of a run that no longer holds the shard. */
class ShardLost extends Error {}

function updateOwned(
    kv: KvStore,
    waveId: string,
    shard: number,
    owner: string,
    change: (record: JourneyProgress) => JourneyProgress,
    claim = false,
) {
    return kv.updateWithRetry(KvKeys.journeyProgress(waveId, shard), (current) => {
        const record = current ?? emptyProgress();
        if (!claim && record.owner !== owner) {
            throw new ShardLost(`journey shard ${shard} of wave ${waveId} was taken over`);
        }
        return change({...record, owner});
    }).value;
}

/** The person a result names, if their journey has started: welcomed (or provisioned by a wave without a welcome). */
function journeyStart(result: UserResult): boolean {
    if (!result.user_id) {
        return false;
    }
    return hasWelcome(result) || (result.welcome === 'disabled' && (result.outcome === 'added' || result.outcome === 'already_member'));
}

/** The runner's pass over every wave with a journey or a getting-started list to keep; a failing wave does not stop the others. */
export function runJourneys(context: HookContext, options: JourneyOptions = defaultJourneyOptions): void {
    const started = options.now();
    for (const waveId of listWaveIds(context.kv)) {
        const run = context.kv.readVersioned(KvKeys.waveRun(waveId)).value;
        if (run === undefined || !journeyStates.has(run.state)) {
            continue;
        }
        const journey = context.kv.readVersioned(KvKeys.journey(waveId));
        const steps = journey.value?.steps ?? [];
        const recent = run.state === 'running' || started - (run.finished_at ?? started) < listDays * 24 * 3600 * 1000;
        const template = recent ? context.kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition.welcome.template : undefined;
        const keepLists = usesGettingStarted(template ?? '');
        if (steps.length === 0 && !keepLists) {
            continue;
        }
        const shards = Math.ceil(run.queue_len / waveShardSize);
        for (let shard = 0; shard < shards; shard++) {
            if (options.now() - started >= options.budgetMs) {
                return;
            }
            try {
                runShard(context, waveId, shard, {steps, version: journey.version, keepLists}, options);
            } catch (error) {
                if (error instanceof ShardLost) {
                    context.log.warn('Journey shard taken over by another run; this run stops', {waveId, shard});
                    continue;
                }
                context.log.error('Journey run failed; it resumes on the next tick', {waveId, shard, error: String(error)});
            }
        }
    }
}

interface Journey {
    steps: readonly JourneyStep[];
    version: number;

    /** Whether the wave's welcome has a getting-started list to keep true (list.ts). */
    keepLists: boolean;
}

function runShard(context: HookContext, waveId: string, shard: number, journey: Journey, options: JourneyOptions): void {
    const {api, kv} = context;
    const now = options.now();
    const glance = kv.readVersioned(KvKeys.journeyProgress(waveId, shard)).value;
    if (glance && glance.journey_version === journey.version && glance.next_at > now && Object.keys(glance.sending).length === 0) {
        return;
    }
    try {
        // A glance, not a wait: a taken shard is another node's to run.
        api.mutex.lockWithin(journeyMutex(waveId, shard), 1);
    } catch (error) {
        if (isHostError(error) && error.id === mutexTimeoutId) {
            return;
        }
        throw error;
    }
    try {
        workShard(context, waveId, shard, journey, options, now);
    } finally {
        api.mutex.unlock(journeyMutex(waveId, shard));
    }
}

function activityOf(context: HookContext, userIds: string[], since: number, channelIds: string[]): Record<string, UserActivity> {
    return userIds.length === 0 ? {} : context.api.users.activity(userIds, since, channelIds);
}

/** The wave's channels as the getting-started list names them, read once per shard run and only when a list needs them. */
function listTargetsOf(api: ReadOnlyMattermostApi, kv: KvStore, waveId: string): () => ListTargets {
    let read: ListTargets | undefined;
    return () => {
        if (read === undefined) {
            const {definition} = kv.readVersioned(KvKeys.waveDef(waveId)).value!;
            read = {targets: welcomeTargetsOf(api, definition), order: definition.targets.channels.map((channel) => channel.channel_id)};
        }
        return read;
    };
}

function workShard(context: HookContext, waveId: string, shard: number, journey: Journey, options: JourneyOptions, now: number): void {
    const {api, kv} = context;
    const owner = `${api.system.getNodeId()}:${now}:${Math.random().toString(36).slice(2, 10)}`;
    const record = updateOwned(kv, waveId, shard, owner, (current) => current, true);
    const results = Object.values(kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {});
    const people = new Map<string, JourneyPerson>();
    results.filter(journeyStart).forEach((result) => people.set(result.user_id, record.people[result.user_id] ?? startedAt(result.at)));

    // Who waits for a first sign-in and who is due: their activity is read in one query, since the
    // earliest journey start among them (a "post" is one made since the welcome), with the views of the
    // wave's channels when a step shows the getting-started list.
    const listTargets = listTargetsOf(api, kv, waveId);
    let plan = planShard(journey.steps, people, now);
    const due = plan.due.slice(0, options.maxPerShard);
    const read = [...plan.waiting, ...due.map(({userId}) => userId)];
    const since = Math.min(now, ...read.map((userId) => people.get(userId)?.at ?? now));
    const listed = due.length > 0 && journey.steps.some((step) => usesGettingStarted(step.template));
    const channelIds = listed ? listChannelIds(listTargets().targets) : [];
    const activity = activityOf(context, read, since, channelIds);
    const changed = new Map<string, JourneyPerson>();
    for (const userId of plan.waiting) {
        const person = people.get(userId)!;
        const seen = withSignIn(person, activity[userId]?.last_login ?? 0);
        if (seen !== person) {
            people.set(userId, seen);
            changed.set(userId, seen);
        }
    }
    if (changed.size > 0) {
        plan = planShard(journey.steps, people, now);
    }
    const todo = plan.due.slice(0, options.maxPerShard);
    const more = plan.due.length > todo.length;
    const missing = todo.filter(({userId}) => activity[userId] === undefined).map(({userId}) => userId);
    Object.assign(activity, activityOf(context, missing, since, channelIds));

    const done = todo.length > 0 ?
        sendDue(context, waveId, shard, owner, record, journey.steps, todo, activity, now, listTargets) :
        new Map<string, Done>();
    for (const [userId, {stepId, how}] of done) {
        const person = stepDone(people.get(userId)!, stepId, how, now);
        people.set(userId, person);
        changed.set(userId, person);
    }
    const listAt = journey.keepLists && now >= (record.list_at ?? 0) + listCheckMs ? now : record.list_at;
    if (listAt === now) {
        const welcomedAt = new Map(results.filter(hasWelcome).map((result) => [result.user_id, result.at]));
        const list = listTargets();
        const looked = new Map([...people].filter(([userId, person]) => {
            const at = welcomedAt.get(userId);
            return at !== undefined && needsLook(person, list.order.length, at, now);
        }));
        const ids = [...looked.keys()];
        if (ids.length > 0) {
            // `since` = now: the query reads no posts, only the sessions, settings and channel views.
            const seen = activityOf(context, ids, now, listChannelIds(list.targets));
            const profiles = new Map(api.users.getMany(ids).map((user) => [user.id, user]));
            for (const [userId, person] of keepListsTrue(context, waveId, botUserId(kv), looked, seen, profiles, list)) {
                people.set(userId, person);
                changed.set(userId, person);
            }
        }
    }
    const after = planShard(journey.steps, people, now);
    updateOwned(kv, waveId, shard, owner, (current) => {
        // A follow-up still announced (its post failed, or may have landed unseen): the next run looks at once.
        const sending = Object.fromEntries(Object.entries(current.sending).filter(([userId]) => !done.has(userId)));
        return {
            ...current,
            people: {...current.people, ...Object.fromEntries(changed)},
            sending,
            next_at: nextLook(after, now, more || Object.keys(sending).length > 0),
            journey_version: journey.version,
            ...(listAt === undefined ? {} : {list_at: listAt}),
        };
    });
}

/** A due step's end for one person: sent, or skipped (its condition did not hold, or they stopped their tips). */
interface Done {
    stepId: string;
    how: 's' | 'k';
}

/**
 * Whether a person answered the survey a step's `not_answered_survey` condition reads; each survey's
 * answers are read once per run, when a due step asks.
 */
function surveyAnswers(kv: KvStore, waveId: string, steps: readonly JourneyStep[]) {
    const read = new Map<string, Set<string>>();
    return (step: JourneyStep, userId: string) => {
        const survey = step.condition === 'not_answered_survey' ? surveyBefore(steps, step.id) : undefined;
        if (survey === undefined) {
            return false;
        }
        const answered = read.get(survey.id) ?? answeredUsers(kv, waveId, survey.id);
        read.set(survey.id, answered);
        return answered.has(userId);
    };
}

/** The follow-ups' text for each person: the welcome's variables, the wave's targets, their getting-started list. */
function renderer(api: ReadOnlyMattermostApi, kv: KvStore, waveId: string, now: number, listTargets: () => ListTargets) {
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value!;
    const run = kv.readVersioned(KvKeys.waveRun(waveId)).value;
    const {definition} = stored;
    const {targets} = listTargets();
    let config: ReturnType<typeof api.config.get> | undefined;
    return (template: string, user: UserProfile, activity: UserActivity | undefined) => {
        const variables = welcomeVariables(user, definition, targets, waveStart(run, now), now);
        if (!usesGettingStarted(template)) {
            return renderWelcome(template, variables);
        }
        config = config ?? api.config.get();

        // The list in the reader's language, as their welcome's.
        return renderWelcome(
            template,
            variables,
            gettingStartedFor(user, activity, appLinks(config), targets, speakerForUser(user, config).locale),
        );
    };
}

/**
 * The due steps of one shard's people: skipped where their condition does not hold or they stopped
 * their tips, else announced, then posted in one batch. A step still announced from an earlier run is
 * looked for in the DM first. A failed post stays announced (it may have landed): the next run looks.
 */
function sendDue(
    context: HookContext,
    waveId: string,
    shard: number,
    owner: string,
    record: JourneyProgress,
    steps: readonly JourneyStep[],
    todo: ReadonlyArray<{userId: string; step: JourneyStep}>,
    activity: Record<string, UserActivity>,
    now: number,
    listTargets: () => ListTargets,
): Map<string, Done> {
    const {api, kv} = context;
    const done = new Map<string, Done>();
    const stops = readStops(kv, waveId);
    const profiles = new Map(api.users.getMany(todo.map(({userId}) => userId)).map((user) => [user.id, user]));
    const botId = botUserId(kv);
    const answered = surveyAnswers(kv, waveId, steps);
    const toPost: Array<{userId: string; step: JourneyStep; user: UserProfile}> = [];
    for (const {userId, step} of todo) {
        const user = profiles.get(userId);
        if (stops.has(userId) || user === undefined || user.delete_at > 0 ||
            !conditionHolds(step.condition, personState(activity[userId], user.last_picture_update, answered(step, userId)))) {
            done.set(userId, {stepId: step.id, how: 'k'});
            continue;
        }
        if (record.sending[userId] === step.id) {
            const channel = api.channels.getDirect(botId, userId);
            if (findMarkedPost(api, channel.id, journeyProp, journeyMarker(waveId, step.id, userId))) {
                done.set(userId, {stepId: step.id, how: 's'});
                continue;
            }
        }
        toPost.push({userId, step, user});
    }
    if (toPost.length === 0) {
        return done;
    }
    updateOwned(kv, waveId, shard, owner, (current) => ({
        ...current,
        sending: {...current.sending, ...Object.fromEntries(toPost.map(({userId, step}) => [userId, step.id]))},
    }));
    const render = renderer(api, kv, waveId, now, listTargets);
    const config = api.config.get();
    const posted = api.posts.createDirect(botId, toPost.map(({userId, step, user}) => {
        // The buttons in the person's language (the template is the admin's text, as written).
        const speaker = speakerForUser(user, config);
        return {
            user_id: userId,
            message: render(step.template, user, activity[userId]),
            props: {
                [journeyProp]: journeyMarker(waveId, step.id, userId),
                from_bot: 'true',
                attachments: [
                    ...(step.survey ? [surveyAttachment(speaker, waveId, step.id, userId)] : []),
                    stopAttachment(speaker, waveId, userId),
                ],
            },
        };
    }));
    posted.forEach((result, i) => {
        const {userId, step} = toPost[i];
        if (result.error) {
            context.log.warn('Journey follow-up failed; the next run looks for it and sends it once', {
                waveId,
                userId,
                step: step.id,
                error: result.error.message,
            });
        } else {
            done.set(userId, {stepId: step.id, how: 's'});
        }
    });
    return done;
}
