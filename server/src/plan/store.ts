import {TaskEditTurns} from 'contract/endpoints/plan';
import {evidenceFromLink, type EvidenceItem} from 'contract/evidence';
import type {PlanContent, Task} from 'contract/plan';
import {planProgress} from 'contract/plan';
import type {PlanResponse} from 'contract/plan_api';

import {defaultPlanContent} from './defaultPlan';
import {updateTask, validatedContent, validatedTask, type Edit} from './edits';
import type {TaskUpdate} from './evidence';
import {changedSince, fieldConflictError, stampFieldChanges} from './fieldChanges';

import {asActor, auditTotal, recordAuditsOnce, type AuditChange, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {ConflictError} from '../kv/conflictError';
import {KvKeys, type StoredPlanValue} from '../kv/keys';
import type {KvReader} from '../kv/store';
import {KvTurn} from '../kv/turn';
import type {MutexApi} from '../mattermost/api';

/** The plan as read: stored, or the default at version 0 when nobody has edited it yet. */
export interface CurrentPlan {
    content: PlanContent;
    version: number;
    updated_at: number;
    updated_by: string;
    last_change?: StoredPlanValue['last_change'];
    last_changes?: StoredPlanValue['last_changes'];
    field_changes?: StoredPlanValue['field_changes'];
}

/**
 * A plan stored before evidence had dates holds bare links and no `evidence_valid_days`; the record is not
 * validated on read (too slow), so those tasks are brought to the current shape here, in place.
 */
function upgradeStoredTasks(content: PlanContent): PlanContent {
    for (const phase of content.phases) {
        for (const task of phase.tasks) {
            const raw = task as Task & {evidence: Array<EvidenceItem | string>};
            if (raw.evidence.some((item) => typeof item === 'string')) {
                task.evidence = raw.evidence.map((item) => (typeof item === 'string' ? evidenceFromLink(item) : item));
            }
            task.evidence_valid_days ??= null;
        }
    }
    return content;
}

/** Never writes: an absent plan reads as the default at version 0; the first edit creates it. */
export function readPlan(kv: KvReader): CurrentPlan {
    const stored = kv.readVersioned(KvKeys.plan);
    if (stored.value === undefined) {
        return {content: defaultPlanContent(), version: 0, updated_at: 0, updated_by: ''};
    }
    return {...stored.value, content: upgradeStoredTasks(stored.value.content), version: stored.version};
}

export function toPlanResponse(plan: CurrentPlan): PlanResponse {
    return {
        plan: {...plan.content, version: plan.version, updated_at: plan.updated_at, updated_by: plan.updated_by},
        progress: planProgress(plan.content),
    };
}

function copyOf<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}

/**
 * A copy in which a task edit may replace tasks (the edits never change a task in place): the phases and
 * their task lists are new, the tasks are shared. Unchanged tasks stay the same objects, which lets
 * stampFieldChanges skip them instead of comparing every field of the plan.
 */
function withTaskListsCopied(content: PlanContent): PlanContent {
    return {...content, phases: content.phases.map((phase) => ({...phase, tasks: [...phase.tasks]}))};
}

/** Refuses a write based on a version that is no longer current: 409, nothing changes. */
export function assertVersion(current: CurrentPlan, expectedVersion: number): void {
    if (current.version !== expectedVersion) {
        throw new ConflictError(KvKeys.plan.key, expectedVersion, current.version);
    }
}

/**
 * One structure edit (add, delete, reorder; phases): check the plan version the client saw (any write
 * since is a 409), apply `edit` to a copy, validate the whole result, write it with ONE compare-and-set
 * on that version (a concurrent writer makes it a 409, so no update is lost and nothing is
 * half-written), then record the audit entry. Returns the plan before and after.
 */
export function applyEdit(
    context: AuditContext,
    expectedVersion: number,
    action: string,
    edit: (content: PlanContent) => Edit | null,
): {before: CurrentPlan; after: CurrentPlan} {
    const current = readPlan(context.kv);
    assertVersion(current, expectedVersion);
    const result = edit(copyOf(current.content));
    if (result === null) {
        // Nothing would change: no write, no version bump, no audit entry.
        return {before: current, after: current};
    }
    const content = validatedContent(result.content);
    const written = writePlan(context, current, content, {action, target: result.target, before: result.before, after: result.after});
    return {before: current, after: written};
}

/**
 * How many times a task edit that lost the compare-and-set to someone else's write re-reads the plan and
 * re-applies its own fields. Each lost round means another write succeeded, so 50 admins need at most 50.
 */
const taskEditAttempts = 60;

/**
 * Task edits take turns under one lock (TaskEditTurns). The routes that edit tasks declare it, so the host
 * takes it before their request gets a script engine; the other callers (the slash command) take it here.
 * Retries remain for writes of other nodes and for structure changes, which do not take the lock.
 */
export const taskEditMutex = TaskEditTurns.lock;

/** `hostLocks`: the locks the host took for the request (absent outside HTTP routes). */
export type TaskEditContext = PlanWriteContext & {api: {mutex: MutexApi}; hostLocks?: ReadonlySet<string>};

/** Who changed a task field the caller is about to overwrite: the username for the 409's sentence. */
export type UsernameOf = (userId: string) => string;

/**
 * A task edit (an admin's, an owner's, a DM button's). It conflicts only where a field it changes was
 * changed by someone else after `expectedVersion` (409 naming the field, the person and their value);
 * a compare-and-set lost to a write of other tasks or other fields re-reads and applies the same
 * changes again, which is correct because they touch none of the fields that write changed since the
 * caller's version (checked again on every round), and `mayEdit` holds for the plan it writes (an owner
 * still owns the task). Returns the plan before and after the write.
 */
export function applyTaskEdit(
    context: TaskEditContext,
    expectedVersion: number,
    taskId: string,
    update: TaskUpdate,
    usernameOf: UsernameOf,
    action = 'plan.task.update',
    mayEdit: (plan: CurrentPlan) => boolean = () => true,
): {before: CurrentPlan; after: CurrentPlan} {
    if (context.hostLocks?.has(taskEditMutex)) {
        return applyTaskEditInTurn(context, expectedVersion, taskId, update, usernameOf, action, mayEdit);
    }
    const {mutex} = context.api;
    try {
        mutex.lockWithin(taskEditMutex, TaskEditTurns.waitMs);
    } catch (error) {
        if (isHostError(error) && error.id === 'cockpit.host.mutex_timeout') {
            throw new ApiError(503, TaskEditTurns.busy.id, TaskEditTurns.busy.message);
        }
        throw error;
    }
    try {
        return applyTaskEditInTurn(context, expectedVersion, taskId, update, usernameOf, action, mayEdit);
    } finally {
        mutex.unlock(taskEditMutex);
    }
}

function applyTaskEditInTurn(
    context: PlanWriteContext,
    expectedVersion: number,
    taskId: string,
    update: TaskUpdate,
    usernameOf: UsernameOf,
    action: string,
    mayEdit: (plan: CurrentPlan) => boolean,
): {before: CurrentPlan; after: CurrentPlan} {
    for (let attempt = 1; ; attempt++) {
        const current = readPlan(context.kv);
        if (expectedVersion > current.version) {
            throw new ConflictError(KvKeys.plan.key, expectedVersion, current.version);
        }
        if (!mayEdit(current)) {
            throw ApiError.forbidden('You may not change this task (any more).');
        }
        const result = updateTask(withTaskListsCopied(current.content), taskId, update);
        if (result === null) {
            return {before: current, after: current};
        }
        const conflict = changedSince(current.field_changes, taskId, Object.keys(result.after as object), expectedVersion);
        if (conflict) {
            throw fieldConflictError({
                task_id: taskId,
                field: conflict.field,
                by: conflict.stamp.by,
                by_username: conflict.stamp.by ? usernameOf(conflict.stamp.by) : '',
                at: conflict.stamp.at,
                value: (result.before as Record<string, unknown>)[conflict.field],
                version: current.version,
            });
        }
        const content = validatedTask(result.content, taskId);
        try {
            const change = {action, target: result.target, before: result.before, after: result.after};
            const after = writePlan(context, current, content, change, {validated: true});
            return {before: current, after};
        } catch (error) {
            if (!(error instanceof ConflictError) || attempt >= taskEditAttempts) {
                throw error;
            }
        }
    }
}

/**
 * How old an unaudited plan write must be before a later write repairs it: a younger one may still be
 * writing its entry. After a crash the plugin's restart repairs it at once (onActivate).
 */
const staleChangeMs = 60_000;

type PendingChange = NonNullable<StoredPlanValue['last_changes']>[number];

/** The changes whose audit entries `plan`'s write owes (a record written before the list: its one change). */
function changesOf(plan: CurrentPlan & {last_changes?: PendingChange[]}): PendingChange[] {
    if (plan.last_changes) {
        return plan.last_changes;
    }
    return plan.last_change ? [{...plan.last_change, by: plan.updated_by}] : [];
}

/** A plan write's context: `turn` when the request is one of several written together (kv/turn.ts). */
export type PlanWriteContext = AuditContext & {turn?: KvTurn};

/**
 * Writes the plan with ONE compare-and-set on `current.version`, the audit entry it owes riding in the
 * same record (`last_changes`), then appends that entry and marks it done. Killed between the two, the
 * entry is appended by repairPlanAudit; never twice (recordAuditOnce looks for it first).
 *
 * In a turn the write stays in memory until the turn's one store (kv/turn.ts), and so does the entry: the
 * record then carries the changes of every request of the turn so far (the ones it wrote before this,
 * recognised by a time not before the turn began, which `at` is made to keep), and each entry is appended
 * after the store, with its own request's origin.
 */
export function writePlan(
    context: PlanWriteContext,
    current: CurrentPlan,
    content: PlanContent,
    change: AuditChange,
    options: {validated?: boolean} = {},
): CurrentPlan {
    repairPlanAudit(context, current, staleChangeMs);
    const {turn} = context;
    const earlier = turn ? changesOf(current).filter((pending) => pending.at >= turn.startedAt) : [];
    const at = Math.max(Date.now(), turn?.startedAt ?? 0, ...earlier.map((pending) => pending.at + 1));

    // Where the search for this change's entry may start: any count read before the write will do, so a
    // turn reads it once for all its edits.
    const auditFrom = turn ? turn.local('audit total', () => auditTotal(context.kv)) : auditTotal(context.kv);
    const pending: PendingChange = {at, ...change, audit_from: auditFrom, by: context.userId};
    const stamp = {version: current.version + 1, by: context.userId, at};
    const fieldChanges = stampFieldChanges(current.content, content, current.field_changes, stamp);
    const written = context.kv.writeVersioned(
        KvKeys.plan,
        {content, updated_at: at, updated_by: context.userId, last_changes: [...earlier, pending], field_changes: fieldChanges},
        current.version,
        options,
    );
    const plan = {...written.value, version: written.version};
    if (turn) {
        // One step after the store appends the entries of every edit of the turn, each with its own request's origin.
        turn.local('plan audit entries', () => {
            const owed: OwedEntry[] = [];
            KvTurn.afterCommit(turn, 'plan audit entries', () => auditChanges(owed));
            return owed;
        }).push({context, change: pending, version: plan.version});
    } else {
        auditChanges([{context, change: pending, version: plan.version}]);
    }
    return plan;
}

/** A change whose entry a stored write owes: by whom (its request's context), and the plan version it made. */
interface OwedEntry {
    context: AuditContext;
    change: PendingChange;
    version: number;
}

/**
 * Appends the entries of `owed` (each by its own actor: asActor keeps a request's origin off someone else's
 * change) unless they are there, then marks the last one's write audited.
 */
function auditChanges(owed: readonly OwedEntry[]): void {
    const complete = recordAuditsOnce(owed.map(({context, change}) => ({
        context: asActor(context, change.by),
        change: {action: change.action, target: change.target, before: change.before, after: change.after},
        at: change.at,
        from: change.audit_from,
    })));
    const last = owed[owed.length - 1];
    if (complete && last) {
        last.context.kv.set(KvKeys.planAudited, {version: last.version, at: last.change.at});
    }
}

/**
 * Crash repair: when the stored plan's last change (at least `minAgeMs` old) is not marked audited,
 * appends the entry of each change the write owes unless it is there. Reads one small record when there
 * is nothing to do.
 */
export function repairPlanAudit(context: AuditContext, plan: CurrentPlan, minAgeMs: number): boolean {
    const changes = changesOf(plan);
    const last = changes[changes.length - 1];
    if (!last || Date.now() - last.at < minAgeMs) {
        return false;
    }
    const audited = context.kv.get(KvKeys.planAudited);
    if (audited && audited.version === plan.version && audited.at === last.at) {
        return false;
    }
    auditChanges(changes.map((change) => ({context, change, version: plan.version})));
    return true;
}
