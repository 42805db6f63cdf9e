import type {z} from 'zod';

import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import type {AuditEntry} from 'contract/plan_api';
import {TemplateRoutes} from 'contract/routes';
import {
    ReviewPanel,
    type ChannelStatus,
    type CreateProposalRequestSchema,
    type DecideRequestSchema,
    type ProposalDetail,
    type ProposalSummary,
    type ReviewItem,
    type TeamInbox,
    type TeamReview,
    type TemplateDefinition,
} from 'contract/templates';

import {adminsFor, applyWithBefore, auditView, prepareApply, readSettings, rollbackChannel, type ApplyContext, type ApplyOutcome, type ApplyResult, type TeamMemberCache} from './apply';
import {newId, readTemplate} from './catalog';
import type {StoredItem, StoredProposal, StoredTeamPart} from './records';
import {diffSettings, nameMatches, proposedSettings} from './settings';
import {addCounts, countStatuses, transition, type ChannelEvent} from './status';

import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import type {Logger} from '../host/log';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {escapeMarkdown} from '../welcome/template';

// Proposals: a system admin proposes a template for channels of one or more teams; each team's admins
// decide per channel; approved channels are applied at once (apply.ts). One KV record per team part,
// so teams never contend and a team admin's request only ever touches their own team's record.

type ReadApi = Pick<ReadOnlyMattermostApi, 'channels' | 'system' | 'rest' | 'groups' | 'teams' | 'config'>;
type CreateProposalBody = z.infer<typeof CreateProposalRequestSchema>;
type DecideBody = z.infer<typeof DecideRequestSchema>;

const channelsPerPage = 200;

/** Public channels scanned for a name pattern, per team. */
const maxPatternPages = 25;

export interface WriteContext extends ApplyContext {
    log: Logger;
}

function notFound(message: string): ApiError {
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

// ---- creating ----

function resolveChannels(api: Pick<MattermostApi, 'channels'>, team: Team, target: CreateProposalBody['teams'][number]): string[] {
    const ids = new Set<string>();
    for (const channelId of target.channel_ids) {
        let channel: Channel;
        try {
            channel = api.channels.get(channelId);
        } catch (error) {
            if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
                throw ApiError.invalid(`No channel ${channelId}.`);
            }
            throw error;
        }
        if (channel.team_id !== team.id || (channel.type !== 'O' && channel.type !== 'P') || channel.delete_at !== 0) {
            throw ApiError.invalid(`Channel ${channelId} is not an open or private channel of team ${team.name}.`);
        }
        ids.add(channel.id);
    }
    if (target.name_pattern !== '') {
        // Public channels only: the plugin API lists no team's private channels (GetPublicChannelsForTeam;
        // SearchChannels joins PublicChannels too), so a pattern never covers them; pick those by id. The
        // proposal form's preview (webapp/src/templates/propose_form.tsx matchedChannels) matches the same way.
        for (let page = 0; page < maxPatternPages; page++) {
            const channels = api.channels.listPublic(team.id, page, channelsPerPage);
            channels.filter((channel) => channel.delete_at === 0 && nameMatches(target.name_pattern, channel.name)).forEach((channel) => ids.add(channel.id));
            if (channels.length < channelsPerPage) {
                break;
            }
        }
    }
    return [...ids];
}

function newItem(channelId: string): StoredItem {
    return {channel_id: channelId, status: 'pending', reason: '', comment: '', decided_by: null, decided_at: null, applied_at: null, before: null, promoted: []};
}

/** The active people who administer the team (scheme admins; bots left out). */
export function teamAdminIds(api: Pick<MattermostApi, 'teams' | 'users'>, teamId: string): string[] {
    const ids: string[] = [];
    for (let page = 0; page < 50; page++) {
        const members = api.teams.members(teamId, page, channelsPerPage);
        members.filter((member) => member.scheme_admin && member.delete_at === 0).forEach((member) => ids.push(member.user_id));
        if (members.length < channelsPerPage) {
            break;
        }
    }
    return ids.filter((id) => {
        try {
            const user = api.users.get(id);
            return !user.is_bot && user.delete_at === 0;
        } catch {
            return false;
        }
    });
}

function siteUrl(api: Pick<ReadOnlyMattermostApi, 'config'>): string {
    const url = api.config.get()?.ServiceSettings?.SiteURL;
    return typeof url === 'string' ? url.replace(/\/+$/, '') : '';
}

export function reviewLink(api: Pick<ReadOnlyMattermostApi, 'config'>, teamName: string, proposalId?: string): string {
    return `${siteUrl(api)}${ReviewPanel.path(teamName, proposalId)}`;
}

/** The DM buttons: relative plugin URLs, which the server calls in-process (see templates.ts, action route). */
function reviewButtons(proposalId: string, teamId: string) {
    const url = `/plugins/${manifest.id}${TemplateRoutes.action}`;
    const button = (id: string, name: string, style: string, action: string) =>
        ({id, name, type: 'button', style, integration: {url, context: {proposal_id: proposalId, team_id: teamId, action}}});
    return [
        button('approveall', 'Approve all', 'primary', 'approve_all'),
        button('rejectall', 'Reject all', 'danger', 'reject_all'),
        button('review', 'Review', 'default', 'review'),
    ];
}

function proposalMessage(proposal: StoredProposal, team: Team, channelCount: number, newChannels: boolean, link: string): string {
    const lines = [
        `**Role template proposed for ${escapeMarkdown(team.display_name || team.name)}:** ${escapeMarkdown(proposal.definition.name)}`,
        proposal.definition.description ? `> ${escapeMarkdown(proposal.definition.description)}` : '',
        proposal.note ? `Note from the system admin: ${escapeMarkdown(proposal.note)}` : '',
        `Channels: ${channelCount}${newChannels ? ', and channels created in this team from now on' : ''}.`,
        `Review each channel's current and proposed settings, then approve or reject: [open the review panel](${link}).`,
    ];
    return lines.filter(Boolean).join('\n');
}

function notifyTeamAdmins(
    context: Pick<WriteContext, 'api' | 'kv' | 'log'>,
    proposal: StoredProposal,
    team: Team,
    message: (link: string) => string,
): number {
    const {api, kv, log} = context;
    let sent = 0;
    const bot = botUserId(kv);
    const link = reviewLink(api, team.name, proposal.id);
    for (const adminId of teamAdminIds(api, team.id)) {
        try {
            const dm = api.channels.getDirect(bot, adminId);
            api.posts.create({
                channel_id: dm.id,
                user_id: bot,
                message: message(link),
                props: {
                    from_bot: 'true',
                    cockpit_template_proposal: `${proposal.id}:${team.id}`,
                    attachments: [{fallback: 'Role template proposal', actions: reviewButtons(proposal.id, team.id)}],
                },
            } as Partial<Post>);
            sent++;
        } catch (error) {
            // One unreachable admin must not stop the proposal; the review panel and the slash command still work.
            log.warn('Could not DM a team admin about a role template proposal', {proposalId: proposal.id, teamId: team.id, adminId, error: String(error)});
        }
    }
    return sent;
}

export function createProposal(context: WriteContext, body: CreateProposalBody, now: number): ProposalDetail {
    const {api, kv} = context;
    const template = readTemplate(kv, body.template_id);
    if (template.version !== body.template_version) {
        throw new ConflictError(KvKeys.template(body.template_id).key, body.template_version, template.version);
    }
    const teamIds = body.teams.map((target) => target.team_id);
    if (new Set(teamIds).size !== teamIds.length) {
        throw ApiError.invalid('Each team may appear once.');
    }

    // Everything is resolved and checked before the first write: a bad team or channel changes nothing.
    const resolved = body.teams.map((target) => {
        let team: Team;
        try {
            team = api.teams.get(target.team_id);
        } catch (error) {
            if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
                throw ApiError.invalid(`No team ${target.team_id}.`);
            }
            throw error;
        }
        const channelIds = resolveChannels(api, team, target);
        if (channelIds.length === 0 && !target.new_channels) {
            throw ApiError.invalid(`No channel of team ${team.name} matches "${target.name_pattern}".`);
        }
        return {team, target, channelIds};
    });

    const id = newId(now);
    const proposal: StoredProposal = {id,
        template_id: template.id,
        template_version: template.version,
        definition: template.definition,
        note: body.note,
        created_at: now,
        created_by: context.userId,
        team_ids: teamIds};
    for (const {team, target, channelIds} of resolved) {
        kv.writeVersioned(KvKeys.proposalTeam(id, team.id), {proposal_id: id,
            team_id: team.id,
            name_pattern: target.name_pattern,
            new_channels: target.new_channels,
            items: channelIds.map(newItem)}, 0);
        if (target.new_channels) {
            kv.updateWithRetry(KvKeys.newChannelProposals(team.id), (current) => ({proposal_ids: [...(current?.proposal_ids ?? []), id]}), 10);
        }
    }

    // The proposal record last: until it exists, nothing lists or serves the team parts.
    kv.writeVersioned(KvKeys.proposal(id), proposal, 0);
    kv.updateWithRetry(KvKeys.proposalsIndex, (current) => ({ids: [...(current?.ids ?? []), id]}), 10);
    recordAudit(context, {action: 'templates.proposal.create',
        target: `proposal:${id}`,
        before: null,
        after: {template_id: template.id,
            template_version: template.version,
            teams: resolved.map(({team, channelIds, target}) =>
                ({team_id: team.id, channels: channelIds.length, name_pattern: target.name_pattern, new_channels: target.new_channels}))}}, now);
    for (const {team, target, channelIds} of resolved) {
        notifyTeamAdmins(context, proposal, team, (link) => proposalMessage(proposal, team, channelIds.length, target.new_channels, link));
    }
    return proposalDetail(api, kv, id);
}

// ---- reading ----

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

function reviewItem(api: ReadApi, kv: KvReader, definition: TemplateDefinition, item: StoredItem, teamMembers: TeamMemberCache): ReviewItem {
    let channel: Channel | null = null;
    try {
        channel = api.channels.get(item.channel_id);
    } catch (error) {
        if (!(isHostError(error) && error.status_code === 404)) {
            throw error;
        }
    }
    const current = channel ? readSettings(api, kv, item.channel_id) : {moderation: null, moderation_unavailable: 'error' as const, channel_admin_user_ids: [], header: '', purpose: ''};
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

// ---- deciding, applying, rolling back ----

/** Sets one item's fields by compare-and-set, retrying on concurrent writers (the change itself is already made). */
function updateItem(kv: KvStore, proposalId: string, teamId: string, channelId: string, change: Partial<StoredItem>): void {
    kv.updateWithRetry(KvKeys.proposalTeam(proposalId, teamId), (current) => {
        if (!current) {
            throw notFound(`No proposal ${proposalId} for this team.`);
        }
        return {...current, items: current.items.map((item) => (item.channel_id === channelId ? {...item, ...change} : item))};
    }, 10);
}

/**
 * Moves the named channels of the team part by `event`, all or nothing, in one compare-and-set at
 * `expectedVersion` (null = the current version: the DM buttons carry none). 400 for a channel not in
 * the proposal, 409 for a status that does not allow the event.
 */
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
            throw new ApiError(409, ErrorIds.templateBadTransition, `Channel ${move.channel_id} is ${item.status}: it cannot be ${refusedMove(move.event)}.`);
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
            ...(freshAttempt ? {before: null, promoted: [], applied_at: null, audit_seq: null, apply_started_at: null, skipped_admin_user_ids: undefined} : {}),
        };
        byChannel.set(move.channel_id, updated);
        moved.push(updated);
    }
    kv.writeVersioned(KvKeys.proposalTeam(proposalId, teamId), {...part, items: part.items.map((item) => byChannel.get(item.channel_id)!)}, version);
    for (const item of moved) {
        recordAudit(context, {action: `templates.channel.${auditAction(item.status)}`,
            target: `channel:${item.channel_id}`,
            before: null,
            after: {proposal_id: proposalId, team_id: teamId, comment: item.comment}}, now);
    }
    return moved;
}

function findItem(kv: KvReader, proposalId: string, teamId: string, channelId: string): StoredItem | undefined {
    return kv.readVersioned(KvKeys.proposalTeam(proposalId, teamId)).value?.items.find((item) => item.channel_id === channelId);
}

/**
 * Changes one item by compare-and-set only while `when` holds for its current value; returns whether
 * this call made the change (false: another writer moved the item first, e.g. a racing recovery).
 */
function updateItemIf(kv: KvStore, proposalId: string, teamId: string, channelId: string, when: (item: StoredItem) => boolean, change: Partial<StoredItem>): boolean {
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
function writeReservedAudit(context: WriteContext, seq: number, entry: Omit<AuditEntry, 'id'>): void {
    try {
        context.kv.writeVersioned(KvKeys.auditEntry(seq), {id: String(seq), ...entry}, 0);
    } catch (error) {
        if (error instanceof ConflictError) {
            return;
        }
        context.log.error('Could not store an audit entry; the change itself was saved', {action: entry.action, target: entry.target, seq, error: String(error)});
    }
}

/**
 * Records the final outcome of an approved item and its audit entry, exactly once: an audit number is
 * reserved first (a number never used is a hole the audit reader skips), then status + number go in
 * one compare-and-set (only while the item is still approved), then the entry at that number.
 */
function finishItem(context: WriteContext, proposalId: string, teamId: string, channelId: string, outcome: ApplyOutcome, audit: ApplyResult['audit'], now: number): void {
    const {kv} = context;
    const seq = audit === null ? null : kv.updateWithRetry(KvKeys.auditHead, (current) => ({count: (current?.count ?? 0) + 1}), 10).value.count;
    const finished = updateItemIf(kv, proposalId, teamId, channelId, (item) => item.status === 'approved', {...outcome, audit_seq: seq});
    if (finished && audit !== null && seq !== null) {
        writeReservedAudit(context, seq, {at: now, user_id: context.userId, action: audit.action, target: `channel:${channelId}`, before: audit.before, after: audit.after});
    }
}

/**
 * Applies one approved channel, crash-safe. (1) The channel's settings are recorded on the item by
 * compare-and-set BEFORE anything changes; (2) the template is applied against those (idempotent,
 * read back); (3) the outcome and its audit entry are recorded once (finishItem). A crash anywhere
 * leaves the item approved, with or without `before`: running this again (retry, recovery) converges
 * to applied-with-audit or failed-with-reason. Returns the item's status afterwards.
 */
export function applyItem(context: WriteContext, proposal: StoredProposal, teamId: string, channelId: string, now: number): ChannelStatus | null {
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

function applyApproved(context: WriteContext, proposal: StoredProposal, teamId: string, items: StoredItem[], now: number): void {
    for (const item of items.filter((candidate) => candidate.status === 'approved')) {
        applyItem(context, proposal, teamId, item.channel_id, now);
    }
}

// ---- recovery after a crash ----

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
export function recoverInterrupted(context: WriteContext, now: number, graceMs: number = recoveryGraceMs, budgetMs: number = recoveryBudgetMs): {applied: number; audited: number} {
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

export function decide(context: WriteContext, teamId: string, proposalId: string, body: DecideBody, now: number): void {
    const proposal = readProposal(context.kv, proposalId);
    const moved = moveItems(context, proposalId, teamId, body.expected_version,
        body.decisions.map((decision) => ({channel_id: decision.channel_id, event: decision.decision, comment: decision.comment})), now);
    applyApproved(context, proposal, teamId, moved, now);
}

/** The DM buttons: every pending channel of the team at once. Returns how many were decided. */
export function decideAllPending(context: WriteContext, teamId: string, proposalId: string, decision: 'approve' | 'reject', now: number): {decided: number; statuses: ChannelStatus[]} {
    const proposal = readProposal(context.kv, proposalId);
    const {part} = readTeamPart(context.kv, proposalId, teamId);
    const pending = part.items.filter((item) => item.status === 'pending');
    if (pending.length === 0) {
        return {decided: 0, statuses: []};
    }
    const moved = moveItems(context, proposalId, teamId, null, pending.map((item) => ({channel_id: item.channel_id, event: decision, comment: ''})), now);
    applyApproved(context, proposal, teamId, moved, now);
    const after = readTeamPart(context.kv, proposalId, teamId).part.items;
    return {decided: moved.length, statuses: after.filter((item) => moved.some((m) => m.channel_id === item.channel_id)).map((item) => item.status)};
}

export function retry(context: WriteContext, teamId: string, proposalId: string, expectedVersion: number, channelIds: string[], now: number): void {
    const proposal = readProposal(context.kv, proposalId);
    const moved = moveItems(context, proposalId, teamId, expectedVersion, channelIds.map((id) => ({channel_id: id, event: 'retry' as const})), now);
    applyApproved(context, proposal, teamId, moved, now);
}

export function rollback(context: WriteContext, teamId: string, proposalId: string, expectedVersion: number, channelIds: string[], now: number): void {
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
            throw new ApiError(409, ErrorIds.templateBadTransition, `Channel ${channelId} is ${item.status}: only applied channels can be rolled back.`);
        }
        return item;
    });
    for (const item of items) {
        const result = rollbackChannel(context, proposal.definition, item, proposalId, now);
        updateItem(kv, proposalId, teamId, item.channel_id, result.ok ? {status: 'rolled_back', reason: ''} : {reason: `Rollback failed: ${result.reason}`});
    }
}

// ---- new channels ----

/**
 * ChannelHasBeenCreated: the channel joins, pending, every proposal waiting for new channels of its
 * team, and the team's admins get a DM with the buttons (Approve all covers it).
 */
export function addNewChannel(context: {api: MattermostApi; kv: KvStore; log: Logger}, channel: Channel): void {
    if ((channel.type !== 'O' && channel.type !== 'P') || !channel.team_id) {
        return;
    }
    const proposalIds = context.kv.readVersioned(KvKeys.newChannelProposals(channel.team_id)).value?.proposal_ids ?? [];
    for (const proposalId of proposalIds) {
        let added = false;
        context.kv.updateWithRetry(KvKeys.proposalTeam(proposalId, channel.team_id), (current) => {
            if (!current) {
                throw notFound(`No proposal ${proposalId} for this team.`);
            }
            added = !current.items.some((item) => item.channel_id === channel.id);
            return added ? {...current, items: [...current.items, newItem(channel.id)]} : current;
        }, 10);
        if (!added) {
            continue;
        }
        context.log.info('New channel added to a role template proposal', {proposalId, channelId: channel.id});
        const proposal = context.kv.readVersioned(KvKeys.proposal(proposalId)).value;
        if (proposal) {
            const team = context.api.teams.get(channel.team_id);
            notifyTeamAdmins(context, proposal, team, (link) =>
                `**New channel for the role template ${escapeMarkdown(proposal.definition.name)}:** ${escapeMarkdown(channel.display_name || channel.name)} ` +
                `was created in ${escapeMarkdown(team.display_name || team.name)} and waits for your review: [open the review panel](${link}).`);
        }
    }
}
