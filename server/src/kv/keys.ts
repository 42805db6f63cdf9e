import {z} from 'zod';

import {BrandingVersionSchema, StoredBrandImageSchema} from 'contract/branding';
import {PlanContentSchema} from 'contract/plan';
import {ReadinessReportSchema} from 'contract/readiness';

import {plainRecord, versionedRecord} from './records';

// EVERY key the plugin stores, in one list, grouped by namespace (the part before the first colon).
// A capability adds its namespace here rather than building keys in its own folder, so collisions
// and the full storage layout are visible in one file. Per-entity keys are functions of the id,
// e.g. `waveResults: (waveId, shard) => versionedRecord(`wave:${waveId}:results:${shard}`, …)`.
// Namespaces `mutex_` and `cron_` are used by the host's cluster helpers; `mmi_` is reserved by the server.

/** The plan as stored: its content plus who changed it last and when (the version is the record's). */
export const StoredPlanValueSchema = z.strictObject({
    content: PlanContentSchema,
    updated_at: z.number(),
    updated_by: z.string(),
});
export type StoredPlanValue = z.infer<typeof StoredPlanValueSchema>;

/** One audit entry (contract AuditEntry); written once, never changed. */
export const AuditEntrySchema = z.strictObject({
    id: z.string(),
    at: z.number(),
    user_id: z.string(),
    action: z.string(),
    target: z.string(),
    before: z.unknown(),
    after: z.unknown(),
});

export const KvKeys = {
    /** bot: the plugin bot's user id, written on every activation. */
    botUserId: plainRecord('bot:user_id', z.string()),

    /**
     * plan: the whole roll-out plan in ONE versioned record, so every edit is one compare-and-set.
     * Absent until the first edit: reads fall back to the default plan at version 0. Validated on
     * write only: re-validating a 300-task plan on every GET cost most of its ~55 ms (bench/plan.sh).
     */
    plan: versionedRecord('plan:current', StoredPlanValueSchema, {checkOnRead: false}),

    /**
     * audit: append-only. `audit:head` counts the entries ever reserved (compare-and-set, so two
     * writers never get the same number); entry n (1-based) lives in its own write-once key
     * `audit:entry:<n>`. A page reads at most per_page keys; no key grows.
     */
    auditHead: versionedRecord('audit:head', z.strictObject({count: z.number().int().min(0)})),
    auditEntry: (seq: number) => versionedRecord(`audit:entry:${seq}`, AuditEntrySchema),

    /** readiness: the last report computed by POST /readiness/run or the readiness.refresh job (a cache). */
    readinessReport: plainRecord('readiness:report', ReadinessReportSchema),

    /**
     * branding: the history of applied brandings, one write-once key per version (never one growing
     * blob). `branding:head` holds the newest version number; an apply or rollback claims n+1 by
     * compare-and-set on it (a stale expected_version or a concurrent writer → 409), then writes
     * `branding:version:<n+1>`. An uploaded brand image ≤ 1 MB is kept, base64, in
     * `branding:image:<n>` (written once, by the version that uploaded it) so a rollback can re-upload it.
     */
    brandingHead: versionedRecord('branding:head', z.strictObject({count: z.number().int().min(0)})),
    brandingVersion: (version: number) => versionedRecord(`branding:version:${version}`, BrandingVersionSchema),
    brandingImage: (version: number) => versionedRecord(`branding:image:${version}`, StoredBrandImageSchema),
} as const;
