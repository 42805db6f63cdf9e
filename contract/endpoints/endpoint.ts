import {z} from 'zod';

import type {ErrorId} from '../errors';

// One HTTP endpoint of the plugin, declared once for both sides: its method, its path pattern
// (`:name` segments, whose names the types read), who may call it, the query and body schemas and
// the answer's schema. The server's router registers a handler against the declaration (it parses
// the request with these schemas and applies the guard the access names), the webapp's client
// builds the URL and checks the answer with them, and the route table the real-server hardening
// tests read is generated from them. The shape follows ts-rest's contracts; a module of our own
// because ts-rest's server adapters target Express/Next and the server side runs in goja.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint, as data: the server maps each kind to its guard, and the route table
 * (→ the e2e authorization matrix and SECURITY.md) derives the expected answer for every caller.
 */
export type GuardAccess =

    /** Any signed-in user, bots included. */
    | {readonly kind: 'user'}

    /** System admins (manage_system) only. */
    | {readonly kind: 'systemAdmin'}

    /**
     * Who may see the cockpit in the System Console: system admins and anyone with read access to the
     * console's Plugins section (sysconsole_read_plugins, e.g. system_read_only_admin). For reads only.
     */
    | {readonly kind: 'consoleReader'}

    /** Admins of the team named by the request (manage_team on it); system admins too. */
    | {readonly kind: 'teamAdmin'; readonly team: {readonly in: 'param' | 'query' | 'body'; readonly name: string}}

    /** System admins and the users on a list a system admin keeps (e.g. stakeholders); `list` names where it is kept. */
    | {readonly kind: 'listed'; readonly list: string}

    /**
     * The owner of the plan task the request names (`task` says where its id is): the server reads the plan
     * and refuses anyone else, system admins included (they edit through the plan routes).
     */
    | {readonly kind: 'taskOwner'; readonly task: {readonly in: 'param'; readonly name: string}}

    /** An interactive message action posted back by the server for a signed-in user; the handler checks the context. */
    | {readonly kind: 'actionCallback'}

    /** Anything else: `rule` says who, in words; the authorization matrix needs an explicit expectation for it. */
    | {readonly kind: 'custom'; readonly rule: string};

/** The names of a path pattern's `:name` segments, as a union ('/teams/:teamId/x/:id' → 'teamId' | 'id'). */
export type ParamNames<Path extends string> =
    Path extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> :
        Path extends `${string}:${infer Name}` ? Name : never;

/** The values of a path pattern's parameters, by name. */
export type PathParams<Path extends string> = {readonly [Name in ParamNames<Path>]: string};

/** The answer of an endpoint that serves a file (Content-Disposition: attachment) rather than JSON. */
export const fileAnswer = {file: true} as const;
export type FileAnswer = typeof fileAnswer;

export function isFileAnswer(answer: z.ZodType | FileAnswer): answer is FileAnswer {
    return answer === fileAnswer;
}

/**
 * Whether a body schema refuses unknown fields (a z.strictObject): a client sending `nmae` instead of
 * `name` must hear about it rather than have the field dropped. Every write's body must be one; the
 * contract's test checks every declaration, and the server checks a body's schema before parsing with it
 * (not at registration, which would build every route's schema in every engine; see lazy.ts).
 */
export function isStrictObject(schema: z.ZodType): boolean {
    return schema instanceof z.ZodObject && schema.def.catchall?._zod.def.type === 'never';
}

/** A query schema: an object of the query's names, each read as its first value (a string) when present. */
export type QuerySchema = z.ZodObject;

export interface Endpoint<
    M extends Method = Method,
    Path extends string = string,
    Query extends QuerySchema | undefined = QuerySchema | undefined,
    Body extends z.ZodType | undefined = z.ZodType | undefined,
    Answer extends z.ZodType | FileAnswer = z.ZodType | FileAnswer,
> {
    readonly method: M;

    /** Relative to `<SiteURL>/plugins/<id>`; `:name` segments are parameters. */
    readonly path: Path;
    readonly access: GuardAccess;
    readonly query: Query;

    /** Writes only: every write has a body, which names the version it is based on where it changes a versioned record. */
    readonly body: Body;
    readonly answer: Answer;

    /** The status of a successful answer. */
    readonly status: 200 | 201;

    /** Writes that take turns under one lock, taken by the host before the bundle runs; see Serialized. */
    readonly serialized?: Serialized;

    /** The path with the parameters filled in, each URL-encoded. */
    toPath(...params: [ParamNames<Path>] extends [never] ? [] : [PathParams<Path>]): string;
}

export type AnyEndpoint = Endpoint;

/**
 * A write that takes turns with the others of the same lock: the host takes the cluster lock `lock`
 * BEFORE the request gets a script engine (so a request waiting its turn holds no engine, whose heap is
 * megabytes), waits at most `waitMs`, then answers 503 `busy`. The handler runs with the lock held and
 * sees its name in the request's `locks`. The Go host reads these declarations from a generated table
 * (server/host/serialized_gen.go, `make routes`).
 */
export interface Serialized {
    readonly lock: string;
    readonly waitMs: number;
    readonly busy: {readonly id: ErrorId; readonly message: string};
}

/** The query and body a handler gets (parsed: defaults applied), from the declaration. */
export type QueryOf<E extends AnyEndpoint> = E['query'] extends z.ZodType ? z.output<E['query']> : Record<string, never>;
export type BodyOf<E extends AnyEndpoint> = E['body'] extends z.ZodType ? z.output<E['body']> : undefined;

/** The body a caller sends (before defaults) and what it receives: the parsed answer, or a file's text. */
export type BodyInputOf<E extends AnyEndpoint> = E['body'] extends z.ZodType ? z.input<E['body']> : undefined;
export type AnswerOf<E extends AnyEndpoint> = E['answer'] extends z.ZodType ? z.output<E['answer']> : string;

/** The names of a path pattern's parameters, in order. */
export function paramNames(path: string): string[] {
    return path.split('/').filter((segment) => segment.startsWith(':')).map((segment) => segment.slice(1));
}

function pathBuilder(path: string): (params?: Readonly<Record<string, string>>) => string {
    return (params) => path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
        const value = params?.[name];
        if (value === undefined) {
            throw new Error(`${path}: no value for :${name}`);
        }
        return encodeURIComponent(value);
    });
}

interface ReadSpec<Query, Answer> {
    access: GuardAccess;
    query?: Query;
    answer: Answer;
}

interface WriteSpec<Query, Body, Answer> {
    access: GuardAccess;
    query?: Query;
    body: Body;
    answer: Answer;
    status?: 201;
    serialized?: Serialized;
}

/** A GET: no body; the server hands its handler read-only views only. */
export function read<Path extends string, Answer extends z.ZodType | FileAnswer, Query extends QuerySchema | undefined = undefined>(
    path: Path,
    spec: ReadSpec<Query, Answer>,
): Endpoint<'GET', Path, Query, undefined, Answer> {
    return {
        method: 'GET',
        path,
        access: spec.access,
        query: spec.query as Query,
        body: undefined,
        answer: spec.answer,
        status: 200,
        toPath: pathBuilder(path),
    };
}

/** A POST, PUT, PATCH or DELETE: always with a body schema (a z.strictObject, so unknown fields are refused). */
export function write<
    M extends Exclude<Method, 'GET'>,
    Path extends string,
    Body extends z.ZodType,
    Answer extends z.ZodType | FileAnswer,
    Query extends QuerySchema | undefined = undefined,
>(method: M, path: Path, spec: WriteSpec<Query, Body, Answer>): Endpoint<M, Path, Query, Body, Answer> {
    return {
        method,
        path,
        access: spec.access,
        query: spec.query as Query,
        body: spec.body,
        answer: spec.answer,
        status: spec.status ?? 200,
        ...(spec.serialized ? {serialized: spec.serialized} : {}),
        toPath: pathBuilder(path),
    };
}

/** The access kinds every endpoint uses by name. */
export const Access = {
    user: {kind: 'user'},
    systemAdmin: {kind: 'systemAdmin'},
    consoleReader: {kind: 'consoleReader'},
    teamAdminOfParam: (name: string): GuardAccess => ({kind: 'teamAdmin', team: {in: 'param', name}}),
    taskOwnerOfParam: (name: string): GuardAccess => ({kind: 'taskOwner', task: {in: 'param', name}}),
} as const satisfies Record<string, GuardAccess | ((name: string) => GuardAccess)>;
