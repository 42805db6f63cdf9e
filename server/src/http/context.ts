import type {Query} from './query';

import type {HttpRequest} from '../host/abi';
import type {Logger} from '../host/log';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

/** What a route handler sees. Every route has a guard that requires a user, so `userId` is never ''. */
interface RequestContextBase {
    request: HttpRequest;
    userId: string;

    /** Values of the `:name` segments of the route path. */
    params: Readonly<Record<string, string>>;
    query: Query;
    log: Logger;
}

/**
 * GET handlers: the API and KV are read-only views (the writers are absent from both the type and
 * the object), because a GET must never change state (browsers prefetch, CSRF is not checked on GET).
 */
export interface ReadContext extends RequestContextBase {
    api: ReadOnlyMattermostApi;
    kv: KvReader;
}

/** POST/PUT/PATCH/DELETE handlers: full access, plus the body already validated against the route's schema. */
export interface WriteContext<Body> extends RequestContextBase {
    api: MattermostApi;
    kv: KvStore;
    body: Body;
}

/** What a guard may look at. It runs before the body is read, so anything it needs is in the path or query. */
export interface GuardInput {
    userId: string;
    params: Readonly<Record<string, string>>;
    query: Query;
    api: ReadOnlyMattermostApi;
}
