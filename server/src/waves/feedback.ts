import type {Post} from '@mattermost/types/posts';

import {WaveEndpoints} from 'contract/endpoints/waves';
import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import {
    defaultWaveFeedback,
    type FeedbackActionRequest,
    type FeedbackAnswer,
    type FeedbackCounts,
    type WaveDefinition,
    type WaveFeedback,
} from 'contract/waves';

import {welcomeProp} from './welcomeOnce';

import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import type {Guard} from '../http/guards';
import {requireUser} from '../http/guards';
import {type MessageId, type Speaker, speakerForUser} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {escapeMarkdown} from '../welcome/template';

// One-click feedback under the welcome DM: interactive message buttons whose integration URL is this
// plugin's route. Clicking one makes the server POST model.PostActionIntegrationRequest to the route
// in-process (app/integration_action.go doPluginRequest). Checked against server v11 source: that
// request carries the clicking user's session token, and servePluginRequest resolves it and sets
// Mattermost-User-Id to the clicking user (token auth, so no CSRF step) — so the route requires the
// header, like any user route, and the e2e test proves it through POST /api/v4/posts/{id}/actions/{id}.
//
// Who may answer: the clicking user (header) must be the body's user_id and the user the welcome was
// addressed to (context.user_id), and the post must be that welcome: written by the plugin bot and
// carrying the prop cockpit_welcome = "<waveId>:<userId>" that only the plugin sets (a user cannot
// post as the bot). So nobody can answer for someone else, and no secret needs to live in the context.
//
// Answers live in 16 shards per wave (`wave:<id>:feedback:<n>`), user id → answer: one compare-and-set
// per click, a second click replaces the answer, and the counts are summed from the maps on read, so
// they cannot drift from the answers.

export const feedbackActionPath = WaveEndpoints.feedbackAction.path;
export const feedbackIntegrationUrl = `/plugins/${manifest.id}${feedbackActionPath}`;
export const feedbackShards = 16;
export const helpNoticeProp = 'cockpit_help';

const labels: Record<FeedbackAnswer, MessageId> = {great: 'feedback.great', ok: 'feedback.ok', help: 'feedback.help'};
const styles: Record<FeedbackAnswer, string> = {great: 'good', ok: 'default', help: 'danger'};

export const feedbackOf = (definition: WaveDefinition): WaveFeedback => definition.feedback ?? defaultWaveFeedback;

/** The shard of a user id (a stable string hash; ids are random, so shards fill evenly). */
export function feedbackShardOf(userId: string): number {
    let hash = 0;
    for (let i = 0; i < userId.length; i++) {
        hash = ((hash * 31) + userId.charCodeAt(i)) % 1000003;
    }
    return hash % feedbackShards;
}

/**
 * The attachment with the three buttons, in the addressee's language; `chosen` shows the current answer
 * above them (they stay, so it can change).
 */
export function feedbackAttachment(speaker: Speaker, waveId: string, userId: string, chosen: FeedbackAnswer | null) {
    const answers = Object.keys(labels) as FeedbackAnswer[];
    const question = speaker.t('feedback.question');
    return {
        fallback: question,
        text: chosen ? speaker.t('feedback.answered', {answer: speaker.t(labels[chosen])}) : question,
        actions: answers.map((answer) => ({
            // Action ids: the server's action route only accepts [A-Za-z0-9]+.
            id: `feedback${answer}`,
            type: 'button',
            name: speaker.t(labels[answer]),
            style: styles[answer],
            integration: {url: feedbackIntegrationUrl, context: {wave_id: waveId, user_id: userId, answer}},
        })),
    };
}

/** Extra props for a wave's welcome DM: the buttons when the wave asks for feedback, else nothing. */
export function welcomeFeedbackProps(
    speaker: Speaker,
    waveId: string,
    userId: string,
    definition: WaveDefinition,
): Record<string, unknown> {
    return feedbackOf(definition).enabled ? {attachments: [feedbackAttachment(speaker, waveId, userId, null)]} : {};
}

/** The check at start: a help-desk channel, when set, must be a public or private channel that exists. */
export function helpDeskProblem(api: {channels: Pick<MattermostApi['channels'], 'get'>}, definition: WaveDefinition): string | null {
    const {enabled, help_desk_channel_id: channelId} = feedbackOf(definition);
    if (!enabled || channelId === '') {
        return null;
    }
    try {
        const channel = api.channels.get(channelId);
        return channel.type === 'O' || channel.type === 'P' ? null : 'the help-desk channel must be a public or private channel';
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return `the help-desk channel ${channelId} does not exist`;
        }
        throw error;
    }
}

export function readFeedbackCounts(kv: KvReader, waveId: string): FeedbackCounts {
    const counts: FeedbackCounts = {great: 0, ok: 0, help: 0};
    for (let shard = 0; shard < feedbackShards; shard++) {
        const answers = kv.readVersioned(KvKeys.waveFeedback(waveId, shard)).value?.answers ?? {};
        Object.values(answers).forEach(({answer}) => {
            counts[answer] += 1;
        });
    }
    return counts;
}

/** Every answer of the wave, user id → answer (for the per-user export). */
export function readFeedbackAnswers(kv: KvReader, waveId: string): Map<string, FeedbackAnswer> {
    const all = new Map<string, FeedbackAnswer>();
    for (let shard = 0; shard < feedbackShards; shard++) {
        const answers = kv.readVersioned(KvKeys.waveFeedback(waveId, shard)).value?.answers ?? {};
        Object.entries(answers).forEach(([userId, {answer}]) => all.set(userId, answer));
    }
    return all;
}

/** Stores the user's answer (one CAS); returns the previous answer (null for the first click). */
export function recordAnswer(kv: KvStore, waveId: string, userId: string, answer: FeedbackAnswer, now: number): FeedbackAnswer | null {
    let previous: FeedbackAnswer | null = null;
    kv.updateWithRetry(KvKeys.waveFeedback(waveId, feedbackShardOf(userId)), (current) => {
        const answers = current?.answers ?? {};
        previous = answers[userId]?.answer ?? null;
        return {answers: {...answers, [userId]: {answer, at: now}}};
    });
    return previous;
}

/** Where a call for help came from, for the help desk's notice. */
export interface HelpNotice {
    channelId: string;
    waveId: string;
    waveName: string;
    userId: string;

    /** Where the call came from: the welcome, or a survey with its title (admin text, escaped here). */
    from: {kind: 'welcome'} | {kind: 'survey'; title: string};

    /** What they answered, quoted (user text: escaped here). */
    detail?: string;
}

/** Posts a call for help in the help-desk channel, as the bot, in the server's default language (a channel has no locale). */
export function postHelpNotice({api, kv}: {api: MattermostApi; kv: KvReader}, notice: HelpNotice): void {
    const user = api.users.get(notice.userId);
    const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
    const speaker = speakerForUser(null, api.config.get());

    // Names, the wave name and answers are user/admin text: escaped, so they show as typed and mention nobody.
    const who = name ? `${escapeMarkdown(name)} (${escapeMarkdown(user.username)})` : escapeMarkdown(user.username);
    const detail = notice.detail ? `\n> ${escapeMarkdown(notice.detail)}` : '';
    const wave = escapeMarkdown(notice.waveName);
    const text = notice.from.kind === 'welcome' ?
        speaker.t('helpNotice.welcome', {who, wave}) :
        speaker.t('helpNotice.survey', {who, wave, survey: escapeMarkdown(notice.from.title)});
    api.posts.create({
        channel_id: notice.channelId,
        user_id: botUserId(kv),
        message: `${text}${detail}`,
        props: {[helpNoticeProp]: `${notice.waveId}:${notice.userId}`, from_bot: 'true'},
    } as Partial<Post>);
}

/** The clicking user: a signed-in user whose id the handler then matches against the body and the post. */
export const requireClickingUser: Guard = {
    description: 'the user the welcome DM was sent to (interactive message action)',
    access: {kind: 'actionCallback'},
    check: (input) => requireUser.check(input),
};

function refuse(message: string): ApiError {
    return new ApiError(403, ErrorIds.forbidden, message);
}

export interface FeedbackContext {
    api: MattermostApi;
    kv: KvStore;
    userId: string;
    now: number;
}

/** Handles one click; answers model.PostActionIntegrationResponse (the updated post, a short confirmation). */
export function handleFeedbackClick({api, kv, userId, now}: FeedbackContext, body: FeedbackActionRequest) {
    const {wave_id: waveId, user_id: addressee, answer} = body.context;
    if (body.user_id !== userId || addressee !== userId) {
        throw refuse('Only the person this welcome was sent to can answer it.');
    }
    let post: Post;
    try {
        post = api.posts.get(body.post_id);
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            throw refuse('This is not a welcome message of a wave.');
        }
        throw error;
    }
    if (post.user_id !== botUserId(kv) || post.props?.[welcomeProp] !== `${waveId}:${userId}`) {
        throw refuse('This is not your welcome message.');
    }
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    const previous = kv.readVersioned(KvKeys.waveFeedback(waveId, feedbackShardOf(userId))).value?.answers[userId]?.answer ?? null;

    // The notice goes out before the answer is stored: if it fails, the click fails and can be repeated,
    // so a call for help is never recorded without reaching the help desk.
    const helpDesk = stored ? feedbackOf(stored.definition).help_desk_channel_id : '';
    if (answer === 'help' && previous !== 'help' && helpDesk !== '') {
        const waveName = stored?.definition.name ?? waveId;
        postHelpNotice({api, kv}, {channelId: helpDesk, waveId, waveName, userId, from: {kind: 'welcome'}});
    }
    recordAnswer(kv, waveId, userId, answer, now);

    // The clicking person's language: the buttons are re-rendered in it, as the confirmation is.
    const speaker = speakerForUser(api.users.get(userId), api.config.get());

    const {attachments, ...props} = (post.props ?? {}) as Record<string, unknown>;
    return {
        update: {message: post.message, props: {...props, attachments: [feedbackAttachment(speaker, waveId, userId, answer)]}},
        ephemeral_text: speaker.t(answer === 'help' && helpDesk !== '' ? 'feedback.thanksHelp' : 'feedback.thanks'),
    };
}
