import {Access, read, write} from './endpoint';

import {SaveSizingSchema, SizingAnswerSchema} from '../sizing';

/**
 * The plan's sizing, one saved record: console readers see it; only system admins change it (the load-test
 * task's verification is measured against its planned concurrent users).
 */
export const SizingEndpoints = {
    get: read('/api/v1/sizing', {access: Access.consoleReader, answer: SizingAnswerSchema}),
    save: write('PUT', '/api/v1/sizing', {access: Access.systemAdmin, body: SaveSizingSchema, answer: SizingAnswerSchema}),
};
