import {
    AdoptionEndpoints,
    AuditEndpoints,
    BrandingEndpoints,
    ConfigSnapshotEndpoints,
    PlanEndpoints,
    ReadinessEndpoints,
    StakeholderEndpoints,
    StatusEndpoints,
    TemplateEndpoints,
    WaveEndpoints,
} from './endpoints';

// Concrete paths of the plugin's HTTP routes, relative to `<SiteURL>/plugins/<id>`, derived from the
// endpoint declarations (contract/endpoints/): a path with parameters is a function that fills them in.

export const Routes = {
    status: StatusEndpoints.status.path,
    ping: StatusEndpoints.ping.path,

    /** Served by the Go host itself, not by the bundle: the benchmark's baseline for the bundle's ping. */
    hostPing: '/api/v1/host/ping',

    /**
     * Served by the Go host, system admins only: GET the plugin process's memory (RSS, Go heap, engines);
     * POST …/engine-cost measures the heap one more script engine holds. Read by bench/memory.sh.
     */
    hostMemory: '/api/v1/host/memory',
    hostEngineCost: '/api/v1/host/memory/engine-cost',
} as const;

export const PlanRoutes = {
    plan: PlanEndpoints.plan.path,
    task: (taskId: string) => PlanEndpoints.updateTask.toPath({taskId}),
    acceptEvidence: (taskId: string) => PlanEndpoints.acceptEvidence.toPath({taskId}),
    phases: PlanEndpoints.addPhase.path,
    phase: (phaseId: string) => PlanEndpoints.updatePhase.toPath({phaseId}),
    phaseTasks: (phaseId: string) => PlanEndpoints.addTask.toPath({phaseId}),
    reorder: PlanEndpoints.reorder.path,
    exportPlan: PlanEndpoints.exportPlan.path,
    importPreview: PlanEndpoints.importPreview.path,
    importPlan: PlanEndpoints.importPlan.path,
    readiness: ReadinessEndpoints.readiness.path,
    readinessRun: ReadinessEndpoints.readinessRun.path,
    readinessProbesRun: ReadinessEndpoints.readinessProbesRun.path,
    configSnapshot: ConfigSnapshotEndpoints.configSnapshot.path,
    configCompare: ConfigSnapshotEndpoints.configCompare.path,
    audit: AuditEndpoints.audit.path,
    auditExport: AuditEndpoints.auditExport.path,
    myTasks: PlanEndpoints.myTasks.path,
    myTask: (taskId: string) => PlanEndpoints.myTaskUpdate.toPath({taskId}),
    taskAction: PlanEndpoints.taskAction.path,
} as const;

export const BrandingRoutes = {
    branding: BrandingEndpoints.branding.path,
    apply: BrandingEndpoints.apply.path,
    history: BrandingEndpoints.history.path,
    rollback: BrandingEndpoints.rollback.path,
    image: (version: number) => BrandingEndpoints.image.toPath({version: String(version)}),
    preset: (kind: string) => BrandingEndpoints.preset.toPath({kind}),
} as const;

const waveId = (id: string) => ({waveId: id});

export const WaveRoutes = {
    waves: WaveEndpoints.list.path,
    wave: (id: string) => WaveEndpoints.wave.toPath(waveId(id)),
    csv: (id: string) => WaveEndpoints.csv.toPath(waveId(id)),
    dryRun: (id: string) => WaveEndpoints.dryRun.toPath(waveId(id)),
    start: (id: string) => WaveEndpoints.start.toPath(waveId(id)),
    pause: (id: string) => WaveEndpoints.pause.toPath(waveId(id)),
    resume: (id: string) => WaveEndpoints.resume.toPath(waveId(id)),
    cancel: (id: string) => WaveEndpoints.cancel.toPath(waveId(id)),
    retryFailed: (id: string) => WaveEndpoints.retryFailed.toPath(waveId(id)),
    tick: (id: string) => WaveEndpoints.tick.toPath(waveId(id)),
    welcomePreview: (id: string) => WaveEndpoints.welcomePreview.toPath(waveId(id)),
    welcomeTestSend: (id: string) => WaveEndpoints.welcomeTestSend.toPath(waveId(id)),
    invitationPreview: (id: string) => WaveEndpoints.invitationPreview.toPath(waveId(id)),
    invitationTestSend: (id: string) => WaveEndpoints.invitationTestSend.toPath(waveId(id)),
    progress: (id: string) => WaveEndpoints.progress.toPath(waveId(id)),
    results: (id: string) => WaveEndpoints.results.toPath(waveId(id)),
    activation: (id: string) => WaveEndpoints.activation.toPath(waveId(id)),
    activationExport: (id: string) => WaveEndpoints.activationExport.toPath(waveId(id)),
    feedbackAction: WaveEndpoints.feedbackAction.path,
} as const;

export const AdoptionRoutes = {
    adoption: AdoptionEndpoints.adoption.path,
    targets: AdoptionEndpoints.targets.path,
    export: AdoptionEndpoints.export.path,
} as const;

export const TemplateRoutes = {
    templates: TemplateEndpoints.templates.path,
    template: (templateId: string) => TemplateEndpoints.update.toPath({templateId}),
    delegation: TemplateEndpoints.delegation.path,
    credential: TemplateEndpoints.credential.path,
    credentialGrant: TemplateEndpoints.credentialGrant.path,
    credentialRevoke: TemplateEndpoints.credentialRevoke.path,
    proposals: TemplateEndpoints.proposals.path,
    proposal: (proposalId: string) => TemplateEndpoints.proposal.toPath({proposalId}),
    myReviewTeams: TemplateEndpoints.myReviewTeams.path,
    teamInbox: (teamId: string) => TemplateEndpoints.teamInbox.toPath({teamId}),
    teamProposal: (teamId: string, proposalId: string) => TemplateEndpoints.teamProposal.toPath({teamId, proposalId}),
    decide: (teamId: string, proposalId: string) => TemplateEndpoints.decide.toPath({teamId, proposalId}),
    rollback: (teamId: string, proposalId: string) => TemplateEndpoints.rollback.toPath({teamId, proposalId}),
    retry: (teamId: string, proposalId: string) => TemplateEndpoints.retry.toPath({teamId, proposalId}),
    action: TemplateEndpoints.action.path,
} as const;

export const StakeholderRoutes = {
    status: StakeholderEndpoints.status.path,
    access: StakeholderEndpoints.access.path,
    allowed: StakeholderEndpoints.allowed.path,
} as const;
