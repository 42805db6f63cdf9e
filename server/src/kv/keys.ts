import {z} from 'zod';

import {AdoptionSnapshotSchema, AdoptionTargetSchema, LoadSampleSchema} from 'contract/adoption';
import {BrandingVersionSchema, StoredBrandImageSchema} from 'contract/branding';
import {ConfigApplySchema} from 'contract/configsnapshot';
import {JourneyStepSchema} from 'contract/journey';
import {lazySchema} from 'contract/lazy';
import {LoadTestRunSchema} from 'contract/loadtest';
import {PlanContentSchema} from 'contract/plan';
import {AuditEntrySchema} from 'contract/plan_api';
import {PrivacySettingsSchema} from 'contract/privacy';
import {ProbeResultSchema, type ProbeId} from 'contract/probes';
import {CheckStatusSchema, ReadinessReportSchema} from 'contract/readiness';
import {UpdateScheduleSchema} from 'contract/rollout';
import {SizingPlanSchema} from 'contract/sizing';
import {SurveyValuesSchema} from 'contract/survey';
import {
    CredentialUsageSchema,
    StoredCredentialSchema,
    StoredDelegationSchema,
    StoredProposalSchema,
    StoredTeamPartSchema,
    StoredTemplateSchema,
} from 'contract/templates_stored';
import {FeedbackAnswerSchema, UserResultSchema, WaveCountsSchema, WaveDefinitionSchema, WaveStateSchema} from 'contract/waves';

import {plainRecord, versionedRecord} from './records';

// EVERY key the plugin stores, in one list, grouped by namespace (the part before the first colon).
// A capability adds its namespace here rather than building keys in its own folder, so collisions
// and the full storage layout are visible in one file. Per-entity keys are functions of the id,
// e.g. `waveResults: (waveId, shard) => versionedRecord(`wave:${waveId}:results:${shard}`, …)`.
// Namespaces `mutex_` and `cron_` are used by the host's cluster helpers; `mmi_` is reserved by the server.

const PlanChangeSchema = lazySchema(() => z.strictObject({
    at: z.number(),
    action: z.string(),
    target: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    audit_from: z.number().int().min(0),
}));

/** The plan as stored: its content plus who changed it last and when (the version is the record's). */
export const StoredPlanValueSchema = lazySchema(() => z.strictObject({
    content: PlanContentSchema,
    updated_at: z.number(),
    updated_by: z.string(),

    /**
     * The audit entries this write owes, stored in the same compare-and-set as the content, so a crash
     * before they are written can be repaired (plan/store.ts repairPlanAudit): the write's own change, and
     * the changes of the requests written with it in one turn (kv/turn.ts), in order. `by` = who made the
     * change; `audit_from` = the audit total read before it: its entry, if written, has a higher number.
     */
    last_changes: z.array(PlanChangeSchema.extend({by: z.string()})).optional(),

    /** The one change a write owed before writes carried a list (by: `updated_by`); read, never written. */
    last_change: PlanChangeSchema.optional(),

    /**
     * Per task and field: the plan version that last changed it, by whom and when. A task edit based on
     * an older version conflicts only where one of its fields changed since (plan/fieldChanges.ts).
     */
    field_changes: z.record(z.string(), z.record(z.string(), z.strictObject({
        version: z.number().int(),
        by: z.string(),
        at: z.number(),
    }))).optional(),
}));
export type StoredPlanValue = z.infer<typeof StoredPlanValueSchema>;

/** One audit entry as stored: the contract's shape, nothing more; written once, never changed. */
const StoredAuditEntrySchema = lazySchema(() => AuditEntrySchema.strict());

/** A wave's definition as stored (versioned: every admin edit is a compare-and-set). */
export const StoredWaveSchema = lazySchema(() => z.strictObject({
    id: z.string(),
    definition: WaveDefinitionSchema,
    created_at: z.number(),
    created_by: z.string(),
    updated_at: z.number(),
    updated_by: z.string(),
}));
export type StoredWave = z.infer<typeof StoredWaveSchema>;

/** A measured pace (waves/pace.ts): the users some checkpoints recorded and the time they took, pauses and restarts left out. */
export const PacedSchema = lazySchema(() => z.strictObject({users: z.number().int().min(0), ms: z.number().min(0)}));
export type Paced = z.infer<typeof PacedSchema>;

/** A wave's run state: what the engine checkpoints after every batch, and what pause/cancel flip. */
export const WaveRunSchema = lazySchema(() => z.strictObject({
    state: WaveStateSchema,
    start_at: z.number().nullable(),

    /** The cohort has been resolved into the queue. */
    resolved: z.boolean(),

    /** Users queued (wave:<id>:queue:<n> chunks hold indexes [0, queue_len)). */
    queue_len: z.number().int().min(0),

    /**
     * Queue indexes below the cursor have their result, counted in `counts`: the batches run before the
     * queue was sharded, and every shard folded in when the wave finished. From here on the work shards
     * (`wave:<id>:shard:<gen>:<n>`, waves/shards.ts) hold the progress and its counts.
     */
    cursor: z.number().int().min(0),

    /** Queue indexes per work shard, fixed when the run first works in shards (absent: not yet). */
    shard_size: z.number().int().min(1).optional(),

    /** The work shards' generation: a finish folds the shards into `counts` and `cursor` and starts the next one. */
    shard_gen: z.number().int().min(0).optional(),

    /** Queue indexes of failed users to run again (retry-failed), handled before the cursor moves on. */
    retry: z.array(z.number().int().min(0)),

    /** Rolling arrivals (user ids) the engine moves into the queue on its next run. */
    pending: z.array(z.string()),

    /**
     * User ids whose welcome DM may be in flight: announced before the batch posts, taken out by the
     * checkpoint that records them welcomed (waves/welcomeOnce.ts); the retry list's batches announce here,
     * a work shard's batches in the shard's record. Absent in records written before it existed.
     */
    welcoming: z.array(z.string()).optional(),

    /** Milliseconds per user of the latest batches: how the next run sizes its first batch to its time budget. */
    pace_ms: z.number().optional(),

    /**
     * The wave's measured pace (waves/pace.ts): the users its checkpoints recorded and the time they took,
     * pauses and restarts left out. Absent in records written before it existed.
     */
    paced: PacedSchema.optional(),
    counts: WaveCountsSchema,
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
    last_tick_at: z.number().nullable(),
}));
export type WaveRun = z.infer<typeof WaveRunSchema>;

/**
 * One work shard of a running wave (waves/shards.ts): its own cursor, counts and in-flight welcomes, written
 * only by the node holding the shard's lock, so nodes never compare-and-set against each other's progress.
 */
export const WaveShardSchema = lazySchema(() => z.strictObject({
    /** The next queue index of the shard to run; every index below it (in the shard) is checkpointed. */
    cursor: z.number().int().min(0),
    counts: WaveCountsSchema,

    /** The shard's users whose welcome DM may be in flight (as the run's `welcoming`, waves/welcomeOnce.ts). */
    welcoming: z.array(z.string()),
    pace_ms: z.number().optional(),

    /** The shard's measured pace and its latest checkpoint's time (absent in records written before them). */
    paced: PacedSchema.optional(),
    last_at: z.number().optional(),

    /** The run holding the shard: a run that finds another one here lost the shard (its lock expired) and stops. */
    owner: z.string(),

    /** Users checkpointed per node (system.getNodeId): how the work was shared. */
    done_by: z.record(z.string(), z.number().int().min(0)),
}));
export type WaveShard = z.infer<typeof WaveShardSchema>;

/** A wave's journey as stored. */
export const StoredJourneySchema = lazySchema(() => z.strictObject({
    steps: z.array(JourneyStepSchema),
    updated_at: z.number(),
    updated_by: z.string(),
}));
export type StoredJourney = z.infer<typeof StoredJourneySchema>;

/** One person's journey: the steps done (s = sent, k = skipped) and when the last one was. */
export const JourneyPersonSchema = lazySchema(() => z.strictObject({
    steps: z.record(z.string(), z.enum(['s', 'k'])),
    at: z.number(),

    /** The first time the person was seen signed in (Users.LastLogin then), for steps timed from it. */
    signed_in_at: z.number().optional(),

    /** The getting-started items their welcome shows ticked (journey/list.ts bits), once looked at. */
    list: z.number().int().min(0).optional(),

    /** The wave's channels their welcome shows visited: '1' or '0' per target channel, in the wave's order (journey/list.ts). */
    visited: z.string().regex(/^[01]*$/).max(100).optional(),

    /** Their welcome post's id, once found. */
    post: z.string().optional(),
}));
export type JourneyPerson = z.infer<typeof JourneyPersonSchema>;

export const JourneyProgressSchema = lazySchema(() => z.strictObject({
    people: z.record(z.string(), JourneyPersonSchema),

    /** Follow-ups announced before their post, user id → step id: a later run looks for the post before posting again. */
    sending: z.record(z.string(), z.string()),

    /** Nothing in the shard is due before this (ms); 0 = look now. */
    next_at: z.number(),

    /** The journey's version next_at was planned with: an edit of the steps makes every shard look again. */
    journey_version: z.number(),

    /** The run holding the shard (as shards.ts): a run that finds another one here lost it and stops. */
    owner: z.string(),

    /** When the shard's welcomes' getting-started lists were last compared with their people (ms). */
    list_at: z.number().optional(),
}));
export type JourneyProgress = z.infer<typeof JourneyProgressSchema>;

/** Users per queue chunk and per results shard (the same indexes: shard n = queue chunk n). */
export const waveShardSize = 1000;

export const KvKeys = {
    /** bot: the plugin bot's user id, written on every activation. */
    botUserId: plainRecord('bot:user_id', lazySchema(() => z.string())),

    /**
     * plan: the whole roll-out plan in ONE versioned record, so every edit is one compare-and-set.
     * Absent until the first edit: reads fall back to the default plan at version 0. Validated on
     * write only: re-validating a 300-task plan on every GET cost most of its ~55 ms (bench/plan.sh).
     */
    plan: versionedRecord('plan:current', StoredPlanValueSchema, {checkOnRead: false}),

    /** The plan write (its version and time) whose audit entry is known to be stored. */
    planAudited: plainRecord('plan:audited', lazySchema(() => z.strictObject({version: z.number().int(), at: z.number()}))),

    /**
     * The UTC day (YYYY-MM-DD) whose digest an owner was last sent, claimed by compare-and-set BEFORE the DM
     * goes out: two nodes, or a run after a restart, never send one owner two digests on one day.
     */
    planDigestSent: (userId: string) => versionedRecord(`plan:digest:${userId}`, z.strictObject({day: z.string()})),

    /** Owners who muted their daily digest (`/onboarding tasks mute`; `unmute` removes them). */
    planDigestMuted: (userId: string) => plainRecord(`plan:digest_muted:${userId}`, z.strictObject({at: z.number()})),

    /**
     * audit: append-only. `audit:head` counts the entries ever reserved (compare-and-set, so two
     * writers never get the same number); entry n (1-based) lives in its own write-once key
     * `audit:entry:<n>`. A page reads at most per_page keys; no key grows.
     */
    auditHead: versionedRecord('audit:head', lazySchema(() => z.strictObject({count: z.number().int().min(0)}))),
    auditEntry: (seq: number) => versionedRecord(`audit:entry:${seq}`, StoredAuditEntrySchema),

    /** readiness: the last report computed by POST /readiness/run or the readiness.refresh job (a cache). */
    readinessReport: plainRecord('readiness:report', ReadinessReportSchema),

    /** rollout: the project channel and weekly schedule of the bot's status updates (system admins, versioned). */
    rolloutSettings: versionedRecord('rollout:settings', lazySchema(() => z.strictObject({
        channel_id: z.string().nullable(),
        schedule: UpdateScheduleSchema,
        updated_at: z.number(),
        updated_by: z.string(),
    }))),

    /**
     * The last status update: `slot` (the scheduled time it was for, ms; 0 for on-demand posts only so
     * far) is claimed by compare-and-set BEFORE the post, so at most one post per slot across nodes and
     * restarts. `baseline` is what that post reported, the "since the last update" of the next one;
     * absent while a claimed post is on its way.
     */
    rolloutLastUpdate: versionedRecord('rollout:last_update', lazySchema(() => z.strictObject({
        slot: z.number().int().min(0),
        claimed_at: z.number(),
        posted: z.strictObject({at: z.number(), post_id: z.string(), channel_id: z.string()}).nullable(),
        baseline: z.strictObject({
            at: z.number(),
            score: z.number(),
            checks: z.record(z.string(), CheckStatusSchema),
            completed: z.array(z.string()),
        }).nullable(),
    }))),

    /** readiness: each live probe's last answer, its own key so the job and an admin's run never overwrite each other's. */
    readinessProbe: (id: ProbeId) => plainRecord(`readiness:probe:${id}`, ProbeResultSchema),

    /**
     * branding: the history of applied brandings, one write-once key per version (never one growing
     * blob). `branding:head` holds the newest version number; an apply or rollback claims n+1 by
     * compare-and-set on it (a stale expected_version or a concurrent writer → 409), then writes
     * `branding:version:<n+1>`. An uploaded brand image ≤ 1 MB is kept, base64, in
     * `branding:image:<n>` (written once, by the version that uploaded it) so a rollback can re-upload it.
     */
    brandingHead: versionedRecord('branding:head', lazySchema(() => z.strictObject({
        count: z.number().int().min(0),

        // A write in progress (branding/store.ts): what it will record, written with the claim, BEFORE
        // the config is saved; cleared once the version and its audit entry are stored.
        pending: z.strictObject({
            previous: z.number().int().min(0),
            baseline: z.boolean(),
            record: BrandingVersionSchema,
            action: z.string(),
            audit_before: z.unknown().optional(),
            audit_after: z.unknown().optional(),
            audit_from: z.number().int().min(0),
        }).optional(),
    }))),
    brandingVersion: (version: number) => versionedRecord(`branding:version:${version}`, BrandingVersionSchema),
    brandingImage: (version: number) => versionedRecord(`branding:image:${version}`, StoredBrandImageSchema),

    /**
     * waves: `waves:index` lists the wave ids (CAS). Per wave: `wave:<id>:def` (definition, versioned),
     * `wave:<id>:run` (run state + counts, versioned; the engine's checkpoint), the queue of user ids in
     * chunks `wave:<id>:queue:<n>` and the per-user results in shards `wave:<id>:results:<n>` (index i in
     * chunk/shard floor(i / 1000)), so no key grows past 1,000 users. Welcome DMs keep no key per user:
     * the run's `welcoming` list and the results make them exactly-once (waves/welcomeOnce.ts);
     * `wave:<id>:rolling:<userId>` marks a rolling arrival already queued. A running wave's progress is in
     * work shards `wave:<id>:shard:<gen>:<n>` (waves/shards.ts), summed with the run's counts on read.
     */
    wavesIndex: versionedRecord('waves:index', lazySchema(() => z.strictObject({ids: z.array(z.string())}))),
    waveDef: (waveId: string) => versionedRecord(`wave:${waveId}:def`, StoredWaveSchema, {checkOnRead: false}),
    waveRun: (waveId: string) => versionedRecord(`wave:${waveId}:run`, WaveRunSchema, {checkOnRead: false}),
    waveQueue: (waveId: string, chunk: number) =>
        versionedRecord(`wave:${waveId}:queue:${chunk}`, z.strictObject({ids: z.array(z.string())}), {checkOnRead: false}),
    waveResults: (waveId: string, shard: number) =>
        versionedRecord(`wave:${waveId}:results:${shard}`, z.strictObject({results: z.record(z.string(), UserResultSchema)}), {
            checkOnRead: false,
        }),
    waveShard: (waveId: string, gen: number, shard: number) =>
        versionedRecord(`wave:${waveId}:shard:${gen}:${shard}`, WaveShardSchema, {checkOnRead: false}),
    waveRolling: (waveId: string, userId: string) => plainRecord(`wave:${waveId}:rolling:${userId}`, z.string()),

    /**
     * The engine's latest batches on this server, as (members of the target team, milliseconds per user):
     * what the dry run's estimate learns its per-user cost from (waves/pace.ts). A bounded list, one CAS per batch.
     */
    wavePaceSamples: versionedRecord('waves:pace_samples', lazySchema(() => z.strictObject({
        samples: z.array(z.strictObject({members: z.number().min(0), ms_per_user: z.number().min(0), users: z.number().int().min(1)})),
    }))),

    /** Channels the wave created (or found) when it started: written before the first batch, read on every later start. */
    waveChannels: (waveId: string) =>
        versionedRecord(
            `wave:${waveId}:channels`,
            z.strictObject({
                channels: z.array(
                    z.strictObject({team_id: z.string(), name: z.string(), channel_id: z.string(), created: z.boolean()}),
                ),
            }),
        ),

    /** Feedback answers, user id → answer, in 16 shards by user id (one CAS per click; counts are summed on read). */
    waveFeedback: (waveId: string, shard: number) =>
        versionedRecord(
            `wave:${waveId}:feedback:${shard}`,
            z.strictObject({answers: z.record(z.string(), z.strictObject({answer: FeedbackAnswerSchema, at: z.number()}))}),
        ),

    /**
     * journey (waves' follow-ups, server/src/journey): `journey:<waveId>` the steps (versioned: 409 on
     * stale); `journey:<waveId>:progress:<n>` each person's steps done, for the people of the wave's
     * results shard n, with the follow-ups announced before posting (the welcome's exactly-once
     * scheme); `journey:<waveId>:stop:<n>` who clicked "No more tips", in 16 shards by user id.
     */
    journey: (waveId: string) => versionedRecord(`journey:${waveId}`, StoredJourneySchema),
    journeyProgress: (waveId: string, shard: number) =>
        versionedRecord(`journey:${waveId}:progress:${shard}`, JourneyProgressSchema, {checkOnRead: false}),
    journeyStops: (waveId: string, shard: number) =>
        versionedRecord(`journey:${waveId}:stop:${shard}`, z.strictObject({users: z.record(z.string(), z.number())})),

    /**
     * A survey step's answer sets (server/src/survey), user id → the values, when first given and last
     * changed, in 16 shards by user id: one compare-and-set per submission, results summed on read.
     */
    surveyAnswers: (waveId: string, stepId: string, shard: number) =>
        versionedRecord(
            `survey:${waveId}:${stepId}:${shard}`,
            z.strictObject({
                answers: z.record(z.string(), z.strictObject({values: SurveyValuesSchema, at: z.number(), edited_at: z.number()})),
            }),
        ),

    /** Invitation email marker: "sending" → "sent" (waves/invitation.ts). */
    waveMail: (waveId: string, userId: string) => plainRecord(`wave:${waveId}:mail:${userId}`, z.string()),

    /** The same for a person invited before they had an account: the SHA-256 (hex) of their normalised email. */
    waveMailByEmail: (waveId: string, emailHash: string) => plainRecord(`wave:${waveId}:mail:e:${emailHash}`, z.string()),

    /**
     * adoption: `adoption:current` is the latest measurement (the adoption.refresh job's, one writer);
     * `adoption:day:YYYY-MM-DD` the day's snapshot, created once (compare-and-set on absent: a second node
     * or run loses and keeps the first); `adoption:recent` the last days' snapshots in one record so a
     * page view reads one key, not 90; `adoption:targets` the success targets (versioned: 409 on stale).
     */
    adoptionCurrent: plainRecord('adoption:current', AdoptionSnapshotSchema),
    adoptionDay: (day: string) => versionedRecord(`adoption:day:${day}`, AdoptionSnapshotSchema),
    adoptionRecent: versionedRecord('adoption:recent', lazySchema(() =>
        z.strictObject({days: z.array(AdoptionSnapshotSchema)})), {checkOnRead: false}),
    adoptionTargets: versionedRecord('adoption:targets', lazySchema(() => z.strictObject({targets: z.array(AdoptionTargetSchema)}))),

    /** The server-load samples the adoption job takes on every run (the last few days, one record: one read per page view). */
    adoptionLoad: versionedRecord('adoption:load', lazySchema(() =>
        z.strictObject({samples: z.array(LoadSampleSchema)})), {checkOnRead: false}),

    /**
     * stakeholders: who may read the stakeholder status page, as user and group ids (versioned: 409 on
     * stale; absent = nobody but system admins).
     */
    stakeholdersAccess: versionedRecord('stakeholders:access', lazySchema(() => z.strictObject({
        user_ids: z.array(z.string()),
        group_ids: z.array(z.string()),
        updated_at: z.number(),
        updated_by: z.string(),
    }))),

    /**
     * templates (role templates): `tpl:index` lists template ids (CAS); `tpl:template:<id>` one
     * template (versioned: 409 on a stale edit). `tpl:proposals` lists proposal ids; `tpl:proposal:<id>` the
     * proposal with its copy of the template (written once); `tpl:proposal:<id>:team:<teamId>` that team's
     * channel items (versioned: decisions and status changes are compare-and-sets, one key per team so
     * teams never contend). `tpl:new:<teamId>` lists the proposals waiting for new channels of the team.
     * `tpl:credential` holds the moderation bot's access token: SECRET, read only by templates/credential.ts,
     * never returned, logged, exported or audited. `tpl:credential:usage` its last use;
     * `tpl:delegation` the users given delegated admin roles through the cockpit.
     */
    templatesIndex: versionedRecord('tpl:index', lazySchema(() => z.strictObject({ids: z.array(z.string())}))),
    template: (templateId: string) => versionedRecord(`tpl:template:${templateId}`, StoredTemplateSchema),
    proposalsIndex: versionedRecord('tpl:proposals', lazySchema(() => z.strictObject({ids: z.array(z.string())}))),
    proposal: (proposalId: string) => versionedRecord(`tpl:proposal:${proposalId}`, StoredProposalSchema),
    proposalTeam: (proposalId: string, teamId: string) =>
        versionedRecord(`tpl:proposal:${proposalId}:team:${teamId}`, StoredTeamPartSchema),
    newChannelProposals: (teamId: string) =>
        versionedRecord(`tpl:new:${teamId}`, z.strictObject({proposal_ids: z.array(z.string())})),
    moderationCredential: plainRecord('tpl:credential', StoredCredentialSchema),
    moderationCredentialUsage: plainRecord('tpl:credential:usage', CredentialUsageSchema),
    delegation: versionedRecord('tpl:delegation', StoredDelegationSchema),

    /**
     * loadtest: uploaded load-test results, one write-once key per run (`loadtest:run:<n>`); `loadtest:head`
     * counts the runs (an upload claims n+1 by compare-and-set, then writes its run). `loadtest:target` is
     * the load-test panel's own target of earlier releases: read only to move it into `sizing:plan` once
     * (server/src/sizing/store.ts), then deleted.
     */
    loadTestHead: versionedRecord('loadtest:head', lazySchema(() => z.strictObject({count: z.number().int().min(0)}))),
    loadTestRun: (seq: number) => versionedRecord(`loadtest:run:${seq}`, LoadTestRunSchema),
    legacyLoadTestTarget: versionedRecord('loadtest:target', lazySchema(() => z.strictObject({
        target: z.strictObject({total_users: z.number().int().min(0), concurrent_users: z.number().int().min(0)}),
        updated_at: z.number(),
        updated_by: z.string(),
    }))),

    /** sizing: the plan's saved sizing, which the load-test verification reads (compare-and-set on its version). */
    sizingPlan: versionedRecord('sizing:plan', lazySchema(() => z.strictObject({
        sizing: SizingPlanSchema,
        updated_at: z.number(),
        updated_by: z.string(),
    }))),

    /**
     * cfgapply (configsnapshot): the config patches applied from another environment's snapshot and their
     * rollbacks, one write-once key per change (`cfgapply:change:<n>`) holding the patch and the values it
     * replaced, so a rollback restores exactly those. `cfgapply:head` counts them (claimed by compare-and-set).
     */
    configApplyHead: versionedRecord('cfgapply:head', lazySchema(() => z.strictObject({count: z.number().int().min(0)}))),
    configApply: (seq: number) => versionedRecord(`cfgapply:change:${seq}`, ConfigApplySchema),

    /**
     * privacy (server/src/privacy): `privacy:settings` retention and automatic erasure (versioned: 409 on stale);
     * `privacy:pending` the erasures started and not finished, each with who it erases (user id, the usernames and
     * emails found for them), written BEFORE anything is erased and taken out when all is, so a crash halfway is
     * finished by the next sweep; people the server deactivated wait here until the sweep sees whether they were
     * deleted. `privacy:retained:<waveId>` when a finished wave's per-user data was removed (retention).
     */
    privacySettings: versionedRecord('privacy:settings', PrivacySettingsSchema),
    privacyPending: versionedRecord('privacy:pending', lazySchema(() => z.strictObject({
        items: z.array(z.strictObject({
            /** The user id, or '' for a person known only by email. */
            user_id: z.string(),
            usernames: z.array(z.string()),
            emails: z.array(z.string()),

            /** `erase`: erase now; `deactivated`: the server deactivated the user, erase if they are deleted (or the setting says so). */
            kind: z.enum(['erase', 'deactivated']),
            since: z.number(),
        })),
    }))),
    privacyRetained: (waveId: string) => plainRecord(`privacy:retained:${waveId}`, z.strictObject({at: z.number()})),
} as const;
