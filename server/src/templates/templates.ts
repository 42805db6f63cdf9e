import {TemplateEndpoints} from 'contract/endpoints/templates';
import {ErrorIds} from 'contract/errors';
import {REVIEW_COMMAND, ReviewPanel, type ReviewActionRequest} from 'contract/templates';

import {
    assignDelegatedRoles,
    createTemplate,
    delegationState,
    deleteTemplate,
    listTemplates,
    seedStarters,
    updateTemplate,
} from './catalog';
import {credentialStatus, grantCredential, revokeCredential} from './credential';
import {
    addNewChannel,
    createProposal,
    decide,
    decideAllPending,
    listProposals,
    myReviewTeams,
    proposalDetail,
    readProposal,
    recoverInterrupted,
    retry,
    reviewLink,
    rollback,
    teamInbox,
    teamReview,
    type WriteContext,
} from './proposals';

import type {Capability, HookContext} from '../app/capability';
import type {CommandArgs, CommandResponse} from '../app/hooks';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {type Guard, requireUser} from '../http/guards';
import {speakerForUser} from '../i18n/messages';
import {Permissions} from '../mattermost/permissions';

// Role templates: the endpoints' handlers (contract/endpoints/templates.ts), the slash command, the DM
// buttons and the new-channel hook.

/**
 * The DM buttons' route. The server calls it in-process for the clicking user: app/integration_action.go
 * doPluginRequest sets Mattermost-User-Id and `Authorization: Bearer <the clicking session's token>`, and
 * ServePluginRequest strips any Mattermost-User-Id and sets it again from that session (checked on the
 * pinned server). So `userId` is the clicking user; the handler also matches it against the body and
 * checks that user is admin of the button's team.
 */
const requireClickingTeamAdmin: Guard = {
    description: 'the clicking user (interactive message action), checked as team admin of the button\'s team',
    access: {kind: 'actionCallback'},
    check: (input) => requireUser.check(input),
};

/** Ids in paths: Mattermost ids and starter ids. Anything else (NUL, 4 KB, unicode) is no such thing: 404. */
function idParam(value: string | undefined, what: string): string {
    if (value === undefined || !(/^[a-z0-9][a-z0-9_-]{0,63}$/).test(value)) {
        throw new ApiError(404, ErrorIds.templateNotFound, `No such ${what}.`);
    }
    return value;
}

function reviewContext(context: {
    api: WriteContext['api'];
    kv: WriteContext['kv'];
    log: WriteContext['log'];
    userId: string;
}): WriteContext {
    return {api: context.api, kv: context.kv, log: context.log, userId: context.userId};
}

function handleClick(context: WriteContext, body: ReviewActionRequest, now: number) {
    const {api} = context;
    const {action} = body.context;
    const proposalId = idParam(body.context.proposal_id, 'proposal');
    const teamId = idParam(body.context.team_id, 'team');
    if (body.user_id !== context.userId) {
        throw ApiError.forbidden('This button was not clicked by you.');
    }

    // The clicking team admin's language.
    const {t} = speakerForUser(api.users.get(context.userId), api.config.get());
    if (!api.permissions.hasTeamPermission(context.userId, teamId, Permissions.manageTeam)) {
        // The server ignores the status of a plugin's action answer (app/integration_action.go
        // DoPostActionWithCookie reads only the body), so the clicking user is told here.
        if (body.channel_id) {
            api.posts.sendEphemeral(context.userId, {
                channel_id: body.channel_id,
                message: t('review.notAdmin'),
            });
        }
        throw ApiError.forbidden('Only admins of this team can decide on its role template proposals.');
    }
    readProposal(context.kv, proposalId);
    const team = api.teams.get(teamId);
    const link = reviewLink(api, team.name, proposalId);
    if (action === 'review') {
        return {ephemeral_text: t('review.open', {link})};
    }
    const {decided, statuses} = decideAllPending(context, teamId, proposalId, action === 'approve_all' ? 'approve' : 'reject', now);
    if (decided === 0) {
        return {ephemeral_text: t('review.nothingPending', {link})};
    }
    const applied = statuses.filter((status) => status === 'applied').length;
    const text =
        action === 'approve_all' ?
            t('review.approved', {decided, applied, notApplied: decided - applied, link}) :
            t('review.rejected', {decided});
    return {ephemeral_text: text};
}

function reviewCommand(args: CommandArgs, context: HookContext): CommandResponse | null {
    const words = args.command.trim().split(/\s+/);
    if (words[0] !== `/${REVIEW_COMMAND.trigger}`) {
        return null;
    }
    const {api, kv} = context;

    // The caller's language.
    const {t} = speakerForUser(api.users.get(args.user_id), api.config.get());
    if (words[1] !== REVIEW_COMMAND.subcommand) {
        return {
            response_type: 'ephemeral',
            text: t('command.usage', {
                review: `\`/${REVIEW_COMMAND.trigger} ${REVIEW_COMMAND.subcommand}\``,
                tasks: `\`/${REVIEW_COMMAND.trigger} tasks\``,
            }),
        };
    }
    if (!args.team_id || !api.permissions.hasTeamPermission(args.user_id, args.team_id, Permissions.manageTeam)) {
        return {response_type: 'ephemeral', text: t('review.commandNotAdmin')};
    }
    const team = api.teams.get(args.team_id);
    const inbox = teamInbox(api, kv, args.team_id);
    const pending = inbox.proposals.reduce((sum, proposal) => sum + proposal.counts.pending, 0);
    const link = reviewLink(api, team.name);
    return {
        response_type: 'ephemeral',
        text: t('review.pending', {pending, link}),

        // Relative: the web app pushes a path starting with '/' into its own history (under its basename, so
        // subpath installs work). An absolute SiteURL link stays in-app only when the browser uses exactly
        // that origin; reached under another hostname, the web app opens it in a new tab.
        goto_location: ReviewPanel.path(team.name),
    };
}

/** The recovery job (cluster-wide: one node per interval) and its lock, held while it applies. */
export const templatesRecoveryJobId = 'templates.recover';
const recoveryIntervalSeconds = 60;
const recoveryMutex = 'templates-recover';

/**
 * Finishes applies a crash interrupted (proposals/recovery.ts recoverInterrupted), under a cluster lock so two
 * nodes never recover at once. Another holder = someone is recovering already: skip this round.
 * `graceMs` 0 on activation: this process applied nothing yet, and a racing apply elsewhere converges.
 */
function recover(context: HookContext, graceMs?: number): void {
    const {api, log} = context;
    try {
        api.mutex.lockWithin(recoveryMutex, 2_000);
    } catch (error) {
        if (isHostError(error) && error.id === 'cockpit.host.mutex_timeout') {
            return;
        }
        throw error;
    }
    try {
        const recovered = recoverInterrupted({...context, userId: ''}, Date.now(), graceMs);
        if (recovered.applied > 0 || recovered.audited > 0) {
            log.info('Recovered role template applies interrupted by a crash', recovered);
        }
    } finally {
        api.mutex.unlock(recoveryMutex);
    }
}

export const templatesCapability: Capability = {
    name: 'templates',
    routes(routes) {
        // ---- templates (system admin) ----
        routes.handle(TemplateEndpoints.templates, ({kv}) => ({templates: listTemplates(kv)}));
        routes.handle(TemplateEndpoints.create, (context) => createTemplate(context, context.body, Date.now()));
        routes.handle(TemplateEndpoints.update, (context) =>
            updateTemplate(
                context,
                idParam(context.params.templateId, 'template'),
                context.body.definition,
                context.body.expected_version,
                Date.now(),
            ),
        );
        routes.handle(TemplateEndpoints.delete, (context) => {
            deleteTemplate(context, idParam(context.params.templateId, 'template'), context.body.expected_version, Date.now());
            return {deleted: true};
        });

        // ---- delegated administration and the credential (system admin) ----
        routes.handle(TemplateEndpoints.delegation, ({api, kv}) => delegationState(api, kv));
        routes.handle(TemplateEndpoints.assignDelegation, (context) => assignDelegatedRoles(context, context.body, Date.now()));
        routes.handle(TemplateEndpoints.credential, ({api, kv}) => credentialStatus(api, kv));
        routes.handle(TemplateEndpoints.credentialGrant, (context) => grantCredential(context));
        routes.handle(TemplateEndpoints.credentialRevoke, (context) => revokeCredential(context));

        // ---- proposals (system admin) ----
        routes.handle(TemplateEndpoints.proposals, ({kv}) => ({proposals: listProposals(kv)}));
        routes.handle(TemplateEndpoints.createProposal, (context) => createProposal(reviewContext(context), context.body, Date.now()));
        routes.handle(TemplateEndpoints.proposal, ({api, kv, params}) => proposalDetail(api, kv, idParam(params.proposalId, 'proposal')));

        // ---- review (team admin of THAT team) ----
        routes.handle(TemplateEndpoints.myReviewTeams, ({api, kv, userId}) => myReviewTeams(api, kv, userId));
        routes.handle(TemplateEndpoints.teamInbox, ({api, kv, params}) => teamInbox(api, kv, idParam(params.teamId, 'team')));
        routes.handle(TemplateEndpoints.teamProposal, ({api, kv, params}) =>
            teamReview(api, kv, readProposal(kv, idParam(params.proposalId, 'proposal')), idParam(params.teamId, 'team')));
        routes.handle(TemplateEndpoints.decide, (context) => {
            idParam(context.params.teamId, 'team');
            idParam(context.params.proposalId, 'proposal');
            decide(reviewContext(context), context.params.teamId, context.params.proposalId, context.body, Date.now());
            return teamReview(context.api, context.kv, readProposal(context.kv, context.params.proposalId), context.params.teamId);
        });
        routes.handle(TemplateEndpoints.rollback, (context) => {
            idParam(context.params.teamId, 'team');
            idParam(context.params.proposalId, 'proposal');
            rollback(
                reviewContext(context),
                context.params.teamId,
                context.params.proposalId,
                context.body.expected_version,
                context.body.channel_ids,
                Date.now(),
            );
            return teamReview(context.api, context.kv, readProposal(context.kv, context.params.proposalId), context.params.teamId);
        });
        routes.handle(TemplateEndpoints.retry, (context) => {
            idParam(context.params.teamId, 'team');
            idParam(context.params.proposalId, 'proposal');
            retry(
                reviewContext(context),
                context.params.teamId,
                context.params.proposalId,
                context.body.expected_version,
                context.body.channel_ids,
                Date.now(),
            );
            return teamReview(context.api, context.kv, readProposal(context.kv, context.params.proposalId), context.params.teamId);
        });

        // ---- the DM buttons ----
        routes.handle(
            TemplateEndpoints.action,
            (context) => handleClick(reviewContext(context), context.body, Date.now()),
            requireClickingTeamAdmin,
        );
    },
    hooks: {
        onActivate(_, context) {
            const {api, kv, log} = context;
            seedStarters(kv, Date.now());
            try {
                recover(context, 0);
            } catch (error) {
                // Never blocks activation: the job tries again.
                log.error('Could not recover interrupted role template applies', {error: String(error)});
            }
            api.jobs.schedule(templatesRecoveryJobId, recoveryIntervalSeconds);

            // A command has one help text for everybody: the server's default language.
            const {t} = speakerForUser(null, api.config.get());
            api.admin.registerCommand({
                trigger: REVIEW_COMMAND.trigger,
                display_name: 'Onboarding Cockpit',
                description: t('command.description'),
                auto_complete_desc: t('command.autocomplete'),
                auto_complete_hint: `${REVIEW_COMMAND.subcommand} | tasks`,
            });
        },
        channelHasBeenCreated: (channel, {api, kv, log}) => addNewChannel({api, kv, log}, channel),
    },
    executeCommand: reviewCommand,
    jobs: {[templatesRecoveryJobId]: (context) => recover(context)},
};
