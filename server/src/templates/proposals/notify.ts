import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {manifest} from 'contract/manifest';
import {TemplateRoutes} from 'contract/routes';
import {ReviewPanel} from 'contract/templates';
import type {StoredProposal} from 'contract/templates_stored';

import type {WriteContext} from './context';

import {botUserId} from '../../bot/bot';
import type {MattermostApi} from '../../mattermost/api';
import type {ReadOnlyMattermostApi} from '../../mattermost/readOnly';

// The team admins' DMs about a proposal: who gets them, the review link and the decision buttons.

const membersPerPage = 200;

/** The active people who administer the team (scheme admins; bots left out). */
export function teamAdminIds(api: Pick<MattermostApi, 'teams' | 'users'>, teamId: string): string[] {
    const ids: string[] = [];
    for (let page = 0; page < 50; page++) {
        const members = api.teams.members(teamId, page, membersPerPage);
        members.filter((member) => member.scheme_admin && member.delete_at === 0).forEach((member) => ids.push(member.user_id));
        if (members.length < membersPerPage) {
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

export function notifyTeamAdmins(
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
            log.warn('Could not DM a team admin about a role template proposal', {
                proposalId: proposal.id,
                teamId: team.id,
                adminId,
                error: String(error),
            });
        }
    }
    return sent;
}
