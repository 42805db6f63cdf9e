import type {Post} from '@mattermost/types/posts';

import {isTaskCompleted, type PlanContent, type Task} from 'contract/plan';
import {TASKS_COMMAND} from 'contract/plan_api';

import {readPlan} from './store';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import {utcDay} from '../dates/dates';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvStore} from '../kv/store';

// The owners' daily digest: once a day each owner with open tasks due within a week (or overdue) gets
// one DM listing them, unless they muted it. A cluster job (one node per interval) that claims each
// owner's day by compare-and-set before sending, so neither two nodes nor a restart send twice.

export const PLAN_DIGEST_JOB_ID = 'plan.digest';

/** How often the job looks: often enough that a day's digest goes out early in the day. */
export const PLAN_DIGEST_INTERVAL_SECONDS = 15 * 60;

const dayMs = 86_400_000;

export interface DigestTask {
    task: Task;
    phaseTitle: string;
    overdue: boolean;
}

/** Per owner: their open tasks due by `today` + 7 days, overdue first, then by due date. */
export function digestSelection(content: PlanContent, today: string): Map<string, DigestTask[]> {
    const horizon = utcDay(Date.parse(`${today}T00:00:00Z`) + (7 * dayMs));
    const byOwner = new Map<string, DigestTask[]>();
    for (const phase of content.phases) {
        for (const task of phase.tasks) {
            if (!task.owner_id || !task.due_date || isTaskCompleted(task) || task.state === 'skipped' || task.due_date > horizon) {
                continue;
            }
            const list = byOwner.get(task.owner_id) ?? [];
            list.push({task, phaseTitle: phase.title, overdue: task.due_date < today});
            byOwner.set(task.owner_id, list);
        }
    }
    for (const list of byOwner.values()) {
        list.sort((a, b) => (a.task.due_date ?? '').localeCompare(b.task.due_date ?? ''));
    }
    return byOwner;
}

const inert = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export function digestMessage(tasks: DigestTask[]): string {
    const line = ({task, phaseTitle, overdue}: DigestTask) =>
        `- ${inert(task.title)} (${inert(phaseTitle)}): ${overdue ? `**overdue** since ${task.due_date}` : `due ${task.due_date}`}`;
    return [
        `Your roll-out tasks due this week (${tasks.length}):`,
        ...tasks.map(line),
        `\`/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand}\` lists all your tasks; ` +
            `\`/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand} mute\` stops this daily message.`,
    ].join('\n');
}

/** Claims `day` for the owner (compare-and-set); false when their digest of that day is claimed already. */
function claimDay(kv: KvStore, userId: string, day: string): boolean {
    const record = KvKeys.planDigestSent(userId);
    const current = kv.readVersioned(record);
    if (current.value?.day === day) {
        return false;
    }
    try {
        kv.writeVersioned(record, {day}, current.version);
        return true;
    } catch (error) {
        if (error instanceof ConflictError) {
            return false;
        }
        throw error;
    }
}

/** One run of the job: sends today's digests not sent yet. Returns how many were sent. */
export function sendDigests(context: HookContext, now: number): number {
    const {api, kv, log} = context;
    const today = utcDay(now);
    const selection = digestSelection(readPlan(kv).content, today);
    if (selection.size === 0) {
        return 0;
    }
    const bot = botUserId(kv);
    let sent = 0;
    for (const [ownerId, tasks] of selection) {
        if (kv.get(KvKeys.planDigestMuted(ownerId)) || !claimDay(kv, ownerId, today)) {
            continue;
        }
        try {
            const dm = api.channels.getDirect(bot, ownerId);
            api.posts.create({
                channel_id: dm.id,
                user_id: bot,
                message: digestMessage(tasks),
                props: {from_bot: 'true', cockpit_task_digest: today},
            } as Partial<Post>);
            sent++;
        } catch (error) {
            // At most one a day: the day stays claimed, the owner still has the page and the command.
            log.warn('Could not send a task owner their daily digest', {ownerId, error: String(error)});
        }
    }
    return sent;
}

/** `/onboarding tasks mute` and `unmute`: the caller's own digest only. */
export function setDigestMuted(kv: KvStore, userId: string, muted: boolean, now: number): void {
    if (muted) {
        kv.set(KvKeys.planDigestMuted(userId), {at: now});
    } else {
        kv.delete(KvKeys.planDigestMuted(userId));
    }
}
