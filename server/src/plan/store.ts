import type {PlanContent} from 'contract/plan';
import {planProgress} from 'contract/plan';
import type {PlanResponse} from 'contract/plan_api';

import {recordAudit, type AuditContext} from '../audit/audit';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';

import {defaultPlanContent} from './defaultPlan';
import {validatedContent, type Edit} from './edits';

/** The plan as read: stored, or the default at version 0 when nobody has edited it yet. */
export interface CurrentPlan {
    content: PlanContent;
    version: number;
    updated_at: number;
    updated_by: string;
}

/** Never writes: an absent plan reads as the default at version 0; the first edit creates it. */
export function readPlan(kv: KvReader): CurrentPlan {
    const stored = kv.readVersioned(KvKeys.plan);
    if (stored.value === undefined) {
        return {content: defaultPlanContent(), version: 0, updated_at: 0, updated_by: ''};
    }
    return {...stored.value, version: stored.version};
}

export function toPlanResponse(plan: CurrentPlan): PlanResponse {
    return {
        plan: {...plan.content, version: plan.version, updated_at: plan.updated_at, updated_by: plan.updated_by},
        progress: planProgress(plan.content),
    };
}

function copyOf<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}

/** Refuses a write based on a version that is no longer current: 409, nothing changes. */
export function assertVersion(current: CurrentPlan, expectedVersion: number): void {
    if (current.version !== expectedVersion) {
        throw new ConflictError(KvKeys.plan.key, expectedVersion, current.version);
    }
}

/**
 * One plan edit: check the version the client saw, apply `edit` to a copy, validate the whole
 * result, write it with ONE compare-and-set on that version (a concurrent writer makes it a 409,
 * so no update is lost and nothing is half-written), then record the audit entry.
 */
export function applyEdit(
    context: AuditContext,
    expectedVersion: number,
    action: string,
    edit: (content: PlanContent) => Edit | null,
): PlanResponse {
    const current = readPlan(context.kv);
    assertVersion(current, expectedVersion);
    const result = edit(copyOf(current.content));
    if (result === null) {
        // Nothing would change: no write, no version bump, no audit entry.
        return toPlanResponse(current);
    }
    const content = validatedContent(result.content);
    const written = context.kv.writeVersioned(KvKeys.plan, {content, updated_at: Date.now(), updated_by: context.userId}, current.version);
    recordAudit(context, {action, target: result.target, before: result.before, after: result.after});
    return toPlanResponse({...written.value, version: written.version});
}
