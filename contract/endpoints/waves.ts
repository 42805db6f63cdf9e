import {z} from 'zod';

import {Access, fileAnswer, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {DeleteRequestSchema} from '../versioned';
import {
    AppendCsvRequestSchema,
    CreateWaveRequestSchema,
    StartWaveRequestSchema,
    UpdateWaveRequestSchema,
    OutcomeSchema,
    WaveActionRequestSchema,
    WelcomePreviewRequestSchema,
} from '../waves';
import {
    DeleteWaveResponseSchema,
    DryRunReportSchema,
    WaveProgressSchema,
    WaveResponseSchema,
    WaveResultsPageSchema,
    WaveSummaryListSchema,
    WelcomePreviewResponseSchema,
    WelcomeTestSendResponseSchema,
} from '../waves_api';
import {
    ActivationFunnelSchema,
    FeedbackActionRequestSchema,
    InvitationPreviewRequestSchema,
    InvitationPreviewResponseSchema,
    InvitationTestSendResponseSchema,
} from '../waves_extras';

const wave = '/api/v1/waves/:waveId' as const;

/** A state change's answer: the wave's progress. */
const action = <Name extends string>(name: Name) =>
    write('POST', `${wave}/${name}` as `${typeof wave}/${Name}`, {
        access: Access.systemAdmin,
        body: WaveActionRequestSchema,
        answer: WaveProgressSchema,
    });

/**
 * Rollout waves (contract/waves.ts has the bodies). Edits of a draft name the version they are based
 * on (409 when stale). Reads of counts are for console readers; per-user data is system admins only.
 */
export const WaveEndpoints = {
    list: read('/api/v1/waves', {access: Access.consoleReader, answer: WaveSummaryListSchema}),
    create: write('POST', '/api/v1/waves', {
        access: Access.systemAdmin,
        body: CreateWaveRequestSchema,
        answer: WaveResponseSchema,
        status: 201,
    }),
    wave: read(wave, {access: Access.consoleReader, answer: WaveResponseSchema}),

    /** Draft only. */
    update: write('PATCH', wave, {access: Access.systemAdmin, body: UpdateWaveRequestSchema, answer: WaveResponseSchema}),

    /** Draft only: CSV rows in chunks of ≤ 10,000 → the wave with csv_problems. */
    csv: write('POST', `${wave}/csv`, {access: Access.systemAdmin, body: AppendCsvRequestSchema, answer: WaveResponseSchema}),

    /** Draft, completed or cancelled waves only. */
    delete: write('DELETE', wave, {access: Access.systemAdmin, body: DeleteRequestSchema, answer: DeleteWaveResponseSchema}),

    /** Changes nothing. */
    dryRun: write('POST', `${wave}/dry-run`, {access: Access.systemAdmin, body: WaveActionRequestSchema, answer: DryRunReportSchema}),

    /** Start now (start_at null or past; runs the first batches at once) or at start_at. */
    start: write('POST', `${wave}/start`, {access: Access.systemAdmin, body: StartWaveRequestSchema, answer: WaveResponseSchema}),
    pause: action('pause'),
    resume: action('resume'),
    cancel: action('cancel'),

    /** Re-runs the users whose result is `failed`. */
    retryFailed: action('retry-failed'),

    /** Runs the wave's next batches now instead of waiting for the job (same lock, same budget). */
    tick: write('POST', `${wave}/tick`, {
        access: Access.systemAdmin,
        body: WaveActionRequestSchema,
        answer: lazySchema(() => z.intersection(WaveProgressSchema, z.object({ran: z.number()}))),
    }),

    /** The welcome rendered for the calling admin. */
    welcomePreview: write('POST', `${wave}/welcome/preview`, {
        access: Access.systemAdmin,
        body: WelcomePreviewRequestSchema,
        answer: WelcomePreviewResponseSchema,
    }),

    /** The bot DMs that rendering to the caller only. */
    welcomeTestSend: write('POST', `${wave}/welcome/test-send`, {
        access: Access.systemAdmin,
        body: WelcomePreviewRequestSchema,
        answer: WelcomeTestSendResponseSchema,
    }),

    /** The invitation email rendered for one person of the file, or for the calling admin. */
    invitationPreview: write('POST', `${wave}/invitation/preview`, {
        access: Access.systemAdmin,
        body: InvitationPreviewRequestSchema,
        answer: InvitationPreviewResponseSchema,
    }),

    /** Mails that rendering to the caller's own address (409 when the server cannot send email). */
    invitationTestSend: write('POST', `${wave}/invitation/test-send`, {
        access: Access.systemAdmin,
        body: InvitationPreviewRequestSchema,
        answer: InvitationTestSendResponseSchema,
    }),

    /** Cohort → provisioned → welcomed → invited → logged in → posted, feedback counts. */
    activation: read(`${wave}/activation`, {access: Access.consoleReader, answer: ActivationFunnelSchema}),

    /** One row per processed user (names, logins, posts, feedback) as CSV: system admins only, like the results. */
    activationExport: read(`${wave}/activation/export`, {access: Access.systemAdmin, answer: fileAnswer}),

    /**
     * Called by the server for a click on a welcome DM's feedback button (`POST /api/v4/posts/{post_id}/actions/{action_id}`),
     * for the clicking user; the handler checks it is the user the welcome was sent to.
     */
    feedbackAction: write('POST', '/api/v1/waves/actions/feedback', {
        access: {kind: 'actionCallback'},
        body: FeedbackActionRequestSchema,
        answer: lazySchema(() => z.object({ephemeral_text: z.string()})),
    }),
    progress: read(`${wave}/progress`, {access: Access.consoleReader, answer: WaveProgressSchema}),

    /** Per-user outcomes: `page` from 0, `per_page` ≤ 1000 (100; the server checks both), of one `outcome` or all. */
    results: read(`${wave}/results`, {
        access: Access.systemAdmin,
        query: lazySchema(() => z.object({
            page: z.string().optional(),
            per_page: z.string().optional(),
            outcome: z.enum(OutcomeSchema.options, {error: `must be one of ${OutcomeSchema.options.join(', ')}`}).optional(),
        })),
        answer: WaveResultsPageSchema,
    }),
};
