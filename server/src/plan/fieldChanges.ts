import {ErrorIds} from 'contract/errors';
import type {PlanContent, Task} from 'contract/plan';
import type {FieldConflict} from 'contract/plan_api';

import {ApiError} from '../errors/apiError';
import type {StoredPlanValue} from '../kv/keys';

// Per-field versions of the plan's tasks. The plan stays one record (one compare-and-set per write), but
// every write stamps each task field it changed with the new plan version. A task edit based on version
// v then conflicts only where a field it changes carries a stamp above v: two people editing different
// tasks, or different fields of one task, both succeed (the loser of the compare-and-set re-reads and
// re-applies its own fields), and the same field of the same task is still a 409.

export type FieldChanges = NonNullable<StoredPlanValue['field_changes']>;
export interface FieldStamp {
    version: number;
    by: string;
    at: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function tasksById(content: PlanContent): Map<string, Task> {
    return new Map(content.phases.flatMap((phase) => phase.tasks.map((task) => [task.id, task] as const)));
}

/**
 * The stamps after a write from `previous` to `next`: every field of a task in `next` that differs from
 * the task of that id in `previous` (every field of a new task) gets `stamp`; tasks gone from the plan
 * lose theirs. Computed from the contents, not from what the edit says it did, so every way of writing
 * the plan (edits, import, an owner's change, a DM button) is covered by the same rule.
 */
export function stampFieldChanges(
    previous: PlanContent,
    next: PlanContent,
    stamps: FieldChanges | undefined,
    stamp: FieldStamp,
): FieldChanges {
    const before = tasksById(previous);
    const result: FieldChanges = {};
    for (const [taskId, task] of tasksById(next)) {
        const old = before.get(taskId);
        if (old === task) {
            // The same object: a task edit left this task alone (store.ts shares unchanged tasks).
            if (stamps?.[taskId]) {
                result[taskId] = stamps[taskId];
            }
            continue;
        }
        const fields = {...stamps?.[taskId]};
        for (const field of Object.keys(task) as Array<keyof Task>) {
            if (field !== 'id' && (!old || !same(old[field], task[field]))) {
                fields[field] = stamp;
            }
        }
        if (Object.keys(fields).length > 0) {
            result[taskId] = fields;
        }
    }
    return result;
}

/** The first of `fields` of the task that changed after `expectedVersion`, with its stamp; null when none did. */
export function changedSince(
    stamps: FieldChanges | undefined,
    taskId: string,
    fields: readonly string[],
    expectedVersion: number,
): {field: string; stamp: FieldStamp} | null {
    for (const field of fields) {
        const stamp = stamps?.[taskId]?.[field];
        if (stamp && stamp.version > expectedVersion) {
            return {field, stamp};
        }
    }
    return null;
}

/** The 409 for a field someone else changed: names the field, the person and their value. */
export function fieldConflictError(conflict: FieldConflict): ApiError {
    const who = conflict.by_username ? `@${conflict.by_username}` : 'someone else';
    const error = new ApiError(
        409,
        ErrorIds.planFieldConflict,
        `${who} changed the ${conflict.field} of task "${conflict.task_id}" after you loaded the plan. ` +
            'Keep their value (reload) or overwrite it (send again with the current version).',
    );
    error.conflict = conflict;
    return error;
}

/** Tasks of `next` whose owner is set and differs from `previous`: the assignments to announce. */
export function newAssignments(previous: PlanContent, next: PlanContent): Array<{taskId: string; ownerId: string}> {
    const before = tasksById(previous);
    const assigned: Array<{taskId: string; ownerId: string}> = [];
    for (const [taskId, task] of tasksById(next)) {
        if (task.owner_id !== null && before.get(taskId)?.owner_id !== task.owner_id) {
            assigned.push({taskId, ownerId: task.owner_id});
        }
    }
    return assigned;
}
