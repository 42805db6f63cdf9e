import {z} from 'zod';

import {lazySchema} from './lazy';
import {ExpectedVersionSchema} from './versioned';

// Branding studio: the site's name, description, brand text and image, the announcement banner and
// the support links, edited in one place, applied with history and rollback.

/** Every branding field and the config setting it is: exactly these keys are ever written. */
export const BrandingFields = {
    site_name: ['TeamSettings', 'SiteName'],
    custom_description_text: ['TeamSettings', 'CustomDescriptionText'],
    enable_custom_brand: ['TeamSettings', 'EnableCustomBrand'],
    custom_brand_text: ['TeamSettings', 'CustomBrandText'],
    banner_enabled: ['AnnouncementSettings', 'EnableBanner'],
    banner_text: ['AnnouncementSettings', 'BannerText'],
    banner_color: ['AnnouncementSettings', 'BannerColor'],
    banner_text_color: ['AnnouncementSettings', 'BannerTextColor'],
    allow_banner_dismissal: ['AnnouncementSettings', 'AllowBannerDismissal'],
    help_link: ['SupportSettings', 'HelpLink'],
    support_email: ['SupportSettings', 'SupportEmail'],
    terms_of_service_link: ['SupportSettings', 'TermsOfServiceLink'],
    privacy_policy_link: ['SupportSettings', 'PrivacyPolicyLink'],
    about_link: ['SupportSettings', 'AboutLink'],
    report_a_problem_link: ['SupportSettings', 'ReportAProblemLink'],
} as const satisfies Record<string, readonly [string, string]>;

export type BrandingField = keyof typeof BrandingFields;
export const brandingFieldNames = Object.keys(BrandingFields) as BrandingField[];

/** The fields that need the `announcement` license feature to change. */
export const bannerFields: readonly BrandingField[] = [
    'banner_enabled',
    'banner_text',
    'banner_color',
    'banner_text_color',
    'allow_banner_dismissal',
];

/** model.SitenameMaxLength */
export const siteNameMaxLength = 30;
export const descriptionMaxLength = 1024;
export const brandTextMaxLength = 4000;
export const bannerTextMaxLength = 1024;
export const linkMaxLength = 1024;
export const emailMaxLength = 254;

// Written as regular expressions rather than zod's URL and email formats: the URL one needs URL,
// which goja lacks.
/** http(s) only, a host, no spaces, quotes or angle brackets. */
export const httpLinkPattern = /^https?:\/\/[^\s/?#"'<>\\]+[^\s"'<>\\]*$/i;
export const emailPattern = /^[^\s@"'<>(),;:\\]+@[^\s@"'<>(),;:\\]+\.[^\s@"'<>(),;:\\]+$/;
export const colorPattern = /^#[0-9a-fA-F]{6}$/;

const link = lazySchema(() => z.
    string().
    max(linkMaxLength).
    refine((value) => value === '' || httpLinkPattern.test(value), {message: 'must be empty or an http(s) link'}));
const color = lazySchema(() => z.string().regex(colorPattern, {message: 'must be a colour like #1c58d9'}));

export const BrandingValuesSchema = lazySchema(() => z.strictObject({
    site_name: z.string().trim().min(1, {message: 'must not be empty'}).max(siteNameMaxLength),
    custom_description_text: z.string().max(descriptionMaxLength),
    enable_custom_brand: z.boolean(),
    custom_brand_text: z.string().max(brandTextMaxLength),
    banner_enabled: z.boolean(),
    banner_text: z.string().max(bannerTextMaxLength),
    banner_color: color,
    banner_text_color: color,
    allow_banner_dismissal: z.boolean(),
    help_link: link,
    support_email: z.
        string().
        max(emailMaxLength).
        refine((value) => value === '' || emailPattern.test(value), {message: 'must be empty or an email address'}),
    terms_of_service_link: link,
    privacy_policy_link: link,
    about_link: link,
    report_a_problem_link: link,
}));
export type BrandingValues = z.infer<typeof BrandingValuesSchema>;

/**
 * The same fields without the format rules: what the server READS (a config edited elsewhere may
 * hold a colour like `#fff`) and what history keeps, so a rollback restores values exactly.
 */
export const StoredBrandingValuesSchema = lazySchema(() => z.object({
    site_name: z.string(),
    custom_description_text: z.string(),
    enable_custom_brand: z.boolean(),
    custom_brand_text: z.string(),
    banner_enabled: z.boolean(),
    banner_text: z.string(),
    banner_color: z.string(),
    banner_text_color: z.string(),
    allow_banner_dismissal: z.boolean(),
    help_link: z.string(),
    support_email: z.string(),
    terms_of_service_link: z.string(),
    privacy_policy_link: z.string(),
    about_link: z.string(),
    report_a_problem_link: z.string(),
}));

/** What an empty or missing setting reads as (Mattermost's defaults where it has one). */
export const defaultBrandingValues: BrandingValues = {
    site_name: 'Mattermost',
    custom_description_text: '',
    enable_custom_brand: false,
    custom_brand_text: '',
    banner_enabled: false,
    banner_text: '',
    banner_color: '#f2a93b',
    banner_text_color: '#333333',
    allow_banner_dismissal: true,
    help_link: '',
    support_email: '',
    terms_of_service_link: '',
    privacy_policy_link: '',
    about_link: '',
    report_a_problem_link: '',
};

// ---- the brand image ----

/**
 * Types the server decodes: app/brand.go SaveBrandImage decodes with Go's image package, which the
 * server registers for png, jpeg and gif (mattermost/mattermost server/channels/app/brand.go), and
 * re-encodes as PNG.
 */
export const brandImageTypes = ['image/png', 'image/jpeg', 'image/gif'] as const;

/**
 * api4/brand.go uploadBrandImage refuses a body larger than FileSettings.MaxFileSize (413); this is
 * that setting's default (100 MB), used when the config does not say.
 */
export const defaultMaxFileSize = 104857600;

/** Images up to this size are kept in KV with their version, so a rollback can upload them again. */
export const historyImageMaxBytes = 1024 * 1024;

/** What a version knows of the brand image. `unknown`: the baseline, taken before the cockpit managed it. */
export const BrandImageStateSchema = lazySchema(() => z.discriminatedUnion('state', [
    z.strictObject({state: z.literal('unknown')}),
    z.strictObject({state: z.literal('none')}),
    z.strictObject({
        state: z.literal('set'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        content_type: z.enum(brandImageTypes),
        size: z.number().int().min(0),

        /** The version whose KV key holds the bytes; absent when the image was too large to keep. */
        stored_in: z.number().int().positive().optional(),
    }),
]));
export type BrandImageState = z.infer<typeof BrandImageStateSchema>;

/** The image part of an apply: the webapp uploaded (or deleted) it through the REST API just before. */
export const ImageChangeSchema = lazySchema(() => z.discriminatedUnion('kind', [
    z.strictObject({kind: z.literal('unchanged')}),
    z.strictObject({kind: z.literal('deleted')}),
    z.strictObject({
        kind: z.literal('uploaded'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        content_type: z.enum(brandImageTypes),
        size: z.number().int().min(1),

        /** The bytes, when size ≤ historyImageMaxBytes (base64 is a third larger). */
        data_base64: z.string().max((Math.ceil(historyImageMaxBytes / 3) * 4) + 4).optional(),
    }),
]));
export type ImageChange = z.infer<typeof ImageChangeSchema>;

// ---- requests ----

export const ApplyBrandingRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    values: BrandingValuesSchema,
    image: ImageChangeSchema.optional(),
}));
export type ApplyBrandingRequest = z.infer<typeof ApplyBrandingRequestSchema>;

export const RollbackBrandingRequestSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    version: z.number().int().positive(),
}));
export type RollbackBrandingRequest = z.infer<typeof RollbackBrandingRequestSchema>;

// ---- answers ----

export const BrandingVersionSchema = lazySchema(() => z.object({
    version: z.number().int().positive(),
    at: z.number(),
    user_id: z.string(),
    kind: z.enum(['baseline', 'apply', 'rollback']),

    /** For a rollback: the version whose values were restored. */
    rolled_back_from: z.number().int().optional(),
    values: StoredBrandingValuesSchema,
    image: BrandImageStateSchema,

    /** Fields that differ from the version before. */
    changed: z.array(z.string()),

    /** Fields the server did not take (read back different: usually pinned by an environment variable). */
    not_applied: z.array(z.string()),
}));
export type BrandingVersion = z.infer<typeof BrandingVersionSchema>;

export const BrandingStateSchema = lazySchema(() => z.object({
    values: StoredBrandingValuesSchema,

    /** The history head: pass it back as expected_version. 0 = nothing applied yet. */
    version: z.number().int().min(0),
    image: BrandImageStateSchema,
    license: z.object({announcement: z.boolean()}),
    site_url: z.string(),

    /** FileSettings.MaxFileSize: the largest upload the server takes. */
    max_image_bytes: z.number(),
    history_image_max_bytes: z.number(),
}));
export type BrandingState = z.infer<typeof BrandingStateSchema>;

export const ApplyBrandingResponseSchema = lazySchema(() => z.object({
    state: BrandingStateSchema,

    /** The version written; null when nothing changed. */
    applied: BrandingVersionSchema.nullable(),
}));
export type ApplyBrandingResponse = z.infer<typeof ApplyBrandingResponseSchema>;

/** What the webapp must do with the image after a rollback (the plugin API cannot touch it). */
export const ImageActionSchema = lazySchema(() => z.enum(['none', 'upload', 'delete', 'unavailable']));
export type ImageAction = z.infer<typeof ImageActionSchema>;

export const RollbackBrandingResponseSchema = lazySchema(() => z.object({
    state: BrandingStateSchema,
    applied: BrandingVersionSchema,
    image_action: ImageActionSchema,

    /** For `upload`: GET BrandingRoutes.image(image_version). */
    image_version: z.number().int().optional(),
}));
export type RollbackBrandingResponse = z.infer<typeof RollbackBrandingResponseSchema>;

export const BrandingHistoryPageSchema = lazySchema(() => z.object({
    versions: z.array(BrandingVersionSchema),
    total: z.number(),
}));
export type BrandingHistoryPage = z.infer<typeof BrandingHistoryPageSchema>;

export const StoredBrandImageSchema = lazySchema(() => z.object({
    sha256: z.string(),
    content_type: z.enum(brandImageTypes),
    data_base64: z.string(),
}));
export type StoredBrandImage = z.infer<typeof StoredBrandImageSchema>;

export const PresetKinds = ['windows-reg', 'macos-mobileconfig', 'ios-appconfig', 'android-appconfig'] as const;
export type PresetKind = typeof PresetKinds[number];
