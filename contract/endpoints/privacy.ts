import {z} from 'zod';

import {Access, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {
    EraseRequestSchema,
    EraseResponseSchema,
    PersonLookupSchema,
    PrivacyStateSchema,
    SavePrivacySettingsRequestSchema,
    SweepRequestSchema,
    SweepResponseSchema,
} from '../privacy';

/** Personal data: find a person's records, erase them, retention. System admins only: it names people. */
export const PrivacyEndpoints = {
    /** The person `term` (username, email or user id) names and how many cockpit records name them. */
    person: read('/api/v1/privacy/people', {
        access: Access.systemAdmin,

        // Without a term nobody is named: an empty lookup.
        query: lazySchema(() => z.object({term: z.string().trim().max(128).optional()})),
        answer: PersonLookupSchema,
    }),

    /** Removes the person from every wave, journey, survey, plan and list; audited (the user id, never the data). */
    erase: write('POST', '/api/v1/privacy/erase', {access: Access.systemAdmin, body: EraseRequestSchema, answer: EraseResponseSchema}),

    /** Retention settings and every finished wave's retention date. */
    state: read('/api/v1/privacy', {access: Access.systemAdmin, answer: PrivacyStateSchema}),
    saveSettings: write('PUT', '/api/v1/privacy/settings', {
        access: Access.systemAdmin,
        body: SavePrivacySettingsRequestSchema,
        answer: PrivacyStateSchema,
    }),

    /** Runs the scheduled sweep now (pending erasures, then retention), as the job would. */
    sweep: write('POST', '/api/v1/privacy/sweep', {access: Access.systemAdmin, body: SweepRequestSchema, answer: SweepResponseSchema}),
};
