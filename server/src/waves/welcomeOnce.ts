import type {Post} from '@mattermost/types/posts';

import {KvKeys} from '../kv/keys';
import type {MattermostApi} from '../mattermost/api';

// Exactly one welcome DM per user per wave, across crashes, restarts and retries.
//
// The marker `wave:<id>:dm:<userId>` goes absent → "sending" → "sent:<postId>", each step a KV
// compare-and-set, and the post carries the deterministic prop `cockpit_welcome = "<waveId>:<userId>"`.
//   1. marker "sent:…": done, never post again.
//   2. marker absent: claim it (CAS absent → "sending"), then post, then CAS "sending" → "sent:<postId>".
//   3. marker "sending": an earlier attempt stopped somewhere between the claim and the confirmation,
//      so the post may or may not exist. Look for it in the DM channel by its prop: found → confirm the
//      marker without posting; not found → the earlier attempt died before the post was stored → post.
// A crash before the claim leaves no trace (case 2 again); between the claim and the post, case 3 finds
// nothing and posts once; after the post, case 3 finds it and does not post. Only one runner works on a
// wave at a time (the per-wave cluster mutex), so no two attempts are in flight together; the claim
// CAS also stops a second writer that would ignore the lock.
// Limit: case 3 scans the newest `scanPosts` posts of the bot↔user DM; the welcome is only missed if that
// many other posts landed in that DM between the crash and the resume.

export const welcomeProp = 'cockpit_welcome';
const sending = 'sending';
const scanPages = 2;
const scanPerPage = 100;

export type WelcomeResult = 'sent' | 'already_sent';

const encode = (value: string) => JSON.stringify(value);

export function welcomeMarkerValue(api: Pick<MattermostApi, 'kv'>, waveId: string, userId: string): string | null {
    const raw = api.kv.get(KvKeys.waveDm(waveId, userId).key);
    return raw === null ? null : (JSON.parse(raw) as string);
}

function findWelcome(api: MattermostApi, channelId: string, marker: string): Post | undefined {
    for (let page = 0; page < scanPages; page++) {
        const posts = api.posts.listForChannel(channelId, page, scanPerPage);
        const found = posts.find((post) => post.props?.[welcomeProp] === marker);
        if (found || posts.length < scanPerPage) {
            return found;
        }
    }
    return undefined;
}

/** Sends the welcome DM unless this wave already did; `message` is only rendered when needed. */
export function sendWelcomeOnce(api: MattermostApi, waveId: string, botId: string, userId: string, message: () => string): WelcomeResult {
    const key = KvKeys.waveDm(waveId, userId).key;
    const marker = `${waveId}:${userId}`;
    let current = welcomeMarkerValue(api, waveId, userId);
    if (current === null) {
        if (!api.kv.compareAndSet(key, null, encode(sending))) {
            current = welcomeMarkerValue(api, waveId, userId);
        } else {
            current = sending;
            const channel = api.channels.getDirect(botId, userId);
            return post(api, key, channel.id, botId, marker, message());
        }
    }
    if (current !== null && current.startsWith('sent:')) {
        return 'already_sent';
    }
    // "sending": an earlier attempt was interrupted; did its post land?
    const channel = api.channels.getDirect(botId, userId);
    const existing = findWelcome(api, channel.id, marker);
    if (existing) {
        api.kv.compareAndSet(key, encode(sending), encode(`sent:${existing.id}`));
        return 'already_sent';
    }
    return post(api, key, channel.id, botId, marker, message());
}

function post(api: MattermostApi, key: string, channelId: string, botId: string, marker: string, message: string): WelcomeResult {
    const created = api.posts.create({channel_id: channelId, user_id: botId, message, props: {[welcomeProp]: marker, from_bot: 'true'}} as Partial<Post>);
    api.kv.compareAndSet(key, encode(sending), encode(`sent:${created.id}`));
    return 'sent';
}
