import type {UserProfile} from '@mattermost/types/users';

import {fallbackLocale} from 'contract/locales';

import type {HookContext} from '../app/capability';
import type {UserActivity} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import type {JourneyPerson} from '../kv/keys';
import {findMarkedPost, welcomeMarker, welcomeProp} from '../waves/welcomeOnce';
import {gettingStartedFor, type GettingStartedNow, type WelcomeTargets} from '../waves/welcomeVariables';
import {type gettingStartedItems, type ListChannel, tickChannel, tickItem} from '../welcome/template';

// The welcome's getting-started list kept true: the welcome usually goes out before the person ever
// signs in, so its list starts empty. The journey's shard run (run.ts) compares, at most once a
// minute per shard and in one activity query for its people, what the server now knows (a desktop or
// mobile app session, a profile picture, saved notification settings, each of the wave's channels
// opened) with what each welcome shows, and the bot edits the welcome post where an item became done:
// the same message, the item's box ticked — never a new message. An item once ticked stays ticked (a
// later logout does not undo having installed the app).
//
// What a welcome shows is kept with the person (JourneyPerson): `list`, the items as bits, and `visited`,
// one '0'/'1' per channel in the order of the wave's target channels (fixed once the wave started; a
// channel that no longer resolves keeps its place, so the others' marks stay theirs).

type Item = keyof typeof gettingStartedItems;
const bits: Record<Item, number> = {desktop_app: 1, mobile_app: 2, profile_picture: 4, notifications: 8};
export const allTicked = Object.values(bits).reduce((a, b) => a | b, 0);

/** How often a shard's lists are compared. */
export const listCheckMs = 60_000;

/** People whose welcome is older than this are left as they are: the list is for the first weeks. */
export const listDays = 30;

/** What a list shows done: the items as bits, the channels as '0'/'1' in the wave's target order. */
export interface ListState {
    items: number;
    visited: string;
}

/** The list as the server shows it now (gettingStartedFor), for a wave whose target channels are `order` (ids). */
export function doneNow(list: GettingStartedNow, order: readonly string[]): ListState {
    const visited = new Set(list.channels.filter((channel) => channel.visited).map((channel) => channel.id));
    return {
        items: (Object.keys(bits) as Item[]).reduce((done, item) => (list[item] ? done | bits[item] : done), 0),
        visited: order.map((id) => (visited.has(id) ? '1' : '0')).join(''),
    };
}

/** What the person's welcome shows, as last looked at. */
export const shownTo = (person: JourneyPerson): ListState => ({items: person.list ?? 0, visited: person.visited ?? ''});

/** Done but not shown yet: the items as bits, the channels as their positions (nothing: items 0, no positions). */
export function newlyDone(shown: ListState, done: ListState): {items: number; channels: number[]} {
    const channels = [...done.visited].flatMap((mark, i) => (mark === '1' && shown.visited[i] !== '1' ? [i] : []));
    return {items: done.items & ~shown.items, channels};
}

/** What the welcome shows once the newly done are ticked too. */
export function shownAfter(shown: ListState, done: ListState): ListState {
    const length = Math.max(shown.visited.length, done.visited.length);
    const visited = Array.from({length}, (_, i) => (shown.visited[i] === '1' || done.visited[i] === '1' ? '1' : '0')).join('');
    return {items: shown.items | done.items, visited};
}

/** The welcome's markdown with these items and channels ticked. */
export function tickedMessage(message: string, items: number, channels: readonly ListChannel[] = []): string {
    const ticked = (Object.keys(bits) as Item[]).reduce((text, item) => ((items & bits[item]) ? tickItem(text, item) : text), message);
    return channels.reduce(tickChannel, ticked);
}

/** Whose list the shard run compares: welcomed recently, with an item or one of `channels` channels not yet shown done. */
export function needsLook(person: JourneyPerson, channels: number, welcomedAt: number, now: number): boolean {
    const shown = shownTo(person);
    return (shown.items !== allTicked || shown.visited !== '1'.repeat(channels)) && now - welcomedAt < listDays * 24 * 3600 * 1000;
}

/** The wave's channels the list names, with their place among the wave's target channels. */
export interface ListTargets {
    targets: WelcomeTargets;

    /** The wave's target channel ids, in order. */
    order: readonly string[];
}

// Only what is done is compared: no links and no words are needed (tickItem finds a label in any language).
const noLinks = {desktop: '', mobile: ''};

/**
 * Edits the welcomes of `people` whose items became done; returns the people as now shown. A post that
 * cannot be found or edited is left for the next look.
 */
export function keepListsTrue(
    context: HookContext,
    waveId: string,
    botId: string,
    people: ReadonlyMap<string, JourneyPerson>,
    activity: Record<string, UserActivity>,
    profiles: ReadonlyMap<string, UserProfile>,
    {targets, order}: ListTargets,
): Map<string, JourneyPerson> {
    const {api} = context;
    const changed = new Map<string, JourneyPerson>();
    for (const [userId, person] of people) {
        const user = profiles.get(userId);
        if (user === undefined) {
            continue;
        }
        const done = doneNow(gettingStartedFor(user, activity[userId], noLinks, targets, fallbackLocale), order);
        const shown = shownTo(person);
        const fresh = newlyDone(shown, done);
        if (fresh.items === 0 && fresh.channels.length === 0) {
            continue;
        }
        try {
            const postId = person.post ??
                findMarkedPost(api, api.channels.getDirect(botId, userId).id, welcomeProp, welcomeMarker(waveId, userId))?.id;
            if (postId === undefined) {
                continue;
            }
            const post = api.posts.get(postId);
            const channels = targets.channels.filter((channel) => fresh.channels.includes(order.indexOf(channel.id)));
            const message = tickedMessage(post.message, fresh.items, channels);
            if (message !== post.message) {
                api.posts.update({...post, message});
            }
            const after = shownAfter(shown, done);
            changed.set(userId, {...person, post: postId, list: after.items, visited: after.visited});
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }
            context.log.warn('Welcome list not updated; the next look tries again', {waveId, userId, error: error.message});
        }
    }
    return changed;
}
