import {z} from 'zod';

import {lazySchema} from './lazy';
import {cockpitLocales} from './locales';
import {
    UserResultSchema,
    WaveCountsSchema,
    WaveDefinitionSchema,
    WaveStateSchema,
    type DryRunReport,
    type WaveProgress,
    type WaveResponse,
    type WaveResultsPage,
    type WaveSummary,
    type WelcomePreviewResponse,
    type WelcomeTestSendResponse,
} from './waves';
import {WaveAdviceSchema, WaveEstimateSchema, WavePaceSchema} from './waves_pace';
import {DryRunPeopleSchema} from './waves_people';

// Answers of the wave routes as schemas (the interfaces are in ./waves.ts): the webapp validates every
// answer against them. Each schema is typed with its interface, so the two cannot drift apart.
// Objects are not strict: a newer server may add fields an older webapp ignores.

const CsvProblemSchema = lazySchema(() => z.object({line: z.number(), value: z.string(), reason: z.string()}));

export const WaveProgressSchema: z.ZodType<WaveProgress> = lazySchema(() => z.object({
    wave_id: z.string(),
    state: WaveStateSchema,
    total: z.number(),
    processed: z.number(),
    counts: WaveCountsSchema,
    retrying: z.number(),
    pending: z.number(),
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
    last_tick_at: z.number().nullable(),
    pace: WavePaceSchema.optional(),
}));

export const WaveResponseSchema: z.ZodType<WaveResponse> = lazySchema(() => z.object({
    id: z.string(),
    version: z.number(),
    definition: WaveDefinitionSchema,
    state: WaveStateSchema,
    start_at: z.number().nullable(),
    created_at: z.number(),
    created_by: z.string(),
    updated_at: z.number(),
    updated_by: z.string(),
    csv_problems: z.array(CsvProblemSchema),
    progress: WaveProgressSchema,
}));

export const WaveSummaryListSchema: z.ZodType<WaveSummary[]> = lazySchema(() => z.array(z.object({
    id: z.string(),
    version: z.number(),
    name: z.string(),
    state: WaveStateSchema,
    rolling: z.boolean(),
    csv_rows: z.number(),
    progress: WaveProgressSchema,
})));

export const WaveResultsPageSchema: z.ZodType<WaveResultsPage> = lazySchema(() => z.object({
    page: z.number(),
    per_page: z.number(),
    total: z.number(),
    results: z.array(UserResultSchema),
}));

export const DryRunReportSchema: z.ZodType<DryRunReport> = lazySchema(() => z.object({
    cohort_size: z.number(),
    people: DryRunPeopleSchema,
    sources: z.object({csv: z.number(), groups: z.number(), teams: z.number(), email_domains: z.number()}),
    duplicates: z.number(),
    csv_problems: z.array(CsvProblemSchema),
    cannot_add: z.object({deactivated: z.number(), bot: z.number(), guest: z.number(), group_synced: z.number()}),
    membership_checked: z.number(),
    targets: z.array(z.object({
        kind: z.enum(['team', 'channel']),
        id: z.string(),
        name: z.string(),
        role: z.string(),
        would_add: z.number(),
        already_member: z.number(),
        refused: z.number(),
    })),
    target_problems: z.array(z.string()),

    // DryRunExtras (waves_extras.ts): listed so the answer's validation keeps them.
    warnings: z.array(z.string()).optional(),
    channels_to_create: z.array(z.object({team_id: z.string(), name: z.string(), exists: z.boolean()})).optional(),
    smtp_configured: z.boolean().optional(),

    // DryRunPace (waves_pace.ts).
    estimate: WaveEstimateSchema.optional(),
    advice: z.array(WaveAdviceSchema).optional(),
    sample: z.array(z.object({
        user_id: z.string(),
        username: z.string(),
        status: z.enum(['ok', 'deactivated', 'bot', 'guest', 'group_synced']),
        would_join: z.array(z.string()),
        already_in: z.array(z.string()),
        refused_by: z.array(z.string()),
    })),
    welcome_languages: z.array(z.object({locale: z.enum(cockpitLocales), people: z.number(), own_template: z.boolean()})),
    outside_languages: z.number(),
}));

export const WelcomePreviewResponseSchema: z.ZodType<WelcomePreviewResponse> = lazySchema(() => z.object({markdown: z.string()}));
export const WelcomeTestSendResponseSchema: z.ZodType<WelcomeTestSendResponse> = lazySchema(() => z.object({
    markdown: z.string(),
    post_id: z.string(),
    channel_id: z.string(),
}));

/** DELETE /api/v1/waves/:id */
export const DeleteWaveResponseSchema = lazySchema(() => z.object({deleted: z.string()}));
