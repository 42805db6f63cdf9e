import type {SaveSizing, SizingAnswer, SizingPlan} from 'contract/sizing';

import {recordAudit, type AuditContext} from '../audit/audit';
import type {Logger} from '../host/log';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';

// The plan's sizing: one versioned record, written by the sizing panel (PUT /api/v1/sizing) and read by
// the load-test verification. Earlier releases kept a target of their own in the load-test panel
// (`loadtest:target`); until moved, it is read as the sizing (without a chosen architecture), and the
// plugin's activation moves it once (migrateLegacyLoadTestTarget).

/** A stored `loadtest:target`, as a sizing. */
function fromLegacy(kv: KvReader): SizingAnswer | null {
    const legacy = kv.readVersioned(KvKeys.legacyLoadTestTarget).value;
    if (!legacy) {
        return null;
    }
    const sizing = {total_users: legacy.target.total_users, concurrent_users: legacy.target.concurrent_users, architecture_users: null};
    return {sizing, version: 0, updated_at: legacy.updated_at, updated_by: legacy.updated_by};
}

export function readSizing(kv: KvReader): SizingAnswer {
    const record = kv.readVersioned(KvKeys.sizingPlan);
    if (record.value) {
        const {sizing, updated_at: updatedAt, updated_by: updatedBy} = record.value;
        return {sizing, version: record.version, updated_at: updatedAt, updated_by: updatedBy};
    }
    return fromLegacy(kv) ?? {sizing: null, version: 0, updated_at: null, updated_by: null};
}

/** What the load test is measured against. */
export function readSizingPlan(kv: KvReader): SizingPlan | null {
    return readSizing(kv).sizing;
}

/** Saves the sizing if it is still at `expected_version` (else 409, nothing written), audited. */
export function saveSizing(context: AuditContext, body: SaveSizing, now = Date.now()): SizingAnswer {
    const {kv, userId} = context;
    const before = readSizing(kv);
    if (before.version !== body.expected_version) {
        throw new ConflictError(KvKeys.sizingPlan.key, body.expected_version, before.version);
    }
    kv.writeVersioned(KvKeys.sizingPlan, {sizing: body.sizing, updated_at: now, updated_by: userId}, body.expected_version);
    if (kv.readVersioned(KvKeys.legacyLoadTestTarget).value) {
        kv.delete(KvKeys.legacyLoadTestTarget);
    }
    recordAudit(context, {action: 'sizing.update', target: 'sizing:plan', before: before.sizing, after: body.sizing}, now);
    return readSizing(kv);
}

/**
 * Moves an earlier release's `loadtest:target` into the sizing record, once: only while no sizing is
 * saved (compare-and-set on version 0, so two nodes activating at once move it once), then deletes it.
 */
export function migrateLegacyLoadTestTarget(kv: KvStore, log: Logger, now = Date.now()): void {
    const legacy = fromLegacy(kv);
    if (!legacy?.sizing) {
        return;
    }
    if (!kv.readVersioned(KvKeys.sizingPlan).value) {
        try {
            const moved = {sizing: legacy.sizing, updated_at: legacy.updated_at ?? now, updated_by: legacy.updated_by ?? ''};
            kv.writeVersioned(KvKeys.sizingPlan, moved, 0);
            recordAudit({kv, log, userId: ''}, {action: 'sizing.migrate', target: 'sizing:plan', before: null, after: legacy.sizing}, now);
        } catch (error) {
            if (!(error instanceof ConflictError)) {
                throw error;
            }
        }
    }
    kv.delete(KvKeys.legacyLoadTestTarget);
    log.info('Moved the load-test target into the plan\'s sizing', {concurrent_users: legacy.sizing.concurrent_users});
}
