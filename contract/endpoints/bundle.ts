import {Access, fileAnswer, read, write} from './endpoint';

import {
    BundleApplyRequestSchema,
    BundleApplySchema,
    BundleExportQuerySchema,
    BundlePreviewRequestSchema,
    BundlePreviewSchema,
} from '../bundle';

/**
 * The staging → production bundle (contract/bundle.ts): export the parts a staging cockpit prepared as one
 * file, preview what importing it would change here, apply the picked parts. System admins only: the
 * file may carry the people of the waves' cohort files.
 */
export const BundleEndpoints = {
    export: read('/api/v1/bundle/export', {access: Access.systemAdmin, query: BundleExportQuerySchema, answer: fileAnswer}),

    /** A write only because the file travels in the body; it changes nothing. */
    preview: write('POST', '/api/v1/bundle/preview', {
        access: Access.systemAdmin,
        body: BundlePreviewRequestSchema,
        answer: BundlePreviewSchema,
    }),

    /** Each picked part applied entirely or not at all; the answer says per part. */
    apply: write('POST', '/api/v1/bundle/apply', {access: Access.systemAdmin, body: BundleApplyRequestSchema, answer: BundleApplySchema}),
};
