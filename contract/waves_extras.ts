import {z} from 'zod';

import {lazySchema} from './lazy';
import {type CockpitLocale, cockpitLocales, fallbackLocale} from './locales';
import {postActionRequestSchema} from './post_action';

// The optional parts of a rollout wave (contract/waves.ts holds the wave itself and re-exports these):
// channels the wave creates when it starts, feedback buttons in the welcome DM, an invitation email,
// and the activation funnel. Kept in their own file because WaveDefinitionSchema is built from them.

const id = lazySchema(() => z.string().min(1).max(64));

/**
 * A target channel that may not exist yet: created when the wave starts (found by name if it already
 * exists, so a restart never creates it twice), recorded in the wave, then provisioned like any target
 * channel. Its team must be one of the target teams.
 */
export const NewChannelTargetSchema = lazySchema(() => z.strictObject({
    team_id: id,

    /** The URL name: lowercase letters, digits, `-` and `_`, starting and ending with a letter or digit. */
    name: z.string().min(2).max(64).regex(/^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/, 'a channel name is lowercase letters, digits, - and _'),
    display_name: z.string().trim().min(1).max(64),

    /** O = public, P = private. */
    type: z.enum(['O', 'P']).default('O'),
    role: z.enum(['member', 'channel_admin']).default('member'),
}));
export type NewChannelTarget = z.infer<typeof NewChannelTargetSchema>;

/** A channel the wave created (or found existing) at start; kept in `wave:<id>:channels`. */
export interface PreparedChannel {
    team_id: string;
    name: string;
    channel_id: string;

    /** false: a channel with that name already existed and was used as is. */
    created: boolean;
}

/** One-click answers in the welcome DM; "help" also notifies the help-desk channel. */
export const FeedbackAnswerSchema = lazySchema(() => z.enum(['great', 'ok', 'help']));
export type FeedbackAnswer = z.infer<typeof FeedbackAnswerSchema>;

export const WaveFeedbackSchema = lazySchema(() => z.strictObject({
    /** Buttons (👍 Great / 😐 OK / 🆘 I need help) under the welcome DM. */
    enabled: z.boolean().default(false),

    /** Where "I need help" is announced ('' = nowhere). A public or private channel. */
    help_desk_channel_id: z.string().max(64).default(''),
}));
export type WaveFeedback = z.infer<typeof WaveFeedbackSchema>;

/**
 * The invitation email, sent once per person per wave (per email for a person who has no account yet)
 * through the server's mail settings. The server builds the plain-text part from the HTML itself (the
 * plugin API's SendMail takes one HTML body), so the text and HTML always say the same. Variables, all
 * HTML-escaped in the body; the subject is plain text:
 *   the welcome's {{first_name}} {{username}} {{team}} {{channels}} {{help_link}} {{wave}};
 *   {{site_url}} the server's address (ServiceSettings.SiteURL);
 *   {{sign_in_method}} how this person signs in: with the SSO button or their directory (LDAP) sign-in,
 *     by choosing a password (a new email account), through the team's invite link (invited), or as before;
 *   {{set_password_link}} the server's own password-reset page (its token, sent by the server, is valid
 *     for a day, so the invitation links the page that asks for one, not a token);
 *   {{sign_up_link}} the first target team's invite link (invited people sign up there);
 *   {{desktop_app_link}} and {{mobile_app_links}} the app downloads the server is configured with
 *     (Native App Settings, as the branding studio's presets use them) and the server URL to enter.
 */
export const invitationVariableNames = [
    'first_name',
    'username',
    'team',
    'channels',
    'help_link',
    'wave',
    'site_url',
    'sign_in_method',
    'set_password_link',
    'sign_up_link',
    'desktop_app_link',
    'mobile_app_links',
] as const;
export type InvitationVariables = Record<typeof invitationVariableNames[number], string>;

const invitationSubject = lazySchema(() => z.string().trim().min(1).max(200));
const invitationHtml = lazySchema(() => z.string().min(1).max(20000));

/** The invitation in one language. */
export const InvitationTextSchema = lazySchema(() => z.strictObject({subject: invitationSubject, html_template: invitationHtml}));
export type InvitationText = z.infer<typeof InvitationTextSchema>;

export const WaveInvitationSchema = lazySchema(() => z.strictObject({
    enabled: z.boolean().default(false),
    subject: invitationSubject.default('Welcome to {{team}}'),
    html_template: invitationHtml.
        default(
            '<p>Hello {{first_name}},</p><p>You are joining <b>{{team}}</b> ({{channels}}) on {{site_url}}.</p>' +
            '<p>{{sign_in_method}}</p><p>Desktop app: {{desktop_app_link}}<br/>Mobile app: {{mobile_app_links}}</p>' +
            '<p>Questions? {{help_link}}</p>',
        ),

    /**
     * The invitation in the languages the wave chooses, as the welcome's translations: a person whose
     * language has one here gets it (a person with an account: their locale; a person without: the file's
     * `locale` column, else the wave's newcomer locale; then the server's default); everybody else gets
     * `subject` and `html_template`, the fallback.
     */
    translations: z.partialRecord(z.enum(cockpitLocales), InvitationTextSchema).optional(),
}));
export type WaveInvitation = z.infer<typeof WaveInvitationSchema>;

/**
 * The text a person spoken to in `locale` gets and its language: the wave's own for `locale`, else the
 * fallback, whose sentences the cockpit adds ({{sign_in_method}}) stay English as before translations.
 */
export function invitationTextFor(invitation: WaveInvitation, locale: CockpitLocale): {text: InvitationText; locale: CockpitLocale} {
    const own = invitation.translations?.[locale];
    return own ? {text: own, locale} : {text: invitation, locale: fallbackLocale};
}

export const defaultWaveFeedback: WaveFeedback = {enabled: false, help_desk_channel_id: ''};

/** The invitation of a wave that has none of its own: the schema's defaults (built on first use, see lazy.ts). */
export function defaultWaveInvitation(): WaveInvitation {
    return WaveInvitationSchema.parse({});
}

/** What the dry run adds about these parts (the dry run changes nothing). */
export interface DryRunExtras {
    /** Things to fix or know before launch, e.g. "SMTP is not configured". */
    warnings?: string[];

    /** Channels the start would create (exists: found by name, would be used as is). */
    channels_to_create?: Array<{team_id: string; name: string; exists: boolean}>;

    /** The server can send email (EmailSettings.SendEmailNotifications on and an SMTP server set). */
    smtp_configured?: boolean;
}

export interface FeedbackCounts {
    great: number;
    ok: number;
    help: number;
}

/**
 * GET /api/v1/waves/:waveId/activation. Each stage counts people of the wave's queue: cohort (queued),
 * invited (email sent), with an account (the wave created it, or an invited person signed up),
 * provisioned (added or already a member), welcomed (DM sent), logged in and posted since they were
 * provisioned (Users.LastLogin, their newest post), and the feedback answers.
 */
export interface ActivationFunnel {
    wave_id: string;
    cohort: number;

    /** Accounts the wave created. */
    created: number;

    /** Invited people whose account has appeared since (they signed up). */
    signed_up: number;
    provisioned: number;
    welcomed: number;
    invited: number;
    logged_in: number;
    posted: number;
    feedback: FeedbackCounts;

    /** When the users' logins and posts were read (ms). */
    measured_at: number;
}

/** POST /plugins/<id>/api/v1/waves/actions/feedback: model.PostActionIntegrationRequest as the server sends it. */
export const FeedbackActionRequestSchema = lazySchema(() => postActionRequestSchema(
    z.strictObject({wave_id: z.string(), user_id: z.string(), answer: FeedbackAnswerSchema}),
));
export type FeedbackActionRequest = z.infer<typeof FeedbackActionRequestSchema>;

/** ActivationFunnel as a schema: the webapp validates the answer (not strict: a newer server may add fields). */
export const ActivationFunnelSchema: z.ZodType<ActivationFunnel> = lazySchema(() => z.object({
    wave_id: z.string(),
    cohort: z.number(),
    created: z.number(),
    signed_up: z.number(),
    provisioned: z.number(),
    welcomed: z.number(),
    invited: z.number(),
    logged_in: z.number(),
    posted: z.number(),
    feedback: z.object({great: z.number(), ok: z.number(), help: z.number()}),
    measured_at: z.number(),
}));

/**
 * POST /api/v1/waves/:waveId/invitation/preview and …/invitation/test-send: the invitation being edited
 * (the wave's saved one where absent) rendered for one person of the file (`line`), else for the calling
 * admin as a newcomer of the wave's default sign-in method.
 */
export const InvitationPreviewRequestSchema = lazySchema(() => z.strictObject({
    subject: WaveInvitationSchema.shape.subject.unwrap().optional(),
    html_template: WaveInvitationSchema.shape.html_template.unwrap().optional(),
    line: z.number().int().min(1).optional(),

    /** The language whose text is previewed (the edits replace it); absent: the recipient's language. */
    locale: z.enum(cockpitLocales).optional(),
}));
export type InvitationPreviewRequest = z.infer<typeof InvitationPreviewRequestSchema>;

export interface InvitationPreview {
    subject: string;
    html: string;

    /** The plain-text part as the server will derive it from the HTML (approximately: the server converts it). */
    text: string;

    /** Whom the rendering is for (an email address). */
    recipient: string;

    /** The server can send email; the editor says so when it cannot. */
    smtp_configured: boolean;
}

export const InvitationPreviewResponseSchema: z.ZodType<InvitationPreview> = lazySchema(() => z.object({
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    recipient: z.string(),
    smtp_configured: z.boolean(),
}));

/** Test-send mails the rendering to the calling admin's own address only. */
export const InvitationTestSendResponseSchema: z.ZodType<InvitationPreview & {sent_to: string}> = lazySchema(() => z.object({
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    recipient: z.string(),
    smtp_configured: z.boolean(),
    sent_to: z.string(),
}));
