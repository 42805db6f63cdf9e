// Zod schemas for the answers of the plan, readiness, config and audit routes. The contract declares
// these answers as TypeScript interfaces (contract/plan_api.ts); the client validates every answer,
// so their runtime form lives here, checked against those interfaces at compile time.
import {z} from 'zod';

import {PhaseSchema, type PhaseProgress, type StoredPlan} from 'contract/plan';
import type {ImportPreview, PlanResponse} from 'contract/plan_api';

const StoredPlanSchema = z.object({
    schema_version: z.number().int(),
    title: z.string(),
    phases: z.array(PhaseSchema),
    version: z.number().int(),
    updated_at: z.number(),
    updated_by: z.string(),
});

const PhaseProgressSchema = z.object({
    phase_id: z.string(),
    required: z.number(),
    completed: z.number(),
    percent: z.number(),
    complete: z.boolean(),
});

export const PlanResponseSchema = z.object({
    plan: StoredPlanSchema,
    progress: z.object({phases: z.array(PhaseProgressSchema), percent: z.number()}),
});

export const ImportPreviewSchema = z.object({
    added_phases: z.array(z.string()),
    removed_phases: z.array(z.string()),
    added_tasks: z.array(z.string()),
    removed_tasks: z.array(z.string()),
    changed_tasks: z.array(z.string()),
    task_count: z.number(),
});

export const SettingDifferencesSchema = z.array(z.object({
    key: z.string(),
    here: z.unknown(),
    there: z.unknown(),
    secret: z.boolean(),
}));

export const AuditPageSchema = z.object({
    entries: z.array(z.object({
        id: z.string(),
        at: z.number(),
        user_id: z.string(),
        action: z.string(),
        target: z.string(),
        before: z.unknown(),
        after: z.unknown(),
    })),
    total: z.number(),
});

// Compile-time checks that the schemas produce exactly what the contract promises.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
    Same<z.output<typeof StoredPlanSchema>, StoredPlan>,
    Same<z.output<typeof PhaseProgressSchema>, PhaseProgress>,
    Same<z.output<typeof PlanResponseSchema>, PlanResponse>,
    Same<z.output<typeof ImportPreviewSchema>, ImportPreview>,
] = [true, true, true, true];
void checks;
// SettingDifference[] and AuditPage (members typed `unknown`) are checked where client.ts returns them.
