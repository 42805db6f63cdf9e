// The Plan table's filters as pure functions: each chip narrows the rows, chips of different kinds
// combine with AND, several owners or several phases with OR ("tasks of Ann or Bob in the pilot").
import type {PlanContent, Task} from 'contract/plan';

import {isOverdue} from './model';

export interface TableFilters {
    mine: boolean;
    overdue: boolean;
    blocked: boolean;

    /** Owner user ids; `null` stands for "no owner". */
    owners: Array<string | null>;
    phases: string[];
}

export const noTableFilters: TableFilters = {mine: false, overdue: false, blocked: false, owners: [], phases: []};

/** A task with the phase it belongs to, in plan order. */
export interface TableRow {
    task: Task;
    phaseId: string;
    phaseTitle: string;
}

export function tableRows(plan: PlanContent): TableRow[] {
    return plan.phases.flatMap((p) => p.tasks.map((task) => ({task, phaseId: p.id, phaseTitle: p.title})));
}

export function hasTableFilters(f: TableFilters): boolean {
    return f.mine || f.overdue || f.blocked || f.owners.length > 0 || f.phases.length > 0;
}

export function matchesTableFilters(row: TableRow, f: TableFilters, currentUserId: string | undefined, today: string): boolean {
    const {task} = row;
    if (f.mine && (!currentUserId || task.owner_id !== currentUserId)) {
        return false;
    }
    if (f.overdue && !isOverdue(task, today)) {
        return false;
    }
    if (f.blocked && task.state !== 'blocked') {
        return false;
    }
    if (f.owners.length > 0 && !f.owners.includes(task.owner_id)) {
        return false;
    }
    return f.phases.length === 0 || f.phases.includes(row.phaseId);
}

export function filterRows(rows: readonly TableRow[], f: TableFilters, currentUserId: string | undefined, today: string): TableRow[] {
    return rows.filter((r) => matchesTableFilters(r, f, currentUserId, today));
}

/** The owners a "by owner" chip can name: everyone who owns a task, then "no owner" when a task has none. */
export function ownerChoices(rows: readonly TableRow[]): Array<string | null> {
    const ids = [...new Set(rows.map((r) => r.task.owner_id).filter((id): id is string => Boolean(id)))];
    return rows.some((r) => !r.task.owner_id) ? [...ids, null] : ids;
}

/** Adds a value to a list filter, or removes it when it is there. */
export function toggled<T>(list: readonly T[], value: T): T[] {
    return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
