import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {ErrorIds} from 'contract/errors';
import type {
    ProposalDetail,
    ProposalSummary,
    ReviewItem,
    TeamInbox,
    TeamReview,
    TemplateDefinition,
} from 'contract/templates';
import type {StoredItem, StoredProposal, StoredTeamPart} from 'contract/templates_stored';

import {ApiError} from '../../errors/apiError';
import {isHostError} from '../../host/errors';
import {KvKeys} from '../../kv/keys';
import type {KvReader} from '../../kv/store';
import type {ReadOnlyMattermostApi} from '../../mattermost/readOnly';
import {adminsFor, readSettings, type TeamMemberCache} from '../apply';
import {diffSettings, proposedSettings} from '../settings';
import {addCounts, countStatuses} from '../status';

// Reading proposals: the records (404 when absent), the system admin's list and detail, a team's
// review and inbox. Nothing here writes.

type ReadApi = Pick<ReadOnlyMattermostApi, 'channels' | 'system' | 'rest' | 'groups' | 'teams' | 'config'>;

export function notFound(message: string): ApiError {
    return new ApiError(404, ErrorIds.templateNotFound, message);
}

export function readProposal(kv: KvReader, proposalId: string): StoredProposal {
    const proposal = kv.readVersioned(KvKeys.proposal(proposalId)).value;
    if (!proposal) {
        throw notFound(`No proposal ${proposalId}.`);
    }
    return proposal;
}

/** The team's part of the proposal; 404 when the proposal does not include the team (same answer as a missing proposal). */
export function readTeamPart(kv: KvReader, proposalId: string, teamId: string): {part: StoredTeamPart; version: number} {
    const record = kv.readVersioned(KvKeys.proposalTeam(proposalId, teamId));
    if (!record.value) {
        throw notFound(`No proposal ${proposalId} for this team.`);
    }
    return {part: record.value, version: record.version};
}

function summaryOf(proposal: StoredProposal, parts: StoredTeamPart[]): ProposalSummary {
    return {
        id: proposal.id,
        template_id: proposal.template_id,
        template_version: proposal.template_version,
        template_name: proposal.definition.name,
        note: proposal.note,
        created_at: proposal.created_at,
        created_by: proposal.created_by,
        team_ids: proposal.team_ids,
        counts: parts.reduce((sum, part) => addCounts(sum, countStatuses(part.items.map((item) => item.status))), countStatuses([])),
    };
}

function partsOf(kv: KvReader, proposal: StoredProposal): StoredTeamPart[] {
    return proposal.team_ids.flatMap((teamId) => {
        const part = kv.readVersioned(KvKeys.proposalTeam(proposal.id, teamId)).value;
        return part ? [part] : [];
    });
}

export function listProposals(kv: KvReader): ProposalSummary[] {
    const ids = kv.readVersioned(KvKeys.proposalsIndex).value?.ids ?? [];
    return ids.slice().reverse().flatMap((id) => {
        const proposal = kv.readVersioned(KvKeys.proposal(id)).value;
        return proposal ? [summaryOf(proposal, partsOf(kv, proposal))] : [];
    });
}

function reviewItem(
    api: ReadApi,
    kv: KvReader,
    definition: TemplateDefinition,
    item: StoredItem,
    teamMembers: TeamMemberCache,
): ReviewItem {
    let channel: Channel | null = null;
    try {
        channel = api.channels.get(item.channel_id);
    } catch (error) {
        if (!(isHostError(error) && error.status_code === 404)) {
            throw error;
        }
    }
    const current = channel ?
        readSettings(api, kv, item.channel_id) :
        {moderation: null, moderation_unavailable: 'error' as const, channel_admin_user_ids: [], header: '', purpose: ''};
    const {admins, skipped} = channel ? adminsFor(api, definition, item.channel_id, teamMembers) : {admins: [], skipped: []};
    return {
        channel_id: item.channel_id,
        channel_name: channel?.name ?? '',
        channel_display_name: channel?.display_name ?? '(deleted channel)',
        status: item.status,
        reason: item.reason,
        comment: item.comment,
        decided_by: item.decided_by,
        decided_at: item.decided_at,
        applied_at: item.applied_at,
        current,
        proposed: proposedSettings(current, definition, admins),
        diff: diffSettings(current, definition, admins),
        before: item.before,

        // What the apply skipped; before it, whom it would skip now.
        skipped_admin_user_ids: item.skipped_admin_user_ids ?? skipped,
    };
}

/** The team, or 404 as an ApiError (a deleted team, an id from an old link). */
function teamOr404(api: Pick<ReadOnlyMattermostApi, 'teams'>, teamId: string): Team {
    try {
        return api.teams.get(teamId);
    } catch (error) {
        if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
            throw notFound(`No team ${teamId}.`);
        }
        throw error;
    }
}

export function teamReview(api: ReadApi, kv: KvReader, proposal: StoredProposal, teamId: string): TeamReview {
    const {part, version} = readTeamPart(kv, proposal.id, teamId);
    const team = teamOr404(api, teamId);

    // One lookup per person for all the team's channels (a group of 500 on 200 channels).
    const teamMembers: TeamMemberCache = new Map();
    return {
        proposal_id: proposal.id,
        team_id: teamId,
        team_name: team.name,
        team_display_name: team.display_name,
        version,
        name_pattern: part.name_pattern,
        new_channels: part.new_channels,
        items: part.items.map((item) => reviewItem(api, kv, proposal.definition, item, teamMembers)),
        counts: countStatuses(part.items.map((item) => item.status)),
    };
}

export function proposalDetail(api: ReadApi, kv: KvReader, proposalId: string): ProposalDetail {
    const proposal = readProposal(kv, proposalId);
    return {
        summary: summaryOf(proposal, partsOf(kv, proposal)),
        definition: proposal.definition,
        teams: proposal.team_ids.map((teamId) => teamReview(api, kv, proposal, teamId)),
    };
}

export function teamInbox(api: Pick<ReadOnlyMattermostApi, 'teams'>, kv: KvReader, teamId: string): TeamInbox {
    const team = teamOr404(api, teamId);
    const ids = kv.readVersioned(KvKeys.proposalsIndex).value?.ids ?? [];
    const proposals = ids.slice().reverse().flatMap((id) => {
        const proposal = kv.readVersioned(KvKeys.proposal(id)).value;
        const part = proposal?.team_ids.includes(teamId) ? kv.readVersioned(KvKeys.proposalTeam(id, teamId)).value : undefined;
        if (!proposal || !part) {
            return [];
        }

        // The summary's counts and team list stay within this team: a team admin sees nothing of other teams.
        const counts = countStatuses(part.items.map((item) => item.status));
        return [{summary: {...summaryOf(proposal, [part]), team_ids: [teamId]}, definition: proposal.definition, counts}];
    });
    return {team_id: teamId, team_name: team.name, proposals};
}

/** Pending channels per team for the teams where `userId` is team admin. */
export function myReviewTeams(api: Pick<ReadOnlyMattermostApi, 'teams' | 'permissions'>, kv: KvReader, userId: string) {
    const teams = api.teams.listForUser(userId).filter((team) => api.permissions.hasTeamPermission(userId, team.id, 'manage_team'));
    const ids = kv.readVersioned(KvKeys.proposalsIndex).value?.ids ?? [];
    return {
        teams: teams.map((team) => {
            let pending = 0;
            for (const id of ids) {
                const part = kv.readVersioned(KvKeys.proposalTeam(id, team.id)).value;
                pending += part?.items.filter((item) => item.status === 'pending').length ?? 0;
            }
            return {team_id: team.id, team_name: team.name, team_display_name: team.display_name, pending};
        }).filter((team) => team.pending > 0 || ids.some((id) => kv.readVersioned(KvKeys.proposalTeam(id, team.team_id)).value)),
    };
}
