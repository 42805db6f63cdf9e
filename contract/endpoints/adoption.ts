import {z} from 'zod';

import {Access, fileAnswer, read, write} from './endpoint';

import {ADOPTION_EXPORT_SERIES, AdoptionResponseSchema, SaveTargetsRequestSchema, TargetsResponseSchema} from '../adoption';
import {lazySchema} from '../lazy';

/** Adoption metrics and success targets. */
export const AdoptionEndpoints = {
    adoption: read('/api/v1/adoption', {access: Access.consoleReader, answer: AdoptionResponseSchema}),

    /** The complete list of targets (409 on a stale expected_version). */
    targets: write('PUT', '/api/v1/adoption/targets', {
        access: Access.systemAdmin,
        body: SaveTargetsRequestSchema,
        answer: TargetsResponseSchema,
    }),

    /** A series (daily when absent) as a CSV file. */
    export: read('/api/v1/adoption/export', {
        access: Access.consoleReader,
        query: lazySchema(() => z.object({
            series: z.enum(ADOPTION_EXPORT_SERIES, {error: `must be one of ${ADOPTION_EXPORT_SERIES.join(', ')}`}).optional(),
        })),
        answer: fileAnswer,
    }),
};
