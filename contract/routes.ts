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
    /** GET WaveProgress. */
    progress: (waveId: string) => `${wave(waveId)}/progress`,
    /** GET ?page=0&per_page=100&outcome=failed → WaveResultsPage. */
    results: (waveId: string) => `${wave(waveId)}/results`,
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
