import {z} from 'zod';

import {PLAN_LIMITS, PLAN_SCHEMA_VERSION, type PlanContent, PlanContentSchema} from 'contract/plan';
import type {ImportPreview, ImportRequestSchema} from 'contract/plan_api';

// Import: the body of POST /plan/import and /plan/import/preview, and the diff shown before importing.

/**
 * Checks that must answer before the full plan schema runs, on the raw JSON:
 * - a file from a newer plugin most likely has fields this one does not know, which the strict
 *   schema would report as "unrecognized keys"; the useful answer is "upgrade the plugin";
 * - a file far above the task limit is refused without validating every task first.
 */
function preflight(value: unknown, ctx: z.RefinementCtx): void {
    if (typeof value !== 'object' || value === null) {
        return;
    }
    const {schema_version: schemaVersion, phases} = value as {schema_version?: unknown; phases?: unknown};
    if (typeof schemaVersion === 'number' && schemaVersion > PLAN_SCHEMA_VERSION) {
        ctx.addIssue({
            code: 'custom',
            path: ['schema_version'],
            message: `this plan has schema version ${schemaVersion}, newer than this plugin understands (${PLAN_SCHEMA_VERSION}); upgrade the plugin first`,
        });
    }
    if (Array.isArray(phases)) {
        const tasks = phases.reduce((n: number, phase: unknown) => n + (Array.isArray((phase as {tasks?: unknown})?.tasks) ? (phase as {tasks: unknown[]}).tasks.length : 0), 0);
        if (tasks > PLAN_LIMITS.tasks) {
            ctx.addIssue({code: 'custom', path: ['phases'], message: `a plan holds at most ${PLAN_LIMITS.tasks} tasks; this one has ${tasks}`});
        }
    }
}

/**
 * contract ImportRequestSchema with the preflight in front of PlanContentSchema (same fields, same
 * result type): the pipe runs the full schema only when the preflight found nothing.
 */
export const ImportBodySchema = z.strictObject({
    expected_version: z.number().int().min(0).optional(),
    plan: z.unknown().superRefine(preflight).pipe(PlanContentSchema),
});

// Compile-time: the body handlers get is exactly the contract's ImportRequestSchema output.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a check for tsc only: this line fails to compile when they differ.
const sameAsContract: Same<z.output<typeof ImportBodySchema>, z.output<typeof ImportRequestSchema>> = true;

function taskIndex(content: PlanContent): Map<string, string> {
    // The task as JSON, with its phase: a task moved to another phase counts as changed.
    return new Map(content.phases.flatMap((phase) => phase.tasks.map((task) => [task.id, JSON.stringify({phase: phase.id, task})] as const)));
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
