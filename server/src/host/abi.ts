// The shapes that cross between the Go host and this bundle, besides the bindings.
// The host calls `__plugin.dispatch(hook, argJSON)`; the bundle answers with a JSON string
// (or a promise of one, which must be settled when the call returns: host calls are synchronous).

export type HookName =
    | 'onActivate'
    | 'onDeactivate'
    | 'onConfigurationChange'
    | 'serveHTTP'

    // HttpRequest[] → HttpResponse[]: requests of one serialized route's lock, handed over together while the host holds it.
    | 'serveHTTPBatch'
    | 'runJob'
    | 'userHasBeenCreated'
    | 'userHasJoinedTeam'
    | 'userHasLoggedIn'
    | 'userHasBeenDeactivated'
    | 'channelHasBeenCreated'
    | 'executeCommand';

/** What ServeHTTP hands to the bundle. Header names are canonical (`Content-Type`). */
export interface HttpRequest {
    method: string;

    /** Path below the plugin, e.g. `/api/v1/status` (the server strips `/plugins/<id>`). */
    path: string;

    /** Decoded query: every key with all its values. */
    query: Record<string, string[]>;
    headers: Record<string, string>;

    /** Raw body as UTF-8 text; at most 1 MiB (the host answers 413 before the bundle sees more). */
    body: string;

    /** `Mattermost-User-Id` set by the server for a valid session; '' when anonymous. */
    userId: string;

    /** Who sent the request as the server saw it (plugin.Context); what audit entries record. */
    origin?: RequestOrigin;

    /** The cluster locks the host took for this request before it reached the bundle (an endpoint's `serialized`). */
    locks?: string[];

    /**
     * The caller's system permissions the host asked as the request arrived, before it queued for its turn
     * (the route guard's `systemPermissions`): the guard reads them instead of asking again inside the turn.
     */
    permissions?: Record<string, boolean>;
}

export interface RequestOrigin {
    sessionId: string;
    ipAddress: string;
    userAgent: string;
}

export interface HttpResponse {
    status: number;
    headers?: Record<string, string>;
    body?: string;
}

export interface RunJobArgs {
    jobId: string;
}
