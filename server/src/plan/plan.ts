import {PlanEndpoints} from 'contract/endpoints/plan';

import {addPhase, addTask, deletePhase, deleteTask, reorder, updatePhase, updateTask} from './edits';
import {importPreview, planSummary} from './importPlan';
import {applyEdit, assertVersion, readPlan, repairPlanAudit, toPlanResponse, writePlan} from './store';

import type {Capability} from '../app/capability';
import {utcDay} from '../dates/dates';
import {Download} from '../http/responses';
import {ConflictError} from '../kv/conflictError';

/** Attempts for an import without expected_version ("replace whatever is there") that loses a race. */
const importAttempts = 3;

export const planCapability: Capability = {
    name: 'plan',
    routes(routes) {
        routes.handle(PlanEndpoints.plan, ({kv}) => toPlanResponse(readPlan(kv)));

        routes.handle(PlanEndpoints.updateTask, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.task.update', (content) =>
                updateTask(content, context.params.taskId, context.body.changes),
            ),
        );

        routes.handle(PlanEndpoints.deleteTask, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.task.delete', (content) => deleteTask(content, context.params.taskId)),
        );

        routes.handle(PlanEndpoints.addTask, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.task.add', (content) =>
                addTask(content, context.params.phaseId, context.body.task),
            ),
        );

        routes.handle(PlanEndpoints.addPhase, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.phase.add', (content) => addPhase(content, context.body.phase)),
        );

        routes.handle(PlanEndpoints.updatePhase, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.phase.update', (content) =>
                updatePhase(content, context.params.phaseId, context.body.changes),
            ),
        );

        routes.handle(PlanEndpoints.deletePhase, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.phase.delete', (content) =>
                deletePhase(content, context.params.phaseId),
            ),
        );

        routes.handle(PlanEndpoints.reorder, (context) =>
            applyEdit(context, context.body.expected_version, 'plan.reorder', (content) =>
                reorder(content, {phase_order: context.body.phase_order, task_order: context.body.task_order}),
            ),
        );

        // The content only (what import reads back), as a file.
        routes.handle(PlanEndpoints.exportPlan, ({kv}) => {
            const {content} = readPlan(kv);
            const date = utcDay(Date.now());
            return new Download(`cockpit-plan-${date}.json`, 'application/json', JSON.stringify(content, null, 2));
        });

        // A write route only because the plan travels in the body; it changes nothing.
        routes.handle(PlanEndpoints.importPreview, ({kv, body}) => importPreview(readPlan(kv).content, body.plan));

        // Replaces the whole content in ONE compare-and-set. With expected_version, a stale one is a
        // 409; without, the caller asked to replace whatever is there, so a lost race is retried.
        routes.handle(PlanEndpoints.importPlan, (context) => {
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
                log.error('Could not repair the audit entry of the last plan change', {
                    error: error instanceof Error ? error.message : String(error),
                });
            }
        },
    },
};
