import {z} from 'zod';

import {Access, fileAnswer, read, write, type Serialized} from './endpoint';

import {ErrorIds} from '../errors';
import {lazySchema} from '../lazy';
import {
    AcceptEvidenceRequestSchema,
    AddPhaseRequestSchema,
    AddTaskRequestSchema,
    ImportPreviewSchema,
    ImportRequestSchema,
    MyTasksResponseSchema,
    OwnerUpdateRequestSchema,
    PlanResponseSchema,
    ReorderRequestSchema,
    UpdatePhaseRequestSchema,
    TaskActionRequestSchema,
    UpdateTaskRequestSchema,
} from '../plan_api';
import {DeleteRequestSchema} from '../versioned';

/**
 * Task edits take turns under one lock: every edit writes the one plan record, so fifty people saving at
 * once would otherwise each lose most compare-and-sets and re-read the plan again and again. The host
 * queues the waiting requests before they get a script engine; 20 s is well past a turn's length
 * (a few KV round trips) times fifty.
 */
export const TaskEditTurns: Serialized = {
    lock: 'plan-task-edit',
    waitMs: 20_000,
    busy: {id: ErrorIds.planBusy, message: 'Many task edits are being saved right now; try again in a few seconds.'},
};

/** The roll-out plan. Every edit names the plan version it is based on (409 when stale). */
export const PlanEndpoints = {
    plan: read('/api/v1/plan', {access: Access.consoleReader, answer: PlanResponseSchema}),
    updateTask: write('PATCH', '/api/v1/plan/tasks/:taskId', {
        access: Access.systemAdmin,
        body: UpdateTaskRequestSchema,
        answer: PlanResponseSchema,
        serialized: TaskEditTurns,
    }),

    /** A system admin accepts one of the task's evidence items (an owner adds evidence, never accepts it). */
    acceptEvidence: write('POST', '/api/v1/plan/tasks/:taskId/evidence/accept', {
        access: Access.systemAdmin,
        body: AcceptEvidenceRequestSchema,
        answer: PlanResponseSchema,
    }),
    deleteTask: write('DELETE', '/api/v1/plan/tasks/:taskId', {
        access: Access.systemAdmin,
        body: DeleteRequestSchema,
        answer: PlanResponseSchema,
    }),
    addTask: write('POST', '/api/v1/plan/phases/:phaseId/tasks', {
        access: Access.systemAdmin,
        body: AddTaskRequestSchema,
        answer: PlanResponseSchema,
        status: 201,
    }),
    addPhase: write('POST', '/api/v1/plan/phases', {
        access: Access.systemAdmin,
        body: AddPhaseRequestSchema,
        answer: PlanResponseSchema,
        status: 201,
    }),
    updatePhase: write('PATCH', '/api/v1/plan/phases/:phaseId', {
        access: Access.systemAdmin,
        body: UpdatePhaseRequestSchema,
        answer: PlanResponseSchema,
    }),
    deletePhase: write('DELETE', '/api/v1/plan/phases/:phaseId', {
        access: Access.systemAdmin,
        body: DeleteRequestSchema,
        answer: PlanResponseSchema,
    }),
    reorder: write('POST', '/api/v1/plan/reorder', {
        access: Access.systemAdmin,
        body: ReorderRequestSchema,
        answer: PlanResponseSchema,
    }),

    /** The content only (what import reads back), as a JSON file. */
    exportPlan: read('/api/v1/plan/export', {access: Access.consoleReader, answer: fileAnswer}),

    /** A write only because the plan travels in the body; it changes nothing. */
    importPreview: write('POST', '/api/v1/plan/import/preview', {
        access: Access.systemAdmin,
        body: ImportRequestSchema,
        answer: ImportPreviewSchema,
    }),

    /** Without expected_version: replace whatever is there. */
    importPlan: write('POST', '/api/v1/plan/import', {access: Access.systemAdmin, body: ImportRequestSchema, answer: PlanResponseSchema}),

    /** The caller's own tasks (any signed-in user; empty for someone who owns none). */
    myTasks: read('/api/v1/my/tasks', {access: Access.user, answer: MyTasksResponseSchema}),

    /** The task's owner changes its state, notes or evidence; 403 for other fields and other people. */
    myTaskUpdate: write('PATCH', '/api/v1/my/tasks/:taskId', {
        access: Access.taskOwnerOfParam('taskId'),
        body: OwnerUpdateRequestSchema,
        answer: MyTasksResponseSchema,
        serialized: TaskEditTurns,
    }),

    /**
     * Called by the server for the assignment DM's buttons (`POST /api/v4/posts/{post_id}/actions/{action_id}`)
     * for the clicking user; the handler checks that user owns the task.
     */
    taskAction: write('POST', '/api/v1/plan/task-actions', {
        access: {kind: 'actionCallback'},
        body: TaskActionRequestSchema,
        answer: lazySchema(() => z.object({ephemeral_text: z.string()})),
        serialized: TaskEditTurns,
    }),
};
