import type {Post} from '@mattermost/types/posts';

import {evidenceRunsOut, type EvidenceStatus} from 'contract/evidence';
import {isTaskCompleted, type PlanContent, type Task} from 'contract/plan';
import {TASKS_COMMAND, taskEvidenceStatus} from 'contract/plan_api';
import type {CheckResult} from 'contract/readiness';

import {readPlan} from './store';

import type {HookContext} from '../app/capability';
import {botUserId} from '../bot/bot';
import {utcDay} from '../dates/dates';
import {type Speaker, speakerForUser} from '../i18n/messages';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvStore} from '../kv/store';

// The owners' daily digest: once a day each owner with open tasks due within a week (or overdue), or
// with tasks whose accepted evidence expired or expires within the week, gets one DM listing them,
// unless they muted it. A cluster job (one node per interval) that claims each
// owner's day by compare-and-set before sending, so neither two nodes nor a restart send twice.

export const PLAN_DIGEST_JOB_ID = 'plan.digest';

/** How often the job looks: often enough that a day's digest goes out early in the day. */
export const PLAN_DIGEST_INTERVAL_SECONDS = 15 * 60;

const dayMs = 86_400_000;

/** How far ahead the digest looks, for due dates and for evidence running out. */
const DIGEST_DAYS = 7;

export interface DigestTask {
    task: Task;
    phaseTitle: string;

    /** Listed for its due date: open and due within the week. */
    due: boolean;
    overdue: boolean;

    /** Listed for its evidence: expired, or valid for at most another week. */
    evidence: EvidenceStatus | null;
}

/** Per owner: open tasks due by `today` + 7 days, overdue first, then by due date; then tasks whose evidence runs out. */
export function digestSelection(content: PlanContent, today: string, results: CheckResult[] = []): Map<string, DigestTask[]> {
    const horizon = utcDay(Date.parse(`${today}T00:00:00Z`) + (DIGEST_DAYS * dayMs));
    const byOwner = new Map<string, DigestTask[]>();
    for (const phase of content.phases) {
        for (const task of phase.tasks) {
            if (!task.owner_id || task.state === 'skipped') {
                continue;
            }
            const due = task.due_date !== null && !isTaskCompleted(task) && task.due_date <= horizon;
            const status = taskEvidenceStatus(task, results, today);
            const evidence = evidenceRunsOut(status, today, DIGEST_DAYS) ? status : null;
            if (!due && !evidence) {
                continue;
            }
            const list = byOwner.get(task.owner_id) ?? [];
            list.push({task, phaseTitle: phase.title, due, overdue: due && (task.due_date ?? '') < today, evidence});
            byOwner.set(task.owner_id, list);
        }
    }
    const order = (d: DigestTask) => (d.due ? `0${d.task.due_date}` : `1${d.evidence?.expired_on ?? d.evidence?.valid_until}`);
    for (const list of byOwner.values()) {
        list.sort((a, b) => order(a).localeCompare(order(b)));
    }
    return byOwner;
}

const inert = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function evidenceWords({t}: Speaker, evidence: EvidenceStatus): string {
    return evidence.state === 'expired' ?
        t('digest.evidenceExpired', {day: evidence.expired_on ?? ''}) :
        t('digest.evidenceValid', {day: evidence.valid_until ?? ''});
}

/** The owner's digest, in their language. */
export function digestMessage(speaker: Speaker, tasks: DigestTask[]): string {
    const {t} = speaker;
    const line = ({task, phaseTitle, due, overdue, evidence}: DigestTask) => {
        const words = [
            ...(due ? [overdue ? t('digest.overdue', {day: task.due_date ?? ''}) : t('digest.due', {day: task.due_date ?? ''})] : []),
            ...(evidence ? [evidenceWords(speaker, evidence)] : []),
        ];
        return `- ${inert(task.title)} (${inert(phaseTitle)}): ${words.join('; ')}`;
    };
    const command = `/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand}`;
    return [
        t('digest.title', {count: tasks.length}),
        ...tasks.map(line),
        t('digest.help', {list: `\`${command}\``, mute: `\`${command} mute\``}),
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
    const selection = digestSelection(readPlan(kv).content, today, kv.get(KvKeys.readinessReport)?.results ?? []);
    if (selection.size === 0) {
        return 0;
    }
    const bot = botUserId(kv);
    const config = api.config.get();
    const owners = new Map(api.users.getMany([...selection.keys()]).map((user) => [user.id, user]));
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
                message: digestMessage(speakerForUser(owners.get(ownerId), config), tasks),
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
