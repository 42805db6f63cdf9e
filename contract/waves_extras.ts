import {z} from 'zod';

// The optional parts of a rollout wave (contract/waves.ts holds the wave itself and re-exports these):
// channels the wave creates when it starts, feedback buttons in the welcome DM, an invitation email,
// and the activation funnel. Kept in their own file because WaveDefinitionSchema is built from them.

const id = z.string().min(1).max(64);

/**
 * A target channel that may not exist yet: created when the wave starts (found by name if it already
 * exists, so a restart never creates it twice), recorded in the wave, then provisioned like any target
 * channel. Its team must be one of the target teams.
 */
export const NewChannelTargetSchema = z.strictObject({
    team_id: id,

    /** The URL name: lowercase letters, digits, `-` and `_`, starting and ending with a letter or digit. */
    name: z.string().min(2).max(64).regex(/^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/, 'a channel name is lowercase letters, digits, - and _'),
    display_name: z.string().trim().min(1).max(64),

    /** O = public, P = private. */
    type: z.enum(['O', 'P']).default('O'),
    role: z.enum(['member', 'channel_admin']).default('member'),
});
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
export const FeedbackAnswerSchema = z.enum(['great', 'ok', 'help']);
export type FeedbackAnswer = z.infer<typeof FeedbackAnswerSchema>;

export const WaveFeedbackSchema = z.strictObject({
    /** Buttons (👍 Great / 😐 OK / 🆘 I need help) under the welcome DM. */
    enabled: z.boolean().default(false),

    /** Where "I need help" is announced ('' = nowhere). A public or private channel. */
    help_desk_channel_id: z.string().max(64).default(''),
});
export type WaveFeedback = z.infer<typeof WaveFeedbackSchema>;

/**
 * The invitation email, sent once per user per wave through the server's mail settings. The server
 * builds the plain-text part from the HTML itself (the plugin API's SendMail takes one HTML body), so
 * the text and HTML always say the same. Variables as in the welcome ({{first_name}} {{username}}
 * {{team}} {{channels}} {{help_link}} {{wave}}), HTML-escaped in the body; the subject is plain text.
 */
export const WaveInvitationSchema = z.strictObject({
    enabled: z.boolean().default(false),
    subject: z.string().trim().min(1).max(200).default('Welcome to {{team}}'),
    html_template: z.
        string().
        min(1).
        max(20000).
        default('<p>Hello {{first_name}},</p><p>You have been added to <b>{{team}}</b> ({{channels}}).</p><p>Questions? {{help_link}}</p>'),
});
export type WaveInvitation = z.infer<typeof WaveInvitationSchema>;

export const defaultWaveFeedback: WaveFeedback = {enabled: false, help_desk_channel_id: ''};
export const defaultWaveInvitation: WaveInvitation = WaveInvitationSchema.parse({});

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
 * GET /api/v1/waves/:waveId/activation. Each stage counts users of the wave's queue: cohort (queued),
 * provisioned (added or already a member), welcomed (DM sent), invited (email sent), logged in and
 * posted since they were provisioned (Users.LastLogin, their newest post), and the feedback answers.
 */
export interface ActivationFunnel {
    wave_id: string;
    cohort: number;
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
export const FeedbackActionRequestSchema = z.strictObject({
    user_id: z.string(),
    user_name: z.string().optional(),
    channel_id: z.string().optional(),
    channel_name: z.string().optional(),
    team_id: z.string().optional(),
    team_domain: z.string().optional(),
    post_id: z.string(),
    trigger_id: z.string().optional(),
    type: z.string().optional(),
    data_source: z.string().optional(),
    context: z.strictObject({wave_id: z.string(), user_id: z.string(), answer: FeedbackAnswerSchema}),
});
export type FeedbackActionRequest = z.infer<typeof FeedbackActionRequestSchema>;

/** ActivationFunnel as a schema: the webapp validates the answer (not strict: a newer server may add fields). */
export const ActivationFunnelSchema: z.ZodType<ActivationFunnel> = z.object({
    wave_id: z.string(),
    cohort: z.number(),
    provisioned: z.number(),
    welcomed: z.number(),
    invited: z.number(),
    logged_in: z.number(),
    posted: z.number(),
    feedback: z.object({great: z.number(), ok: z.number(), help: z.number()}),
    measured_at: z.number(),
});
