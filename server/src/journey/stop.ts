import type {Post} from '@mattermost/types/posts';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {ErrorIds} from 'contract/errors';
import type {JourneyStopRequest} from 'contract/journey';
import {manifest} from 'contract/manifest';

import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {type Speaker, speakerForUser} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {feedbackShardOf, feedbackShards} from '../waves/feedback';

// "No more tips": a button under every follow-up. The click reaches this route as the welcome's feedback
// buttons do (waves/feedback.ts: the server posts it in-process with the clicking user's id), and the
// same checks apply: the clicking user must be the one the follow-up was addressed to, and the post must
// be the bot's follow-up for them (its `cockpit_journey` prop, which only the plugin sets). The stop is
// kept per wave in 16 shards by user id (one compare-and-set per click); the runner reads them before
// it sends and skips every later step for anyone listed.

export const journeyProp = 'cockpit_journey';
export const stopIntegrationUrl = `/plugins/${manifest.id}${JourneyEndpoints.stopAction.path}`;

export const journeyMarker = (waveId: string, stepId: string, userId: string) => `${waveId}:${stepId}:${userId}`;

/** The button under a follow-up. The action id: the server's action route only accepts [A-Za-z0-9]+. */
export function stopAttachment(speaker: Speaker, waveId: string, userId: string) {
    const stopLabel = speaker.t('journey.stop');
    return {
        fallback: stopLabel,
        actions: [{
            id: 'journeystop',
            type: 'button',
            name: stopLabel,
            style: 'default',
            integration: {url: stopIntegrationUrl, context: {wave_id: waveId, user_id: userId}},
        }],
    };
}

/** Everyone of the wave who clicked "No more tips" (16 reads). */
export function readStops(kv: KvReader, waveId: string): Set<string> {
    const stopped = new Set<string>();
    for (let shard = 0; shard < feedbackShards; shard++) {
        Object.keys(kv.readVersioned(KvKeys.journeyStops(waveId, shard)).value?.users ?? {}).forEach((userId) => stopped.add(userId));
    }
    return stopped;
}

const refuse = (message: string) => new ApiError(403, ErrorIds.forbidden, message);

/** Handles one click; answers model.PostActionIntegrationResponse: the post without its button, and a confirmation. */
export function handleStopClick(
    {api, kv, userId, now}: {api: MattermostApi; kv: KvStore; userId: string; now: number},
    body: JourneyStopRequest,
) {
    const {wave_id: waveId, user_id: addressee} = body.context;
    if (body.user_id !== userId || addressee !== userId) {
        throw refuse('Only the person this message was sent to can stop their tips.');
    }
    let post: Post;
    try {
        post = api.posts.get(body.post_id);
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            throw refuse('This is not a follow-up of a wave.');
        }
        throw error;
    }
    const marker = post.props?.[journeyProp];
    const mine = typeof marker === 'string' && marker.startsWith(`${waveId}:`) && marker.endsWith(`:${userId}`);
    if (post.user_id !== botUserId(kv) || !mine) {
        throw refuse('This is not your follow-up message.');
    }
    kv.updateWithRetry(KvKeys.journeyStops(waveId, feedbackShardOf(userId)), (current) => ({
        users: {...current?.users, [userId]: current?.users[userId] ?? now},
    }));
    const props = {...post.props} as Record<string, unknown>;
    const stoppedText = speakerForUser(api.users.get(userId), api.config.get()).t('journey.stopped');
    return {
        update: {message: post.message, props: {...props, attachments: [{fallback: stoppedText, text: stoppedText}]}},
        ephemeral_text: stoppedText,
    };
}
