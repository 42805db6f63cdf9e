import type {ApiErrorBody} from 'contract/errors';

import type {ApiError} from '../errors/apiError';
import type {HttpResponse} from '../host/abi';

/** A file for the browser to save (export routes): the text as is, with Content-Disposition: attachment. */
export class Download {
    constructor(readonly filename: string, readonly contentType: string, readonly text: string) {}
}

const baseHeaders = {
    'Content-Type': 'application/json',

    // Answers depend on the user and change with state: never let a proxy or the browser reuse them.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
};

export function jsonResponse(status: number, body: unknown, extraHeaders: Record<string, string> = {}): HttpResponse {
    if (body === undefined) {
        return {status, headers: {...baseHeaders, ...extraHeaders}};
    }
    return {status, headers: {...baseHeaders, ...extraHeaders}, body: JSON.stringify(body)};
}

/** Keeps a file name to characters that need no quoting or encoding in a header. */
function safeFilename(name: string): string {
    return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'download';
}

/** A handler's result: a Download as a file, undefined as 204, anything else as JSON with the endpoint's status. */
export function toResponse(result: unknown, status: number): HttpResponse {
    if (result instanceof Download) {
        return {
            status: 200,
            headers: {
                ...baseHeaders,
                'Content-Type': result.contentType,
                'Content-Disposition': `attachment; filename="${safeFilename(result.filename)}"`,
            },
            body: result.text,
        };
    }
    return result === undefined ? jsonResponse(204, undefined) : jsonResponse(status, result);
}

export function errorResponse(error: ApiError, extraHeaders?: Record<string, string>): HttpResponse {
    const body: ApiErrorBody = {
        error: {
            id: error.id,
            message: error.message,
            ...(error.conflict ? {conflict: error.conflict} : {}),
            ...(error.field ? {field: error.field} : {}),
        },
    };
    return jsonResponse(error.status, body, extraHeaders);
}
