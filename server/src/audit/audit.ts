import type {AuditEntry, AuditPage} from 'contract/plan_api';

import type {HttpRequest} from '../host/abi';
import type {Logger} from '../host/log';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {AuditApi, ServerAuditRecord} from '../mattermost/api';

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
//
// Every new entry also goes to the server's own audit log (plugin API LogAuditRec), where auditors
// read the server's events and its compliance exports find them, with the session, address and user
// agent of the request that made the change. That record is sent once, when the entry is appended.

/**
 * What recordAudit needs. A route's WriteContext has all of it; a hook or job passes its own user id
 * (or '') and the api, but no request.
 */
export interface AuditContext {
    kv: KvStore;
    log: Logger;
    userId: string;

    /** The server's audit log; every entry appended is recorded there too. */
    api?: {audit: AuditApi};

    /** The request that makes the change: where it came from goes into the entry. */
    request?: Pick<HttpRequest, 'origin' | 'path' | 'headers'>;
}

/**
 * The context for an entry acted by `userId`: the request's origin is kept only when it is that user's
 * own request (a crash repair appends someone else's earlier change, which this request did not make).
 */
export function asActor(context: AuditContext, userId: string): AuditContext {
    if (userId === context.userId) {
        return context;
    }
    return {kv: context.kv, log: context.log, userId, api: context.api};
}

function originOf(context: AuditContext): Pick<AuditEntry, 'session_id' | 'ip_address' | 'user_agent'> {
    const origin = context.request?.origin;
    if (!origin) {
        return {};
    }
    return {session_id: origin.sessionId, ip_address: origin.ipAddress, user_agent: origin.userAgent};
}

/** A state as the server's record holds it: an object, or the value under `value`; absent when there is none. */
function stateOf(value: unknown): Record<string, unknown> | undefined {
    if (value === null || value === undefined) {
        return undefined;
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
        return value as Record<string, unknown>;
    }
    return {value};
}

/** The server's audit record for an entry: the event is the cockpit's action, the object type its capability. */
export function serverAuditRecordOf(entry: AuditEntry, request?: AuditContext['request']): ServerAuditRecord {
    return {
        event_name: entry.action,
        status: 'success',
        user_id: entry.user_id,
        session_id: entry.session_id ?? '',
        ip_address: entry.ip_address ?? '',
        x_forwarded_for: request?.headers['X-Forwarded-For'] ?? '',
        client: entry.user_agent ?? '',
        object_type: entry.action.split('.')[0],
        parameters: {target: entry.target, cockpit_audit_id: entry.id},
        prior_state: stateOf(entry.before),
        resulting_state: stateOf(entry.after),
        meta: request ? {api_path: request.path} : {},
    };
}

function sendToServerLog(context: AuditContext, entry: AuditEntry): void {
    if (!context.api) {
        return;
    }
    try {
        context.api.audit.logServer(serverAuditRecordOf(entry, context.request));
    } catch (error) {
        context.log.error('Could not send an audit entry to the server\'s audit log; it is in the cockpit\'s trail', {
            action: entry.action,
            id: entry.id,
            error: error instanceof Error ? error.message : String(error),
        });
    }
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
        return storeEntry(context, change, at, reserveNumbers(context.kv, 1));
    } catch (error) {
        logUnstored(context, change, at, error);
        return undefined;
    }
}

/**
 * Reserves `count` consecutive entry numbers with one write of the counter and returns the first. Many
 * writers may append at once: the retry re-reads the counter, so each gets its own numbers.
 */
function reserveNumbers(kv: KvStore, count: number): number {
    const head = kv.updateWithRetry(KvKeys.auditHead, (current) => ({count: (current?.count ?? 0) + count}), 10);
    return (head.value.count - count) + 1;
}

function entryOf(context: AuditContext, change: AuditChange, at: number, seq: number): AuditEntry {
    return {
        id: String(seq),
        at,
        user_id: context.userId,
        action: change.action,
        target: change.target,
        before: change.before ?? null,
        after: change.after ?? null,
        ...originOf(context),
    };
}

/** Stores the entry under its reserved number `seq` and sends it to the server's audit log. */
function storeEntry(context: AuditContext, change: AuditChange, at: number, seq: number): AuditEntry {
    const entry = entryOf(context, change, at, seq);

    // Written once and never overwritten: the number is ours alone.
    context.kv.create(KvKeys.auditEntry(seq), entry);
    sendToServerLog(context, entry);
    return entry;
}

function logUnstored(context: AuditContext, change: AuditChange, at: number, error: unknown): void {
    context.log.error('Could not store an audit entry; the change itself was saved', {
        action: change.action,
        target: change.target,
        user_id: context.userId,
        at,
        before: jsonForLog(change.before),
        after: jsonForLog(change.after),
        error: error instanceof Error ? error.message : String(error),
    });
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

/**
 * recordAuditOnce for several changes in order, reading the entries since the earliest `from` once (not
 * once per change: the changes of one turn share their `from`, and each append would lengthen the next
 * one's search). True when every change has its entry afterwards.
 */
export function recordAuditsOnce(items: ReadonlyArray<{context: AuditContext; change: AuditChange; at: number; from: number}>): boolean {
    if (items.length === 0) {
        return true;
    }
    const {kv} = items[0].context;
    const identity = (action: string, target: string, at: number, userId: string) => JSON.stringify([action, target, at, userId]);
    const stored = new Set(entriesBetween(kv, auditTotal(kv), Math.min(...items.map((item) => item.from)) + 1).
        map((entry) => identity(entry.action, entry.target, entry.at, entry.user_id)));
    const missing = items.filter(({context, change, at}) => !stored.has(identity(change.action, change.target, at, context.userId)));
    if (missing.length === 0) {
        return true;
    }
    let first: number;
    try {
        // One write of the counter for all of them (a turn's fifty edits: one, not fifty).
        first = reserveNumbers(kv, missing.length);
    } catch (error) {
        for (const {context, change, at} of missing) {
            logUnstored(context, change, at, error);
        }
        return false;
    }

    // Written once and never overwritten (the numbers are ours alone), all in one call to the host.
    const entries = missing.map(({context, change, at}, i) => entryOf(context, change, at, first + i));
    let failures: Array<Error | undefined>;
    try {
        failures = kv.createAll(entries.map((entry) => ({record: KvKeys.auditEntry(Number(entry.id)), value: entry})));
    } catch (error) {
        failures = entries.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    let complete = true;
    missing.forEach(({context, change, at}, i) => {
        const failure = failures[i];
        if (failure) {
            logUnstored(context, change, at, failure);
            complete = false;
        } else {
            sendToServerLog(context, entries[i]);
        }
    });
    return complete;
}
