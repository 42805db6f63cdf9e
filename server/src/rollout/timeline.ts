import type {AuditEntry} from 'contract/plan_api';
import type {TimelineEntry, TimelineKind, TimelinePage} from 'contract/rollout';

import {auditTotal} from '../audit/audit';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';

// The plan's timeline is a view of the audit trail, not a second log: each audit entry of a plan,
// readiness, wave or status-update event maps to one or more timeline entries; every other entry
// (branding, templates, settings…) is left out.

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields => (value !== null && typeof value === 'object' ? value as Fields : {});
const text = (value: unknown): string => {
    if (value === null || value === undefined) {
        return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
};

function entry(audit: AuditEntry, kind: TimelineKind, from: unknown, to: unknown): TimelineEntry {
    return {id: `${audit.id}:${kind}`, at: audit.at, user_id: audit.user_id, kind, target: audit.target, from: text(from), to: text(to)};
}

/** An evidence item by its link (or load-test run); audit entries written before items had dates hold bare links. */
function evidenceName(item: unknown): string {
    if (typeof item === 'string') {
        return item;
    }
    const {url, load_test_run: run} = asFields(item);
    return typeof url === 'string' ? url : `load-test run #${text(run)}`;
}

/** A task edit: its state, owner and evidence changes (other fields are not timeline events). */
function taskEdit(audit: AuditEntry): TimelineEntry[] {
    const before = asFields(audit.before);
    const after = asFields(audit.after);
    const out: TimelineEntry[] = [];
    if ('state' in after) {
        out.push(entry(audit, 'task_state', before.state, after.state));
    }
    if ('owner_id' in after && after.owner_id) {
        out.push(entry(audit, 'task_assigned', before.owner_id, after.owner_id));
    }
    if ('evidence' in after && Array.isArray(after.evidence)) {
        const had = new Set((Array.isArray(before.evidence) ? before.evidence : []).map(evidenceName));
        const added = after.evidence.map(evidenceName).filter((name) => !had.has(name));
        if (added.length > 0) {
            out.push(entry(audit, 'evidence_added', '', added.join(' ')));
        }
    }
    return out;
}

const titleOf = (value: unknown) => asFields(asFields(value).task).title;

function score(value: unknown): unknown {
    return asFields(value).score;
}

/** The timeline entries one audit entry stands for (none for entries that are not timeline events). */
export function timelineEntries(audit: AuditEntry): TimelineEntry[] {
    switch (audit.action) {
    case 'plan.task.update':
    case 'plan.task.owner_update':
        return taskEdit(audit);
    case 'plan.task.add':
        return [entry(audit, 'task_added', '', titleOf(audit.after))];
    case 'plan.task.delete':
        return [entry(audit, 'task_removed', titleOf(audit.before), '')];
    case 'plan.import':
        return [entry(audit, 'plan_imported', '', asFields(audit.after).title)];
    case 'readiness.run':
    case 'readiness.change':
        // A re-run that found the same score changed nothing worth a line.
        if (score(audit.before) === score(audit.after)) {
            return [];
        }
        return [entry(audit, 'readiness_changed', score(audit.before), score(audit.after))];
    case 'waves.wave.start':
        return [entry(audit, 'wave_started', asFields(audit.before).state, asFields(audit.after).state)];
    case 'waves.wave.finish':
    case 'waves.wave.cancel':
        return [entry(audit, 'wave_finished', 'running', asFields(audit.after).state)];
    case 'rollout.update.post':
        return [entry(audit, 'status_posted', '', asFields(audit.after).channel_id)];
    default:
        return [];
    }
}

/** How many audit entries one page may read looking for timeline events: bounds a request's cost. */
export const TIMELINE_SCAN_LIMIT = 1000;

/**
 * Newest first, from audit entry `before - 1` down: up to `perPage` timeline entries, reading at most
 * TIMELINE_SCAN_LIMIT audit entries. `next_before` continues where this page stopped (null at the start
 * of the trail); a page may hold fewer entries than asked when the scan limit was reached first.
 */
export function readTimeline(kv: KvReader, before: number | null, perPage: number): TimelinePage {
    const start = Math.min(before === null ? Infinity : before - 1, auditTotal(kv));
    const entries: TimelineEntry[] = [];
    let seq = start;
    for (; seq >= 1 && seq > start - TIMELINE_SCAN_LIMIT && entries.length < perPage; seq--) {
        // A number reserved by a writer that then failed has no entry: skip the hole.
        const audit = kv.readVersioned(KvKeys.auditEntry(seq)).value;
        if (audit) {
            entries.push(...timelineEntries(audit as AuditEntry));
        }
    }
    return {entries, next_before: seq >= 1 ? seq + 1 : null};
}
