import {applyItem, writeReservedAudit} from './applyItem';
import type {WriteContext} from './context';

import {KvKeys} from '../../kv/keys';
import {auditView} from '../apply';

// Finishing what a crash left of a proposal's applies (the templates job runs it).

/** An approved item younger than this may still be applied by the request that approved it. */
export const recoveryGraceMs = 5_000;

/** Recovery starts no new channel after this long (the host's call limit is 30 s). */
const recoveryBudgetMs = 15_000;

/**
 * Finishes what a crash (a killed plugin process) left: approved items whose apply was interrupted are
 * applied again (idempotent), and an outcome whose reserved audit entry was never written gets it, at
 * its number. Items approved less than `graceMs` ago are left to the request still applying them.
 * Returns how many items it applied and how many audit entries it wrote.
 */
export function recoverInterrupted(
    context: WriteContext,
    now: number,
    graceMs: number = recoveryGraceMs,
    budgetMs: number = recoveryBudgetMs,
): {applied: number; audited: number} {
    const {kv} = context;
    let applied = 0;
    let audited = 0;

    // Each call of the host is time-limited (30 s): stop in time, the job's next round carries on.
    const started = Date.now();
    for (const proposalId of kv.readVersioned(KvKeys.proposalsIndex).value?.ids ?? []) {
        const proposal = kv.readVersioned(KvKeys.proposal(proposalId)).value;
        if (!proposal) {
            continue;
        }
        for (const teamId of proposal.team_ids) {
            const part = kv.readVersioned(KvKeys.proposalTeam(proposalId, teamId)).value;
            for (const item of part?.items ?? []) {
                if (Date.now() - started > budgetMs) {
                    return {applied, audited};
                }
                const startedAt = item.apply_started_at ?? item.decided_at ?? 0;
                if (item.status === 'approved' && now - startedAt >= graceMs) {
                    context.log.warn('Re-applying a role template interrupted mid-apply', {proposalId, teamId, channelId: item.channel_id});
                    applyItem(context, proposal, teamId, item.channel_id, now);
                    applied++;
                } else if (item.audit_seq && !kv.readVersioned(KvKeys.auditEntry(item.audit_seq)).value) {
                    const ok = item.status === 'applied' || item.status === 'rolled_back';
                    writeReservedAudit(context, item.audit_seq, {at: item.applied_at ?? now,
                        user_id: item.decided_by ?? '',
                        action: ok ? 'templates.channel.apply' : 'templates.channel.apply_failed',
                        target: `channel:${item.channel_id}`,
                        before: auditView(item.before),
                        after: {proposal_id: proposalId, recovered: true, ...(ok ? {} : {problems: [item.reason]})}});
                    audited++;
                }
            }
        }
    }
    return {applied, audited};
}
