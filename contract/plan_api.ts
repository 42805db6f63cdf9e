import {z} from 'zod';

import {type EvidenceItem, evidenceStatus, type EvidenceStatus, EvidenceStatusSchema} from './evidence';
import {lazySchema} from './lazy';
import {manifest} from './manifest';
import {
    PLAN_LIMITS,
    PLAN_SCHEMA_VERSION,
    PhaseProgressSchema,
    PhaseSchema,
    PlanContentSchema,
    StoredPlanSchema,
    TaskSchema,
    TaskStateSchema,
} from './plan';
import {postActionRequestSchema} from './post_action';
import type {CheckResult, ReadinessReport} from './readiness';
import {ExpectedVersionSchema} from './versioned';

// Requests and responses of the plan, readiness, config-snapshot and audit routes.
// Every write names the plan version it was based on; a stale one is answered with 409
// (id cockpit.state.version_conflict) and nothing changes.

// Only the fields a request names change: no defaults here (a default would reset a field nobody sent).
export const TaskChangesSchema = lazySchema(() => z.strictObject({
    title: TaskSchema.shape.title.optional(),
    description: z.string().max(10000).optional(),
    optional: z.boolean().optional(),
    owner_id: TaskSchema.shape.owner_id.unwrap().optional(),
    due_date: TaskSchema.shape.due_date.unwrap().optional(),
    state: TaskStateSchema.optional(),
    skip_reason: z.string().max(10000).optional(),
    notes: z.string().max(10000).optional(),

    /** The whole list; the server keeps the stamps of items it has and stamps new ones (added by the caller, unaccepted). */
    evidence: TaskSchema.shape.evidence.unwrap().optional(),
    evidence_valid_days: TaskSchema.shape.evidence_valid_days.unwrap().optional(),
}));
export type TaskChanges = z.infer<typeof TaskChangesSchema>;

/** PATCH /api/v1/plan/tasks/:taskId */
export const UpdateTaskRequestSchema = lazySchema(() =>
    z.strictObject({expected_version: ExpectedVersionSchema, changes: TaskChangesSchema}));

/** POST /api/v1/plan/tasks/:taskId/evidence/accept: a system admin accepts one evidence item (by its place in the list). */
export const AcceptEvidenceRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    index: z.number().int().min(0).max(PLAN_LIMITS.evidence - 1),
}));

/** A 409 for a task's field (id cockpit.plan.field_conflict, as `error.conflict`): what the other person saved. */
export const FieldConflictSchema = lazySchema(() => z.object({
    task_id: z.string(),
    field: z.string(),

    /** The user id of whoever changed it, and their username when known. */
    by: z.string(),
    by_username: z.string(),
    at: z.number(),

    /** Their value: what the task holds now. */
    value: z.unknown(),

    /** The plan version now: send it as expected_version to overwrite. */
    version: z.number().int(),
}));
export type FieldConflict = z.infer<typeof FieldConflictSchema>;

/** What a task's owner may change (PATCH /api/v1/my/tasks/:taskId); any other field is a 403. */
export const OWNER_EDITABLE_FIELDS = ['state', 'notes', 'evidence'] as const satisfies ReadonlyArray<keyof TaskChanges>;

/**
 * PATCH /api/v1/my/tasks/:taskId: the task's owner changes its state, notes or evidence. The body takes
 * every task field so that a change the owner may not make is refused by name (403), not as unknown (400).
 */
export const OwnerUpdateRequestSchema = UpdateTaskRequestSchema;

/**
 * How far a task is shown done: "evidence" when accepted evidence proves it now (or every check is ok on
 * an uploaded measurement), "verified" when every check is ok on a live probe's answer, "configured" when
 * every check is ok on the settings alone, "failing" when any check is an error or a warning,
 * "unverified" otherwise (always for a task its checks cannot prove, and for a task whose evidence
 * expires but is missing, unaccepted or expired), "none" without checks or evidence.
 */
export const TaskVerificationSchema = lazySchema(() => z.enum(['verified', 'evidence', 'configured', 'failing', 'unverified', 'none']));
export type TaskVerification = z.infer<typeof TaskVerificationSchema>;

/**
 * Tasks of the default plan whose listed checks are related settings, not proof that the task is done
 * (a load test is not run because metrics are on; a penetration test is not done because rate limiting
 * is): their checks can show a problem ("failing") but never that the task is done.
 */
export const TASKS_CHECKS_CANNOT_PROVE: readonly string[] = [
    'planning.hardware-sizing', 'planning.sre-plan', 'pilot.environments',
    'security.pentest', 'security.updates-plan', 'roles.define', 'mobile.internal-store',
    'directory.single-group', 'rollout.customizations', 'rollout.bulk-load', 'rollout.mass-email',
];

/** One task of the caller's, with where it sits in the plan and the readiness checks that verify it. */
export const MyTaskSchema = lazySchema(() => z.object({
    phase_id: z.string(),
    phase_title: z.string(),
    task: TaskSchema,
    checks: z.array(z.object({id: z.string(), title: z.string(), status: z.string()})),
    verification: TaskVerificationSchema,
    evidence_status: EvidenceStatusSchema,
}));
export type MyTask = z.infer<typeof MyTaskSchema>;

/** GET /api/v1/my/tasks (and the answer of PATCH /api/v1/my/tasks/:taskId): the caller's tasks, in plan order. */
export const MyTasksResponseSchema = lazySchema(() => z.object({version: z.number().int(), tasks: z.array(MyTaskSchema)}));
export type MyTasksResponse = z.infer<typeof MyTasksResponseSchema>;

/** The assignment DM's buttons, and the state each sets. */
export const TaskActionStateSchema = lazySchema(() => z.enum(['in_progress', 'done', 'blocked', 'not_started']));

/** POST /api/v1/plan/task-actions: the server posts an assignment DM's button click back for the clicking user. */
export const TaskActionRequestSchema = lazySchema(() => postActionRequestSchema(
    z.strictObject({task_id: z.string().max(100), state: TaskActionStateSchema}),
));
export type TaskActionRequest = z.infer<typeof TaskActionRequestSchema>;

/** POST /api/v1/plan/phases/:phaseId/tasks */
export const AddTaskRequestSchema = lazySchema(() => z.strictObject({expected_version: ExpectedVersionSchema, task: TaskSchema}));

/** POST /api/v1/plan/phases */
export const AddPhaseRequestSchema = lazySchema(() => z.strictObject({expected_version: ExpectedVersionSchema, phase: PhaseSchema}));

/** PATCH /api/v1/plan/phases/:phaseId */
export const UpdatePhaseRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    changes: z.strictObject({title: PhaseSchema.shape.title.optional(), description: z.string().max(10000).optional()}),
}));

/** DELETE /api/v1/plan/tasks/:taskId and /api/v1/plan/phases/:phaseId */

/** POST /api/v1/plan/reorder: the complete new order of phases and of each phase's tasks. */
export const ReorderRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    phase_order: z.array(z.string()).max(50),
    task_order: z.record(z.string(), z.array(z.string()).max(2000)),
}));

/**
 * Checks that must answer before the full plan schema runs, on the raw JSON:
 * - a file from a newer plugin most likely has fields this one does not know, which the strict
 *   schema would report as "unrecognized keys"; the useful answer is "upgrade the plugin";
 * - a file far above the task limit is refused without validating every task first.
 */
function importPreflight(value: unknown, ctx: z.RefinementCtx): void {
    if (typeof value !== 'object' || value === null) {
        return;
    }
    const {schema_version: schemaVersion, phases} = value as {schema_version?: unknown; phases?: unknown};
    if (typeof schemaVersion === 'number' && schemaVersion > PLAN_SCHEMA_VERSION) {
        ctx.addIssue({
            code: 'custom',
            path: ['schema_version'],
            message: `this plan has schema version ${schemaVersion}, newer than this plugin understands ` +
                `(${PLAN_SCHEMA_VERSION}); upgrade the plugin first`,
        });
    }
    if (Array.isArray(phases)) {
        const tasks = phases.reduce(
            (n: number, phase: unknown) =>
                n + (Array.isArray((phase as {tasks?: unknown})?.tasks) ? (phase as {tasks: unknown[]}).tasks.length : 0),
            0,
        );
        if (tasks > PLAN_LIMITS.tasks) {
            ctx.addIssue({
                code: 'custom',
                path: ['phases'],
                message: `a plan holds at most ${PLAN_LIMITS.tasks} tasks; this one has ${tasks}`,
            });
        }
    }
}

/**
 * POST /api/v1/plan/import/preview and /api/v1/plan/import. The preflight runs before PlanContentSchema,
 * which runs only when the preflight found nothing.
 */
export const ImportRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema.optional(),
    plan: z.unknown().superRefine(importPreflight).pipe(PlanContentSchema),
}));

// Answers are schemas too: the webapp validates every answer against the same definition.
export const PlanResponseSchema = lazySchema(() => z.object({
    plan: StoredPlanSchema,
    progress: z.object({phases: z.array(PhaseProgressSchema), percent: z.number()}),
}));
export type PlanResponse = z.infer<typeof PlanResponseSchema>;

export const ImportPreviewSchema = lazySchema(() => z.object({
    added_phases: z.array(z.string()),
    removed_phases: z.array(z.string()),
    added_tasks: z.array(z.string()),
    removed_tasks: z.array(z.string()),
    changed_tasks: z.array(z.string()),
    task_count: z.number(),
}));
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/** GET /api/v1/readiness (cached report) and POST /api/v1/readiness/run (runs now). */
export type ReadinessResponse = ReadinessReport;

/**
 * The days of ok checks resting on an uploaded measurement (an admin's load-test upload): evidence
 * without an item, that expires like an item of that day.
 */
export function measuredDays(task: {checks: string[]}, results: CheckResult[]): string[] {
    return results.
        filter((r) => task.checks.includes(r.id) && r.status === 'ok' && r.verification === 'evidence' && r.measured_on !== undefined).
        map((r) => r.measured_on as string);
}

/** The task's evidence state on `today`, counting its ok measured checks as evidence of their day. */
export function taskEvidenceStatus(
    task: {id: string; checks: string[]; evidence: EvidenceItem[]; evidence_valid_days: number | null},
    results: CheckResult[],
    today: string,
): EvidenceStatus {
    return evidenceStatus(task, today, measuredDays(task, results));
}

/** The task's badge from the readiness report and its evidence state (see TaskVerificationSchema). */
export function taskVerification(task: {id: string; checks: string[]}, results: CheckResult[], evidence: EvidenceStatus): TaskVerification {
    const mine = results.filter((r) => task.checks.includes(r.id));
    if (mine.some((r) => r.status === 'error' || r.status === 'warning')) {
        return 'failing';
    }
    if (evidence.state === 'valid') {
        return 'evidence';
    }
    if (task.checks.length === 0) {
        return 'none';
    }
    const evidenceMissing = evidence.valid_days !== null;
    if (evidenceMissing || mine.length === 0 || TASKS_CHECKS_CANNOT_PROVE.includes(task.id) || !mine.every((r) => r.status === 'ok')) {
        return 'unverified';
    }
    if (mine.every((r) => r.verification === 'probe')) {
        return 'verified';
    }
    return mine.every((r) => r.verification !== 'configured') ? 'evidence' : 'configured';
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
export const CompareRequestSchema = lazySchema(() => z.strictObject({
    snapshot: z.strictObject({
        schema_version: z.literal(1),
        taken_at: z.number(),
        server_version: z.string(),
        site_url: z.string(),
        settings: z.record(z.string(), z.unknown()),
    }),
}));

export const SettingDifferenceSchema = lazySchema(() => z.object({
    key: z.string(),
    here: z.unknown().optional(),
    there: z.unknown().optional(),

    /** Secret values are never shown; only whether they differ is known. */
    secret: z.boolean(),
}));
export type SettingDifference = z.infer<typeof SettingDifferenceSchema>;
export const SettingDifferencesSchema = lazySchema(() => z.array(SettingDifferenceSchema));

export const AuditEntrySchema = lazySchema(() => z.object({
    id: z.string(),
    at: z.number(),
    user_id: z.string(),

    /** e.g. `plan.task.update`, `plan.import`. */
    action: z.string(),
    target: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),

    /**
     * Where a change made through the cockpit's routes came from, as the server saw the request: the
     * session, the client's address and user agent (absent for jobs, hooks and entries from before).
     */
    session_id: z.string().optional(),
    ip_address: z.string().optional(),
    user_agent: z.string().optional(),
}));
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** GET /api/v1/audit?page=&per_page= (page counts from 0, newest first); GET /api/v1/audit/export?format=csv|json */
export const AuditPageSchema = lazySchema(() => z.object({entries: z.array(AuditEntrySchema), total: z.number()}));
export type AuditPage = z.infer<typeof AuditPageSchema>;

/** The owners' page in the normal UI: `/<team name>/<plugin id>/tasks` (registerNeedsTeamRoute). */
export const MyTasksPage = {
    route: '/tasks',
    path: (teamName: string) => `/${encodeURIComponent(teamName)}/${manifest.id}/tasks`,
} as const;

/** The owners' slash command: `/onboarding tasks` lists the caller's tasks. */
export const TASKS_COMMAND = {trigger: 'onboarding', subcommand: 'tasks'} as const;
