import {evidenceKey, evidenceValidDays, type EvidenceItem} from 'contract/evidence';
import type {Task} from 'contract/plan';
import type {TaskChanges} from 'contract/plan_api';

import {ApiError} from '../errors/apiError';

// Who added and who accepted a task's evidence is the server's to say: a client sends the list it wants,
// and the server keeps the stamps of the items it already has and stamps new ones as added by the caller,
// unaccepted. So an owner cannot add evidence that reads as accepted; only the accept route accepts.

/** A task edit as a function of the task as it is when the edit is applied (a lost compare-and-set re-applies it). */
export type TaskUpdate = (task: Task) => Partial<Task>;

export interface Stamp {
    by: string;
    at: number;
}

/** The list the client sent, with the server's stamps: known items as stored, new ones added by `stamp.by` and unaccepted. */
export function stampedEvidence(current: readonly EvidenceItem[], sent: readonly EvidenceItem[], stamp: Stamp): EvidenceItem[] {
    const known = new Map(current.map((item) => [evidenceKey(item), item]));
    return sent.map((item) => known.get(evidenceKey(item)) ?? {
        url: item.url,
        load_test_run: item.load_test_run,
        dated: item.dated,
        added_by: stamp.by,
        added_at: stamp.at,
        accepted_by: null,
        accepted_at: null,
    });
}

/** A request's changes as a task update: evidence stamped against the task it lands on. */
export function updateFromChanges(changes: TaskChanges, stamp: Stamp): TaskUpdate {
    return (task) => {
        const {evidence, ...rest} = changes;
        return evidence === undefined ? rest : {...rest, evidence: stampedEvidence(task.evidence, evidence, stamp)};
    };
}

/**
 * A system admin accepts the task's evidence item `index`. Evidence that expires must say which day it is
 * from, or its validity could not be counted: 400 without a date. Accepting an accepted item changes nothing.
 */
export function acceptEvidence(index: number, stamp: Stamp): TaskUpdate {
    return (task) => {
        const item = task.evidence[index];
        if (!item) {
            throw ApiError.invalid(`body.index: task "${task.id}" has no evidence item ${index}; reload the plan.`);
        }
        if (item.accepted_by !== null) {
            return {};
        }
        if (item.dated === null && evidenceValidDays(task) !== null) {
            throw ApiError.invalid('body.index: this task\'s evidence expires, so it needs the date it is from before it is accepted.');
        }
        const acceptedItem = {...item, accepted_by: stamp.by, accepted_at: stamp.at};
        return {evidence: task.evidence.map((candidate, i) => (i === index ? acceptedItem : candidate))};
    };
}
