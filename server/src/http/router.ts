import type {z} from 'zod';

import {isFileAnswer, type AnyEndpoint, type BodyOf, type GuardAccess, type PathParams, type QueryOf} from 'contract/endpoints/endpoint';

import {assertStrictBody, describeIssue, invalidInput, parseBody} from './body';
import type {GuardInput, ReadContext, WriteContext} from './context';
import {guardFor, type Guard} from './guards';
import {compilePath, matchPath, type PathPattern} from './path';
import {Query} from './query';
import {Download, errorResponse, toResponse} from './responses';

import {ApiError, isApiError} from '../errors/apiError';
import type {HttpRequest, HttpResponse} from '../host/abi';
import {hostCallsSoFar} from '../host/call';
import type {Logger} from '../host/log';
import {ConflictError} from '../kv/conflictError';
import {KvReader, KvStore} from '../kv/store';
import {KvTurn} from '../kv/turn';
import type {MattermostApi} from '../mattermost/api';
import {type ReadOnlyMattermostApi, readOnlyView} from '../mattermost/readOnly';

/** Handlers and hooks may be async; the promise settles within the call because host calls are synchronous. */
export type Awaitable<T> = T | Promise<T>;

/** What a handler of `E` gets: read-only views for a GET, the parsed body for a write. */
export type HandlerContext<E extends AnyEndpoint> = E['method'] extends 'GET' ?
    ReadContext<PathParams<E['path']>, QueryOf<E>> :
    WriteContext<BodyOf<E>, PathParams<E['path']>, QueryOf<E>>;

/** What a handler of `E` returns: the declared answer (sent with the declared status), or a Download for a file endpoint. */
export type HandlerAnswer<E extends AnyEndpoint> = E['answer'] extends z.ZodType ? z.output<E['answer']> : Download;

export type Handler<E extends AnyEndpoint> = (context: HandlerContext<E>) => Awaitable<HandlerAnswer<E>>;

/**
 * How capabilities serve endpoints: a handler is registered against its declaration in
 * contract/endpoints/, which says who may call (the router applies the guard for that access) and
 * how the query and body are parsed. `guard` is only for the access kinds a capability checks itself
 * (listed, actionCallback, custom); its declared access must equal the endpoint's.
 */
export interface RouteRegistry {
    handle<E extends AnyEndpoint>(endpoint: E, handler: Handler<E>, guard?: Guard): void;
}

/** What the app hands the router for each request. */
export interface RequestEnvironment {
    api: MattermostApi;
    readOnlyApi: ReadOnlyMattermostApi;
    log: Logger;

    /** Set when the request is served in a turn with others (serveTurn). */
    turn?: KvTurn;
}

/**
 * How often a turn whose one write lost to a writer outside the lock (a structure edit, an import) runs its
 * requests again. Each loss means that other write succeeded, and those are rare next to task edits.
 */
const turnAttempts = 5;

export interface RouterOptions {
    /**
     * Checks every JSON answer against the endpoint's declared answer schema, and turns a mismatch into
     * a logged 500. For tests: production skips the cost (the webapp checks what it receives).
     */
    checkAnswers?: boolean;
}

interface MatchedRequest {
    request: HttpRequest;
    guardInput: GuardInput;
    environment: RequestEnvironment;
}

interface Route {
    endpoint: AnyEndpoint;
    pattern: PathPattern;
    guard: Guard;
    run(matched: MatchedRequest): Awaitable<unknown>;
}

/**
 * The bundle's share of a turn, in the Server-Timing header the host completes with the wait for the turn
 * and for an engine: the whole turn's work (every request of it, the store and what waited for it), the
 * part of it spent in host calls (the server's API: KV, users, audit log) and how many, and how many
 * times it ran.
 */
function withTurnTiming(response: HttpResponse, started: {at: number; host: {ms: number; calls: number}}, attempts: number): HttpResponse {
    const host = hostCallsSoFar();
    const timing = `bundle;dur=${Date.now() - started.at}, host;dur=${host.ms - started.host.ms}, ` +
        `hostcalls;desc=${host.calls - started.host.calls}, attempts;desc=${attempts}`;
    return {...response, headers: {...response.headers, 'Server-Timing': timing}};
}

/**
 * `api` whose system permission checks of the request's own user are answered from what the host asked as
 * the request arrived (`request.permissions`, outside any turn); every other check asks the server.
 */
export function withPermissionAnswers(api: ReadOnlyMattermostApi, request: HttpRequest): ReadOnlyMattermostApi {
    const answers = request.permissions;
    if (!answers) {
        return api;
    }
    const permissions: ReadOnlyMattermostApi['permissions'] = {
        ...api.permissions,
        hasSystemPermission: (userId, permission) => {
            const answer = userId === request.userId && request.userId !== '' ? answers[permission] : undefined;
            return typeof answer === 'boolean' ? answer : api.permissions.hasSystemPermission(userId, permission);
        },
    };
    return {...api, permissions};
}

/** A served endpoint with the guard that protects it: what routeTable.ts turns into the route table. */
export interface RouteDeclaration {
    readonly endpoint: AnyEndpoint;
    readonly guard: Guard;
}

function sameAccess(a: GuardAccess | undefined, b: GuardAccess): boolean {
    return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The query's first values, parsed with the endpoint's schema (400 naming the field when they do not fit). */
function parseQuery(endpoint: AnyEndpoint, query: Record<string, readonly string[]>): unknown {
    if (!endpoint.query) {
        return {};
    }
    const firsts = Object.fromEntries(Object.entries(query).flatMap(([name, values]) => (values.length > 0 ? [[name, values[0]]] : [])));
    const result = endpoint.query.safeParse(firsts);
    if (!result.success) {
        throw invalidInput('query', result.error.issues);
    }
    return result.data;
}

export class Router implements RouteRegistry {
    private readonly routes: Route[] = [];

    constructor(private readonly options: RouterOptions = {}) {}

    handle<E extends AnyEndpoint>(endpoint: E, handler: Handler<E>, guard?: Guard): void {
        const label = `${endpoint.method} ${endpoint.path}`;
        const chosen = this.guardFor(endpoint, guard);
        if (!endpoint.body && endpoint.method !== 'GET') {
            throw new Error(`${label} declares no body: every write carries one`);
        }
        const pattern = compilePath(endpoint.path);
        if (this.routes.some((route) => route.endpoint.method === endpoint.method && route.pattern.shape === pattern.shape)) {
            throw new Error(`route ${label} is registered twice`);
        }
        const run = handler as (context: unknown) => Awaitable<unknown>;
        this.routes.push({
            endpoint,
            pattern,
            guard: chosen,
            run: async ({request, guardInput, environment}) => {
                const base = {
                    request,
                    userId: guardInput.userId,
                    params: guardInput.params,
                    query: parseQuery(endpoint, request.query),
                    log: environment.log,
                };
                if (endpoint.method === 'GET') {
                    return this.checked(
                        endpoint,
                        await run({...base, api: environment.readOnlyApi, kv: new KvReader(environment.readOnlyApi.kv)}),
                    );
                }
                assertStrictBody(endpoint.body as z.ZodType, label);
                const body = parseBody(request.body, endpoint.body as z.ZodType);
                return this.checked(endpoint, await run({
                    ...base,
                    api: environment.api,
                    kv: new KvStore(environment.api.kv),
                    body,
                    hostLocks: new Set(request.locks ?? []),
                    turn: environment.turn,
                }));
            },
        });
    }

    /** The endpoints served, in registration order. */
    endpoints(): AnyEndpoint[] {
        return this.routes.map((route) => route.endpoint);
    }

    /** Every served endpoint with its guard, in registration order. */
    declarations(): RouteDeclaration[] {
        return this.routes.map(({endpoint, guard}) => ({endpoint, guard}));
    }

    /** "GET /api/v1/status (system admin)" per route, for the activation log. */
    describe(): string[] {
        return this.routes.map((route) => `${route.endpoint.method} ${route.endpoint.path} (${route.guard.description})`);
    }

    /** Never rejects: every failure becomes an error response; unexpected ones are logged, not leaked. */
    async serve(request: HttpRequest, environment: RequestEnvironment): Promise<HttpResponse> {
        try {
            const {endpoint, result} = await this.route(request, environment);
            return toResponse(result, endpoint.status);
        } catch (error) {
            if (isApiError(error)) {
                return errorResponse(error, error.status === 405 ? {Allow: this.allowedMethods(request.path).join(', ')} : undefined);
            }
            environment.log.error('Unexpected error serving an HTTP request', {
                method: request.method,
                path: request.path,
                error: error instanceof Error ? error.message : String(error),
                stack: (error instanceof Error && error.stack) || '',
            });
            return errorResponse(ApiError.internal());
        }
    }

    /**
     * Requests the host hands over together while it holds their lock (an endpoint's `serialized`), served
     * one after another in ONE turn (kv/turn.ts): the record `key` they all write is read once and stored
     * once, and each request sees the writes of those before it and gets its own answer. When the store
     * loses to a writer outside the lock, nothing was stored and nothing waiting for it ran: the requests
     * run again on a new turn; after `turnAttempts` they are answered `busy` (nothing of theirs stored).
     */
    async serveTurn(requests: HttpRequest[], environment: RequestEnvironment, key: string, busy: ApiError): Promise<HttpResponse[]> {
        const started = {at: Date.now(), host: hostCallsSoFar()};
        for (let attempt = 1; ; attempt++) {
            const turn = new KvTurn(environment.api.kv, key);
            const api: MattermostApi = Object.assign(Object.create(environment.api), {kv: turn.kv});
            const inTurn: RequestEnvironment = {...environment, api, readOnlyApi: readOnlyView(api), turn};
            const responses: HttpResponse[] = [];
            for (const request of requests) {
                // eslint-disable-next-line no-await-in-loop -- one after another: each sees the writes before it.
                responses.push(await this.serve(request, inTurn));
            }
            try {
                turn.commit(environment.log);
                return responses.map((response) => withTurnTiming(response, started, attempt));
            } catch (error) {
                if (!(error instanceof ConflictError)) {
                    throw error;
                }
                if (attempt >= turnAttempts) {
                    return requests.map(() => withTurnTiming(errorResponse(busy), started, attempt));
                }
            }
        }
    }

    /** The built-in guard for the endpoint's access, or the capability's own one, which must declare the same access. */
    private guardFor(endpoint: AnyEndpoint, own: Guard | undefined): Guard {
        const label = `${endpoint.method} ${endpoint.path}`;
        const builtIn = guardFor(endpoint.access);
        if (builtIn && own) {
            throw new Error(`${label}: access ${endpoint.access.kind} has a built-in guard; pass none`);
        }
        const guard = builtIn ?? own;
        if (!guard) {
            throw new Error(`${label}: access ${endpoint.access.kind} needs the capability's own guard`);
        }
        if (!sameAccess(guard.access, endpoint.access)) {
            throw new Error(
                `${label}: the guard "${guard.description}" lets through ${JSON.stringify(guard.access)}, the endpoint ` +
                `declares ${JSON.stringify(endpoint.access)}`,
            );
        }
        return guard;
    }

    private checked(endpoint: AnyEndpoint, result: unknown): unknown {
        const label = `${endpoint.method} ${endpoint.path}`;
        if (isFileAnswer(endpoint.answer)) {
            if (!(result instanceof Download)) {
                throw new Error(`${label} declares a file answer but its handler returned something else`);
            }
            return result;
        }
        if (result instanceof Download) {
            throw new Error(`${label} declares a JSON answer but its handler returned a file`);
        }
        if (this.options.checkAnswers && result !== undefined) {
            const parsed = (endpoint.answer as z.ZodType).safeParse(JSON.parse(JSON.stringify(result)));
            if (!parsed.success) {
                throw new Error(
                    `the answer of ${label} does not match its declared schema: ` +
                    `${parsed.error.issues.map((issue) => describeIssue('answer', issue)).join('; ')}`,
                );
            }
        }
        return result;
    }

    private async route(request: HttpRequest, environment: RequestEnvironment): Promise<{endpoint: AnyEndpoint; result: unknown}> {
        const onPath = this.routes.flatMap((route) => {
            const params = matchPath(route.pattern, request.path);
            return params ? [{route, params}] : [];
        });
        if (onPath.length === 0) {
            throw ApiError.notFound(`No route ${request.path}.`);
        }
        const onMethod = onPath.filter(({route}) => route.endpoint.method === request.method);
        if (onMethod.length === 0) {
            throw ApiError.methodNotAllowed(request.method, request.path);
        }

        // `/waves/new` beats `/waves/:id`: the candidate with the most literal segments wins.
        const {route, params} = onMethod.reduce((best, candidate) =>
            (candidate.route.pattern.literalCount > best.route.pattern.literalCount ? candidate : best),
        );
        const guardInput: GuardInput = {
            userId: request.userId,
            params,
            query: new Query(request.query),
            api: withPermissionAnswers(environment.readOnlyApi, request),
        };
        route.guard.check(guardInput);
        return {endpoint: route.endpoint, result: await route.run({request, guardInput, environment})};
    }

    private allowedMethods(path: string): string[] {
        return [...new Set(this.routes.filter((route) => matchPath(route.pattern, path)).map((route) => route.endpoint.method))];
    }
}
