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
