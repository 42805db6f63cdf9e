import {z} from 'zod';

import {TargetProgressSchema} from './adoption';
import {lazySchema} from './lazy';
import {TaskStateSchema} from './plan';
import {CheckStatusSchema} from './readiness';
import {ExpectedVersionSchema} from './versioned';
import {WaveStateSchema} from './waves';

// The roll-out at a glance: one summary that the Overview tab shows and the bot's status post to the
// project channel carries, built by one function on the server from the same records the plan,
// readiness, waves and adoption routes answer with. "Since the last update" compares with what the
// last status post saw.

const count = lazySchema(() => z.number().int().min(0));

/** A task named in the summary: due, overdue, blocked or completed since the last update. */
export const SummaryTaskSchema = lazySchema(() => z.object({
    id: z.string(),
    title: z.string(),
    phase_id: z.string(),
    phase_title: z.string(),
    state: TaskStateSchema,
    due_date: z.string().nullable(),

    /** '' without an owner. */
    owner_id: z.string(),

    /** '' without an owner, or when the owner's account no longer exists. */
    owner_username: z.string(),
}));
export type SummaryTask = z.infer<typeof SummaryTaskSchema>;

export const SummaryPhaseSchema = lazySchema(() => z.object({
    id: z.string(),
    title: z.string(),
    required: count,
    completed: count,
    percent: z.number().min(0).max(100),
}));

/** A readiness check whose status differs from the one the last status update saw. */
export const ReadinessChangeSchema = lazySchema(() => z.object({
    id: z.string(),
    title: z.string(),

    /** null: the check did not exist (or there was no update yet). */
    before: CheckStatusSchema.nullable(),
    after: CheckStatusSchema,
}));

export const SummaryWaveSchema = lazySchema(() => z.object({
    id: z.string(),
    name: z.string(),
    state: WaveStateSchema,
    total: count,
    processed: count,
    failed: count,

    /** Milliseconds left at the measured pace; null when not running or not measured yet. */
    eta_ms: z.number().nullable(),
}));

/** How many open role-template proposals there are and how many of their channels still wait for a decision. */
export const SummaryProposalsSchema = lazySchema(() => z.object({
    open: count,
    pending_channels: count,
}));

export const RolloutSummarySchema = lazySchema(() => z.object({
    generated_at: z.number(),

    /** The UTC day the week's window starts from (YYYY-MM-DD): "due this week" is today + 7 days. */
    today: z.string(),
    plan: z.object({
        title: z.string(),
        percent: z.number().min(0).max(100),
        phases: z.array(SummaryPhaseSchema),
    }),

    /** Open tasks due from today to 7 days ahead, soonest first. */
    due_this_week: z.array(SummaryTaskSchema),
    overdue: z.array(SummaryTaskSchema),
    blocked: z.array(SummaryTaskSchema),

    /** Completed (done, or skipped with a reason) since the last update; every completed task before the first. */
    completed_since_last: z.array(SummaryTaskSchema),
    readiness: z.object({
        score: z.number(),
        checked_at: z.number(),

        /** The score the last status update reported; null before the first. */
        previous_score: z.number().nullable(),
        changes: z.array(ReadinessChangeSchema),
    }),
    waves: z.object({
        running: z.array(SummaryWaveSchema),
        scheduled: count,
        completed: count,
    }),
    adoption: z.object({
        measured_at: z.number().nullable(),
        targets: z.array(TargetProgressSchema),
    }),
    proposals: SummaryProposalsSchema,

    /** When the last status update was posted (ms); null before the first. */
    last_update_at: z.number().nullable(),
}));
export type RolloutSummary = z.infer<typeof RolloutSummarySchema>;

// ---- status updates: the project channel and the schedule ----

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const UpdateScheduleSchema = lazySchema(() => z.discriminatedUnion('kind', [
    z.strictObject({kind: z.literal('off')}),
    z.strictObject({
        kind: z.literal('weekly'),

        /** 0 = Sunday … 6 = Saturday, in UTC. */
        weekday: z.number().int().min(0).max(6),

        /** 0–23, UTC. */
        hour: z.number().int().min(0).max(23),
    }),
]));
export type UpdateSchedule = z.infer<typeof UpdateScheduleSchema>;

/** PUT /api/v1/rollout/updates: the channel (null: none chosen) and the schedule, based on `expected_version`. */
export const SaveUpdateSettingsRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    channel_id: z.string().regex(/^[a-z0-9]{26}$/, 'must be a channel id').nullable(),
    schedule: UpdateScheduleSchema,
}).refine((body) => body.schedule.kind === 'off' || body.channel_id !== null, {
    message: 'a weekly schedule needs a channel',
    path: ['channel_id'],
}));
export type SaveUpdateSettingsRequest = z.input<typeof SaveUpdateSettingsRequestSchema>;

/** GET and PUT /api/v1/rollout/updates. */
export const UpdateSettingsResponseSchema = lazySchema(() => z.object({
    /** 0 = never saved. */
    version: z.number().int().min(0),
    channel_id: z.string().nullable(),

    /** The channel's display name and team, for the form; '' when unset or gone. */
    channel_display_name: z.string(),
    team_name: z.string(),
    schedule: UpdateScheduleSchema,

    /** The next scheduled post (ms); null when off. */
    next_at: z.number().nullable(),
    last_update: z.object({at: z.number(), post_id: z.string(), channel_id: z.string()}).nullable(),
}));
export type UpdateSettingsResponse = z.infer<typeof UpdateSettingsResponseSchema>;

/** GET /api/v1/rollout/updates/preview: the exact markdown the next post carries (rendered inert by the webapp). */
export const UpdatePreviewSchema = lazySchema(() => z.object({
    message: z.string(),
    summary: RolloutSummarySchema,
}));
export type UpdatePreview = z.infer<typeof UpdatePreviewSchema>;

/** POST /api/v1/rollout/updates/post: posts now to the chosen channel. */
export const PostUpdateRequestSchema = lazySchema(() => z.strictObject({}));
export const PostUpdateResponseSchema = lazySchema(() => z.object({post_id: z.string(), channel_id: z.string(), at: z.number()}));

// ---- the timeline: read from the audit trail ----

export const TimelineKindSchema = lazySchema(() => z.enum([
    'task_state',
    'task_assigned',
    'evidence_added',
    'task_added',
    'task_removed',
    'plan_imported',
    'readiness_changed',
    'wave_started',
    'wave_finished',
    'status_posted',
]));
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

export const TimelineEntrySchema = lazySchema(() => z.object({
    /** The audit entry's id and the kind (one audit entry may stand for several events): the timeline is a view of the audit trail. */
    id: z.string(),
    at: z.number(),
    user_id: z.string(),
    kind: TimelineKindSchema,

    /** The audit target, e.g. `task:planning.requirements`, `wave:<id>`, `readiness`. */
    target: z.string(),

    /** What changed, as short values (a state, a user id, a score, a link); '' when not applicable. */
    from: z.string(),
    to: z.string(),
}));
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** GET /api/v1/rollout/timeline?before=&per_page=: newest first; `next_before` continues (null at the start). */
export const TimelinePageSchema = lazySchema(() => z.object({
    entries: z.array(TimelineEntrySchema),
    next_before: z.number().int().nullable(),
}));
export type TimelinePage = z.infer<typeof TimelinePageSchema>;

export const TIMELINE_MAX_PER_PAGE = 100;
