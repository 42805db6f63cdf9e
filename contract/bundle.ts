import {z} from 'zod';

import {SaveTargetsRequestSchema} from './adoption';
import {BrandingValuesSchema, ImageActionSchema, brandImageTypes} from './branding';
import {JourneyStepsSchema} from './journey';
import {lazySchema} from './lazy';
import {ImportRequestSchema} from './plan_api';
import {ChannelPropertiesSchema, TemplateDefinitionSchema, TemplateModerationSchema, templateChangesSomething} from './templates';
import {ChannelTargetSchema, CohortSchema, TargetsSchema, TeamTargetSchema, WaveDefinitionSchema} from './waves';
import {NewChannelTargetSchema, WaveFeedbackSchema} from './waves_extras';

// The staging → production bundle: one JSON file with what a staging cockpit prepared (plan, role
// templates, wave definitions, branding with its image, adoption targets), imported on production with
// a preview of what changes and applied per part. Ids differ between servers, so everything that names
// a team, channel, user or group names it by its name here and is resolved on the importing server.
// Never in a bundle: secrets (the moderation credential, tokens), per-person results and markers of a
// wave, approvals of role-template proposals; a wave's cohort file only when the admin asks for it.

export const BUNDLE_FORMAT = 'onboarding-cockpit-bundle';
export const BUNDLE_VERSION = 1;

/**
 * The largest bundle file: the plugin's HTTP host refuses request bodies over 1 MiB, and an import sends
 * the file inside a small JSON body, so the file keeps a few KiB of room.
 */
export const bundleMaxBytes = (1024 * 1024) - 4096;

/** The largest brand image a bundle carries (base64 makes it a third larger). */
export const bundleImageMaxBytes = 512 * 1024;

export const BUNDLE_PARTS = ['plan', 'templates', 'waves', 'branding', 'adoption_targets'] as const;
export const BundlePartSchema = lazySchema(() => z.enum(BUNDLE_PARTS));
export type BundlePart = z.infer<typeof BundlePartSchema>;

const name = lazySchema(() => z.string().min(1).max(64));

/** A channel by its team's and its own URL name. */
export const ChannelRefSchema = lazySchema(() => z.strictObject({team: name, channel: name}));
export type ChannelRef = z.infer<typeof ChannelRefSchema>;

// ---- role templates ----

/** A template's channel-admin rule with people and groups by name. */
export const BundleChannelAdminsSchema = lazySchema(() => z.strictObject({
    usernames: z.array(name).max(50).default([]),
    group_names: z.array(name).max(20).default([]),
    channel_creator: z.boolean().default(false),
}));

export const BundleTemplateDefinitionSchema = lazySchema(() => z.
    strictObject({
        name: TemplateDefinitionSchema.shape.name,
        description: TemplateDefinitionSchema.shape.description,
        moderation: TemplateModerationSchema.default({}),
        channel_admins: BundleChannelAdminsSchema.default({usernames: [], group_names: [], channel_creator: false}),
        properties: ChannelPropertiesSchema.default({}),
    }).
    refine((definition) => templateChangesSomething({
        moderation: definition.moderation,
        properties: definition.properties,
        channel_admins: {
            user_ids: definition.channel_admins.usernames,
            group_ids: definition.channel_admins.group_names,
            channel_creator: definition.channel_admins.channel_creator,
        },
    }), {message: 'A template must set at least one moderation rule, channel admin rule or property.'}));
export type BundleTemplateDefinition = z.infer<typeof BundleTemplateDefinitionSchema>;

/** A template keeps its id: the starters have the same ids everywhere, and importing twice finds what the first import made. */
export const BundleTemplateSchema = lazySchema(() => z.strictObject({
    id: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a template id is 1–64 lowercase letters, digits, - and _'),
    definition: BundleTemplateDefinitionSchema,
}));
export type BundleTemplate = z.infer<typeof BundleTemplateSchema>;

// ---- waves ----

export const BundleWaveTargetsSchema = lazySchema(() => z.strictObject({
    teams: z.array(z.strictObject({team: name, role: TeamTargetSchema.shape.role})).max(20).default([]),
    channels: z.array(ChannelRefSchema.extend({role: ChannelTargetSchema.shape.role})).max(50).default([]),
    create_channels: z.array(NewChannelTargetSchema.omit({team_id: true}).extend({team: name})).max(20).default([]),
    preferences: TargetsSchema.shape.preferences,
}));

export const BundleCohortSchema = lazySchema(() => z.strictObject({
    /** Only in a bundle exported with "include people". */
    csv: CohortSchema.shape.csv,
    group_names: z.array(name).max(100).default([]),
    team_names: z.array(name).max(100).default([]),
    email_domains: CohortSchema.shape.email_domains,
}));

/** A wave's definition with its teams, channels and groups by name (and no results, markers or run state). */
export const BundleWaveDefinitionSchema = lazySchema(() => WaveDefinitionSchema.omit({cohort: true, targets: true, feedback: true}).extend({
    cohort: BundleCohortSchema,
    targets: BundleWaveTargetsSchema,
    feedback: z.strictObject({
        enabled: WaveFeedbackSchema.shape.enabled,
        help_desk: ChannelRefSchema.nullable().default(null),
    }).default({enabled: false, help_desk: null}),
}));
export type BundleWaveDefinition = z.infer<typeof BundleWaveDefinitionSchema>;

/** A wave is matched by name on the importing server. */
export const BundleWaveSchema = lazySchema(() => z.strictObject({
    definition: BundleWaveDefinitionSchema,
    journey: JourneyStepsSchema.default([]),
}));
export type BundleWave = z.infer<typeof BundleWaveSchema>;

// ---- branding ----

export const BundleImageSchema = lazySchema(() => z.discriminatedUnion('state', [
    z.strictObject({state: z.literal('none')}),
    z.strictObject({
        state: z.literal('set'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        content_type: z.enum(brandImageTypes),
        size: z.number().int().min(1).max(bundleImageMaxBytes),
        data_base64: z.string().max((Math.ceil(bundleImageMaxBytes / 3) * 4) + 4),
    }),
]));
export type BundleImage = z.infer<typeof BundleImageSchema>;

export const BundleBrandingSchema = lazySchema(() => z.strictObject({
    values: BrandingValuesSchema,

    /** Absent: the source did not know its image (or it was too large to carry); production's is left as it is. */
    image: BundleImageSchema.optional(),
}));
export type BundleBranding = z.infer<typeof BundleBrandingSchema>;

// ---- the file ----

export const BundleSourceSchema = lazySchema(() => z.strictObject({
    site_name: z.string().max(200),
    site_url: z.string().max(2000),
    server_version: z.string().max(100),
}));

export const BundlePartsSchema = lazySchema(() => z.strictObject({
    /** The plan export's shape (and checks): the same content GET /api/v1/plan/export serves. */
    plan: ImportRequestSchema.shape.plan.optional(),
    templates: z.array(BundleTemplateSchema).max(200).
        refine((list) => new Set(list.map((template) => template.id)).size === list.length, {message: 'template ids must be unique'}).
        optional(),
    waves: z.array(BundleWaveSchema).max(100).
        refine((list) => new Set(list.map((wave) => wave.definition.name)).size === list.length, {message: 'wave names must be unique'}).
        optional(),
    branding: BundleBrandingSchema.optional(),
    adoption_targets: SaveTargetsRequestSchema.shape.targets.optional(),
}));

const BundleFileSchema = lazySchema(() => z.strictObject({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    exported_at: z.number().int().min(0),
    source: BundleSourceSchema,

    /** Whether the waves' cohort files (people) are in it. */
    include_people: z.boolean(),
    parts: BundlePartsSchema,
}));

/** Refuses a file that is not a bundle, or a bundle of another format version, before looking at its parts. */
function bundlePreflight(value: unknown, ctx: z.RefinementCtx): void {
    const header = value !== null && typeof value === 'object' ? value as {format?: unknown; version?: unknown} : {};
    if (header.format !== BUNDLE_FORMAT) {
        ctx.addIssue({code: 'custom', path: ['format'], message: `not an Onboarding Cockpit bundle (format must be "${BUNDLE_FORMAT}")`});
        return;
    }
    if (header.version !== BUNDLE_VERSION) {
        ctx.addIssue({
            code: 'custom',
            path: ['version'],
            message: `a bundle of format version ${JSON.stringify(header.version)}; this server reads version ${BUNDLE_VERSION}`,
        });
    }
}

export const BundleSchema = lazySchema(() => z.unknown().superRefine(bundlePreflight).pipe(BundleFileSchema));
export type Bundle = z.infer<typeof BundleFileSchema>;
export type BundleInput = z.input<typeof BundleFileSchema>;

// ---- requests and answers ----

const partList = lazySchema(() => z.array(BundlePartSchema).min(1).max(BUNDLE_PARTS.length).
    refine((parts) => new Set(parts).size === parts.length, {message: 'a part is listed twice'}));

/** GET /api/v1/bundle/export?parts=plan,waves&include_people=true */
export const BundleExportQuerySchema = lazySchema(() => z.object({
    parts: z.string().max(200).optional(),
    include_people: z.enum(['true', 'false']).default('false'),
}));

/** Parses the export's `parts` (comma-separated; absent = every part). */
export function parsePartList(text: string | undefined): BundlePart[] | string {
    const names = text === undefined || text === '' ? [...BUNDLE_PARTS] : text.split(',');
    const parsed = partList.safeParse(names);
    if (parsed.success) {
        return parsed.data;
    }
    return `parts: ${parsed.error.issues.map((issue) => issue.message).join('; ')} (parts are ${BUNDLE_PARTS.join(', ')})`;
}

/** POST /api/v1/bundle/preview: changes nothing. */
export const BundlePreviewRequestSchema = lazySchema(() => z.strictObject({bundle: BundleSchema}));

/** POST /api/v1/bundle/apply: the parts the admin picked (each must be in the file). */
export const BundleApplyRequestSchema = lazySchema(() => z.strictObject({bundle: BundleSchema, parts: partList}));

/** What importing one part would change (names: the plan's task ids, templates' and waves' names, branding fields, target ids). */
export const PartPreviewSchema = lazySchema(() => z.strictObject({
    part: BundlePartSchema,
    added: z.array(z.string()),
    changed: z.array(z.string()),
    removed: z.array(z.string()),
    unchanged: z.number().int().min(0),

    /** Why the part cannot be applied here (a team or channel that does not exist, a wave already running …). */
    problems: z.array(z.string()),

    /** Worth saying, not blocking (e.g. the brand image the webapp uploads after the apply). */
    notes: z.array(z.string()),
}));
export type PartPreview = z.infer<typeof PartPreviewSchema>;

export const BundlePreviewSchema = lazySchema(() => z.strictObject({
    source: BundleSourceSchema,
    exported_at: z.number(),
    include_people: z.boolean(),
    parts: z.array(PartPreviewSchema),
}));
export type BundlePreview = z.infer<typeof BundlePreviewSchema>;

export const PartResultSchema = lazySchema(() => z.strictObject({
    part: BundlePartSchema,

    /** `unchanged`: nothing to do; `failed`: nothing of this part was written (`error` says why). */
    status: z.enum(['applied', 'unchanged', 'failed']),
    changes: PartPreviewSchema,
    error: z.strictObject({id: z.string(), message: z.string()}).optional(),
}));
export type PartResult = z.infer<typeof PartResultSchema>;

export const BundleApplySchema = lazySchema(() => z.strictObject({
    parts: z.array(PartResultSchema),

    /**
     * What the webapp does with the brand image after the branding part applied: the plugin API cannot set
     * it, so the webapp uploads the bytes kept with `image_version` (GET /api/v1/branding/images/:version)
     * or deletes the image through the server's REST API, as the studio's rollback does.
     */
    image_action: ImageActionSchema,
    image_version: z.number().int().positive().optional(),
}));
export type BundleApply = z.infer<typeof BundleApplySchema>;
