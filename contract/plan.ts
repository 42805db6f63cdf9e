import {z} from 'zod';

import {EVIDENCE_VALID_DAYS_MAX, EvidenceListSchema, isoDate} from './evidence';
import {lazySchema} from './lazy';

// The roll-out plan: phases of tasks, versioned as a whole (stale writes get 409).
export const PLAN_SCHEMA_VERSION = 1;
export const PLAN_LIMITS = {phases: 50, tasks: 2000, title: 200, text: 10000, evidence: 20} as const;

export const TaskStateSchema = lazySchema(() => z.enum(['not_started', 'in_progress', 'done', 'skipped', 'blocked']));
export type TaskState = z.infer<typeof TaskStateSchema>;

const slug = lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'use lower-case letters, digits, dots and dashes'));

export const TaskSchema = lazySchema(() => z.strictObject({
    id: slug,
    title: z.string().trim().min(1).max(PLAN_LIMITS.title),

    /** Markdown, rendered inert. */
    description: z.string().max(PLAN_LIMITS.text).default(''),

    /** Optional tasks never block their phase. */
    optional: z.boolean().default(false),

    /** The seed marks some tasks as depending on features still on Mattermost's roadmap. */
    roadmap: z.boolean().default(false),
    owner_id: z.string().regex(/^[a-z0-9]{26}$/, 'must be a user id').nullable().default(null),
    due_date: isoDate.nullable().default(null),
    state: TaskStateSchema.default('not_started'),

    /** Why a task was skipped; a phase counts a skipped task only when it has one. */
    skip_reason: z.string().max(PLAN_LIMITS.text).default(''),
    notes: z.string().max(PLAN_LIMITS.text).default(''),

    /** Links or load-test runs, each with its date and an admin's acceptance (contract/evidence.ts). */
    evidence: EvidenceListSchema.max(PLAN_LIMITS.evidence).default([]),

    /** How many days accepted evidence proves this task; null = the default plan's number for its id, if any. */
    evidence_valid_days: z.number().int().min(1).max(EVIDENCE_VALID_DAYS_MAX).nullable().default(null),

    /** Readiness checks that verify this task. */
    checks: z.array(z.string().max(100)).max(20).default([]),

    /** The survey answers the task was made from (server/src/survey/tasks.ts). */
    survey: z.strictObject({
        wave_id: z.string().max(64),
        step_id: z.string().max(16),
        answer_ids: z.array(z.string().max(100)).max(200),
    }).optional(),
}));
export type Task = z.infer<typeof TaskSchema>;

const TaskDefaultsSchema = lazySchema(() => TaskSchema.omit({id: true, title: true}));

/** A task with every other field at the schema's default (fresh arrays each time): what "add a task" creates; validated when saved. */
export function emptyTask(id: string, title: string): Task {
    return {...TaskDefaultsSchema.parse({}), id, title: title.trim()};
}

export const PhaseSchema = lazySchema(() => z.strictObject({
    id: slug,
    title: z.string().trim().min(1).max(PLAN_LIMITS.title),
    description: z.string().max(PLAN_LIMITS.text).default(''),
    tasks: z.array(TaskSchema),
}));
export type Phase = z.infer<typeof PhaseSchema>;

/** The plan's content: what export writes and import reads (with schema_version). */
export const PlanContentSchema = lazySchema(() => z.strictObject({
    schema_version: z.number().int(),
    title: z.string().trim().min(1).max(PLAN_LIMITS.title),
    phases: z.array(PhaseSchema).max(PLAN_LIMITS.phases),
}).superRefine((plan, ctx) => {
    if (plan.schema_version > PLAN_SCHEMA_VERSION) {
        ctx.addIssue({
            code: 'custom',
            path: ['schema_version'],
            message: `schema version ${plan.schema_version} is newer than this plugin understands (${PLAN_SCHEMA_VERSION}); ` +
                'upgrade the plugin first',
        });
    }
    const taskCount = plan.phases.reduce((n, p) => n + p.tasks.length, 0);
    if (taskCount > PLAN_LIMITS.tasks) {
        ctx.addIssue({
            code: 'custom',
            path: ['phases'],
            message: `a plan holds at most ${PLAN_LIMITS.tasks} tasks; this one has ${taskCount}`,
        });
    }
    const seen = new Set<string>();
    for (const [i, phase] of plan.phases.entries()) {
        for (const id of [phase.id, ...phase.tasks.map((t) => t.id)]) {
            if (seen.has(id)) {
                ctx.addIssue({code: 'custom', path: ['phases', i], message: `id "${id}" is used twice`});
            }
            seen.add(id);
        }
    }
}));
export type PlanContent = z.infer<typeof PlanContentSchema>;

/** The stored plan: content plus its version, bumped on every write. */
export const StoredPlanSchema = lazySchema(() => z.object({
    schema_version: z.number().int(),
    title: z.string(),
    phases: z.array(PhaseSchema),
    version: z.number().int(),
    updated_at: z.number(),
    updated_by: z.string(),
}));
export type StoredPlan = z.infer<typeof StoredPlanSchema>;

export const PhaseProgressSchema = lazySchema(() => z.object({
    phase_id: z.string(),
    required: z.number(),
    completed: z.number(),

    /** 0–100. */
    percent: z.number(),
    complete: z.boolean(),
}));
export type PhaseProgress = z.infer<typeof PhaseProgressSchema>;

/** A required task counts as completed when done, or skipped with a reason. */
export function isTaskCompleted(task: Task): boolean {
    return task.state === 'done' || (task.state === 'skipped' && task.skip_reason.trim() !== '');
}

export function phaseProgress(phase: Phase): PhaseProgress {
    const required = phase.tasks.filter((t) => !t.optional);
    const completed = required.filter(isTaskCompleted).length;
    const percent = required.length === 0 ? 100 : Math.floor((completed / required.length) * 100);
    return {phase_id: phase.id, required: required.length, completed, percent, complete: completed === required.length};
}

export function planProgress(plan: PlanContent): {phases: PhaseProgress[]; percent: number} {
    const phases = plan.phases.map(phaseProgress);
    const required = phases.reduce((n, p) => n + p.required, 0);
    const completed = phases.reduce((n, p) => n + p.completed, 0);
    return {phases, percent: required === 0 ? 100 : Math.floor((completed / required) * 100)};
}
