// Paths of the plugin's HTTP routes, relative to `<SiteURL>/plugins/<id>`. One list for both sides.
export const Routes = {
    status: '/api/v1/status',
    ping: '/api/v1/ping',
    hostPing: '/api/v1/host/ping',
} as const;

export const PlanRoutes = {
    plan: '/api/v1/plan',
    task: (taskId: string) => `/api/v1/plan/tasks/${encodeURIComponent(taskId)}`,
    phases: '/api/v1/plan/phases',
    phase: (phaseId: string) => `/api/v1/plan/phases/${encodeURIComponent(phaseId)}`,
    phaseTasks: (phaseId: string) => `/api/v1/plan/phases/${encodeURIComponent(phaseId)}/tasks`,
    reorder: '/api/v1/plan/reorder',
    exportPlan: '/api/v1/plan/export',
    importPreview: '/api/v1/plan/import/preview',
    importPlan: '/api/v1/plan/import',
    readiness: '/api/v1/readiness',
    readinessRun: '/api/v1/readiness/run',
    configSnapshot: '/api/v1/config/snapshot',
    configCompare: '/api/v1/config/compare',
    audit: '/api/v1/audit',
    auditExport: '/api/v1/audit/export',
} as const;

export const BrandingRoutes = {
    branding: '/api/v1/branding',
    apply: '/api/v1/branding/apply',
    history: '/api/v1/branding/history',
    rollback: '/api/v1/branding/rollback',
    image: (version: number) => `/api/v1/branding/images/${version}`,
    preset: (kind: string) => `/api/v1/branding/presets/${encodeURIComponent(kind)}`,
} as const;

const wave = (waveId: string) => `/api/v1/waves/${encodeURIComponent(waveId)}`;

/** Rollout waves (contract/waves.ts has the bodies). Every route is system-admin only. */
export const WaveRoutes = {
    /** GET: WaveSummary[]; POST CreateWaveRequest → 201 WaveResponse. */
    waves: '/api/v1/waves',

    /** GET WaveResponse; PATCH UpdateWaveRequest (draft only, versioned); DELETE DeleteWaveRequest (draft only). */
    wave,

    /** POST AppendCsvRequest (draft only): CSV rows in chunks of ≤ 10,000 → WaveResponse with csv_problems. */
    csv: (waveId: string) => `${wave(waveId)}/csv`,

    /** POST {} → DryRunReport (changes nothing). */
    dryRun: (waveId: string) => `${wave(waveId)}/dry-run`,

    /** POST ScheduleWaveRequest: start now (start_at null or past; runs the first batches at once) or at start_at. */
    start: (waveId: string) => `${wave(waveId)}/start`,
    pause: (waveId: string) => `${wave(waveId)}/pause`,
    resume: (waveId: string) => `${wave(waveId)}/resume`,
    cancel: (waveId: string) => `${wave(waveId)}/cancel`,

    /** POST {}: re-runs the users whose result is `failed`. */
    retryFailed: (waveId: string) => `${wave(waveId)}/retry-failed`,

    /** POST {}: runs the wave's next batches now instead of waiting for the job (same lock, same budget). */
    tick: (waveId: string) => `${wave(waveId)}/tick`,

    /** POST WelcomePreviewRequest → WelcomePreviewResponse: the welcome rendered for the calling admin. */
    welcomePreview: (waveId: string) => `${wave(waveId)}/welcome/preview`,

    /** POST WelcomePreviewRequest → WelcomeTestSendResponse: the bot DMs that rendering to the caller only. */
    welcomeTestSend: (waveId: string) => `${wave(waveId)}/welcome/test-send`,

    /** GET WaveProgress. */
    progress: (waveId: string) => `${wave(waveId)}/progress`,

    /** GET ?page=0&per_page=100&outcome=failed → WaveResultsPage. */
    results: (waveId: string) => `${wave(waveId)}/results`,

    /** GET ActivationFunnel: cohort → provisioned → welcomed → invited → logged in → posted, feedback counts. */
    activation: (waveId: string) => `${wave(waveId)}/activation`,

    /** GET → CSV, one row per processed user (status, last login, last post, feedback). */
    activationExport: (waveId: string) => `${wave(waveId)}/activation/export`,

    /**
     * POST (the clicking user; called by the server for the welcome DM's feedback buttons through
     * `POST /api/v4/posts/{post_id}/actions/{action_id}`) FeedbackActionRequest → PostActionIntegrationResponse.
     */
    feedbackAction: '/api/v1/waves/actions/feedback',
} as const;

/** Adoption metrics and targets (contract/adoption.ts has the bodies). System admins only. */
export const AdoptionRoutes = {
    /** GET AdoptionResponse. */
    adoption: '/api/v1/adoption',

    /** PUT SaveTargetsRequest → TargetsResponse (409 on a stale expected_version). */
    targets: '/api/v1/adoption/targets',

    /** GET ?series=daily → CSV of the daily snapshots. */
    export: '/api/v1/adoption/export',
} as const;

const template = (templateId: string) => `/api/v1/templates/${encodeURIComponent(templateId)}`;
const proposal = (proposalId: string) => `/api/v1/templates/proposals/${encodeURIComponent(proposalId)}`;
const teamProposal = (teamId: string, proposalId: string) =>
    `/api/v1/templates/review/teams/${encodeURIComponent(teamId)}/proposals/${encodeURIComponent(proposalId)}`;

/**
 * Role templates (contract/templates.ts has the bodies). Guards: "system admin" = manage_system;
 * "team admin of :teamId" = manage_team on THAT team (system admins pass too); another team's admin
 * and plain members get 403. Errors are `{error: {id, message}}`; 409 on a stale expected_version.
 */
export const TemplateRoutes = {
    /** GET (system admin) → TemplateList (starters included); POST (system admin) CreateTemplateRequest → 201 Template. Audited. */
    templates: '/api/v1/templates',

    /** PUT (system admin) UpdateTemplateRequest → Template; DELETE (system admin) `?expected_version=N` → {deleted: true}. Audited. */
    template,

    /** GET (system admin) → DelegationState; POST (system admin) AssignDelegatedRolesRequest → DelegationState. Audited. */
    delegation: '/api/v1/templates/delegation',

    /** GET (system admin) → CredentialStatus (never the token). */
    credential: '/api/v1/templates/credential',

    /** POST (system admin) {} → CredentialStatus: creates the moderation bot, gives it system_user_manager, stores a new token server-side. Audited (without the token). */
    credentialGrant: '/api/v1/templates/credential/grant',

    /** POST (system admin) {} → CredentialStatus: revokes the token and removes the role. Audited. */
    credentialRevoke: '/api/v1/templates/credential/revoke',

    /** GET (system admin) → ProposalList; POST (system admin) CreateProposalRequest → 201 ProposalDetail (DMs the team admins). Audited. */
    proposals: '/api/v1/templates/proposals',

    /** GET (system admin) → ProposalDetail: per team and channel status, current vs proposed, reasons. */
    proposal,

    /** GET (signed-in user) → MyReviewTeams: teams where the caller is team admin, with pending counts (empty for others). */
    myReviewTeams: '/api/v1/templates/review/teams',

    /** GET (team admin of :teamId) → TeamInbox: the proposals for that team. */
    teamInbox: (teamId: string) => `/api/v1/templates/review/teams/${encodeURIComponent(teamId)}`,

    /** GET (team admin of :teamId) → TeamReview: that team's channels of the proposal, current vs proposed, diff. */
    teamProposal,

    /** POST (team admin of :teamId) DecideRequest → TeamReview. Approved channels are applied, read back and audited. */
    decide: (teamId: string, proposalId: string) => `${teamProposal(teamId, proposalId)}/decide`,

    /** POST (team admin of :teamId) ChannelSelectionRequest → TeamReview: applied channels → settings recorded before. Audited. */
    rollback: (teamId: string, proposalId: string) => `${teamProposal(teamId, proposalId)}/rollback`,

    /** POST (team admin of :teamId) ChannelSelectionRequest → TeamReview: failed / needs_license channels applied again. Audited. */
    retry: (teamId: string, proposalId: string) => `${teamProposal(teamId, proposalId)}/retry`,

    /**
     * POST (signed-in user; called by the server for the DM buttons through
     * `POST /api/v4/posts/{post_id}/actions/{action_id}`) PostActionIntegrationRequest →
     * PostActionIntegrationResponse. The handler checks the clicking user is team admin of the button's team.
     */
    action: '/api/v1/templates/actions',
} as const;

/** The stakeholder status page (contract/stakeholders.ts has the bodies). */
export const StakeholderRoutes = {
    /** GET StakeholderStatus: system admins and the users/groups in the access list; everybody else 403. */
    status: '/api/v1/stakeholders/status',

    /** GET StakeholderAccessResponse; PUT SaveStakeholderAccessRequest (409 on a stale expected_version). System admins only. */
    access: '/api/v1/stakeholders/access',

    /** GET StakeholderPageAccess: whether the caller may open the status page. Any signed-in user; only about the caller. */
    allowed: '/api/v1/stakeholders/allowed',
} as const;
