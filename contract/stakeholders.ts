import {z} from 'zod';

import {AdoptionMetricSchema, AdoptionNumbersSchema, TargetBaseSchema} from './adoption';
import {lazySchema} from './lazy';
import {manifest} from './manifest';
import {ExpectedVersionSchema} from './versioned';
import {WaveStateSchema} from './waves';

// The stakeholder status page: a read-only roll-out summary for the project team (project
// manager, help desk, champions) who are not system admins. Who may read it is a list of users and
// groups a system admin keeps (versioned, audited). The status answer carries COUNTS ONLY: no user
// names, emails or ids (jest and the E2E test check the serialized answer for them).

export const MAX_STAKEHOLDER_USERS = 200;
export const MAX_STAKEHOLDER_GROUPS = 20;

const username = lazySchema(() => z.string().trim().toLowerCase().min(1).max(64).regex(/^[a-z0-9._-]+$/, 'a username: letters, digits, ".", "_" and "-"'));
const groupName = lazySchema(() => z.
    string().
    trim().
    toLowerCase().
    min(1).
    max(64).
    regex(/^[a-z0-9._-]+$/, 'a group name (its @mention name): letters, digits, ".", "_" and "-"'));

function unique<T>(items: readonly T[]): boolean {
    return new Set(items).size === items.length;
}

/** PUT /api/v1/stakeholders/access: the complete lists by name (the server stores ids), based on `expected_version`. */
export const SaveStakeholderAccessRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    usernames: z.array(username).max(MAX_STAKEHOLDER_USERS).refine(unique, {message: 'each user once'}),
    group_names: z.array(groupName).max(MAX_STAKEHOLDER_GROUPS).refine(unique, {message: 'each group once'}),
}));
export type SaveStakeholderAccessRequest = z.input<typeof SaveStakeholderAccessRequestSchema>;

export const StakeholderUserSchema = lazySchema(() => z.object({
    id: z.string(),

    /** '' when the user no longer exists (then `missing`). */
    username: z.string(),
    missing: z.boolean(),
}));
export const StakeholderGroupSchema = lazySchema(() => z.object({
    id: z.string(),
    name: z.string(),
    display_name: z.string(),
    missing: z.boolean(),
}));

/** GET and PUT /api/v1/stakeholders/access (system admins only). */
export const StakeholderAccessResponseSchema = lazySchema(() => z.object({
    /** 0 = never saved: only system admins may see the page. */
    version: z.number().int().min(0),
    users: z.array(StakeholderUserSchema),
    groups: z.array(StakeholderGroupSchema),
    updated_at: z.number(),
}));
export type StakeholderAccessResponse = z.infer<typeof StakeholderAccessResponseSchema>;

const count = lazySchema(() => z.number().int().min(0));

export const StakeholderPhaseSchema = lazySchema(() => z.strictObject({
    title: z.string(),
    required: count,
    completed: count,
    percent: z.number().min(0).max(100),
    complete: z.boolean(),
}));

export const StakeholderWaveSchema = lazySchema(() => z.strictObject({
    name: z.string(),
    state: WaveStateSchema,

    /** When a scheduled wave starts (ms); null when not scheduled. */
    start_at: z.number().nullable(),
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),

    /** Users queued so far, and how many have a result. */
    total: count,
    processed: count,
    added: count,
    already_member: count,
    skipped: count,
    failed: count,
    welcomed: count,
}));
export type StakeholderWave = z.infer<typeof StakeholderWaveSchema>;

export const StakeholderTargetSchema = lazySchema(() => z.strictObject({
    label: z.string(),
    metric: AdoptionMetricSchema,
    kind: z.enum(['count', 'percent']),
    threshold: z.number(),

    /** What a percent threshold is a share of. */
    base: TargetBaseSchema,
    due: z.string(),
    current: z.number().nullable(),
    goal: z.number().nullable(),
    percent: z.number().min(0).max(100),
    status: z.enum(['met', 'on_track', 'overdue', 'unknown']),
}));

export const StakeholderDaySchema = lazySchema(() => z.strictObject({
    day: z.string(),
    daily_active: count,
    weekly_active: count,
    monthly_active: count,
}));

/** GET /api/v1/stakeholders/status: listed stakeholders and system admins; everybody else 403. */
export const StakeholderStatusSchema = lazySchema(() => z.strictObject({
    generated_at: z.number(),
    plan: z.strictObject({
        title: z.string(),
        percent: z.number().min(0).max(100),
        phases: z.array(StakeholderPhaseSchema),
    }),

    /** Running, paused and scheduled first (soonest start first), then drafts, then finished waves. */
    waves: z.array(StakeholderWaveSchema),
    adoption: z.strictObject({
        /** When the numbers were measured (the adoption job's last run); null before any measurement. */
        measured_at: z.number().nullable(),
        numbers: AdoptionNumbersSchema.nullable(),
        targets: z.array(StakeholderTargetSchema),

        /** Active users per day, oldest first, the last 30 days. */
        daily: z.array(StakeholderDaySchema),
    }),
}));
export type StakeholderStatus = z.infer<typeof StakeholderStatusSchema>;

/**
 * GET /api/v1/stakeholders/allowed: may the caller open the status page (a system admin or on the access
 * list). The webapp shows the main-menu entry only then. It answers for the caller alone and says nothing
 * about who else is listed.
 */
export const StakeholderPageAccessSchema = lazySchema(() => z.strictObject({
    allowed: z.boolean(),
}));
export type StakeholderPageAccess = z.infer<typeof StakeholderPageAccessSchema>;

/** Days of active-user history the status page shows. */
export const STAKEHOLDER_DAYS_SHOWN = 30;

/** The page in the normal UI: `/<team name>/<plugin id>/status` (registerNeedsTeamRoute). */
export const StakeholderPage = {
    route: '/status',
    path: (teamName: string) => `/${encodeURIComponent(teamName)}/${manifest.id}/status`,
} as const;
