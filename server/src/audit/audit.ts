import type {AuditEntry, AuditPage} from 'contract/plan_api';

import type {Logger} from '../host/log';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';

// The audit trail: who changed what in the cockpit, when, from what to what. Append-only: entry n
// is a write-once key (see kv/keys.ts); a counter record hands out n by compare-and-set.
//
// Trade-off: KV has no multi-key transactions, so a change and its audit entry cannot be written
// atomically. The entry is written right AFTER the change's compare-and-set succeeded, never before
// (an entry for a write that then lost its race would record something that never happened). If the
// audit write fails, the change stands and the entry goes, complete, to the plugin log at error level,
// from where it can be recovered; the request still succeeds. A crash between the two writes would
// lose the entry: the plan and branding writes therefore store the entry they owe with the change
// itself and append it on the plugin's next activation if it is missing (recordAuditOnce).

/** What recordAudit needs: a WriteContext has all three; a hook or job passes its own user id (or ''). */
export interface AuditContext {
    kv: KvStore;
    log: Logger;
    userId: string;
}

export interface AuditChange {
    /** e.g. `plan.task.update`, `plan.import`: `<capability>.<thing>.<verb>`. */
    action: string;

    /** What was changed, e.g. `task:planning.requirements`. */
    target: string;

    /** Only what changed (for an update, the changed fields); never secrets. */
    before: unknown;
    after: unknown;
}

/** The longest before/after text copied into the log when an entry cannot be stored. */
const maxLoggedJson = 8000;

function jsonForLog(value: unknown): string {
    const text = JSON.stringify(value ?? null);
    return text.length > maxLoggedJson ? `${text.slice(0, maxLoggedJson)}…(truncated)` : text;
}

/**
 * Appends one entry. Call it right after the change's write succeeded. Never throws: a failure is
 * logged (with the whole entry) and undefined is returned, because the change has already happened.
 */
export function recordAudit(context: AuditContext, change: AuditChange, at: number = Date.now()): AuditEntry | undefined {
    try {
        // Many writers may append at once: the retry re-reads the counter, so each gets its own number.
        const head = context.kv.updateWithRetry(KvKeys.auditHead, (current) => ({count: (current?.count ?? 0) + 1}), 10);
        const seq = head.value.count;
        const entry: AuditEntry = {
            id: String(seq),
            at,
            user_id: context.userId,
            action: change.action,
            target: change.target,
            before: change.before ?? null,
            after: change.after ?? null,
        };

        // Version 0 = create: the key is written once and never overwritten.
        context.kv.writeVersioned(KvKeys.auditEntry(seq), entry, 0);
        return entry;
    } catch (error) {
        context.log.error('Could not store an audit entry; the change itself was saved', {
            action: change.action,
            target: change.target,
            user_id: context.userId,
            at,
            before: jsonForLog(change.before),
            after: jsonForLog(change.after),
            error: error instanceof Error ? error.message : String(error),
        });
        return undefined;
    }
}

/** How many entries were ever appended (numbers 1…total). */
export function auditTotal(kv: KvReader): number {
    return kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
}

function entriesBetween(kv: KvReader, newest: number, oldest: number): AuditEntry[] {
    const entries: AuditEntry[] = [];
    for (let seq = newest; seq >= oldest; seq--) {
        // A number reserved by a writer that then failed has no entry: skip the hole.
        const entry = kv.readVersioned(KvKeys.auditEntry(seq)).value;
        if (entry) {
            entries.push(entry as AuditEntry);
        }
    }
    return entries;
}

/** Page `page` (0-based) of `perPage` entries, newest first. */
export function readAuditPage(kv: KvReader, page: number, perPage: number): AuditPage {
    const total = auditTotal(kv);
    const newest = total - (page * perPage);
    const oldest = Math.max(1, (newest - perPage) + 1);
    return {entries: newest < 1 ? [] : entriesBetween(kv, newest, oldest), total};
}

/** Every entry, newest first (export). One KV read per entry. */
export function allAuditEntries(kv: KvReader): AuditEntry[] {
    return entriesBetween(kv, auditTotal(kv), 1);
}

/**
 * Crash repair: appends the entry for a change unless one is already stored after entry `from` (the
 * audit total read before the change was written). The entry carries the change's own time, so
 * action + target + user + time identify it; only the entries since `from` are read.
 */
export function recordAuditOnce(context: AuditContext, change: AuditChange, at: number, from: number): AuditEntry | undefined {
    const total = auditTotal(context.kv);
    for (let seq = total; seq > from; seq--) {
        const entry = context.kv.readVersioned(KvKeys.auditEntry(seq)).value;
        if (
            entry &&
            entry.action === change.action &&
            entry.target === change.target &&
            entry.at === at &&
            entry.user_id === context.userId
        ) {
            return entry;
        }
    }
    return recordAudit(context, change, at);
}
