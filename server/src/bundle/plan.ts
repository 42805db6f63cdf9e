import type {PlanContent} from 'contract/plan';

import {emptyPreview, hasChanges, sameJson, type BundlePartHandler} from './part';

import {isNotFound} from '../host/errors';
import {importPreview, planSummary} from '../plan/importPlan';
import {readPlan, writePlan} from '../plan/store';

// The plan part: the plan export's content, imported as the plan import does (the whole content in
// one compare-and-set on the version read), so a plan is either replaced entirely or not at all.

function ownersNotHere(api: Parameters<BundlePartHandler<'plan'>['plan']>[0]['api'], content: PlanContent): number {
    const owners = new Set(content.phases.flatMap((phase) => phase.tasks.flatMap((task) => (task.owner_id ? [task.owner_id] : []))));
    return [...owners].filter((userId) => {
        try {
            api.users.get(userId);
            return false;
        } catch (error) {
            if (isNotFound(error)) {
                return true;
            }
            throw error;
        }
    }).length;
}

export const planPart: BundlePartHandler<'plan'> = {
    export: ({kv}) => readPlan(kv).content,

    plan: ({api, kv}, next) => {
        const current = readPlan(kv);
        const diff = importPreview(current.content, next);
        const preview = {
            ...emptyPreview('plan'),
            added: [...diff.added_phases.map((id) => `phase ${id}`), ...diff.added_tasks],
            removed: [...diff.removed_phases.map((id) => `phase ${id}`), ...diff.removed_tasks],
            changed: diff.changed_tasks,
            unchanged: diff.task_count - diff.added_tasks.length - diff.changed_tasks.length,
        };
        if (!hasChanges(preview) && !sameJson(current.content, next)) {
            // The title or a phase's own fields: no task differs, the plan still does.
            preview.changed.push('plan');
        }
        const strangers = ownersNotHere(api, next);
        if (strangers > 0) {
            preview.notes.push(`${strangers} task owner(s) have no account on this server; their tasks keep the owner id.`);
        }
        return {
            preview,
            apply: (context) => {
                writePlan(context, current, next, {
                    action: 'bundle.plan.import',
                    target: 'plan',
                    before: planSummary(current.content, current.version),
                    after: {...planSummary(next, current.version + 1), changes: diff},
                });
                return undefined;
            },
        };
    },
};
