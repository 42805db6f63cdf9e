import type {AuditEntry} from 'contract/plan_api';
import type {ChannelStatus} from 'contract/templates';
import type {StoredItem, StoredProposal} from 'contract/templates_stored';

import type {WriteContext} from './context';
import {notFound} from './read';

import {ConflictError} from '../../kv/conflictError';
import {KvKeys} from '../../kv/keys';
import type {KvReader, KvStore} from '../../kv/store';
import {applyWithBefore, prepareApply, type ApplyOutcome, type ApplyResult} from '../apply';

// Applying one approved channel of a proposal, crash-safe and audited exactly once; used right after
// a decision and again by the recovery after a crash.

function findItem(kv: KvReader, proposalId: string, teamId: string, channelId: string): StoredItem | undefined {
    return kv.readVersioned(KvKeys.proposalTeam(proposalId, teamId)).value?.items.find((item) => item.channel_id === channelId);
}

/**
 * Changes one item by compare-and-set only while `when` holds for its current value; returns whether
 * this call made the change (false: another writer moved the item first, e.g. a racing recovery).
 */
function updateItemIf(
    kv: KvStore,
    proposalId: string,
    teamId: string,
    channelId: string,
    when: (item: StoredItem) => boolean,
    change: Partial<StoredItem>,
): boolean {
    let changed = false;
    kv.updateWithRetry(KvKeys.proposalTeam(proposalId, teamId), (current) => {
        if (!current) {
            throw notFound(`No proposal ${proposalId} for this team.`);
        }
        changed = false;
        return {...current,
            items: current.items.map((item) => {
                if (item.channel_id !== channelId || !when(item)) {
                    return item;
                }
                changed = true;
                return {...item, ...change};
            })};
    }, 10);
    return changed;
}

/**
 * Writes the audit entry of an apply's outcome at the number reserved for it on the item. Version 0 =
 * create: if the entry is already there (the first writer got it in), nothing is written: never twice.
 */
export function writeReservedAudit(context: WriteContext, seq: number, entry: Omit<AuditEntry, 'id'>): void {
    try {
        context.kv.writeVersioned(KvKeys.auditEntry(seq), {id: String(seq), ...entry}, 0);
    } catch (error) {
        if (error instanceof ConflictError) {
            return;
        }
        context.log.error('Could not store an audit entry; the change itself was saved', {
            action: entry.action,
            target: entry.target,
            seq,
            error: String(error),
        });
    }
}

/**
 * Records the final outcome of an approved item and its audit entry, exactly once: an audit number is
 * reserved first (a number never used is a hole the audit reader skips), then status + number go in
 * one compare-and-set (only while the item is still approved), then the entry at that number.
 */
function finishItem(
    context: WriteContext,
    proposalId: string,
    teamId: string,
    channelId: string,
    outcome: ApplyOutcome,
    audit: ApplyResult['audit'],
    now: number,
): void {
    const {kv} = context;
    const seq =
        audit === null ? null : kv.updateWithRetry(KvKeys.auditHead, (current) => ({count: (current?.count ?? 0) + 1}), 10).value.count;
    const finished = updateItemIf(kv, proposalId, teamId, channelId, (item) => item.status === 'approved', {
        ...outcome,
        audit_seq: seq,
    });
    if (finished && audit !== null && seq !== null) {
        writeReservedAudit(context, seq, {
            at: now,
            user_id: context.userId,
            action: audit.action,
            target: `channel:${channelId}`,
            before: audit.before,
            after: audit.after,
        });
    }
}

/**
 * Applies one approved channel, crash-safe. (1) The channel's settings are recorded on the item by
 * compare-and-set BEFORE anything changes; (2) the template is applied against those (idempotent,
 * read back); (3) the outcome and its audit entry are recorded once (finishItem). A crash anywhere
 * leaves the item approved, with or without `before`: running this again (retry, recovery) converges
 * to applied-with-audit or failed-with-reason. Returns the item's status afterwards.
 */
export function applyItem(
    context: WriteContext,
    proposal: StoredProposal,
    teamId: string,
    channelId: string,
    now: number,
): ChannelStatus | null {
    const {kv} = context;
    let item = findItem(kv, proposal.id, teamId, channelId);
    if (item?.status === 'approved' && item.before === null) {
        const prepared = prepareApply(context, proposal.definition, channelId);
        if (!prepared.ok) {
            // Nothing was changed: the outcome needs no audit entry (as a refused request).
            finishItem(context, proposal.id, teamId, channelId, prepared.outcome, null, now);
            return findItem(kv, proposal.id, teamId, channelId)?.status ?? null;
        }

        // Loses quietly to another applier that recorded its `before` first: that one is used below.
        updateItemIf(kv, proposal.id, teamId, channelId, (current) => current.status === 'approved' && current.before === null,
            {before: prepared.before, promoted: [], apply_started_at: now});
        item = findItem(kv, proposal.id, teamId, channelId);
    }
    if (item?.status !== 'approved' || item.before === null) {
        return item?.status ?? null;
    }
    const result = applyWithBefore(context, proposal.definition, channelId, item.before, proposal.id, now);
    finishItem(context, proposal.id, teamId, channelId, result.outcome, result.audit, now);
    return findItem(kv, proposal.id, teamId, channelId)?.status ?? null;
}
