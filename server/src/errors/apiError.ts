import {type ErrorId, ErrorIds} from 'contract/errors';
import type {FieldConflict} from 'contract/plan_api';

/**
 * An error meant for the HTTP client: the router answers `{error: {id, message}}` with `status`.
 * Anything else thrown by a handler is a bug and becomes a 500 whose detail is only logged.
 */
export class ApiError extends Error {
    /** Set on a task field's 409 only: what the other person saved (the answer's `error.conflict`). */
    conflict?: FieldConflict;

    /** Set on a 400 for a body or query its schema refuses: the first problem's path (the answer's `error.field`). */
    field?: string;

    constructor(readonly status: number, readonly id: ErrorId, message: string) {
        super(message);
        this.name = 'ApiError';
    }

    static unauthenticated(): ApiError {
        return new ApiError(401, ErrorIds.unauthenticated, 'You must be signed in.');
    }

    static forbidden(message = 'You do not have permission to do this.'): ApiError {
        return new ApiError(403, ErrorIds.forbidden, message);
    }

    static notFound(message = 'Not found.'): ApiError {
        return new ApiError(404, ErrorIds.notFound, message);
    }

    static methodNotAllowed(method: string, path: string): ApiError {
        return new ApiError(405, ErrorIds.methodNotAllowed, `${method} is not allowed on ${path}.`);
    }

    static badJson(detail: string): ApiError {
        return new ApiError(400, ErrorIds.badJson, `The request body is not valid JSON: ${detail}`);
    }

    static invalid(message: string, field?: string): ApiError {
        const error = new ApiError(400, ErrorIds.invalid, message);
        if (field) {
            error.field = field;
        }
        return error;
    }

    static internal(): ApiError {
        return new ApiError(500, ErrorIds.internal, 'An unexpected error occurred; the plugin log has the details.');
    }
}

export function isApiError(error: unknown): error is ApiError {
    return error instanceof ApiError;
}
