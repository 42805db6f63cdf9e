import {z} from 'zod';

import {lazySchema} from './lazy';
import {ExpectedVersionSchema} from './versioned';

// Personal data in the cockpit (SECURITY.md "Data protection"): a system admin finds a person (by
// username, email or user id), sees how many of the cockpit's records name them, and erases them; the
// server permanently deleting a user does the same on its own. Retention: completed waves' per-user
// data is removed a set number of days after they finished, their counts kept.

/** Who to erase: a user (by id) or a person who never had an account (by the email of the cohort file). */
export const EraseRequestSchema = lazySchema(() => z.strictObject({
    user_id: z.string().regex(/^[a-z0-9]{26}$/, 'must be a user id').nullable().default(null),
    email: z.string().trim().min(3).max(128).regex(/^[^@\s]+@[^@\s]+$/, 'not an email').nullable().default(null),
}).refine((body) => (body.user_id === null) !== (body.email === null), {message: 'give exactly one of user_id and email'}));
export type EraseRequest = z.output<typeof EraseRequestSchema>;

/** How many records named the person, per kind (the same counts before and after erasing: what was found / what was changed). */
export const PersonRecordsSchema = lazySchema(() => z.strictObject({
    wave_results: z.number().int().min(0),
    wave_markers: z.number().int().min(0),
    cohort_rows: z.number().int().min(0),
    feedback_answers: z.number().int().min(0),
    journey_progress: z.number().int().min(0),
    survey_answers: z.number().int().min(0),
    plan_tasks: z.number().int().min(0),
    reminders: z.number().int().min(0),
    access_lists: z.number().int().min(0),
}));
export type PersonRecords = z.infer<typeof PersonRecordsSchema>;

/** No record of any kind: what a search that found nobody answers, and where a count starts. */
export function noPersonRecords(): PersonRecords {
    return Object.fromEntries(Object.keys(PersonRecordsSchema.shape).map((kind) => [kind, 0])) as PersonRecords;
}

/** GET /api/v1/privacy/people?term=: the person a username, email or user id names, and what the cockpit keeps of them. */
export const PersonLookupSchema = lazySchema(() => z.strictObject({
    /** The account, when there is one (deleted accounts have none). */
    user: z.strictObject({id: z.string(), username: z.string(), email: z.string(), deactivated: z.boolean()}).nullable(),

    /** The email searched for when no account has it (a person of a cohort file who never signed up). */
    email: z.string().nullable(),
    records: PersonRecordsSchema,
}));
export type PersonLookup = z.infer<typeof PersonLookupSchema>;

export const EraseResponseSchema = lazySchema(() => z.strictObject({records: PersonRecordsSchema}));
export type EraseResponse = z.infer<typeof EraseResponseSchema>;

/** Retention and automatic erasure, a system admin's settings (versioned: 409 on stale). */
export const PrivacySettingsSchema = lazySchema(() => z.strictObject({
    /** Days after a wave finished when its per-user data is removed (null: kept). */
    retention_days: z.number().int().min(1).max(3650).nullable(),

    /** Erase a person's cockpit data when the server deactivates them too, not only when it deletes them. */
    erase_on_deactivation: z.boolean(),
}));
export type PrivacySettings = z.infer<typeof PrivacySettingsSchema>;
export const defaultPrivacySettings: PrivacySettings = {retention_days: null, erase_on_deactivation: false};

export const SavePrivacySettingsRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    settings: PrivacySettingsSchema,
}));

/** One finished wave's retention: when its per-user data goes (or went). */
export const WaveRetentionSchema = lazySchema(() => z.strictObject({
    wave_id: z.string(),
    finished_at: z.number(),

    /** When the sweep removes it (null: retention off). */
    removes_at: z.number().nullable(),

    /** When it was removed (the wave's counts are kept). */
    removed_at: z.number().nullable(),
}));
export type WaveRetention = z.infer<typeof WaveRetentionSchema>;

export const PrivacyStateSchema = lazySchema(() => z.strictObject({
    version: z.number().int().min(0),
    settings: PrivacySettingsSchema,
    waves: z.array(WaveRetentionSchema),

    /** Erasures started and not yet finished (a crash halfway: the sweep finishes them). */
    pending: z.number().int().min(0),
}));
export type PrivacyState = z.infer<typeof PrivacyStateSchema>;

export const SweepRequestSchema = lazySchema(() => z.strictObject({}));
export const SweepResponseSchema = lazySchema(() =>
    z.strictObject({erased: z.number().int().min(0), waves_removed: z.number().int().min(0)}));
export type SweepResponse = z.infer<typeof SweepResponseSchema>;
