import {z} from 'zod';

import {Access, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {
    AssignDelegatedRolesRequestSchema,
    ChannelSelectionRequestSchema,
    CreateProposalRequestSchema,
    CreateTemplateRequestSchema,
    CredentialStatusSchema,
    DecideRequestSchema,
    DeleteTemplateResponseSchema,
    DelegationStateSchema,
    EmptyRequestSchema,
    MyReviewTeamsSchema,
    ProposalDetailSchema,
    ProposalListSchema,
    ReviewActionRequestSchema,
    TeamInboxSchema,
    TeamReviewSchema,
    TemplateListSchema,
    TemplateSchema,
    UpdateTemplateRequestSchema,
} from '../templates';
import {DeleteRequestSchema} from '../versioned';

const template = '/api/v1/templates/:templateId';
const proposal = '/api/v1/templates/proposals/:proposalId';
const teamInbox = '/api/v1/templates/review/teams/:teamId';
const teamProposal = `${teamInbox}/proposals/:proposalId` as const;
const teamAdmin = Access.teamAdminOfParam('teamId');

/**
 * Role templates (contract/templates.ts has the bodies). "Team admin of :teamId" = manage_team on THAT
 * team (system admins pass too); another team's admin and plain members get 403. Changes are audited;
 * 409 on a stale expected_version.
 */
export const TemplateEndpoints = {
    /** Starters included. */
    templates: read('/api/v1/templates', {access: Access.consoleReader, answer: TemplateListSchema}),
    create: write('POST', '/api/v1/templates', {
        access: Access.systemAdmin,
        body: CreateTemplateRequestSchema,
        answer: TemplateSchema,
        status: 201,
    }),
    update: write('PUT', template, {access: Access.systemAdmin, body: UpdateTemplateRequestSchema, answer: TemplateSchema}),
    delete: write('DELETE', template, {access: Access.systemAdmin, body: DeleteRequestSchema, answer: DeleteTemplateResponseSchema}),
    delegation: read('/api/v1/templates/delegation', {access: Access.consoleReader, answer: DelegationStateSchema}),
    assignDelegation: write('POST', '/api/v1/templates/delegation', {
        access: Access.systemAdmin,
        body: AssignDelegatedRolesRequestSchema,
        answer: DelegationStateSchema,
    }),

    /** Never the token. System admins only: the credential's details are for whoever may grant or revoke it. */
    credential: read('/api/v1/templates/credential', {access: Access.systemAdmin, answer: CredentialStatusSchema}),

    /** Creates the moderation bot, gives it system_user_manager, stores a new token server-side. */
    credentialGrant: write('POST', '/api/v1/templates/credential/grant', {
        access: Access.systemAdmin,
        body: EmptyRequestSchema,
        answer: CredentialStatusSchema,
    }),

    /** Revokes the token and removes the role. */
    credentialRevoke: write('POST', '/api/v1/templates/credential/revoke', {
        access: Access.systemAdmin,
        body: EmptyRequestSchema,
        answer: CredentialStatusSchema,
    }),
    proposals: read('/api/v1/templates/proposals', {access: Access.consoleReader, answer: ProposalListSchema}),

    /** DMs the team admins. */
    createProposal: write('POST', '/api/v1/templates/proposals', {
        access: Access.systemAdmin,
        body: CreateProposalRequestSchema,
        answer: ProposalDetailSchema,
        status: 201,
    }),

    /** Per team and channel status, current vs proposed, reasons. */
    proposal: read(proposal, {access: Access.consoleReader, answer: ProposalDetailSchema}),

    /** Teams where the caller is team admin, with pending counts (empty for others). */
    myReviewTeams: read('/api/v1/templates/review/teams', {access: Access.user, answer: MyReviewTeamsSchema}),
    teamInbox: read(teamInbox, {access: teamAdmin, answer: TeamInboxSchema}),

    /** That team's channels of the proposal, current vs proposed, diff. */
    teamProposal: read(teamProposal, {access: teamAdmin, answer: TeamReviewSchema}),

    /** Approved channels are applied, read back and audited. */
    decide: write('POST', `${teamProposal}/decide`, {access: teamAdmin, body: DecideRequestSchema, answer: TeamReviewSchema}),

    /** Applied channels → the settings recorded before. */
    rollback: write('POST', `${teamProposal}/rollback`, {access: teamAdmin, body: ChannelSelectionRequestSchema, answer: TeamReviewSchema}),

    /** Failed / needs_license channels applied again. */
    retry: write('POST', `${teamProposal}/retry`, {access: teamAdmin, body: ChannelSelectionRequestSchema, answer: TeamReviewSchema}),

    /**
     * Called by the server for the DM buttons (`POST /api/v4/posts/{post_id}/actions/{action_id}`) for the
     * clicking user; the handler checks that user is team admin of the button's team.
     */
    action: write('POST', '/api/v1/templates/actions', {
        access: {kind: 'actionCallback'},
        body: ReviewActionRequestSchema,
        answer: lazySchema(() => z.object({ephemeral_text: z.string()})),
    }),
};
