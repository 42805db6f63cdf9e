import type {PlanContent} from 'contract/plan';
import type {ImportPreview} from 'contract/plan_api';

// Import (POST /plan/import and /plan/import/preview; the body schema is the contract's ImportRequestSchema): the diff
// shown before importing.

function taskIndex(content: PlanContent): Map<string, string> {
    // The task as JSON, with its phase: a task moved to another phase counts as changed.
    return new Map(
        content.phases.flatMap((phase) => phase.tasks.map((task) => [task.id, JSON.stringify({phase: phase.id, task})] as const)),
    );
}

/** What importing `next` over `current` would change, by ids. */
export function importPreview(current: PlanContent, next: PlanContent): ImportPreview {
    const oldPhases = new Set(current.phases.map((phase) => phase.id));
    const newPhases = new Set(next.phases.map((phase) => phase.id));
    const oldTasks = taskIndex(current);
    const newTasks = taskIndex(next);
    return {
        added_phases: [...newPhases].filter((id) => !oldPhases.has(id)),
        removed_phases: [...oldPhases].filter((id) => !newPhases.has(id)),
        added_tasks: [...newTasks.keys()].filter((id) => !oldTasks.has(id)),
        removed_tasks: [...oldTasks.keys()].filter((id) => !newTasks.has(id)),
        changed_tasks: [...newTasks.entries()].filter(([id, json]) => oldTasks.has(id) && oldTasks.get(id) !== json).map(([id]) => id),
        task_count: newTasks.size,
    };
}

/** What the audit keeps of a whole plan: enough to see what an import replaced, without copying it. */
export function planSummary(content: PlanContent, version: number) {
    return {
        version,
        title: content.title,
        phase_count: content.phases.length,
        task_count: content.phases.reduce((n, phase) => n + phase.tasks.length, 0),
    };
}
