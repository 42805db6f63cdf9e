import {z} from 'zod';

import {Access, fileAnswer, read, write} from './endpoint';

import {
    ApplyBrandingRequestSchema,
    ApplyBrandingResponseSchema,
    BrandingHistoryPageSchema,
    BrandingStateSchema,
    RollbackBrandingRequestSchema,
    RollbackBrandingResponseSchema,
    StoredBrandImageSchema,
} from '../branding';
import {lazySchema} from '../lazy';

/** The branding studio. Every write names the history version it is based on (409 when stale). */
export const BrandingEndpoints = {
    branding: read('/api/v1/branding', {access: Access.consoleReader, answer: BrandingStateSchema}),
    apply: write('POST', '/api/v1/branding/apply', {
        access: Access.systemAdmin,
        body: ApplyBrandingRequestSchema,
        answer: ApplyBrandingResponseSchema,
    }),

    /** `page` counts from 0; newest first. */
    history: read('/api/v1/branding/history', {
        access: Access.consoleReader,
        query: lazySchema(() => z.object({page: z.string().optional()})),
        answer: BrandingHistoryPageSchema,
    }),
    rollback: write('POST', '/api/v1/branding/rollback', {
        access: Access.systemAdmin,
        body: RollbackBrandingRequestSchema,
        answer: RollbackBrandingResponseSchema,
    }),

    /** The bytes of a brand image kept with a history version, for the webapp to upload again on rollback. */
    image: read('/api/v1/branding/images/:version', {access: Access.consoleReader, answer: StoredBrandImageSchema}),

    /** A managed-configuration file for the desktop or mobile apps (PresetKinds). */
    preset: read('/api/v1/branding/presets/:kind', {access: Access.consoleReader, answer: fileAnswer}),
};
