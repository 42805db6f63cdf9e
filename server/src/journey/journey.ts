import type {Post} from '@mattermost/types/posts';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {ErrorIds} from 'contract/errors';
import {type JourneyPreviewRequest, type JourneyResponse, type JourneyStepCounts, surveyBefore} from 'contract/journey';

import {defaultJourneyOptions, type JourneyOptions} from './run';
import {conditionHolds, personState} from './schedule';
import {handleStopClick, journeyProp, readStops} from './stop';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {speakerForUser} from '../i18n/messages';
import {KvKeys, waveShardSize} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {readAnswerSet} from '../survey/store';
import {requireClickingUser} from '../waves/feedback';
import {loadWave} from '../waves/store';
import {welcomeTargetsOf} from '../waves/welcomePreview';
import {appLinks, gettingStartedFor, listChannelIds, usesGettingStarted, waveStart, welcomeVariables} from '../waves/welcomeVariables';
import {renderWelcome} from '../welcome/template';

// The journey capability: a wave's follow-up steps (read, replace), a step's preview for a chosen person
// and its test-send, and the "No more tips" button. The steps run as a part of the waves' job (run.ts).

/** How many people each step (by id) was sent to or skipped for: the progress shards of a wave whose queue holds `queueLen`, summed. */
export function readStepCounts(kv: KvReader, waveId: string, queueLen: number): Record<string, JourneyStepCounts> {
    const counts: Record<string, JourneyStepCounts> = {};
    const shards = Math.ceil(queueLen / waveShardSize);
    for (let shard = 0; shard < shards; shard++) {
        const people = kv.readVersioned(KvKeys.journeyProgress(waveId, shard)).value?.people ?? {};
        for (const person of Object.values(people)) {
            for (const [stepId, how] of Object.entries(person.steps)) {
                counts[stepId] = counts[stepId] ?? {sent: 0, skipped: 0};
                counts[stepId][how === 's' ? 'sent' : 'skipped'] += 1;
            }
        }
    }
    return counts;
}

/** The journey with how far each step got. */
function journeyOf(kv: KvReader, waveId: string): JourneyResponse {
    const wave = loadWave(kv, waveId);
    const journey = kv.readVersioned(KvKeys.journey(waveId));
    const steps = journey.value?.steps ?? [];
    const done = readStepCounts(kv, waveId, wave.run.value.queue_len);
    const counts = Object.fromEntries(steps.map((step) => [step.id, done[step.id] ?? {sent: 0, skipped: 0}]));
    return {wave_id: waveId, steps, version: journey.version, counts, stopped: readStops(kv, waveId).size};
}

const activityOf = (api: ReadOnlyMattermostApi, userId: string, since: number, channelIds: string[]) => {
    try {
        return api.users.activity([userId], since, channelIds)[userId];
    } catch (error) {
        if (isHostError(error)) {
            return undefined;
        }
        throw error;
    }
};

/** A step rendered for one person, with that person's state now: what the runner would send them. */
function previewFor(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string, callerId: string, body: JourneyPreviewRequest, now: number) {
    const wave = loadWave(kv, waveId);
    const userId = body.user_id ?? callerId;
    let user;
    try {
        user = api.users.get(userId);
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            throw new ApiError(400, ErrorIds.invalid, `user_id: no user ${userId}`);
        }
        throw error;
    }
    const {definition} = wave.def.value;
    const startAt = waveStart(wave.run.value, now);

    // A "post" counts from the wave's start, as the runner counts it from the welcome.
    const targets = welcomeTargetsOf(api, definition);
    const activity = activityOf(api, userId, startAt, listChannelIds(targets));
    const variables = welcomeVariables(user, definition, targets, startAt, now);
    const config = api.config.get();
    const list = () => gettingStartedFor(user, activity, appLinks(config), targets, speakerForUser(user, config).locale);
    const markdown = renderWelcome(body.template, variables, usesGettingStarted(body.template) ? list() : undefined);
    const steps = kv.readVersioned(KvKeys.journey(waveId)).value?.steps ?? [];
    const survey = body.step_id === undefined ? undefined : surveyBefore(steps, body.step_id);
    const answered = survey !== undefined && readAnswerSet(kv, waveId, survey.id, userId) !== undefined;
    const state = personState(activity, user.last_picture_update, answered);
    return {markdown, state, would_send: conditionHolds(body.condition, state)};
}

export function journeyCapabilityWith(options: JourneyOptions): Capability {
    return {
        name: 'journey',
        routes(routes) {
            routes.handle(JourneyEndpoints.journey, ({kv, params}) => journeyOf(kv, params.waveId));

            routes.handle(JourneyEndpoints.update, (context) => {
                const {kv, params, body, userId} = context;
                const wave = loadWave(kv, params.waveId);
                if (wave.run.value.state === 'cancelled') {
                    throw new ApiError(409, ErrorIds.waveBadTransition, 'A cancelled wave sends no more messages.');
                }
                const before = kv.readVersioned(KvKeys.journey(params.waveId)).value?.steps ?? null;
                kv.writeVersioned(
                    KvKeys.journey(params.waveId),
                    {steps: body.steps, updated_at: options.now(), updated_by: userId},
                    body.expected_version,
                );
                recordAudit(context, {action: 'journey.update', target: `wave:${params.waveId}`, before, after: body.steps});
                return journeyOf(kv, params.waveId);
            });

            routes.handle(JourneyEndpoints.preview, ({api, kv, params, body, userId}) =>
                previewFor(api, kv, params.waveId, userId, body, options.now()),
            );

            routes.handle(JourneyEndpoints.testSend, (context) => {
                const {api, kv, params, body, userId} = context;

                // The caller's own state and names unless another person is chosen; the DM goes to the caller only.
                const {markdown} = previewFor(api, kv, params.waveId, userId, body, options.now());
                const botId = botUserId(kv);
                const channel = api.channels.getDirect(botId, userId);

                // No journey marker: the caller is not counted as having had a step.
                const post = api.posts.create({
                    channel_id: channel.id,
                    user_id: botId,
                    message: markdown,
                    props: {[`${journeyProp}_test`]: params.waveId, from_bot: 'true'},
                } as Partial<Post>);
                const target = `wave:${params.waveId}`;
                recordAudit(context, {action: 'journey.test_send', target, before: null, after: {post_id: post.id}});
                return {markdown, post_id: post.id, channel_id: channel.id};
            });

            // Called by the server for a click on a follow-up's button (see stop.ts for who may click).
            routes.handle(
                JourneyEndpoints.stopAction,
                ({api, kv, userId, body}) => handleStopClick({api, kv, userId, now: options.now()}, body),
                requireClickingUser,
            );
        },
    };
}

export const journeyCapability: Capability = journeyCapabilityWith(defaultJourneyOptions);
