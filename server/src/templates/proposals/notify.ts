import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {manifest} from 'contract/manifest';
import {TemplateRoutes} from 'contract/routes';
import {ReviewPanel} from 'contract/templates';
import type {StoredProposal} from 'contract/templates_stored';

import type {WriteContext} from './context';

import {botUserId} from '../../bot/bot';
import {type Speaker, speakerForUser} from '../../i18n/messages';
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

/** The DM buttons in the admin's language: relative plugin URLs, which the server calls in-process (see templates.ts, action route). */
function reviewButtons({t}: Speaker, proposalId: string, teamId: string) {
    const url = `/plugins/${manifest.id}${TemplateRoutes.action}`;
    const button = (id: string, name: string, style: string, action: string) =>
        ({id, name, type: 'button', style, integration: {url, context: {proposal_id: proposalId, team_id: teamId, action}}});
    return [
        button('approveall', t('proposal.buttonApproveAll'), 'primary', 'approve_all'),
        button('rejectall', t('proposal.buttonRejectAll'), 'danger', 'reject_all'),
        button('review', t('proposal.buttonReview'), 'default', 'review'),
    ];
}

/** Each team admin gets the DM in their own language (their locale, else the server's default). */
export function notifyTeamAdmins(
    context: Pick<WriteContext, 'api' | 'kv' | 'log'>,
    proposal: StoredProposal,
    team: Team,
    message: (link: string, speaker: Speaker) => string,
): number {
    const {api, kv, log} = context;
    let sent = 0;
    const bot = botUserId(kv);
    const link = reviewLink(api, team.name, proposal.id);
    const config = api.config.get();
    for (const adminId of teamAdminIds(api, team.id)) {
        try {
            const speaker = speakerForUser(api.users.get(adminId), config);
            const dm = api.channels.getDirect(bot, adminId);
            api.posts.create({
                channel_id: dm.id,
                user_id: bot,
                message: message(link, speaker),
                props: {
                    from_bot: 'true',
                    cockpit_template_proposal: `${proposal.id}:${team.id}`,
                    attachments: [{fallback: speaker.t('proposal.fallback'), actions: reviewButtons(speaker, proposal.id, team.id)}],
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
