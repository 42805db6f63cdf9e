import {z} from 'zod';

import {lazySchema} from './lazy';
import {type CockpitLocale, cockpitLocales, localeFor} from './locales';
import {ExpectedVersionSchema} from './versioned';
import {
    type DryRunExtras,
    defaultWaveFeedback,
    defaultWaveInvitation,
    NewChannelTargetSchema,
    WaveFeedbackSchema,
    WaveInvitationSchema,
} from './waves_extras';
import {type DryRunPace, type WavePace} from './waves_pace';
import {type DryRunPeople, defaultNewcomers, NewcomersSchema, PersonSchema} from './waves_people';

// Rollout waves: a cohort of users provisioned into target teams and channels by a checkpointed,
// cluster-safe job, each greeted once by a welcome DM from the plugin bot.
//
// CSV: the webapp parses the uploaded file with a CSV library and POSTs the cells as rows
// `{line, value}` (line = the 1-based line in the file, so errors point at it); a file with named
// columns (waves_people.ts) also sends each row's `person`, and `value` is its email, else its username.
// The server validates
// every row; a bad row is reported with its line and reason (`csv_problems`), never dropped silently.
// The host refuses request bodies over 1 MiB (413 cockpit.request.too_large).

export const WaveStateSchema = lazySchema(() =>
    z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'completed_with_failures', 'cancelled']));
export type WaveState = z.infer<typeof WaveStateSchema>;

export const maxCsvRows = 50000;
const id = lazySchema(() => z.string().min(1).max(64));

export const CsvRowSchema = lazySchema(() => z.strictObject({
    line: z.number().int().min(1),
    value: z.string().max(320),

    /** The row's named columns (absent in a one-column file). */
    person: PersonSchema.optional(),
}));
export type CsvRow = z.infer<typeof CsvRowSchema>;

export const CohortSchema = lazySchema(() => z.strictObject({
    /** Usernames or emails (one value per row). */
    csv: z.array(CsvRowSchema).max(maxCsvRows).default([]),

    /** Mattermost groups (custom or LDAP-synced) whose members join. */
    group_ids: z.array(id).max(100).default([]),

    /** Teams whose members join. */
    team_ids: z.array(id).max(100).default([]),

    /** Email domains, e.g. "example.com" (matches user@example.com, not user@sub.example.com). */
    email_domains: z.array(z.string().min(1).max(253).regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'not a domain')).max(50).default([]),

    /**
     * Only the people who read one of these languages (localeFor: their Mattermost locale, else the
     * server's default; a person of the file without an account by the locale the wave gives the account,
     * else the server's default); absent or empty = everybody the sources name.
     */
    locales: z.array(z.enum(cockpitLocales)).max(cockpitLocales.length).
        refine((list) => new Set(list).size === list.length, {message: 'a language is listed twice'}).
        optional(),
}));
export type Cohort = z.infer<typeof CohortSchema>;

/** Whether a person whose Mattermost locale is `locale` belongs to a cohort filtered by language. */
export const speaksCohortLanguage = (cohort: Pick<Cohort, 'locales'>, locale: string | undefined | null, serverDefault: string): boolean =>
    !cohort.locales?.length || cohort.locales.includes(localeFor(locale, serverDefault));

/**
 * Default preferences a wave can give its users (a curated set of real Mattermost preference rows,
 * model/preference.go and the webapp's constants): applied after provisioning, each only when the user
 * has no row of that category and name yet, so nothing a user chose is overwritten. `name: null` means
 * the user's own id (how the webapp keys its tutorial progress).
 */
export const defaultPreferenceCatalogue = {
    collapsed_reply_threads: {category: 'display_settings', name: 'collapsed_reply_threads', values: ['on', 'off']},
    message_display: {category: 'display_settings', name: 'message_display', values: ['clean', 'compact']},
    use_military_time: {category: 'display_settings', name: 'use_military_time', values: ['false', 'true']},
    name_format: {category: 'display_settings', name: 'name_format', values: ['username', 'nickname_full_name', 'full_name']},
    link_previews: {category: 'display_settings', name: 'collapse_previews', values: ['false', 'true']},

    /** Email notification batching in seconds: immediately (30), every 15 minutes, every hour. */
    email_interval: {category: 'notifications', name: 'email_interval', values: ['30', '900', '3600']},

    /** 999 = the channels tour finished, so it does not start on first login. */
    skip_tour: {category: 'tutorial_step', name: null, values: ['999']},
} as const satisfies Record<string, {category: string; name: string | null; values: readonly string[]}>;
export type DefaultPreferenceKey = keyof typeof defaultPreferenceCatalogue;
export const defaultPreferenceKeys = Object.keys(defaultPreferenceCatalogue) as DefaultPreferenceKey[];

export const DefaultPreferenceSchema = lazySchema(() => z.
    strictObject({
        key: z.enum(defaultPreferenceKeys as [DefaultPreferenceKey, ...DefaultPreferenceKey[]]),
        value: z.string().max(20),
    }).
    refine((preference) => (defaultPreferenceCatalogue[preference.key].values as readonly string[]).includes(preference.value), {
        message: 'not a value of this preference',
        path: ['value'],
    }));
export type DefaultPreference = z.infer<typeof DefaultPreferenceSchema>;

export const TeamTargetSchema = lazySchema(() => z.strictObject({team_id: id, role: z.enum(['member', 'team_admin']).default('member')}));
export const ChannelTargetSchema = lazySchema(() => z.strictObject({
    channel_id: id,
    role: z.enum(['member', 'channel_admin']).default('member'),

    /**
     * A short Markdown message (the welcome's {{variables}} work) each person the wave adds to this
     * channel sees there, as an ephemeral post from the bot; none when absent or blank.
     */
    welcome_message: z.string().trim().max(2000).optional(),
}));
export const TargetsSchema = lazySchema(() => z.strictObject({
    teams: z.array(TeamTargetSchema).max(20).default([]),

    /** Each channel's team must be one of `teams` (a channel member must be a team member). */
    channels: z.array(ChannelTargetSchema).max(50).default([]),

    /** Channels created (or found by name) when the wave starts, then added to `channels` (see waves_extras.ts). */
    create_channels: z.array(NewChannelTargetSchema).max(20).default([]),

    /** Default preferences for the wave's users (at most one per key); optional, so waves saved before it still parse. */
    preferences: z.array(DefaultPreferenceSchema).max(defaultPreferenceKeys.length).
        refine((list) => new Set(list.map((preference) => preference.key)).size === list.length, {message: 'a preference is listed twice'}).
        optional(),
}));
export type Targets = z.infer<typeof TargetsSchema>;

/**
 * Variables: {{first_name}} {{username}} {{team}} {{channels}} {{help_link}} {{wave}}, all markdown-escaped;
 * {{start_date}} (the wave's start) and {{today}} as YYYY-MM-DD (UTC); {{getting_started}}: a personal task
 * list (desktop and mobile apps, profile picture, notification settings, the wave's channels), ticked where
 * the server can tell (server/src/welcome/template.ts).
 */
export const WelcomeSchema = lazySchema(() => z.strictObject({
    enabled: z.boolean().default(true),
    template: z.string().max(8000).default('Welcome, {{first_name}}! You are now in {{team}}: {{channels}}. Questions? {{help_link}}'),
    help_link: z.string().max(500).default(''),

    /**
     * The welcome in the languages the wave chooses: a person whose language (their Mattermost locale,
     * else the server's default) has one here gets it; everybody else gets `template`, the fallback.
     */
    translations: z.partialRecord(z.enum(cockpitLocales), z.string().max(8000)).optional(),
}));
export type Welcome = z.infer<typeof WelcomeSchema>;

/** The template a person spoken to in `locale` gets. */
export const welcomeTemplateFor = (welcome: Pick<Welcome, 'template' | 'translations'>, locale: CockpitLocale): string =>
    welcome.translations?.[locale] ?? welcome.template;

/** How many of the wave's people get the welcome in a language, and whether it is the wave's own text for it or the fallback. */
export interface WelcomeLanguageCount {
    locale: CockpitLocale;
    people: number;
    own_template: boolean;
}

export const ThrottleSchema = lazySchema(() => z.strictObject({users_per_second: z.number().int().min(1).max(500).default(20)}));

export const WaveDefinitionSchema = lazySchema(() => z.strictObject({
    name: z.string().trim().min(1).max(200),
    cohort: CohortSchema,
    targets: TargetsSchema,
    welcome: WelcomeSchema.default({enabled: true, template: WelcomeSchema.shape.template.parse(undefined), help_link: ''}),
    throttle: ThrottleSchema.default({users_per_second: 20}),

    /** Users who join the cohort later (new account, joined the cohort team) are onboarded too. */
    rolling: z.boolean().default(false),

    /** Guests are skipped (reason `guest`) unless this is on. */
    allow_guests: z.boolean().default(false),

    /** Feedback buttons in the welcome DM (waves_extras.ts). */
    feedback: WaveFeedbackSchema.default(defaultWaveFeedback),

    /** Invitation email (waves_extras.ts). */
    invitation: WaveInvitationSchema.default(defaultWaveInvitation()),

    /** What happens to people of the file who have no account (waves_people.ts). */
    newcomers: NewcomersSchema.default(defaultNewcomers()),
}));
export type WaveDefinition = z.infer<typeof WaveDefinitionSchema>;

/** POST /api/v1/waves */
export const CreateWaveRequestSchema = WaveDefinitionSchema;

/** PATCH /api/v1/waves/:id (draft only): the fields to replace. */
export const UpdateWaveRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    changes: z.strictObject({
        name: WaveDefinitionSchema.shape.name.optional(),
        cohort: CohortSchema.optional(),
        targets: TargetsSchema.optional(),
        welcome: WelcomeSchema.optional(),
        throttle: ThrottleSchema.optional(),
        rolling: z.boolean().optional(),
        allow_guests: z.boolean().optional(),
        feedback: WaveFeedbackSchema.optional(),
        invitation: WaveInvitationSchema.optional(),
        newcomers: NewcomersSchema.optional(),
    }),
}));

/**
 * POST /api/v1/waves/:id/csv (draft only): adds CSV rows in chunks, since a request body is at most
 * 1 MiB; `replace` drops the rows stored so far first. The total stays ≤ 50,000 rows (else 400).
 */
export const maxCsvRowsPerRequest = 10000;
export const AppendCsvRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    rows: z.array(CsvRowSchema).max(maxCsvRowsPerRequest),
    replace: z.boolean().default(false),
}));

/** DELETE /api/v1/waves/:id (draft, completed or cancelled waves only). */

/** POST /api/v1/waves/:id/start: null (or a past time) = now. */
export const StartWaveRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    start_at: z.number().int().nullable().default(null),
}));

/** POST pause / resume / cancel / retry-failed / tick / dry-run. */
export const WaveActionRequestSchema = lazySchema(() => z.strictObject({}));

// The bodies as the server's handlers get them (defaults applied).
export type CreateWaveRequest = z.output<typeof CreateWaveRequestSchema>;
export type UpdateWaveRequest = z.output<typeof UpdateWaveRequestSchema>;
export type AppendCsvRequest = z.output<typeof AppendCsvRequestSchema>;
export type StartWaveRequest = z.output<typeof StartWaveRequestSchema>;

/**
 * `created`: the wave made the person's account, then provisioned it; `invited`: the person has no
 * account yet and was sent the invitation (the wave onboards them when they sign up).
 */
export const OutcomeSchema = lazySchema(() => z.enum(['added', 'already_member', 'created', 'invited', 'skipped', 'failed']));
export type Outcome = z.infer<typeof OutcomeSchema>;
export const WelcomeOutcomeSchema = lazySchema(() => z.enum(['sent', 'already_sent', 'disabled', 'not_sent', 'failed']));

/** One user's result in a wave (per-user results live in sharded KV keys). */
export const UserResultSchema = lazySchema(() => z.strictObject({
    index: z.number().int().min(0),

    /** '' for a person who has no account (invited, or skipped or failed before one was made). */
    user_id: z.string(),
    username: z.string(),

    /** The file's email for a person who had no account when the wave reached them. */
    email: z.string().optional(),
    outcome: OutcomeSchema,

    /**
     * Why skipped (deactivated, bot, guest, not_found, no_account, signed_up: an invited person who made
     * their account before the invitation went out, onboarded as an arrival) or the error of a failure.
     */
    reason: z.string().default(''),
    welcome: WelcomeOutcomeSchema,

    /** The invitation email (absent when the wave sends none); `unconfirmed`: a crash hid whether it went out, so it is not sent again. */
    invitation: z.enum(['sent', 'already_sent', 'unconfirmed', 'failed']).optional(),
    at: z.number(),
    attempts: z.number().int().min(1),
}));
export type UserResult = z.infer<typeof UserResultSchema>;

export const WaveCountsSchema = lazySchema(() => z.strictObject({
    added: z.number().int(),
    already_member: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    welcomed: z.number().int(),

    /** Absent in run records written before waves made accounts. */
    created: z.number().int().default(0),
    invited: z.number().int().default(0),
}));
export type WaveCounts = z.infer<typeof WaveCountsSchema>;

export interface CsvProblem {
    line: number;
    value: string;
    reason: string;
}

export interface WaveProgress {
    wave_id: string;
    state: WaveState;

    /** Users queued so far (the resolved cohort plus rolling arrivals); 0 until the cohort is resolved. */
    total: number;

    /** Users with a result. */
    processed: number;
    counts: WaveCounts;

    /** Users waiting for a retry of a failure. */
    retrying: number;

    /** Rolling arrivals not yet queued. */
    pending: number;
    started_at: number | null;
    finished_at: number | null;
    last_tick_at: number | null;

    /** The measured pace and the time left (absent from servers without it). */
    pace?: WavePace;
}

export interface WaveResponse {
    id: string;

    /** Pass back as expected_version. */
    version: number;
    definition: WaveDefinition;
    state: WaveState;
    start_at: number | null;
    created_at: number;
    created_by: string;
    updated_at: number;
    updated_by: string;
    csv_problems: CsvProblem[];
    progress: WaveProgress;
}

/** GET /api/v1/waves: without the CSV rows. */
export interface WaveSummary {
    id: string;
    version: number;
    name: string;
    state: WaveState;
    rolling: boolean;
    csv_rows: number;
    progress: WaveProgress;
}

export interface WaveResultsPage {
    page: number;
    per_page: number;

    /** Results matching the filter. */
    total: number;
    results: UserResult[];
}

export interface DryRunTarget {
    kind: 'team' | 'channel';
    id: string;
    name: string;
    role: string;
    would_add: number;
    already_member: number;

    /** Users a group-constrained (group-synced) target would refuse: not in any of its linked groups. */
    refused: number;
}

export interface DryRunUser {
    user_id: string;
    username: string;

    /**
     * `ok`, the reason the user would be skipped, or `group_synced`: a group-constrained target would refuse
     * them (they join the other targets; the engine records them as failed on that one).
     */
    status: 'ok' | 'deactivated' | 'bot' | 'guest' | 'group_synced';
    would_join: string[];
    already_in: string[];

    /** The group-constrained targets that would refuse the user. */
    refused_by: string[];
}

export interface DryRunReport extends DryRunExtras, DryRunPace {
    cohort_size: number;

    /** The file's people: existing accounts, and what the wave would do for the others. */
    people: DryRunPeople;

    /** Users per source before de-duplication. */
    sources: {csv: number; groups: number; teams: number; email_domains: number};
    duplicates: number;
    csv_problems: CsvProblem[];
    cannot_add: {deactivated: number; bot: number; guest: number; group_synced: number};

    /** Memberships were checked for this many users (all, up to 5,000); target counts cover those. */
    membership_checked: number;
    targets: DryRunTarget[];

    /** Target ids that do not exist or are not usable (e.g. a channel whose team is not a target). */
    target_problems: string[];
    sample: DryRunUser[];

    /** The welcome's languages: the people of each (their locale, else the server's default), most first. */
    welcome_languages: WelcomeLanguageCount[];

    /** People the sources name whom the cohort's language filter leaves out (0 without a filter); not in cohort_size. */
    outside_languages: number;
}

/**
 * POST /api/v1/waves/:id/welcome/preview and …/welcome/test-send: the template, help link, name and
 * targets being edited (the wave's saved ones where absent), rendered for the calling admin as the
 * sample user, so the preview follows the editor before anything is saved.
 */
export const WelcomePreviewRequestSchema = lazySchema(() => z.strictObject({
    template: WelcomeSchema.shape.template.unwrap().optional(),
    help_link: WelcomeSchema.shape.help_link.unwrap().optional(),
    name: WaveDefinitionSchema.shape.name.optional(),
    targets: TargetsSchema.optional(),

    /** The language previewed: `template` is that language's text being edited (else the saved one for it). */
    locale: z.enum(cockpitLocales).optional(),
}));
export type WelcomePreviewRequest = z.infer<typeof WelcomePreviewRequestSchema>;

/** The rendered markdown, exactly what the bot would post to the caller. */
export interface WelcomePreviewResponse {
    markdown: string;
}

/** The DM the bot posted to the caller (nobody is marked as welcomed). */
export interface WelcomeTestSendResponse extends WelcomePreviewResponse {
    post_id: string;
    channel_id: string;
}

export * from './waves_extras';
export * from './waves_people';
export * from './waves_pace';
