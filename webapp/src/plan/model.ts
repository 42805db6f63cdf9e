// Pure helpers of the Plan tab: filters, new ids, reordering.
import {emptyTask, isTaskCompleted, type Phase, type PlanContent, type Task} from 'contract/plan';

export const TaskFilters = ['all', 'mine', 'overdue', 'blocked'] as const;
export type TaskFilter = typeof TaskFilters[number];

/** Due before `today` (YYYY-MM-DD) and not completed. */
export function isOverdue(task: Task, today: string): boolean {
    return task.due_date !== null && task.due_date < today && !isTaskCompleted(task);
}

export function matchesFilter(task: Task, filter: TaskFilter, currentUserId: string | undefined, today: string): boolean {
    switch (filter) {
    case 'mine': return Boolean(currentUserId) && task.owner_id === currentUserId;
    case 'overdue': return isOverdue(task, today);
    case 'blocked': return task.state === 'blocked';
    default: return true;
    }
}

const MAX_ID = 100;

function slugPart(text: string): string {
    return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** An id matching the contract's slug (`^[a-z0-9][a-z0-9.-]{0,99}$`) that no phase or task of `plan` uses. */
export function newId(plan: PlanContent, prefix: string, title: string): string {
    const used = new Set(plan.phases.flatMap((p) => [p.id, ...p.tasks.map((t) => t.id)]));
    const base = [prefix, slugPart(title) || 'item'].filter(Boolean).join('.').slice(0, MAX_ID - 4).replace(/[.-]+$/, '');
    let id = base;
    for (let n = 2; used.has(id); n++) {
        id = `${base}-${n}`;
    }
    return id;
}

export function newTask(plan: PlanContent, phase: Phase, title: string): Task {
    return emptyTask(newId(plan, phase.id, title), title);
}

export function newPhase(plan: PlanContent, title: string): Phase {
    return {id: newId(plan, '', title), title: title.trim(), description: '', tasks: []};
}

function moved<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
    const next = [...list];
    const target = index + delta;
    if (index < 0 || target < 0 || target >= next.length) {
        return next;
    }
    [next[index], next[target]] = [next[target], next[index]];
    return next;
}

export interface Order {
    phaseOrder: string[];
    taskOrder: Record<string, string[]>;
}

/** The complete order of `plan` (what POST /plan/reorder takes). */
export function orderOf(plan: PlanContent): Order {
    return {
        phaseOrder: plan.phases.map((p) => p.id),
        taskOrder: Object.fromEntries(plan.phases.map((p) => [p.id, p.tasks.map((t) => t.id)])),
    };
}

export function movePhase(plan: PlanContent, phaseId: string, delta: -1 | 1): Order {
    const order = orderOf(plan);
    return {...order, phaseOrder: moved(order.phaseOrder, order.phaseOrder.indexOf(phaseId), delta)};
}

export function moveTask(plan: PlanContent, phaseId: string, taskId: string, delta: -1 | 1): Order {
    const order = orderOf(plan);
    const tasks = order.taskOrder[phaseId] ?? [];
    return {...order, taskOrder: {...order.taskOrder, [phaseId]: moved(tasks, tasks.indexOf(taskId), delta)}};
}

export const httpLink = /^https?:\/\/\S+$/;
