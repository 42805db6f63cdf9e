import {z} from 'zod';

import {lazySchema} from './lazy';
import {postActionRequestSchema} from './post_action';
import {ExpectedVersionSchema} from './versioned';

// Role templates: channel permission templates authored by system admins, proposed for
// channels of one or more teams, approved or rejected per channel by the admins of THAT team, applied
// by the plugin without a system admin online, read back, audited, and reversible.
//
// Requests AND answers are schemas: the server validates bodies with them, the webapp validates every
// answer. Paths, guards and answers are in contract/endpoints/templates.ts.
//
// Channel moderation can only be changed through the REST API
// (`PUT /api/v4/channels/{id}/moderations/patch`: any license + sysconsole_write_user_management_channels),
// so the server component uses a dedicated bot holding only the `system_user_manager` role and an access
// token that a system admin grants explicitly (CredentialStatus). The token never leaves the server.

const id = lazySchema(() => z.string().min(1).max(64));

// ---- templates ----

/** model.ChannelModeratedPermissions of the pinned server (the System Console's "Channel Moderation"). */
export const MODERATED_PERMISSIONS = [
    'create_post',
    'create_reactions',
    'manage_members',
    'use_channel_mentions',
    'manage_bookmarks',
] as const;
export const ModeratedPermissionSchema = lazySchema(() => z.enum(MODERATED_PERMISSIONS));
export type ModeratedPermission = z.infer<typeof ModeratedPermissionSchema>;

/**
 * What a template sets for one moderated permission: true = allowed, false = not allowed, absent = left
 * as the channel has it. `manage_members` and `manage_bookmarks` have no guest setting on the server
 * (app/channel.go buildChannelModerations), so `guests` there is refused (400).
 */
export const MEMBERS_ONLY_PERMISSIONS: readonly ModeratedPermission[] = ['manage_members', 'manage_bookmarks'];
export const ModerationRuleSchema = lazySchema(() => z.strictObject({
    members: z.boolean().optional(),
    guests: z.boolean().optional(),
}));
export type ModerationRule = z.infer<typeof ModerationRuleSchema>;

const MembersOnlyRuleSchema = lazySchema(() => z.strictObject({members: z.boolean().optional()}));

export const TemplateModerationSchema = lazySchema(() => z.strictObject({
    create_post: ModerationRuleSchema.optional(),
    create_reactions: ModerationRuleSchema.optional(),
    manage_members: MembersOnlyRuleSchema.optional(),
    use_channel_mentions: ModerationRuleSchema.optional(),
    manage_bookmarks: MembersOnlyRuleSchema.optional(),
}));
export type TemplateModeration = z.infer<typeof TemplateModerationSchema>;

/**
 * Who becomes channel admin when the template is applied (added to the channel when not a member).
 * Only members of the channel's team: anyone else is skipped and reported
 * (ReviewItem.skipped_admin_user_ids), the channel is still applied. Nobody is demoted: existing
 * channel admins stay.
 */
export const ChannelAdminsRuleSchema = lazySchema(() => z.strictObject({
    user_ids: z.array(id).max(50).default([]),

    /** Every member of these groups (custom or LDAP-synced), at most 500 users per group. */
    group_ids: z.array(id).max(20).default([]),

    /** The channel's creator (`creator_id`), when that account still exists and is active. */
    channel_creator: z.boolean().default(false),
}));
export type ChannelAdminsRule = z.infer<typeof ChannelAdminsRuleSchema>;

/** model.ChannelHeaderMaxRunes / ChannelPurposeMaxRunes. Absent = left as the channel has it. */
export const channelHeaderMaxLength = 1024;
export const channelPurposeMaxLength = 250;
export const ChannelPropertiesSchema = lazySchema(() => z.strictObject({
    header: z.string().max(channelHeaderMaxLength).optional(),
    purpose: z.string().max(channelPurposeMaxLength).optional(),
}));
export type ChannelProperties = z.infer<typeof ChannelPropertiesSchema>;

export const TemplateDefinitionSchema = lazySchema(() => z.
    strictObject({
        name: z.string().trim().min(1).max(100),
        description: z.string().max(1000).default(''),
        moderation: TemplateModerationSchema.default({}),
        channel_admins: ChannelAdminsRuleSchema.default({user_ids: [], group_ids: [], channel_creator: false}),
        properties: ChannelPropertiesSchema.default({}),
    }).
    refine((definition) => templateChangesSomething(definition), {
        message: 'A template must set at least one moderation rule, channel admin rule or property.',
    }));
export type TemplateDefinition = z.infer<typeof TemplateDefinitionSchema>;

/** True when applying the definition could change a channel (an empty template is refused). */
export function templateChangesSomething(definition: {
    moderation?: TemplateModeration;
    channel_admins?: ChannelAdminsRule;
    properties?: ChannelProperties;
}): boolean {
    const moderation = Object.values(definition.moderation ?? {}).some(
        (rule: ModerationRule | undefined) => rule !== undefined && (rule.members !== undefined || rule.guests !== undefined),
    );
    const admins = definition.channel_admins;
    const adminRule = admins !== undefined && (admins.user_ids.length > 0 || admins.group_ids.length > 0 || admins.channel_creator);
    const properties =
        definition.properties !== undefined &&
        (definition.properties.header !== undefined || definition.properties.purpose !== undefined);
    return moderation || adminRule || properties;
}

/** A stored template. `starter`: the id of the shipped starter it began as (assets/templates/*.json), else null. */
export const TemplateSchema = lazySchema(() => z.strictObject({
    id: z.string(),

    /** Pass back as expected_version. */
    version: z.number().int().min(1),
    definition: TemplateDefinitionSchema,
    starter: z.string().nullable(),
    created_at: z.number(),
    created_by: z.string(),
    updated_at: z.number(),
    updated_by: z.string(),
}));
export type Template = z.infer<typeof TemplateSchema>;

export const TemplateListSchema = lazySchema(() => z.strictObject({templates: z.array(TemplateSchema)}));
export type TemplateList = z.infer<typeof TemplateListSchema>;

/** POST templates: a new template (201 Template). */
export const CreateTemplateRequestSchema = TemplateDefinitionSchema;
export type CreateTemplateRequest = z.input<typeof CreateTemplateRequestSchema>;

/** PUT templates/:id: replaces the definition (409 on a stale expected_version). Proposals already made keep their copy. */
export const UpdateTemplateRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema.min(1),
    definition: TemplateDefinitionSchema,
}));
export type UpdateTemplateRequest = z.input<typeof UpdateTemplateRequestSchema>;

/** DELETE templates/:id: the version the deletion is based on (409 when stale). Proposals already made keep their copy. */
export const DeleteTemplateResponseSchema = lazySchema(() => z.object({deleted: z.boolean()}));

// ---- delegated administration (system level) ----

/** model.NewSystemRoleIDs that a template can hand out (never system_admin). */
export const DELEGATED_ROLES = ['system_user_manager', 'system_manager', 'system_read_only_admin'] as const;
export const DelegatedRoleSchema = lazySchema(() => z.enum(DELEGATED_ROLES));
export type DelegatedRole = z.infer<typeof DelegatedRoleSchema>;

/**
 * What the license allows, as the server's own REST rule (api4/user.go updateUserRoles): the delegated
 * roles need a license with `CustomPermissionsSchemes`; channel moderation needs any license.
 */
export const LicenseAllowsSchema = lazySchema(() => z.strictObject({
    licensed: z.boolean(),
    sku: z.string(),
    channel_moderation: z.boolean(),
    delegated_roles: z.boolean(),
}));
export type LicenseAllows = z.infer<typeof LicenseAllowsSchema>;

export const DelegatedAdminSchema = lazySchema(() => z.strictObject({
    user_id: z.string(),
    username: z.string(),
    roles: z.array(DelegatedRoleSchema),
}));
export type DelegatedAdmin = z.infer<typeof DelegatedAdminSchema>;

/** GET delegation. `admins`: the users the cockpit has assigned roles to (it does not scan every user). */
export const DelegationStateSchema = lazySchema(() => z.strictObject({
    license: LicenseAllowsSchema,
    version: z.number().int().min(0),
    admins: z.array(DelegatedAdminSchema),
}));
export type DelegationState = z.infer<typeof DelegationStateSchema>;

/**
 * POST delegation: sets exactly `roles` (possibly none) of the delegated roles on the user; other roles
 * (system_user, system_admin, guest) are kept. 400 `cockpit.templates.needs_license` when the license does
 * not allow delegated roles; 409 on a stale expected_version. Audited.
 */
export const AssignDelegatedRolesRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    user_id: id,
    roles: z.array(DelegatedRoleSchema).max(DELEGATED_ROLES.length),
}));
export type AssignDelegatedRolesRequest = z.infer<typeof AssignDelegatedRolesRequestSchema>;

// ---- channel settings and their diff ----

export const RoleValueSchema = lazySchema(() => z.strictObject({
    /** The permission is allowed for this role in the channel. */
    value: z.boolean(),

    /** The channel may change it (false when the team/system scheme already removes it). */
    enabled: z.boolean(),
}));

/** One moderated permission as the server reports it (model.ChannelModeration); guests absent when the permission has none. */
export const ModerationStateSchema = lazySchema(() => z.strictObject({
    members: RoleValueSchema,
    guests: RoleValueSchema.optional(),
}));
export type ModerationState = z.infer<typeof ModerationStateSchema>;

/**
 * A channel's settings as far as a template touches them. `moderation` is null when the server cannot
 * report it (no license, or no credential granted yet): see `moderation_unavailable`.
 */
export const ChannelSettingsSchema = lazySchema(() => z.strictObject({
    moderation: z.record(z.string(), ModerationStateSchema).nullable(),
    moderation_unavailable: z.enum(['needs_license', 'no_credential', 'error']).nullable(),
    channel_admin_user_ids: z.array(z.string()),
    header: z.string(),
    purpose: z.string(),
}));
export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>;

/**
 * One line of the diff the reviewer sees. `field`: `moderation.<permission>.<members|guests>`,
 * `channel_admins` (values: user ids), `header`, `purpose`. `current` is null when unknown.
 */
export const DiffEntrySchema = lazySchema(() => z.strictObject({
    field: z.string(),
    current: z.union([z.boolean(), z.string(), z.array(z.string())]).nullable(),
    proposed: z.union([z.boolean(), z.string(), z.array(z.string())]),
    changed: z.boolean(),
}));
export type DiffEntry = z.infer<typeof DiffEntrySchema>;

// ---- proposals ----

/**
 * Status of one channel of a proposal:
 * pending (waiting for the team admin) → approved (decided, being applied) → applied | failed | needs_license;
 * pending → rejected; applied → rolled_back (settings recorded before were restored);
 * failed | needs_license → approved again by the retry route; approved → approved by the retry route or
 * the plugin's recovery when the apply was interrupted (a crash): applying again converges.
 */
export const ChannelStatusSchema = lazySchema(() =>
    z.enum(['pending', 'approved', 'applied', 'rejected', 'failed', 'needs_license', 'rolled_back']));
export type ChannelStatus = z.infer<typeof ChannelStatusSchema>;

/** Where a proposal applies in one team. At least one of channel_ids / name_pattern / new_channels. */
export const ProposalTeamTargetSchema = lazySchema(() => z.strictObject({
    team_id: id,

    /** Channels picked by id (public or private; must belong to the team). */
    channel_ids: z.array(id).max(200).default([]),

    /**
     * Every PUBLIC channel of the team whose name (URL name) matches this pattern, resolved when the
     * proposal is made: `*` matches any run of characters, everything else literally (e.g. `announce-*`).
     * Private channels are never matched (the plugin API cannot list a team's private channels): pick
     * them in `channel_ids`. Empty = none.
     */
    name_pattern: z.string().max(64).regex(/^[a-z0-9_*-]*$/, 'only a-z, 0-9, "-", "_" and "*"').default(''),

    /** Channels created in the team later become pending items of this proposal (ChannelHasBeenCreated). */
    new_channels: z.boolean().default(false),
}).refine((target) => target.channel_ids.length > 0 || target.name_pattern !== '' || target.new_channels, {
    message: 'Pick channels, a name pattern or new channels for each team.',
}));
export type ProposalTeamTarget = z.infer<typeof ProposalTeamTargetSchema>;

/** POST proposals (201 ProposalDetail). The template is copied into the proposal: later edits do not change it. */
export const CreateProposalRequestSchema = lazySchema(() => z.strictObject({
    template_id: id,

    /** The template version the admin looked at (409 if it changed since). */
    template_version: z.number().int().min(1),
    teams: z.array(ProposalTeamTargetSchema).min(1).max(20),

    /** Shown to the team admins with the summary. */
    note: z.string().max(2000).default(''),
}));
export type CreateProposalRequest = z.input<typeof CreateProposalRequestSchema>;

/** One channel of a proposal, as the reviewer and the proposer see it. */
export const ReviewItemSchema = lazySchema(() => z.strictObject({
    channel_id: z.string(),
    channel_name: z.string(),
    channel_display_name: z.string(),
    status: ChannelStatusSchema,

    /** Why it failed, or what the license lacks; '' otherwise. */
    reason: z.string(),

    /** The reviewer's comment with the decision. */
    comment: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.number().nullable(),
    applied_at: z.number().nullable(),

    /** Settings read from the server now (the review panel's left column). */
    current: ChannelSettingsSchema,

    /** What the channel will look like once applied (the right column). */
    proposed: ChannelSettingsSchema,
    diff: z.array(DiffEntrySchema),

    /** Settings recorded just before applying; what a rollback restores. Null until applied. */
    before: ChannelSettingsSchema.nullable(),

    /**
     * People the channel-admin rule names (user, group member, creator) who are not members of the
     * channel's team, so they are left out (not channel admin, not added), instead of failing the
     * channel: once applied, whom the apply skipped; before, whom it would skip now.
     */
    skipped_admin_user_ids: z.array(z.string()),
}));
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const StatusCountsSchema = lazySchema(() => z.record(ChannelStatusSchema, z.number().int().min(0)));
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

/** One team's part of a proposal. `version` guards decisions (expected_version). */
export const TeamReviewSchema = lazySchema(() => z.strictObject({
    proposal_id: z.string(),
    team_id: z.string(),
    team_name: z.string(),
    team_display_name: z.string(),
    version: z.number().int().min(1),
    name_pattern: z.string(),
    new_channels: z.boolean(),
    items: z.array(ReviewItemSchema),
    counts: StatusCountsSchema,
}));
export type TeamReview = z.infer<typeof TeamReviewSchema>;

export const ProposalSummarySchema = lazySchema(() => z.strictObject({
    id: z.string(),
    template_id: z.string(),
    template_version: z.number().int(),
    template_name: z.string(),
    note: z.string(),
    created_at: z.number(),
    created_by: z.string(),
    team_ids: z.array(z.string()),

    /** Over all teams. */
    counts: StatusCountsSchema,
}));
export type ProposalSummary = z.infer<typeof ProposalSummarySchema>;

export const ProposalListSchema = lazySchema(() => z.strictObject({proposals: z.array(ProposalSummarySchema)}));
export type ProposalList = z.infer<typeof ProposalListSchema>;

/** The system admin's view of a proposal: the template copy and every team's items. */
export const ProposalDetailSchema = lazySchema(() => z.strictObject({
    summary: ProposalSummarySchema,
    definition: TemplateDefinitionSchema,
    teams: z.array(TeamReviewSchema),
}));
export type ProposalDetail = z.infer<typeof ProposalDetailSchema>;

/** A team admin's inbox: the proposals for one team they administer. */
export const TeamInboxSchema = lazySchema(() => z.strictObject({
    team_id: z.string(),
    team_name: z.string(),
    proposals: z.array(z.strictObject({
        summary: ProposalSummarySchema,
        definition: TemplateDefinitionSchema,

        /** Counts of THIS team's items only. */
        counts: StatusCountsSchema,
    })),
}));
export type TeamInbox = z.infer<typeof TeamInboxSchema>;

/** GET review/teams: the teams where the caller is team admin and has something to review. */
export const MyReviewTeamsSchema = lazySchema(() => z.strictObject({
    teams: z.array(
        z.strictObject({
            team_id: z.string(),
            team_name: z.string(),
            team_display_name: z.string(),
            pending: z.number().int().min(0),
        }),
    ),
}));
export type MyReviewTeams = z.infer<typeof MyReviewTeamsSchema>;

/**
 * POST …/decide: decisions on pending channels of this team. Approved channels are applied at once
 * (the answer carries their final status). Deciding a channel that is not pending → 409
 * `cockpit.templates.invalid_transition`; a channel not in the proposal → 400; nothing is half-applied
 * in the record (all decisions are checked first).
 */
export const DecideRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema.min(1),
    decisions: z.array(z.strictObject({
        channel_id: id,
        decision: z.enum(['approve', 'reject']),
        comment: z.string().max(1000).default(''),
    })).min(1).max(200),
}));
export type DecideRequest = z.input<typeof DecideRequestSchema>;

/**
 * POST …/rollback: restores the recorded settings of applied channels. POST …/retry: re-applies failed / needs_license
 * channels, and approved ones whose apply was interrupted.
 */
export const ChannelSelectionRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema.min(1),
    channel_ids: z.array(id).min(1).max(200),
}));
export type ChannelSelectionRequest = z.infer<typeof ChannelSelectionRequestSchema>;

// ---- the credential for channel moderation ----

/** The role the moderation bot holds: it includes sysconsole_write_user_management_channels (see README, Security). */
export const MODERATION_BOT_ROLE = 'system_user_manager';
export const MODERATION_BOT_USERNAME = 'onboarding-cockpit-moderation';

/**
 * GET credential. Never contains the token. `problems`: what stops moderation changes right now,
 * e.g. `no_license`.
 */
export const CredentialStatusSchema = lazySchema(() => z.strictObject({
    granted: z.boolean(),
    bot_user_id: z.string().nullable(),
    bot_username: z.string(),
    role: z.literal(MODERATION_BOT_ROLE),
    granted_by: z.string().nullable(),
    granted_at: z.number().nullable(),

    /** The last REST call made with the credential: when, and its HTTP status (0 = never). */
    last_used_at: z.number().nullable(),
    last_status: z.number().int(),
    problems: z.array(z.enum(['no_license', 'not_granted', 'token_rejected'])),
}));
export type CredentialStatus = z.infer<typeof CredentialStatusSchema>;

/**
 * POST credential/grant and credential/revoke take an empty body. Grant answers 400
 * `cockpit.templates.needs_license` when the license does not allow channel moderation (no license):
 * the bot gets no role and no token then.
 */
export const EmptyRequestSchema = lazySchema(() => z.strictObject({}));

// ---- opening the review panel (DM button, slash command) ----

/** The slash command the plugin registers: `/onboarding review`. */
export const REVIEW_COMMAND = {trigger: 'onboarding', subcommand: 'review'} as const;

/**
 * The review panel is a team route of the webapp: `registry.registerNeedsTeamRoute(ReviewPanel.route, …)`,
 * which the Mattermost webapp serves at `/<team name>/<plugin id>/review`. The slash command answers
 * with `goto_location` = `ReviewPanel.path(teamName)` (relative, so the web app pushes it in-app) and the
 * absolute `${SiteURL}…` link in its text; the DM's Review button answers with that link as ephemeral text.
 * `?proposal=<id>` focuses one proposal.
 */
export const ReviewPanel = {
    route: '/review',
    path: (teamName: string, proposalId?: string) =>
        `/${encodeURIComponent(teamName)}/onboarding-cockpit/review${proposalId ? `?proposal=${encodeURIComponent(proposalId)}` : ''}`,
} as const;

/** `context` of the DM buttons (posted by the plugin; the clicking user is checked on every click). */
export const ReviewActionContextSchema = lazySchema(() => z.strictObject({
    proposal_id: id,
    team_id: id,
    action: z.enum(['approve_all', 'reject_all', 'review']),
}));
export type ReviewActionContext = z.infer<typeof ReviewActionContextSchema>;

/** model.PostActionIntegrationRequest as the server POSTs it to the action route (TemplateRoutes.action). */
export const ReviewActionRequestSchema = lazySchema(() => postActionRequestSchema(ReviewActionContextSchema));
export type ReviewActionRequest = z.infer<typeof ReviewActionRequestSchema>;
