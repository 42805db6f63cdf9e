import type {Post} from '@mattermost/types/posts';

import type {HookContext} from '../app/capability';
import {isHostError} from '../host/errors';
import type {MattermostApi} from '../mattermost/api';

// Exactly one welcome DM per user per wave, across crashes, restarts and retries, at one KV write per
// batch rather than two per user.
//
// The welcome post carries the deterministic prop `cockpit_welcome = "<waveId>:<userId>"`, and the
// user's result in the wave's results shard says `sent` once the engine has written it (before the cursor
// moves past the user). A crash can come between the post and that write, so every post is ANNOUNCED
// first: the batch's user ids go into the `welcoming` list of the record the batch checkpoints into (its
// work shard's, shards.ts; the run record's for a retry) by one compare-and-set, before any post; the
// checkpoint that writes their results takes the welcomed ones out again. So, per user:
//   1. their result says sent / already_sent: done, never post again;
//   2. announced (in `welcoming`) but no such result: an earlier attempt may have posted. Look for the post
//      in the bot↔user DM by its prop: found → already_sent; not found → that attempt died before the
//      post was stored → post;
//   3. neither: nobody ever announced them, so no post of this wave exists → post.
// A crash before the announcement leaves no trace (case 3 again); after it, case 2 finds the posts that
// landed and posts the others once. A post that fails with an error stays announced (it may have landed
// anyway), so a retry looks before posting. Only one runner works on a queue index at a time (its shard's
// cluster mutex; the wave's for a retry, which takes the shard's announcements over first), and each
// user is queued once per wave (the engine drops rolling arrivals already in the queue), so a user's
// result is their only record.
// Limit: case 2 scans the newest `scanPages × scanPerPage` posts of the bot↔user DM; the welcome is only
// missed if that many other posts landed in that DM between the crash and the resume.

export const welcomeProp = 'cockpit_welcome';
const scanPages = 2;
const scanPerPage = 100;

export interface WelcomeRequest {
    userId: string;
    message: string;

    /** Extra props (e.g. the feedback buttons of feedback.ts); the welcome marker is added here. */
    props: Record<string, unknown>;
}

export type WelcomeAnswer = {status: 'sent' | 'already_sent'} | {status: 'failed'; error: string};

/** The in-flight welcomes as read before the batch, and how to announce more (one compare-and-set, before any post). */
export interface Announcements {
    has(userId: string): boolean;
    announce(userIds: readonly string[]): void;
}

export const welcomeMarker = (waveId: string, userId: string) => `${waveId}:${userId}`;

const describe = (error: {status_code: number; id: string; message: string}) => `${error.status_code} ${error.id}: ${error.message}`;

/** The bot's post in a DM whose `prop` is `marker`, among the DM's newest posts (also the journey's follow-ups). */
export function findMarkedPost(api: Pick<MattermostApi, 'posts'>, channelId: string, prop: string, marker: string): Post | undefined {
    for (let page = 0; page < scanPages; page++) {
        const posts = api.posts.listForChannel(channelId, page, scanPerPage);
        const found = posts.find((post) => post.props?.[prop] === marker);
        if (found || posts.length < scanPerPage) {
            return found;
        }
    }
    return undefined;
}

/**
 * Welcomes the users of one batch whose result does not already say so (the caller leaves those out).
 * `announced`: the batch's record's `welcoming` list as read before the batch. Every request gets an answer.
 */
export function sendWelcomes(
    context: HookContext,
    waveId: string,
    botId: string,
    requests: readonly WelcomeRequest[],
    announced: Announcements,
): Map<string, WelcomeAnswer> {
    const {api} = context;
    const answers = new Map<string, WelcomeAnswer>();
    const toPost: WelcomeRequest[] = [];
    for (const request of requests) {
        if (!announced.has(request.userId)) {
            toPost.push(request);
            continue;
        }
        try {
            const channel = api.channels.getDirect(botId, request.userId);
            if (findMarkedPost(api, channel.id, welcomeProp, welcomeMarker(waveId, request.userId))) {
                answers.set(request.userId, {status: 'already_sent'});
            } else {
                toPost.push(request);
            }
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }
            answers.set(request.userId, {status: 'failed', error: describe(error)});
        }
    }
    if (toPost.length === 0) {
        return answers;
    }
    const newcomers = toPost.map((request) => request.userId).filter((userId) => !announced.has(userId));
    if (newcomers.length > 0) {
        announced.announce(newcomers);
    }
    try {
        const posted = api.posts.createDirect(
            botId,
            toPost.map((request) => ({
                user_id: request.userId,
                message: request.message,
                props: {...request.props, [welcomeProp]: welcomeMarker(waveId, request.userId), from_bot: 'true'},
            })),
        );
        posted.forEach((result, i) =>
            answers.set(toPost[i].userId, result.error ? {status: 'failed', error: describe(result.error)} : {status: 'sent'}),
        );
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        toPost.forEach((request) => answers.set(request.userId, {status: 'failed', error: describe(error)}));
    }
    return answers;
}
