import type {Channel} from '@mattermost/types/channels';

import {newItem} from './create';
import {notifyTeamAdmins} from './notify';
import {notFound} from './read';

import type {Logger} from '../../host/log';
import {KvKeys} from '../../kv/keys';
import type {KvStore} from '../../kv/store';
import type {MattermostApi} from '../../mattermost/api';
import {escapeMarkdown} from '../../welcome/template';

// Channels created later join the proposals that asked for them.

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
            notifyTeamAdmins(
                context,
                proposal,
                team,
                (link, {t}) => t('proposal.newChannel', {
                    template: escapeMarkdown(proposal.definition.name),
                    channel: escapeMarkdown(channel.display_name || channel.name),
                    team: escapeMarkdown(team.display_name || team.name),
                    link,
                }),
            );
        }
    }
}
