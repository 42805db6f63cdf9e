import {ErrorIds} from 'contract/errors';

import {ApiError} from '../errors/apiError';

/** Someone else changed the record since the caller read it. HTTP 409: the client reloads and retries. */
export class ConflictError extends ApiError {
    constructor(readonly key: string, readonly expectedVersion: number, readonly actualVersion: number) {
        super(409, ErrorIds.conflict, 'This was changed by someone else in the meantime. Reload and try again.');
        this.name = 'ConflictError';
    }
}
