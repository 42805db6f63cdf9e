import type {z} from 'zod';

import {ErrorIds} from 'contract/errors';
import {type Phase, type PlanContent, PlanContentSchema, type Task, TaskSchema} from 'contract/plan';

import type {TaskUpdate} from './evidence';

import {ApiError} from '../errors/apiError';

// The plan edits as pure functions of the current content (a copy they may change). Each returns
// the new content plus what the audit records, or null when nothing would change. They throw
// ApiErrors for the client: 404 cockpit.plan.not_found for unknown ids, 400 for invalid edits.

export interface Edit {
    content: PlanContent;
    target: string;
    before: unknown;
    after: unknown;
}

export function planNotFound(what: string): ApiError {
    return new ApiError(404, ErrorIds.planNotFound, `There is no ${what} in the plan; reload it.`);
}

function describeIssues(error: z.ZodError, prefix: string): string {
    return error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].join('.')}: ${issue.message}`).join('; ');
}

/** The whole plan after an edit must still be a valid plan (limits, unique ids): 400 otherwise. */
export function validatedContent(content: PlanContent): PlanContent {
    const result = PlanContentSchema.safeParse(content);
    if (!result.success) {
        throw ApiError.invalid(describeIssues(result.error, 'plan'));
    }
    return result.data;
}

/**
 * After a task edit only that task differs from the stored (valid) plan, and ids and counts are unchanged:
 * checking the task alone is checking the whole plan, for a fraction of the cost. 400 when it is invalid.
 */
export function validatedTask(content: PlanContent, taskId: string): PlanContent {
    const {phase, index} = findTask(content, taskId);
    const result = TaskSchema.safeParse(phase.tasks[index]);
    if (!result.success) {
        throw ApiError.invalid(describeIssues(result.error, `task.${taskId}`));
    }
    phase.tasks[index] = result.data;
    return content;
}

function allIds(content: PlanContent): Set<string> {
    return new Set(content.phases.flatMap((phase) => [phase.id, ...phase.tasks.map((task) => task.id)]));
}

function findPhase(content: PlanContent, phaseId: string): Phase {
    const phase = content.phases.find((candidate) => candidate.id === phaseId);
    if (!phase) {
        throw planNotFound(`phase "${phaseId}"`);
    }
    return phase;
}

function findTask(content: PlanContent, taskId: string): {phase: Phase; index: number} {
    for (const phase of content.phases) {
        const index = phase.tasks.findIndex((task) => task.id === taskId);
        if (index >= 0) {
            return {phase, index};
        }
    }
    throw planNotFound(`task "${taskId}"`);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `changes` that differ from `current`: before and after hold only those. */
function changedFields<T extends object>(current: T, changes: Partial<T>): {before: Partial<T>; after: Partial<T>} | null {
    const before: Partial<T> = {};
    const after: Partial<T> = {};
    for (const key of Object.keys(changes) as Array<keyof T>) {
        const value = changes[key];
        if (value !== undefined && !same(current[key], value)) {
            before[key] = current[key];
            after[key] = value;
        }
    }
    return Object.keys(after).length === 0 ? null : {before, after};
}

export function updateTask(content: PlanContent, taskId: string, update: TaskUpdate): Edit | null {
    const {phase, index} = findTask(content, taskId);
    const task = phase.tasks[index];
    const diff = changedFields<Task>(task, update(task));
    if (!diff) {
        return null;
    }
    phase.tasks[index] = {...task, ...diff.after};
    return {content, target: `task:${taskId}`, ...diff};
}

export function addTask(content: PlanContent, phaseId: string, task: Task): Edit {
    const phase = findPhase(content, phaseId);
    if (allIds(content).has(task.id)) {
        throw ApiError.invalid(`body.task.id: "${task.id}" is already used in the plan`);
    }
    phase.tasks.push(task);
    return {content, target: `task:${task.id}`, before: null, after: {phase_id: phaseId, task}};
}

export function deleteTask(content: PlanContent, taskId: string): Edit {
    const {phase, index} = findTask(content, taskId);
    const [task] = phase.tasks.splice(index, 1);
    return {content, target: `task:${taskId}`, before: {phase_id: phase.id, task}, after: null};
}

export function addPhase(content: PlanContent, phase: Phase): Edit {
    const taken = allIds(content);
    const clashes = [phase.id, ...phase.tasks.map((task) => task.id)].filter((id) => taken.has(id));
    if (clashes.length > 0) {
        throw ApiError.invalid(`body.phase: id(s) already used in the plan: ${clashes.join(', ')}`);
    }
    content.phases.push(phase);
    return {content, target: `phase:${phase.id}`, before: null, after: phase};
}

export function updatePhase(content: PlanContent, phaseId: string, changes: {title?: string; description?: string}): Edit | null {
    const phase = findPhase(content, phaseId);
    const diff = changedFields<Pick<Phase, 'title' | 'description'>>(phase, changes);
    if (!diff) {
        return null;
    }
    Object.assign(phase, diff.after);
    return {content, target: `phase:${phaseId}`, ...diff};
}

export function deletePhase(content: PlanContent, phaseId: string): Edit {
    const phase = findPhase(content, phaseId);
    content.phases = content.phases.filter((candidate) => candidate !== phase);
    return {content, target: `phase:${phaseId}`, before: phase, after: null};
}

export interface PlanOrder {
    phase_order: string[];
    task_order: Record<string, string[]>;
}

export function orderOf(content: PlanContent): PlanOrder {
    return {
        phase_order: content.phases.map((phase) => phase.id),
        task_order: Object.fromEntries(content.phases.map((phase) => [phase.id, phase.tasks.map((task) => task.id)])),
    };
}

/** `proposed` must hold exactly the ids of `existing`, each once; says what is wrong otherwise. */
function permutationProblem(field: string, existing: readonly string[], proposed: readonly string[]): string | null {
    const known = new Set(existing);
    const seen = new Set<string>();
    for (const id of proposed) {
        if (!known.has(id)) {
            return `${field}: unknown id "${id}"`;
        }
        if (seen.has(id)) {
            return `${field}: "${id}" is listed twice`;
        }
        seen.add(id);
    }
    const missing = existing.filter((id) => !seen.has(id));
    return missing.length > 0 ? `${field}: missing ${missing.map((id) => `"${id}"`).join(', ')}` : null;
}

/**
 * Reorders phases, and tasks within and across phases. The request is the complete new order: the
 * phase order a permutation of the phase ids, task_order one list per phase, together a
 * permutation of all task ids. Anything else is a 400 and nothing changes.
 */
export function reorder(content: PlanContent, order: PlanOrder): Edit | null {
    const before = orderOf(content);
    const problem =
        permutationProblem('body.phase_order', before.phase_order, order.phase_order) ??
        permutationProblem('body.task_order (phases)', before.phase_order, Object.keys(order.task_order)) ??
        permutationProblem('body.task_order', Object.values(before.task_order).flat(), Object.values(order.task_order).flat());
    if (problem) {
        throw ApiError.invalid(problem);
    }
    const after: PlanOrder = {
        phase_order: order.phase_order,
        task_order: Object.fromEntries(order.phase_order.map((id) => [id, order.task_order[id]])),
    };
    if (same(before, after)) {
        return null;
    }
    const tasks = new Map(content.phases.flatMap((phase) => phase.tasks.map((task) => [task.id, task] as const)));
    const phases = new Map(content.phases.map((phase) => [phase.id, phase]));
    content.phases = after.phase_order.map((phaseId) => ({
        ...(phases.get(phaseId) as Phase),
        tasks: after.task_order[phaseId].map((taskId) => tasks.get(taskId) as Task),
    }));
    return {content, target: 'plan', before, after};
}
