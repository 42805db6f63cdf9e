import type {Post} from '@mattermost/types/posts';

import type {UpdateSchedule} from 'contract/rollout';

import {statusMessage} from './message';
import {baselineOf, buildRolloutSummary, summaryInputs} from './summary';

import type {HookContext} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {serverSpeaker} from '../i18n/messages';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';

// The weekly status update: a cluster job (one node per interval) that claims the week's slot by
// compare-and-set BEFORE posting, so neither two nodes nor a restart post twice for one slot. A crash
// between the claim and the post loses that week's post rather than risk a second one.

export const ROLLOUT_UPDATE_JOB_ID = 'rollout.update';

/** How often the job looks: a post goes out within this of its hour. */
export const ROLLOUT_UPDATE_INTERVAL_SECONDS = 15 * 60;

/** A slot missed by longer (the plugin was off) is skipped, not posted days late. */
export const SLOT_GRACE_MS = 12 * 3_600_000;

const hourMs = 3_600_000;
const weekMs = 7 * 24 * hourMs;

/** The latest weekly slot at or before `now` (UTC), in ms. */
export function latestSlot(schedule: Extract<UpdateSchedule, {kind: 'weekly'}>, now: number): number {
    const day = new Date(now);
    const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const daysBack = ((day.getUTCDay() - schedule.weekday) + 7) % 7;
    const slot = (midnight - (daysBack * 24 * hourMs)) + (schedule.hour * hourMs);
    return slot > now ? slot - weekMs : slot;
}

/** The next slot after `now`; null when the schedule is off. */
export function nextSlot(schedule: UpdateSchedule, now: number): number | null {
    return schedule.kind === 'off' ? null : latestSlot(schedule, now) + weekMs;
}

export interface SlotState {
    /** The settings: their schedule, channel and when they were saved. */
    settings: {channel_id: string | null; schedule: UpdateSchedule; updated_at: number} | undefined;

    /** The last claimed slot (0: none). */
    lastSlot: number;
}

/**
 * The slot the job should post for now, or null: a weekly schedule with a channel, a slot not claimed
 * yet, no older than the grace period, and not before the settings were saved (choosing Monday 9:00 on
 * a Wednesday posts next Monday, not at once).
 */
export function dueSlot({settings, lastSlot}: SlotState, now: number): number | null {
    if (!settings || settings.schedule.kind === 'off' || !settings.channel_id) {
        return null;
    }
    const slot = latestSlot(settings.schedule, now);
    if (slot <= lastSlot || slot < settings.updated_at || now - slot > SLOT_GRACE_MS) {
        return null;
    }
    return slot;
}

/** Claims `slot` (compare-and-set); false when it is claimed already or another writer won the race. */
export function claimSlot(kv: KvStore, slot: number, now: number): boolean {
    const current = kv.readVersioned(KvKeys.rolloutLastUpdate);
    if ((current.value?.slot ?? 0) >= slot) {
        return false;
    }
    try {
        kv.writeVersioned(KvKeys.rolloutLastUpdate, {
            slot,
            claimed_at: now,
            posted: current.value?.posted ?? null,
            baseline: current.value?.baseline ?? null,
        }, current.version);
        return true;
    } catch (error) {
        if (error instanceof ConflictError) {
            return false;
        }
        throw error;
    }
}

export interface PostedUpdate {
    post_id: string;
    channel_id: string;
    at: number;
}

/** Builds the summary, posts it as the bot and keeps what it reported as the next update's baseline. */
export function postStatusUpdate(context: HookContext & {userId: string}, channelId: string, slot: number, now: number): PostedUpdate {
    const {api, kv} = context;
    const inputs = summaryInputs(api, kv, now);
    const message = statusMessage(buildRolloutSummary(inputs), serverSpeaker(api.config.get()));
    const post = api.posts.create({
        channel_id: channelId,
        user_id: botUserId(kv),
        message,
        props: {from_bot: 'true', cockpit_status_update: String(slot)},
    } as Partial<Post>);
    const posted = {at: now, post_id: post.id, channel_id: channelId};
    const baseline = baselineOf(inputs, now);
    kv.updateWithRetry(KvKeys.rolloutLastUpdate, (current) => ({
        // An on-demand post never moves the schedule's slot; a scheduled one already claimed it.
        slot: Math.max(current?.slot ?? 0, slot),
        claimed_at: current?.claimed_at ?? now,
        posted,
        baseline,
    }), 10);
    recordAudit(context, {
        action: 'rollout.update.post',
        target: `channel:${channelId}`,
        before: null,
        after: {channel_id: channelId, post_id: post.id, slot, score: baseline.score},
    }, now);
    return posted;
}

export function readSlotState(kv: KvReader): SlotState {
    return {
        settings: kv.readVersioned(KvKeys.rolloutSettings).value,
        lastSlot: kv.readVersioned(KvKeys.rolloutLastUpdate).value?.slot ?? 0,
    };
}

/** One run of the job: posts the due slot's update if this run claims it. Returns whether it posted. */
export function runScheduledUpdate(context: HookContext, now: number): boolean {
    const state = readSlotState(context.kv);
    const slot = dueSlot(state, now);
    if (slot === null || !claimSlot(context.kv, slot, now)) {
        return false;
    }
    try {
        postStatusUpdate({...context, userId: ''}, state.settings!.channel_id!, slot, now);
        return true;
    } catch (error) {
        // At most one per slot: the slot stays claimed; the admin can still post on demand.
        context.log.warn('Could not post the scheduled status update', {slot, error: String(error)});
        return false;
    }
}
