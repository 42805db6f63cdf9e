import type {Query} from './query';

import type {HttpRequest} from '../host/abi';
import type {Logger} from '../host/log';
import type {KvReader, KvStore} from '../kv/store';
import type {KvTurn} from '../kv/turn';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

type AnyParams = Readonly<Record<string, string>>;
type NoQuery = Readonly<Record<string, never>>;

/**
 * What a route handler sees; the endpoint's declaration (contract/endpoints/) types the params,
 * query and body. Every endpoint has a guard that requires a user, so `userId` is never ''.
 */
interface RequestContextBase<Params, QueryValues> {
    request: HttpRequest;
    userId: string;

    /** Values of the `:name` segments of the route path. */
    params: Params;

    /** The query's first values, parsed with the endpoint's query schema ({} when it declares none). */
    query: QueryValues;
    log: Logger;
}

/**
 * GET handlers: the API and KV are read-only views (the writers are absent from both the type and
 * the object), because a GET must never change state (browsers prefetch, CSRF is not checked on GET).
 */
export interface ReadContext<Params = AnyParams, QueryValues = NoQuery> extends RequestContextBase<Params, QueryValues> {
    api: ReadOnlyMattermostApi;
    kv: KvReader;
}

/** POST/PUT/PATCH/DELETE handlers: full access, plus the body already validated against the endpoint's schema. */
export interface WriteContext<Body, Params = AnyParams, QueryValues = NoQuery> extends RequestContextBase<Params, QueryValues> {
    api: MattermostApi;
    kv: KvStore;
    body: Body;

    /** Cluster locks the host already holds for this request (the endpoint's `serialized`): taking one again would wait for itself. */
    hostLocks: ReadonlySet<string>;

    /** Set when the host handed this request over with others in one turn (kv/turn.ts): writes of its record wait for the commit. */
    turn?: KvTurn;
}

/** What a guard may look at. It runs before the body is read, so anything it needs is in the path or query. */
export interface GuardInput {
    userId: string;
    params: AnyParams;
    query: Query;
    api: ReadOnlyMattermostApi;
}
