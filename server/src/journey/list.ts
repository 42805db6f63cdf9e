import type {UserProfile} from '@mattermost/types/users';

import type {HookContext} from '../app/capability';
import type {UserActivity} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import type {JourneyPerson} from '../kv/keys';
import {findMarkedPost, welcomeMarker, welcomeProp} from '../waves/welcomeOnce';
import type {gettingStartedItems} from '../welcome/template';
import {tickItem} from '../welcome/template';

// The welcome's getting-started list kept true: the welcome usually goes out before the person ever
// signs in, so its list starts empty. The journey's shard run (run.ts) compares, at most once a
// minute per shard and in one activity query for its people, what the server now knows (a desktop or
// mobile app session, a profile picture) with what each welcome shows, and the bot edits the welcome
// post where an item became done: the same message, the item's box ticked — never a new message. An
// item once ticked stays ticked (a later logout does not undo having installed the app).

type Item = keyof typeof gettingStartedItems;
const bits: Record<Item, number> = {desktop_app: 1, mobile_app: 2, profile_picture: 4};
export const allTicked = Object.values(bits).reduce((a, b) => a | b, 0);

/** How often a shard's lists are compared. */
export const listCheckMs = 60_000;

/** People whose welcome is older than this are left as they are: the list is for the first weeks. */
export const listDays = 30;

/** The items done now, as bits. */
export function doneItems(activity: UserActivity | undefined, lastPictureUpdate: number | undefined): number {
    return ((activity?.desktop_app_at ?? 0) > 0 ? bits.desktop_app : 0) |
        ((activity?.mobile_app_at ?? 0) > 0 ? bits.mobile_app : 0) |
        ((lastPictureUpdate ?? 0) > 0 ? bits.profile_picture : 0);
}

/** Items done that the welcome does not show yet (0: nothing to edit). */
export const newlyDone = (person: JourneyPerson, done: number) => done & ~(person.list ?? 0);

/** The welcome's markdown with these items ticked. */
export function tickedMessage(message: string, done: number): string {
    return (Object.keys(bits) as Item[]).reduce((text, item) => ((done & bits[item]) ? tickItem(text, item) : text), message);
}

/** Whose list the shard run compares: welcomed recently, with an item not yet shown done. */
export const needsLook = (person: JourneyPerson, welcomedAt: number, now: number) =>
    (person.list ?? 0) !== allTicked && now - welcomedAt < listDays * 24 * 3600 * 1000;

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
): Map<string, JourneyPerson> {
    const {api} = context;
    const changed = new Map<string, JourneyPerson>();
    for (const [userId, person] of people) {
        const done = doneItems(activity[userId], profiles.get(userId)?.last_picture_update);
        if (newlyDone(person, done) === 0) {
            continue;
        }
        try {
            const postId = person.post ??
                findMarkedPost(api, api.channels.getDirect(botId, userId).id, welcomeProp, welcomeMarker(waveId, userId))?.id;
            if (postId === undefined) {
                continue;
            }
            const post = api.posts.get(postId);
            const message = tickedMessage(post.message, done);
            if (message !== post.message) {
                api.posts.update({...post, message});
            }
            changed.set(userId, {...person, post: postId, list: (person.list ?? 0) | done});
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }
            context.log.warn('Welcome list not updated; the next look tries again', {waveId, userId, error: error.message});
        }
    }
    return changed;
}
