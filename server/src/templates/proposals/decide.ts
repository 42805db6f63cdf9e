import type {z} from 'zod';

import {ErrorIds} from 'contract/errors';
import type {ChannelStatus, DecideRequestSchema} from 'contract/templates';
import type {StoredItem, StoredProposal} from 'contract/templates_stored';

import {applyItem} from './applyItem';
import type {WriteContext} from './context';
import {notFound, readProposal, readTeamPart} from './read';

import {recordAudit} from '../../audit/audit';
import {ApiError} from '../../errors/apiError';
import {ConflictError} from '../../kv/conflictError';
import {KvKeys} from '../../kv/keys';
import type {KvStore} from '../../kv/store';
import {rollbackChannel} from '../apply';
import {transition, type ChannelEvent} from '../status';

// A team admin's decisions (approve, reject, per channel or all pending at once), retrying a failed
// apply and rolling an applied channel back. Approved channels are applied at once (applyItem.ts).

type DecideBody = z.infer<typeof DecideRequestSchema>;

/** Sets one item's fields by compare-and-set, retrying on concurrent writers (the change itself is already made). */
function updateItem(kv: KvStore, proposalId: string, teamId: string, channelId: string, change: Partial<StoredItem>): void {
    kv.updateWithRetry(KvKeys.proposalTeam(proposalId, teamId), (current) => {
        if (!current) {
            throw notFound(`No proposal ${proposalId} for this team.`);
        }
        return {...current, items: current.items.map((item) => (item.channel_id === channelId ? {...item, ...change} : item))};
    }, 10);
}

/** How a refused move reads in its 409: "it cannot be approved". */
function refusedMove(event: ChannelEvent): string {
    switch (event) {
    case 'approve':
        return 'approved';
    case 'reject':
        return 'rejected';
    case 'rollback':
        return 'rolled back';
    default:
        return 'retried';
    }
}

/** The audit action of a moved item: the decision for rejected and approved, else the status reached. */
function auditAction(status: StoredItem['status']): string {
    if (status === 'rejected') {
        return 'reject';
    }
    if (status === 'approved') {
        return 'approve';
    }
    return status;
}

/**
 * Moves the named channels of the team part by `event`, all or nothing, in one compare-and-set at
 * `expectedVersion` (null = the current version: the DM buttons carry none). 400 for a channel not in
 * the proposal, 409 for a status that does not allow the event.
 */
function moveItems(
    context: WriteContext,
    proposalId: string,
    teamId: string,
    expectedVersion: number | null,
    moves: Array<{channel_id: string; event: ChannelEvent; comment?: string}>,
    now: number,
): StoredItem[] {
    const {kv} = context;
    const {part, version} = readTeamPart(kv, proposalId, teamId);
    if (expectedVersion !== null && expectedVersion !== version) {
        throw new ConflictError(KvKeys.proposalTeam(proposalId, teamId).key, expectedVersion, version);
    }
    const byChannel = new Map(part.items.map((item) => [item.channel_id, item]));
    const seen = new Set<string>();
    const moved: StoredItem[] = [];
    for (const move of moves) {
        const item = byChannel.get(move.channel_id);
        if (!item) {
            throw ApiError.invalid(`Channel ${move.channel_id} is not part of this proposal for this team.`);
        }
        if (seen.has(move.channel_id)) {
            throw ApiError.invalid(`Channel ${move.channel_id} appears twice.`);
        }
        seen.add(move.channel_id);
        const next = transition(item.status, move.event);
        if (next === null) {
            throw new ApiError(
                409,
                ErrorIds.templateBadTransition,
                `Channel ${move.channel_id} is ${item.status}: it cannot be ${refusedMove(move.event)}.`,
            );
        }
        const decided = move.event === 'approve' || move.event === 'reject';

        // A retry after failed / needs_license starts a new attempt (the channel was restored or never
        // changed); a retry of an interrupted apply (approved) keeps its recorded `before`.
        const freshAttempt = move.event === 'retry' && item.status !== 'approved';
        const updated: StoredItem = {
            ...item,
            status: next,
            reason: '',
            ...(decided ? {comment: move.comment ?? '', decided_by: context.userId, decided_at: now} : {}),
            ...(freshAttempt ?
                {
                    before: null,
                    promoted: [],
                    applied_at: null,
                    audit_seq: null,
                    apply_started_at: null,
                    skipped_admin_user_ids: undefined,
                } :
                {}),
        };
        byChannel.set(move.channel_id, updated);
        moved.push(updated);
    }
    kv.writeVersioned(
        KvKeys.proposalTeam(proposalId, teamId),
        {...part, items: part.items.map((item) => byChannel.get(item.channel_id) ?? item)},
        version,
    );
    for (const item of moved) {
        recordAudit(context, {action: `templates.channel.${auditAction(item.status)}`,
            target: `channel:${item.channel_id}`,
            before: null,
            after: {proposal_id: proposalId, team_id: teamId, comment: item.comment}}, now);
    }
    return moved;
}

function applyApproved(context: WriteContext, proposal: StoredProposal, teamId: string, items: StoredItem[], now: number): void {
    for (const item of items.filter((candidate) => candidate.status === 'approved')) {
        applyItem(context, proposal, teamId, item.channel_id, now);
    }
}

export function decide(context: WriteContext, teamId: string, proposalId: string, body: DecideBody, now: number): void {
    const proposal = readProposal(context.kv, proposalId);
    const moved = moveItems(context, proposalId, teamId, body.expected_version,
        body.decisions.map((decision) => ({channel_id: decision.channel_id, event: decision.decision, comment: decision.comment})), now);
    applyApproved(context, proposal, teamId, moved, now);
}

/** The DM buttons: every pending channel of the team at once. Returns how many were decided. */
export function decideAllPending(
    context: WriteContext,
    teamId: string,
    proposalId: string,
    decision: 'approve' | 'reject',
    now: number,
): {decided: number; statuses: ChannelStatus[]} {
    const proposal = readProposal(context.kv, proposalId);
    const {part} = readTeamPart(context.kv, proposalId, teamId);
    const pending = part.items.filter((item) => item.status === 'pending');
    if (pending.length === 0) {
        return {decided: 0, statuses: []};
    }
    const moved = moveItems(
        context,
        proposalId,
        teamId,
        null,
        pending.map((item) => ({channel_id: item.channel_id, event: decision, comment: ''})),
        now,
    );
    applyApproved(context, proposal, teamId, moved, now);
    const after = readTeamPart(context.kv, proposalId, teamId).part.items;
    return {
        decided: moved.length,
        statuses: after.filter((item) => moved.some((m) => m.channel_id === item.channel_id)).map((item) => item.status),
    };
}

export function retry(
    context: WriteContext,
    teamId: string,
    proposalId: string,
    expectedVersion: number,
    channelIds: string[],
    now: number,
): void {
    const proposal = readProposal(context.kv, proposalId);
    const moved = moveItems(
        context,
        proposalId,
        teamId,
        expectedVersion,
        channelIds.map((id) => ({channel_id: id, event: 'retry' as const})),
        now,
    );
    applyApproved(context, proposal, teamId, moved, now);
}

export function rollback(
    context: WriteContext,
    teamId: string,
    proposalId: string,
    expectedVersion: number,
    channelIds: string[],
    now: number,
): void {
    const {kv} = context;
    const proposal = readProposal(kv, proposalId);
    const {part, version} = readTeamPart(kv, proposalId, teamId);
    if (expectedVersion !== version) {
        throw new ConflictError(KvKeys.proposalTeam(proposalId, teamId).key, expectedVersion, version);
    }

    // All checked first: a channel that is not applied refuses the whole request.
    const items = channelIds.map((channelId) => {
        const item = part.items.find((candidate) => candidate.channel_id === channelId);
        if (!item) {
            throw ApiError.invalid(`Channel ${channelId} is not part of this proposal for this team.`);
        }
        if (transition(item.status, 'rollback') === null) {
            throw new ApiError(
                409,
                ErrorIds.templateBadTransition,
                `Channel ${channelId} is ${item.status}: only applied channels can be rolled back.`,
            );
        }
        return item;
    });
    for (const item of items) {
        const result = rollbackChannel(context, proposal.definition, item, proposalId, now);
        updateItem(
            kv,
            proposalId,
            teamId,
            item.channel_id,
            result.ok ? {status: 'rolled_back', reason: ''} : {reason: `Rollback failed: ${result.reason}`},
        );
    }
}
