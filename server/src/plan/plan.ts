import {PlanEndpoints} from 'contract/endpoints/plan';

import {announceAssignments, assertCanOwn} from './assignments';
import {tasksCommand} from './command';
import {PLAN_DIGEST_INTERVAL_SECONDS, PLAN_DIGEST_JOB_ID, sendDigests} from './digest';
import {addPhase, addTask, deletePhase, deleteTask, reorder, updatePhase} from './edits';
import {acceptEvidence, updateFromChanges} from './evidence';
import {importPreview, planSummary} from './importPlan';
import {applyOwnerEdit, handleTaskAction, readMyTasks, requireTaskOwner, usernames} from './owners';
import {
    applyEdit, applyTaskEdit, assertVersion, type CurrentPlan, readPlan, repairPlanAudit, taskEditMutex, toPlanResponse, writePlan,
} from './store';

import type {Capability, HookContext} from '../app/capability';
import {utcDay} from '../dates/dates';
import {type Guard, requireUser} from '../http/guards';
import {Download} from '../http/responses';
import {speakerForUser} from '../i18n/messages';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import {KvTurn} from '../kv/turn';

/** Attempts for an import without expected_version ("replace whatever is there") that loses a race. */
const importAttempts = 3;

/**
 * The assignment DM's buttons' route. The server calls it in-process for the clicking user (it sets
 * Mattermost-User-Id from the clicking session, as for the role-template buttons); the handler matches it
 * with the body and checks that user owns the task.
 */
const requireClickingOwner: Guard = {
    description: 'the clicking user (interactive message action), checked as the owner of the button\'s task',
    access: {kind: 'actionCallback'},
    check: (input) => requireUser.check(input),
};

/** After a write: DM whoever became the owner of a task (once the write is stored, in a turn), then answer with the plan. */
function announced(context: HookContext & {turn?: KvTurn}, result: {before: CurrentPlan; after: CurrentPlan}) {
    if (result.after.version !== result.before.version) {
        KvTurn.afterCommit(context.turn, 'plan assignment DMs', () =>
            announceAssignments(context, result.before.content, result.after.content));
    }
    return toPlanResponse(result.after);
}

export const planCapability: Capability = {
    name: 'plan',
    routes(routes) {
        routes.handle(PlanEndpoints.plan, ({kv}) => toPlanResponse(readPlan(kv)));

        // A task's fields: per-field versions, so only the same field changed since the caller read it is a 409.
        routes.handle(PlanEndpoints.updateTask, (context) => {
            assertCanOwn(context.api, context.body.changes.owner_id);
            const update = updateFromChanges(context.body.changes, {by: context.userId, at: Date.now()});
            return announced(context, applyTaskEdit(
                context, context.body.expected_version, context.params.taskId, update, usernames(context.api),
            ));
        });

        // Only a system admin accepts evidence (an owner adds it through their own route).
        routes.handle(PlanEndpoints.acceptEvidence, (context) => {
            const update = acceptEvidence(context.body.index, {by: context.userId, at: Date.now()});
            return toPlanResponse(applyTaskEdit(
                context, context.body.expected_version, context.params.taskId, update, usernames(context.api), 'plan.task.evidence_accept',
            ).after);
        });

        // The plan's structure: any write since the caller read it is a 409.
        routes.handle(PlanEndpoints.deleteTask, (context) =>
            toPlanResponse(applyEdit(context, context.body.expected_version, 'plan.task.delete', (content) =>
                deleteTask(content, context.params.taskId)).after),
        );

        routes.handle(PlanEndpoints.addTask, (context) => {
            assertCanOwn(context.api, context.body.task.owner_id);
            return announced(context, applyEdit(context, context.body.expected_version, 'plan.task.add', (content) =>
                addTask(content, context.params.phaseId, context.body.task)));
        });

        routes.handle(PlanEndpoints.addPhase, (context) => {
            context.body.phase.tasks.forEach((task) => assertCanOwn(context.api, task.owner_id));
            return announced(context, applyEdit(context, context.body.expected_version, 'plan.phase.add', (content) =>
                addPhase(content, context.body.phase)));
        });

        routes.handle(PlanEndpoints.updatePhase, (context) =>
            toPlanResponse(applyEdit(context, context.body.expected_version, 'plan.phase.update', (content) =>
                updatePhase(content, context.params.phaseId, context.body.changes)).after),
        );

        routes.handle(PlanEndpoints.deletePhase, (context) =>
            toPlanResponse(applyEdit(context, context.body.expected_version, 'plan.phase.delete', (content) =>
                deletePhase(content, context.params.phaseId)).after),
        );

        routes.handle(PlanEndpoints.reorder, (context) =>
            toPlanResponse(applyEdit(context, context.body.expected_version, 'plan.reorder', (content) =>
                reorder(content, {phase_order: context.body.phase_order, task_order: context.body.task_order})).after),
        );

        // ---- owners (any active user who owns a task) ----
        routes.handle(PlanEndpoints.myTasks, ({kv, userId}) => readMyTasks(kv, userId));

        routes.handle(PlanEndpoints.myTaskUpdate, (context) => {
            applyOwnerEdit(context, context.body.expected_version, context.params.taskId, context.body.changes, usernames(context.api));
            return readMyTasks(context.kv, context.userId);
        }, requireTaskOwner);

        // Answered in the clicking owner's language.
        routes.handle(PlanEndpoints.taskAction, (context) => handleTaskAction(
            context,
            context.body,
            usernames(context.api),
            speakerForUser(context.api.users.get(context.userId), context.api.config.get()),
        ), requireClickingOwner);

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
                    return announced(context, {before: current,
                        after: writePlan(context, current, body.plan, {
                            action: 'plan.import',
                            target: 'plan',
                            before: planSummary(current.content, current.version),
                            after: {...planSummary(body.plan, current.version + 1), changes},
                        })});
                } catch (error) {
                    if (!(error instanceof ConflictError) || body.expected_version !== undefined || attempt >= importAttempts) {
                        throw error;
                    }
                }
            }
        });
    },
    executeCommand: tasksCommand,

    // Task edits waiting for their turn are saved together: one read and one write of the plan for all of them.
    turnRecords: {[taskEditMutex]: KvKeys.plan},
    hooks: {
        // An import or edit killed before its audit entry was stored gets it as soon as the plugin is
        // back, before it serves requests (GET /plan never writes).
        onActivate: (_, {api, kv, log}) => {
            try {
                repairPlanAudit({kv, log, userId: ''}, readPlan(kv), 0);
            } catch (error) {
                log.error('Could not repair the audit entry of the last plan change', {
                    error: error instanceof Error ? error.message : String(error),
                });
            }

            // jobs.schedule is cluster-wide: one node runs each interval; the day claims make it once a day.
            api.jobs.schedule(PLAN_DIGEST_JOB_ID, PLAN_DIGEST_INTERVAL_SECONDS);
        },
    },
    jobs: {[PLAN_DIGEST_JOB_ID]: (context) => {
        sendDigests(context, Date.now());
    }},
};
