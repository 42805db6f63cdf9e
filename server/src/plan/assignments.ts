import type {Post} from '@mattermost/types/posts';

import {manifest} from 'contract/manifest';
import type {PlanContent, Task} from 'contract/plan';
import {TASKS_COMMAND} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {newAssignments} from './fieldChanges';

import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import type {Logger} from '../host/log';
import {type Speaker, speakerForUser} from '../i18n/messages';
import type {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';

// Owners are told: on assignment and re-assignment the bot DMs the new owner the task, its due date and
// buttons that set its state (handled by owners.ts handleTaskAction for the clicking owner only).

/** Any active person can own a task; bots and deactivated or unknown accounts cannot (400). */
export function assertCanOwn(api: Pick<MattermostApi, 'users'>, ownerId: string | null | undefined): void {
    if (ownerId === null || ownerId === undefined) {
        return;
    }
    let active = false;
    try {
        const user = api.users.get(ownerId);
        active = user.delete_at === 0 && !user.is_bot;
    } catch {
        active = false;
    }
    if (!active) {
        throw ApiError.invalid(`owner_id: "${ownerId}" is not an active user of this server`);
    }
}

/** The DM buttons: relative plugin URLs, which the server calls in-process for the clicking user. */
function stateButtons({t}: Speaker, taskId: string) {
    const url = `/plugins/${manifest.id}${PlanRoutes.taskAction}`;
    const button = (id: string, name: string, style: string, state: string) =>
        ({id, name, type: 'button', style, integration: {url, context: {task_id: taskId, state}}});
    return [
        button('start', t('assignment.start'), 'primary', 'in_progress'),
        button('done', t('assignment.done'), 'success', 'done'),
        button('blocked', t('assignment.blocked'), 'danger', 'blocked'),
        button('open', t('assignment.open'), 'default', 'not_started'),
    ];
}

/** The DM's text in the owner's language; the task's words are quoted as code so nothing in them renders or mentions anyone. */
export function assignmentMessage({t}: Speaker, task: Task, phaseTitle: string): string {
    const inert = (text: string) => `\`${text.replace(/`/g, "'")}\``;
    return [
        t('assignment.owner', {task: inert(task.title), phase: inert(phaseTitle)}),
        task.due_date ? t('assignment.due', {day: task.due_date}) : t('assignment.noDue'),
        t('assignment.help', {command: `\`/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand}\``}),
    ].join('\n');
}

/** DMs each new owner of a task of `next` (best effort: a failed DM is logged, the edit stands). Returns how many were sent. */
export function announceAssignments(
    context: {api: MattermostApi; kv: KvStore; log: Logger},
    previous: PlanContent,
    next: PlanContent,
): number {
    const {api, kv, log} = context;
    const assigned = newAssignments(previous, next);
    if (assigned.length === 0) {
        return 0;
    }
    let bot: string;
    try {
        bot = botUserId(kv);
    } catch (error) {
        log.warn('Could not DM task owners: the bot is not set up', {error: String(error)});
        return 0;
    }
    let sent = 0;
    const config = api.config.get();
    for (const {taskId, ownerId} of assigned) {
        const phase = next.phases.find((candidate) => candidate.tasks.some((task) => task.id === taskId));
        const task = phase?.tasks.find((candidate) => candidate.id === taskId);
        if (!phase || !task) {
            continue;
        }
        try {
            const dm = api.channels.getDirect(bot, ownerId);
            const speaker = speakerForUser(api.users.get(ownerId), config);
            api.posts.create({
                channel_id: dm.id,
                user_id: bot,
                message: assignmentMessage(speaker, task, phase.title),
                props: {
                    from_bot: 'true',
                    cockpit_task_assignment: taskId,
                    attachments: [{fallback: speaker.t('assignment.fallback'), actions: stateButtons(speaker, taskId)}],
                },
            } as Partial<Post>);
            sent++;
        } catch (error) {
            log.warn('Could not DM a task owner about the assignment', {taskId, ownerId, error: String(error)});
        }
    }
    return sent;
}
