import type {FieldConflict} from './plan_api';

// Every 4xx/5xx answer of a plugin route has this body.
export interface ApiErrorBody {
    error: {
        /** Stable machine id, e.g. `cockpit.auth.not_system_admin`. */
        id: string;

        /** Human sentence in English; the webapp shows its own translated text per id when it has one. */
        message: string;

        /**
         * A request whose body or query its schema refuses (id cockpit.request.invalid): where the first
         * problem is, the zod issue path joined with dots (`settings.retention_days`, `tags.1`), so a
         * client can name the field in its reader's language; `message` stays the English detail.
         */
        field?: string;

        /** A 409 for a plan task's field (id cockpit.plan.field_conflict): what the other person saved. */
        conflict?: FieldConflict;
    };
}

export const ErrorIds = {
    unauthenticated: 'cockpit.auth.unauthenticated',
    forbidden: 'cockpit.auth.forbidden',
    notFound: 'cockpit.route.not_found',
    methodNotAllowed: 'cockpit.route.method_not_allowed',
    badJson: 'cockpit.request.bad_json',
    invalid: 'cockpit.request.invalid',
    tooLarge: 'cockpit.request.too_large',
    conflict: 'cockpit.state.version_conflict',

    /** A plan task or phase id that does not exist (PATCH/DELETE/POST under /api/v1/plan/…). */
    planNotFound: 'cockpit.plan.not_found',

    /** A task field someone else changed since the editor read the plan: 409 with `conflict`. */
    planFieldConflict: 'cockpit.plan.field_conflict',

    /** A banner change on a server whose license lacks the `announcement` feature. */
    brandingNeedsLicense: 'cockpit.branding.needs_license',

    /** The Site URL is empty, so no client preset can be generated. */
    brandingNoSiteUrl: 'cockpit.branding.no_site_url',

    /** A wave id that does not exist. */
    waveNotFound: 'cockpit.waves.not_found',

    /** A wave action its current state does not allow (e.g. pause a draft, edit a running wave): 409. */
    waveBadTransition: 'cockpit.waves.invalid_transition',

    /** POST …/invitation/test-send on a server that sends no email (SMTP or email notifications off): 409. */
    waveSmtpNotConfigured: 'cockpit.waves.smtp_not_configured',

    /** POST …/tick while another run of the wave (the job, another node) holds its lock: 503, try again. */
    waveBusy: 'cockpit.waves.busy',

    /** A task edit that waited its turn longer than the request may (many saves at once): 503, try again. */
    planBusy: 'cockpit.plan.busy',

    /** A template or proposal id that does not exist (or a proposal that does not include the team). */
    templateNotFound: 'cockpit.templates.not_found',

    /** A decision, rollback or retry on a channel whose status does not allow it: 409. */
    templateBadTransition: 'cockpit.templates.invalid_transition',

    /** Delegated admin roles on a server whose license lacks CustomPermissionsSchemes: 400. */
    templatesNeedsLicense: 'cockpit.templates.needs_license',

    /** A load-test upload larger than LOAD_TEST_FILE_MAX_BYTES: 400, nothing stored. */
    loadTestTooLarge: 'cockpit.loadtest.too_large',

    /** A file that looks like a load-test result but cannot be read (broken JSON, a run not done, no supported users): 400. */
    loadTestMalformed: 'cockpit.loadtest.malformed',

    /** A file that is not a result of mattermost-load-test-ng at all: 400. */
    loadTestForeign: 'cockpit.loadtest.foreign',

    /** A config patch that names a setting which may never be promoted (environment-specific or secret): 400. */
    configNotPromotable: 'cockpit.config.not_promotable',

    /** A bundle part that cannot apply on this server (a missing team, a running wave …): nothing of it is written. */
    bundleCannotApply: 'cockpit.bundle.cannot_apply',

    /** A picked part the bundle file does not carry, or an export larger than a bundle may be: 400. */
    bundleInvalid: 'cockpit.bundle.invalid',
    internal: 'cockpit.internal',
} as const;

export type ErrorId = typeof ErrorIds[keyof typeof ErrorIds];
