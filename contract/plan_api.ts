import {z} from 'zod';

import type {CheckResult, ReadinessReport} from './readiness';
import {PhaseSchema, PlanContentSchema, TaskSchema, TaskStateSchema, type PhaseProgress, type StoredPlan} from './plan';

// Requests and responses of the plan, readiness, config-snapshot and audit routes.
// Every write names the plan version it was based on; a stale one is answered with 409
// (id cockpit.state.version_conflict) and nothing changes.

const expectedVersion = z.number().int().min(0);

export const TaskChangesSchema = z.strictObject({
    title: TaskSchema.shape.title.optional(),
    description: z.string().max(10000).optional(),
    optional: z.boolean().optional(),
    owner_id: TaskSchema.shape.owner_id.optional(),
    due_date: TaskSchema.shape.due_date.optional(),
    state: TaskStateSchema.optional(),
    skip_reason: z.string().max(10000).optional(),
    notes: z.string().max(10000).optional(),
    evidence: TaskSchema.shape.evidence.optional(),
});
export type TaskChanges = z.infer<typeof TaskChangesSchema>;

/** PATCH /api/v1/plan/tasks/:taskId */
export const UpdateTaskRequestSchema = z.strictObject({expected_version: expectedVersion, changes: TaskChangesSchema});
/** POST /api/v1/plan/phases/:phaseId/tasks */
export const AddTaskRequestSchema = z.strictObject({expected_version: expectedVersion, task: TaskSchema});
/** POST /api/v1/plan/phases */
export const AddPhaseRequestSchema = z.strictObject({expected_version: expectedVersion, phase: PhaseSchema});
/** PATCH /api/v1/plan/phases/:phaseId */
export const UpdatePhaseRequestSchema = z.strictObject({
    expected_version: expectedVersion,
    changes: z.strictObject({title: PhaseSchema.shape.title.optional(), description: z.string().max(10000).optional()}),
});
/** DELETE /api/v1/plan/tasks/:taskId and /api/v1/plan/phases/:phaseId */
export const DeleteRequestSchema = z.strictObject({expected_version: expectedVersion});
/** POST /api/v1/plan/reorder: the complete new order of phases and of each phase's tasks. */
export const ReorderRequestSchema = z.strictObject({
    expected_version: expectedVersion,
    phase_order: z.array(z.string()).max(50),
    task_order: z.record(z.string(), z.array(z.string()).max(2000)),
});
/** POST /api/v1/plan/import/preview and /api/v1/plan/import */
export const ImportRequestSchema = z.strictObject({expected_version: expectedVersion.optional(), plan: PlanContentSchema});

export interface PlanResponse {
    plan: StoredPlan;
    progress: {phases: PhaseProgress[]; percent: number};
}

export interface ImportPreview {
    added_phases: string[];
    removed_phases: string[];
    added_tasks: string[];
    removed_tasks: string[];
    changed_tasks: string[];
    task_count: number;
}

/** GET /api/v1/readiness (cached report) and POST /api/v1/readiness/run (runs now). */
export type ReadinessResponse = ReadinessReport;

/** A task is verified when every readiness check it lists is ok; "failing" when any is error or warning. */
export function taskVerification(checkIds: string[], results: CheckResult[]): 'verified' | 'failing' | 'unverified' | 'none' {
    if (checkIds.length === 0) {
        return 'none';
    }
    const mine = results.filter((r) => checkIds.includes(r.id));
    if (mine.length === 0) {
        return 'unverified';
    }
    if (mine.some((r) => r.status === 'error' || r.status === 'warning')) {
        return 'failing';
    }
    return mine.every((r) => r.status === 'ok') ? 'verified' : 'unverified';
}

/** GET /api/v1/config/snapshot: the settings that matter for a roll-out, secrets masked. */
export interface ConfigSnapshot {
    schema_version: 1;
    taken_at: number;
    server_version: string;
    site_url: string;
    /** Flattened `Section.Setting` → value; secrets are "********". */
    settings: Record<string, unknown>;
}

/** POST /api/v1/config/compare: another environment's snapshot against this server. */
export const CompareRequestSchema = z.strictObject({
    snapshot: z.strictObject({
        schema_version: z.literal(1),
        taken_at: z.number(),
        server_version: z.string(),
        site_url: z.string(),
        settings: z.record(z.string(), z.unknown()),
    }),
});

export interface SettingDifference {
    key: string;
    here: unknown;
    there: unknown;
    /** Secret values are never shown; only whether they differ is known. */
    secret: boolean;
}

export interface AuditEntry {
    id: string;
    at: number;
    user_id: string;
    /** e.g. `plan.task.update`, `plan.import`. */
    action: string;
    target: string;
    before: unknown;
    after: unknown;
}

/** GET /api/v1/audit?page=&per_page= (newest first); GET /api/v1/audit/export?format=csv|json */
export interface AuditPage {
    entries: AuditEntry[];
    total: number;
}
