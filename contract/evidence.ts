import {z} from 'zod';

import {lazySchema} from './lazy';

// Evidence for a plan task: a link to a document (or a load-test run uploaded to the cockpit) with the
// date the evidence is from, who added it, and a system admin's acceptance. Some tasks' evidence expires
// (a disaster-recovery drill done two years ago proves nothing about today): those tasks need accepted
// evidence younger than their "valid for N days". Both sides derive a task's evidence state with the same
// pure functions, from the task and the day (UTC, as every date the server writes).

export const httpUrl = lazySchema(() => z.string().max(2000).refine((value) => (/^https?:\/\/\S+$/).test(value), 'must be an http(s) link'));
export const isoDate = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'));
const userId = lazySchema(() => z.string().regex(/^[a-z0-9]{26}$/, 'must be a user id'));

/**
 * How long accepted evidence proves the task, per task of the default plan whose evidence expires; an
 * admin may set another number on a task (`evidence_valid_days`).
 */
export const EVIDENCE_VALID_DAYS_DEFAULTS: Readonly<Record<string, number>> = {
    'security.dr-drill': 90,
    'security.backup-restore': 90,
    'security.pentest': 365,
    'security.load-test': 180,
};

export const EVIDENCE_VALID_DAYS_MAX = 3650;

/** One piece of evidence as stored and exported. */
export const EvidenceItemSchema = lazySchema(() => z.strictObject({
    url: httpUrl.nullable().default(null),

    /** The uploaded load-test run (its number) this evidence is, instead of a link. */
    load_test_run: z.number().int().min(1).nullable().default(null),

    /** The day the evidence is from (the drill, the test, the report): what its validity counts from. */
    dated: isoDate.nullable().default(null),
    added_by: z.union([userId, z.literal('')]).default(''),
    added_at: z.number().nullable().default(null),

    /** A system admin's acceptance; null until then. */
    accepted_by: userId.nullable().default(null),
    accepted_at: z.number().nullable().default(null),
}).refine((item) => item.url !== null || item.load_test_run !== null, 'needs a link or a load-test run'));
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

/** A bare link: how plans stored, exported and imported before evidence had dates. Read as an unaccepted, undated item. */
export function evidenceFromLink(url: string): EvidenceItem {
    return {url, load_test_run: null, dated: null, added_by: '', added_at: null, accepted_by: null, accepted_at: null};
}

/** A task's evidence: both shapes are read, the item shape is written. */
export const EvidenceListSchema = lazySchema(() => z.array(z.union([httpUrl.transform(evidenceFromLink), EvidenceItemSchema])));

/** What names one piece of evidence: the same link (or run) of the same day is the same evidence. */
export function evidenceKey(item: Pick<EvidenceItem, 'url' | 'load_test_run' | 'dated'>): string {
    return JSON.stringify([item.url, item.load_test_run, item.dated]);
}

/**
 * - `none`: the task asks for no evidence and has none;
 * - `needs_evidence`: its evidence expires and nothing accepted proves it;
 * - `awaiting_acceptance`: evidence was added that no admin has accepted (and nothing accepted is valid);
 * - `valid`: accepted evidence proves it (until `valid_until`, inclusive, when its evidence expires);
 * - `expired`: the newest accepted evidence expired on `expired_on`: the task needs evidence again.
 */
export const EvidenceStateSchema = lazySchema(() => z.enum(['none', 'needs_evidence', 'awaiting_acceptance', 'valid', 'expired']));
export type EvidenceState = z.infer<typeof EvidenceStateSchema>;

export const EvidenceStatusSchema = lazySchema(() => z.object({
    state: EvidenceStateSchema,

    /** How many days accepted evidence counts for this task; null = it does not expire. */
    valid_days: z.number().int().nullable(),
    valid_until: isoDate.nullable(),
    expired_on: isoDate.nullable(),
}));
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;

export interface EvidenceTask {
    id: string;
    evidence: EvidenceItem[];
    evidence_valid_days: number | null;
}

/** The task's own number, else the default plan's for its id, else null (never expires). */
export function evidenceValidDays(task: Pick<EvidenceTask, 'id' | 'evidence_valid_days'>): number | null {
    return task.evidence_valid_days ?? EVIDENCE_VALID_DAYS_DEFAULTS[task.id] ?? null;
}

const dayMs = 86_400_000;

/** `day` (YYYY-MM-DD) plus `days`, in UTC. */
export function addDays(day: string, days: number): string {
    return new Date(Date.parse(`${day}T00:00:00Z`) + (days * dayMs)).toISOString().slice(0, 10);
}

/**
 * The task's evidence state on `today`. Evidence dated D that is valid for N days proves the task through
 * D + N − 1 and has expired on D + N. `measured` are days of accepted measurements that count as evidence
 * without an item (an admin's load-test upload that reached its target).
 */
export function evidenceStatus(task: EvidenceTask, today: string, measured: readonly string[] = []): EvidenceStatus {
    const days = evidenceValidDays(task);
    const accepted = task.evidence.filter((item) => item.accepted_by !== null);
    const pending = task.evidence.some((item) => item.accepted_by === null);
    const status = (state: EvidenceState, validUntil: string | null = null, expiredOn: string | null = null): EvidenceStatus =>
        ({state, valid_days: days, valid_until: validUntil, expired_on: expiredOn});
    if (days === null) {
        if (accepted.length > 0 || measured.length > 0) {
            return status('valid');
        }
        return status(pending ? 'awaiting_acceptance' : 'none');
    }
    const newest = [...accepted.map((item) => item.dated), ...measured].
        filter((day): day is string => day !== null).
        reduce<string | null>((best, day) => (best === null || day > best ? day : best), null);
    if (newest !== null) {
        const expiresOn = addDays(newest, days);
        if (today < expiresOn) {
            return status('valid', addDays(expiresOn, -1));
        }
        return status(pending ? 'awaiting_acceptance' : 'expired', null, expiresOn);
    }
    return status(pending ? 'awaiting_acceptance' : 'needs_evidence');
}

/** Accepted evidence that is expired, or whose last valid day is within `withinDays` of `today`. */
export function evidenceRunsOut(status: EvidenceStatus, today: string, withinDays: number): boolean {
    if (status.state === 'expired') {
        return true;
    }
    return status.state === 'valid' && status.valid_until !== null && status.valid_until <= addDays(today, withinDays);
}
