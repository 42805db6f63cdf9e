import type {z} from 'zod';

import {isStrictObject} from 'contract/endpoints/endpoint';

import {ApiError} from '../errors/apiError';

/**
 * Refuses a body schema that would silently drop unknown fields (see isStrictObject); checked before a
 * request's body is parsed with it. Use z.strictObject (nested objects too).
 */
export function assertStrictBody(schema: z.ZodType, routeLabel: string): void {
    if (!isStrictObject(schema)) {
        throw new Error(`the body schema of ${routeLabel} must be a z.strictObject so unknown fields are rejected`);
    }
}

/** "body.tags.1: Expected string": where the issue is (`body`, `query`, `answer`), then its path. */
export function describeIssue(where: string, issue: z.core.$ZodIssue): string {
    return `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`;
}

/**
 * The 400 for a body or query its schema refuses: every issue in the English message, and the first
 * one's path (an unknown field's name included) as `field`, for a client to name in its own language.
 */
export function invalidInput(where: string, issues: readonly z.core.$ZodIssue[]): ApiError {
    const first = issues[0];
    const path = first ? [...first.path.map(String), ...(first.code === 'unrecognized_keys' ? first.keys.slice(0, 1) : [])] : [];
    return ApiError.invalid(issues.map((issue) => describeIssue(where, issue)).join('; '), path.join('.'));
}

/** Parses and validates a request body. An empty body counts as `{}` so bodiless actions can use z.strictObject({}). */
export function parseBody<Body>(text: string, schema: z.ZodType<Body>): Body {
    let json: unknown;
    try {
        json = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
        throw ApiError.badJson(error instanceof Error ? error.message : String(error));
    }
    const result = schema.safeParse(json);
    if (!result.success) {
        throw invalidInput('body', result.error.issues);
    }
    return result.data;
}
