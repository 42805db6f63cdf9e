import type {z} from 'zod';

import {assertStrictBody, parseBody} from './body';
import type {GuardInput, ReadContext, WriteContext} from './context';
import type {Guard} from './guards';
import {compilePath, matchPath, type PathPattern} from './path';
import {Query} from './query';
import {errorResponse, toResponse} from './responses';

import {ApiError, isApiError} from '../errors/apiError';
import type {HttpRequest, HttpResponse} from '../host/abi';
import type {Logger} from '../host/log';
import {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

/** Handlers and hooks may be async; the promise settles within the call because host calls are synchronous. */
export type Awaitable<T> = T | Promise<T>;
export type ReadHandler = (context: ReadContext) => Awaitable<unknown>;
export type WriteHandler<Body> = (context: WriteContext<Body>) => Awaitable<unknown>;

/**
 * How capabilities declare routes. The guard is a required argument, so a route cannot exist
 * without saying who may call it; writes also declare the schema of their body.
 */
export interface RouteRegistry {
    get(path: string, guard: Guard, handler: ReadHandler): void;
    post<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void;
    put<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void;
    patch<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void;
    delete(path: string, guard: Guard, handler: WriteHandler<undefined>): void;
}

/** What the app hands the router for each request. */
export interface RequestEnvironment {
    api: MattermostApi;
    readOnlyApi: ReadOnlyMattermostApi;
    log: Logger;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface MatchedRequest {
    request: HttpRequest;
    guardInput: GuardInput;
    environment: RequestEnvironment;
}

interface Route {
    method: Method;
    pattern: PathPattern;
    guard: Guard;

    /** The body schema of a write route (absent for GET and DELETE). */
    body?: z.ZodType;
    run(matched: MatchedRequest): Awaitable<unknown>;
}

/** A route as declared: what `Router.declarations()` lists (routeTable.ts turns it into the route table). */
export interface RouteDeclaration {
    readonly method: Method;
    readonly path: string;
    readonly guard: Guard;
    readonly body?: z.ZodType;
}

export class Router implements RouteRegistry {
    private readonly routes: Route[] = [];

    get(path: string, guard: Guard, handler: ReadHandler): void {
        this.add('GET', path, guard, undefined, ({request, guardInput, environment}) =>
            handler({...this.base(request, guardInput, environment), api: environment.readOnlyApi, kv: new KvReader(environment.readOnlyApi.kv)}),
        );
    }

    post<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void {
        this.addWrite('POST', path, guard, body, handler);
    }

    put<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void {
        this.addWrite('PUT', path, guard, body, handler);
    }

    patch<Body>(path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void {
        this.addWrite('PATCH', path, guard, body, handler);
    }

    delete(path: string, guard: Guard, handler: WriteHandler<undefined>): void {
        this.add('DELETE', path, guard, undefined, ({request, guardInput, environment}) =>
            handler({...this.base(request, guardInput, environment), api: environment.api, kv: new KvStore(environment.api.kv), body: undefined}),
        );
    }

    /** Every registered route, in registration order, as its capability declared it. */
    declarations(): RouteDeclaration[] {
        return this.routes.map(({method, pattern, guard, body}) => ({method, path: pattern.source, guard, body}));
    }

    /** "GET /api/v1/status (system admin)" per route, for the activation log. */
    describe(): string[] {
        return this.routes.map((route) => `${route.method} ${route.pattern.source} (${route.guard.description})`);
    }

    /** Never rejects: every failure becomes an error response; unexpected ones are logged, not leaked. */
    async handle(request: HttpRequest, environment: RequestEnvironment): Promise<HttpResponse> {
        try {
            return toResponse(await this.route(request, environment));
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

    private route(request: HttpRequest, environment: RequestEnvironment): Awaitable<unknown> {
        const onPath = this.routes.flatMap((route) => {
            const params = matchPath(route.pattern, request.path);
            return params ? [{route, params}] : [];
        });
        if (onPath.length === 0) {
            throw ApiError.notFound(`No route ${request.path}.`);
        }
        const onMethod = onPath.filter(({route}) => route.method === request.method);
        if (onMethod.length === 0) {
            throw ApiError.methodNotAllowed(request.method, request.path);
        }

        // `/waves/new` beats `/waves/:id`: the candidate with the most literal segments wins.
        const {route, params} = onMethod.reduce((best, candidate) =>
            (candidate.route.pattern.literalCount > best.route.pattern.literalCount ? candidate : best),
        );
        const guardInput: GuardInput = {userId: request.userId, params, query: new Query(request.query), api: environment.readOnlyApi};
        route.guard.check(guardInput);
        return route.run({request, guardInput, environment});
    }

    private allowedMethods(path: string): Method[] {
        return [...new Set(this.routes.filter((route) => matchPath(route.pattern, path)).map((route) => route.method))];
    }

    private base(request: HttpRequest, guardInput: GuardInput, environment: RequestEnvironment) {
        return {request, userId: guardInput.userId, params: guardInput.params, query: guardInput.query, log: environment.log};
    }

    private addWrite<Body>(method: Method, path: string, guard: Guard, body: z.ZodType<Body>, handler: WriteHandler<Body>): void {
        assertStrictBody(body, `${method} ${path}`);
        this.add(method, path, guard, body, ({request, guardInput, environment}) =>
            handler({
                ...this.base(request, guardInput, environment),
                api: environment.api,
                kv: new KvStore(environment.api.kv),
                body: parseBody(request.body, body),
            }),
        );
    }

    private add(method: Method, path: string, guard: Guard, body: z.ZodType | undefined, run: Route['run']): void {
        const pattern = compilePath(path);
        if (this.routes.some((route) => route.method === method && route.pattern.shape === pattern.shape)) {
            throw new Error(`route ${method} ${path} is registered twice`);
        }
        this.routes.push({method, pattern, guard, body, run});
    }
}
