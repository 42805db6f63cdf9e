// Paths of the plugin's HTTP routes, relative to `<SiteURL>/plugins/<id>`. One list for both sides.
export const Routes = {
    status: '/api/v1/status',
    ping: '/api/v1/ping',
    hostPing: '/api/v1/host/ping',
} as const;
