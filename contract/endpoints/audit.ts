import {z} from 'zod';

import {Access, fileAnswer, read} from './endpoint';

import {lazySchema} from '../lazy';
import {AuditPageSchema} from '../plan_api';

/** The audit trail: newest first, paged; the whole trail as a CSV or JSON file. */
export const AuditEndpoints = {
    /** `page` counts from 0; the server checks the ranges. */
    audit: read('/api/v1/audit', {
        access: Access.consoleReader,
        query: lazySchema(() => z.object({page: z.string().optional(), per_page: z.string().optional()})),
        answer: AuditPageSchema,
    }),

    /** `format`: json (the default) or csv. */
    auditExport: read('/api/v1/audit/export', {
        access: Access.consoleReader,
        query: lazySchema(() => z.object({format: z.enum(['csv', 'json'], {error: 'must be csv or json'}).optional()})),
        answer: fileAnswer,
    }),
};
