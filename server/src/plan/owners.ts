import {ErrorIds} from 'contract/errors';
import type {PlanContent, Task} from 'contract/plan';
import {
    type MyTask,
    type MyTasksResponse,
    OWNER_EDITABLE_FIELDS,
    type TaskActionRequest,
    type TaskChanges,
    taskEvidenceStatus,
    taskVerification,
} from 'contract/plan_api';
import type {ReadinessReport} from 'contract/readiness';

import {updateFromChanges} from './evidence';
import {applyTaskEdit, type CurrentPlan, readPlan, type TaskEditContext, type UsernameOf} from './store';

import {utcDay} from '../dates/dates';
import {ApiError} from '../errors/apiError';
import {requireUser, type Guard} from '../http/guards';
import type {Speaker} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import {KvReader} from '../kv/store';
import {KvTurn} from '../kv/turn';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Task owners who need not be admins: their own tasks, the guard of the owner routes, and what an owner
// may change (state, notes, evidence). System admins edit everything through the plan routes.

function findTask(content: PlanContent, taskId: string): Task | undefined {
    for (const phase of content.phases) {
        const task = phase.tasks.find((candidate) => candidate.id === taskId);
        if (task) {
            return task;
        }
    }
    return undefined;
}

const notYourTask = () => ApiError.forbidden('Only the owner of this task can do this.');

/**
 * The owner routes' guard: the caller must own the task named by `:taskId` in the plan as stored now.
 * It runs before the body is read, so nobody else learns anything from how their body is answered. The
 * edit checks the owner again on the record it writes (a re-assignment may land in between).
 */
export const requireTaskOwner: Guard = {
    description: 'the owner of the plan task :taskId',
    access: {kind: 'taskOwner', task: {in: 'param', name: 'taskId'}},
    check(input) {
        requireUser.check(input);
        const task = findTask(readPlan(new KvReader(input.api.kv)).content, input.params.taskId ?? '');
        if (!task || task.owner_id !== input.userId) {
            throw notYourTask();
        }
    },
};

/** The caller's tasks in plan order, each with its phase, the readiness checks that verify it and its evidence state on `today`. */
export function myTasks(plan: CurrentPlan, report: ReadinessReport | undefined, userId: string, today: string): MyTasksResponse {
    const results = report?.results ?? [];
    const tasks: MyTask[] = [];
    for (const phase of plan.content.phases) {
        for (const task of phase.tasks.filter((candidate) => candidate.owner_id === userId)) {
            const evidence = taskEvidenceStatus(task, results, today);
            tasks.push({
                phase_id: phase.id,
                phase_title: phase.title,
                task,
                checks: task.checks.map((id) => {
                    const result = results.find((candidate) => candidate.id === id);
                    return {id, title: result?.title ?? id, status: result?.status ?? 'unknown'};
                }),
                verification: taskVerification(task, results, evidence),
                evidence_status: evidence,
            });
        }
    }
    return {version: plan.version, tasks};
}

export function readMyTasks(kv: KvReader, userId: string): MyTasksResponse {
    return myTasks(readPlan(kv), kv.get(KvKeys.readinessReport), userId, utcDay(Date.now()));
}

/** 403 naming the fields an owner may not change; passes when all of `changes` are state, notes or evidence. */
export function assertOwnerChanges(changes: TaskChanges): void {
    const allowed: readonly string[] = OWNER_EDITABLE_FIELDS;
    const refused = Object.keys(changes).filter((field) => !allowed.includes(field));
    if (refused.length > 0) {
        throw ApiError.forbidden(`A task's owner may change its state, notes and evidence only, not: ${refused.join(', ')}.`);
    }
}

/**
 * An owner's change: only their own task (checked on the plan record the edit writes, so a re-assignment
 * that lands first refuses it), only state, notes and evidence.
 */
export function applyOwnerEdit(
    context: TaskEditContext,
    expectedVersion: number,
    taskId: string,
    changes: TaskChanges,
    usernameOf: UsernameOf,
    action = 'plan.task.owner_update',
): CurrentPlan {
    assertOwnerChanges(changes);
    const owned = (plan: CurrentPlan) => findTask(plan.content, taskId)?.owner_id === context.userId;
    if (!owned(readPlan(context.kv))) {
        throw notYourTask();
    }
    const update = updateFromChanges(changes, {by: context.userId, at: Date.now()});
    const {after} = applyTaskEdit(context, expectedVersion, taskId, update, usernameOf, action, owned);
    return after;
}

/** What an owner whose button failed is told, in their language: not theirs, changed meanwhile, or try again. */
export function ownerErrorText(error: ApiError, t: Speaker['t']): string {
    if (error.status === 403) {
        return t('assignment.notOwner');
    }
    if (error.status === 409) {
        return t('assignment.conflict');
    }
    return t('assignment.tryAgain');
}

/**
 * An assignment DM's button: the clicking user (the server's Mattermost-User-Id, matched with the body)
 * must own the task now. The state change is based on the plan as it is: a button is a deliberate
 * "set it to this", and other fields are untouched by it.
 */
export function handleTaskAction(
    context: TaskEditContext & {api: {posts: {sendEphemeral(userId: string, post: {channel_id: string; message: string}): unknown}}},
    body: TaskActionRequest,
    usernameOf: UsernameOf,
    {t}: Speaker,
): {ephemeral_text: string} {
    const tell = (message: string) => {
        // The server ignores the status of a plugin's action answer, so the clicking user is told here
        // (in a turn once it is stored: a turn that runs again must not tell twice).
        const channelId = body.channel_id;
        if (channelId) {
            KvTurn.afterCommit(context.turn, 'task button answer', () =>
                context.api.posts.sendEphemeral(context.userId, {channel_id: channelId, message}));
        }
    };
    if (body.user_id !== context.userId) {
        throw ApiError.forbidden('This button was not clicked by you.');
    }
    const {task_id: taskId, state} = body.context;
    const current = readPlan(context.kv);
    const task = findTask(current.content, taskId);
    if (!task || task.owner_id !== context.userId) {
        tell(t('assignment.notOwner'));
        throw notYourTask();
    }
    try {
        applyOwnerEdit(context, current.version, taskId, {state}, usernameOf, 'plan.task.owner_action');
    } catch (error) {
        // The server's English error text stays in the route's answer; the owner is told in their language.
        if (error instanceof ApiError && error.id !== ErrorIds.internal) {
            tell(ownerErrorText(error, t));
        }
        throw error;
    }

    // The clicking owner's language; the title is the plan's text, as the admins wrote it.
    return {ephemeral_text: t('assignment.nowState', {task: task.title, state: t(`tasks.state.${state}`)})};
}

/** Usernames for the conflict sentence; an unknown or unreadable user is named by nobody. */
export function usernames(api: Pick<ReadOnlyMattermostApi, 'users'>): UsernameOf {
    return (userId) => {
        try {
            return api.users.get(userId).username;
        } catch {
            return '';
        }
    };
}
