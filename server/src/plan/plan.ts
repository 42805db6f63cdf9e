import {
    AddPhaseRequestSchema,
    AddTaskRequestSchema,
    DeleteRequestSchema,
    ReorderRequestSchema,
    UpdatePhaseRequestSchema,
    UpdateTaskRequestSchema,
} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {addPhase, addTask, deletePhase, deleteTask, reorder, updatePhase, updateTask} from './edits';
import {ImportBodySchema, importPreview, planSummary} from './importPlan';
import {applyEdit, assertVersion, readPlan, repairPlanAudit, toPlanResponse, writePlan} from './store';

import type {Capability} from '../app/capability';
import {utcDay} from '../dates/dates';
import {parseBody} from '../http/body';
import {requireConsoleReader, requireSystemAdmin} from '../http/guards';
import {created, Download} from '../http/responses';
import {ConflictError} from '../kv/conflictError';

// Route paths with parameters, as PlanRoutes builds them (plan.test.ts checks they match).
const taskPath = '/api/v1/plan/tasks/:taskId';
const phasePath = '/api/v1/plan/phases/:phaseId';
const phaseTasksPath = '/api/v1/plan/phases/:phaseId/tasks';

/** Attempts for an import without expected_version ("replace whatever is there") that loses a race. */
const importAttempts = 3;

export const planCapability: Capability = {
    name: 'plan',
    routes(routes) {
        routes.get(PlanRoutes.plan, requireConsoleReader, ({kv}) => toPlanResponse(readPlan(kv)));

        routes.patch(taskPath, requireSystemAdmin, UpdateTaskRequestSchema, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.task.update', (content) => updateTask(content, context.params.taskId, context.body.changes)),
        );

        routes.delete(taskPath, requireSystemAdmin, (context) => {
            const body = parseBody(context.request.body, DeleteRequestSchema);
            return applyEdit(context, body.expected_version, 'plan.task.delete', (content) => deleteTask(content, context.params.taskId));
        });

        routes.post(phaseTasksPath, requireSystemAdmin, AddTaskRequestSchema, (context) =>
            created(applyEdit(context, context.body.expected_version, 'plan.task.add', (content) => addTask(content, context.params.phaseId, context.body.task))),
        );

        routes.post(PlanRoutes.phases, requireSystemAdmin, AddPhaseRequestSchema, (context) =>
            created(applyEdit(context, context.body.expected_version, 'plan.phase.add', (content) => addPhase(content, context.body.phase))),
        );

        routes.patch(phasePath, requireSystemAdmin, UpdatePhaseRequestSchema, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.phase.update', (content) => updatePhase(content, context.params.phaseId, context.body.changes)),
        );

        routes.delete(phasePath, requireSystemAdmin, (context) => {
            const body = parseBody(context.request.body, DeleteRequestSchema);
            return applyEdit(context, body.expected_version, 'plan.phase.delete', (content) => deletePhase(content, context.params.phaseId));
        });

        routes.post(PlanRoutes.reorder, requireSystemAdmin, ReorderRequestSchema, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.reorder', (content) =>
                reorder(content, {phase_order: context.body.phase_order, task_order: context.body.task_order}),
            ),
        );

        // The content only (what import reads back), as a file.
        routes.get(PlanRoutes.exportPlan, requireConsoleReader, ({kv}) => {
            const {content} = readPlan(kv);
            const date = utcDay(Date.now());
            return new Download(`cockpit-plan-${date}.json`, 'application/json', JSON.stringify(content, null, 2));
        });

        // A write route only because the plan travels in the body; it changes nothing.
        routes.post(PlanRoutes.importPreview, requireSystemAdmin, ImportBodySchema, ({kv, body}) => importPreview(readPlan(kv).content, body.plan));

        // Replaces the whole content in ONE compare-and-set. With expected_version, a stale one is a
        // 409; without, the caller asked to replace whatever is there, so a lost race is retried.
        routes.post(PlanRoutes.importPlan, requireSystemAdmin, ImportBodySchema, (context) => {
            const {kv, body} = context;
            for (let attempt = 1; ; attempt++) {
                const current = readPlan(kv);
                if (body.expected_version !== undefined) {
                    assertVersion(current, body.expected_version);
                }
                const changes = importPreview(current.content, body.plan);
                try {
                    return toPlanResponse(writePlan(context, current, body.plan, {
                        action: 'plan.import',
                        target: 'plan',
                        before: planSummary(current.content, current.version),
                        after: {...planSummary(body.plan, current.version + 1), changes},
                    }));
                } catch (error) {
                    if (!(error instanceof ConflictError) || body.expected_version !== undefined || attempt >= importAttempts) {
                        throw error;
                    }
                }
            }
        });
    },
    hooks: {
        // An import or edit killed before its audit entry was stored gets it as soon as the plugin is
        // back, before it serves requests (GET /plan never writes).
        onActivate: (_, {kv, log}) => {
            try {
                repairPlanAudit({kv, log, userId: ''}, readPlan(kv), 0);
            } catch (error) {
                log.error('Could not repair the audit entry of the last plan change', {error: error instanceof Error ? error.message : String(error)});
            }
        },
    },
};
