import type {z} from 'zod';

import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import type {CreateProposalRequestSchema, ProposalDetail} from 'contract/templates';
import type {StoredItem, StoredProposal} from 'contract/templates_stored';

import type {WriteContext} from './context';
import {notifyTeamAdmins} from './notify';
import {proposalDetail} from './read';

import {recordAudit} from '../../audit/audit';
import {ApiError} from '../../errors/apiError';
import {isHostError} from '../../host/errors';
import {type Speaker} from '../../i18n/messages';
import {ConflictError} from '../../kv/conflictError';
import {KvKeys} from '../../kv/keys';
import type {MattermostApi} from '../../mattermost/api';
import {escapeMarkdown} from '../../welcome/template';
import {newId, readTemplate} from '../catalog';
import {nameMatches} from '../settings';

// Creating a proposal: a system admin proposes a template for channels of one or more teams. One KV
// record per team part, so teams never contend and a team admin's request only ever touches their
// own team's record; the team admins get a DM each.

type CreateProposalBody = z.infer<typeof CreateProposalRequestSchema>;

const channelsPerPage = 200;

/** Public channels scanned for a name pattern, per team. */
const maxPatternPages = 25;

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
            channels.
                filter((channel) => channel.delete_at === 0 && nameMatches(target.name_pattern, channel.name)).
                forEach((channel) => ids.add(channel.id));
            if (channels.length < channelsPerPage) {
                break;
            }
        }
    }
    return [...ids];
}

/** A channel newly part of a proposal: pending, nothing decided or applied. */
export function newItem(channelId: string): StoredItem {
    return {
        channel_id: channelId,
        status: 'pending',
        reason: '',
        comment: '',
        decided_by: null,
        decided_at: null,
        applied_at: null,
        before: null,
        promoted: [],
    };
}

/** The team admin's DM about a new proposal, in their language; the admins' and team's text escaped. */
export function proposalMessage(
    {t}: Speaker,
    proposal: StoredProposal,
    team: Team,
    channelCount: number,
    newChannels: boolean,
    link: string,
): string {
    const lines = [
        t('proposal.title', {team: escapeMarkdown(team.display_name || team.name), template: escapeMarkdown(proposal.definition.name)}),
        proposal.definition.description ? `> ${escapeMarkdown(proposal.definition.description)}` : '',
        proposal.note ? t('proposal.note', {note: escapeMarkdown(proposal.note)}) : '',
        t('proposal.channels', {count: channelCount, newChannels: newChannels ? 'yes' : 'no'}),
        t('proposal.reviewLink', {link}),
    ];
    return lines.filter(Boolean).join('\n');
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
            kv.updateWithRetry(
                KvKeys.newChannelProposals(team.id),
                (current) => ({proposal_ids: [...(current?.proposal_ids ?? []), id]}),
                10,
            );
        }
    }

    // The proposal record last: until it exists, nothing lists or serves the team parts.
    kv.writeVersioned(KvKeys.proposal(id), proposal, 0);
    kv.updateWithRetry(KvKeys.proposalsIndex, (current) => ({ids: [...(current?.ids ?? []), id]}), 10);
    recordAudit(
        context,
        {
            action: 'templates.proposal.create',
            target: `proposal:${id}`,
            before: null,
            after: {
                template_id: template.id,
                template_version: template.version,
                teams: resolved.map(({team, channelIds, target}) => ({
                    team_id: team.id,
                    channels: channelIds.length,
                    name_pattern: target.name_pattern,
                    new_channels: target.new_channels,
                })),
            },
        },
        now,
    );
    for (const {team, target, channelIds} of resolved) {
        notifyTeamAdmins(context, proposal, team, (link, speaker) =>
            proposalMessage(speaker, proposal, team, channelIds.length, target.new_channels, link));
    }
    return proposalDetail(api, kv, id);
}
