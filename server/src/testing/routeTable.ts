import type {z} from 'zod';

import {paramNames, type GuardAccess, type Method} from 'contract/endpoints/endpoint';

import type {RouteDeclaration} from '../http/router';

// The route table: every endpoint as data (method, path, who may call, the body's shape), read from
// its declaration in contract/endpoints/ and the guard the router applies for it. routeTable.test.ts
// writes it to e2e/cockpit/testdata/routes.json, where the real-server hardening tests (authorization
// matrix, hostile input) pick up every route, including ones added later, without a hand-written list.

/** One top-level field of a body schema: its zod type with the optional/nullable/default wrappers peeled off. */
export interface BodyField {
    readonly type: string;
    readonly optional: boolean;
    readonly nullable: boolean;
}

export interface RouteTableEntry {
    readonly method: Method;
    readonly path: string;

    /** Names of the `:name` path segments, in order. */
    readonly params: readonly string[];

    /** Who may call, as declared. */
    readonly access: GuardAccess;

    /** The guard's own words, as in the activation log. */
    readonly guard: string;

    /** The body schema (every write, DELETEs included): its top-level fields when it is an object, else just its zod type. */
    readonly body: null | {readonly type: string; readonly strict: boolean; readonly fields: Readonly<Record<string, BodyField>> | null};
}

type AnySchema = z.ZodType & {def: {type: string; innerType?: AnySchema; catchall?: AnySchema}; shape?: Record<string, AnySchema>};

function describeField(schema: AnySchema): BodyField {
    let current = schema;
    let optional = false;
    let nullable = false;

    // Wrappers that do not change what a valid value looks like at the top level.
    for (;;) {
        const type = current.def.type;
        if (
            (type === 'optional' ||
                type === 'default' ||
                type === 'prefault' ||
                type === 'nullable' ||
                type === 'readonly' ||
                type === 'catch') &&
            current.def.innerType
        ) {
            optional ||= type === 'optional' || type === 'default' || type === 'prefault';
            nullable ||= type === 'nullable';
            current = current.def.innerType;
            continue;
        }
        return {type, optional, nullable};
    }
}

function describeBody(schema: z.ZodType | undefined): RouteTableEntry['body'] {
    if (!schema) {
        return null;
    }
    const body = schema as AnySchema;
    if (body.def.type !== 'object' || !body.shape) {
        return {type: body.def.type, strict: false, fields: null};
    }
    const fields = Object.fromEntries(Object.entries(body.shape).map(([name, field]) => [name, describeField(field)]));
    return {type: 'object', strict: body.def.catchall?.def.type === 'never', fields};
}

export function routeTable(declarations: readonly RouteDeclaration[]): RouteTableEntry[] {
    return declarations.map(({endpoint, guard}) => ({
        method: endpoint.method,
        path: endpoint.path,
        params: paramNames(endpoint.path),
        access: endpoint.access,
        guard: guard.description,
        body: describeBody(endpoint.body),
    }));
}
