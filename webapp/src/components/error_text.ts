// What the webapp says about a failed request, in the reader's language: the one place that turns an
// error id into words. The server's `message` is English; an id whose meaning is one fact gets its own
// translated sentence here, and the English is shown only where the id alone does not say what went
// wrong (as a detail after the translated sentence, or alone when nothing can be said in its place).
import {defineMessages, type IntlShape, type MessageDescriptor} from 'react-intl';

import {type ErrorId, ErrorIds} from 'contract/errors';

import {ClientErrorIds, type RequestError} from '../client';

const m = defineMessages({
    unauthenticated: {id: 'cockpit.error.unauthenticated.body', defaultMessage: 'Your session has ended. Sign in again, then retry.'},
    forbidden: {id: 'cockpit.apiError.forbidden', defaultMessage: 'You do not have permission to do this.'},
    notFound: {id: 'cockpit.apiError.notFound', defaultMessage: 'This no longer exists, or never did. Reload the page.'},
    methodNotAllowed: {
        id: 'cockpit.apiError.methodNotAllowed',
        defaultMessage: 'The server does not take this request. The page may be older than the plugin: reload it.',
    },
    badJson: {id: 'cockpit.apiError.badJson', defaultMessage: 'The server could not read the request.'},
    invalidField: {id: 'cockpit.apiError.invalidField', defaultMessage: '{field}: this value is not valid.'},
    tooLarge: {id: 'cockpit.apiError.tooLarge', defaultMessage: 'The request is larger than the server takes.'},
    conflict: {
        id: 'cockpit.apiError.conflict',
        defaultMessage: 'Someone else changed this in the meantime. Reload and try again.',
    },
    planNotFound: {id: 'cockpit.apiError.planNotFound', defaultMessage: 'This task or phase is no longer in the plan. Reload the plan.'},
    planFieldConflict: {
        id: 'cockpit.apiError.planFieldConflict',
        defaultMessage: 'Someone else changed this task after you loaded the plan. Keep their value (reload) or save yours again.',
    },
    brandingNeedsLicense: {
        id: 'cockpit.apiError.brandingNeedsLicense',
        defaultMessage: 'The announcement banner needs a license with the announcement feature; this server’s license does not have it.',
    },
    brandingNoSiteUrl: {
        id: 'cockpit.apiError.brandingNoSiteUrl',
        defaultMessage: 'Set the Site URL (System Console > Web Server) first: the apps need it to connect.',
    },
    waveNotFound: {id: 'cockpit.apiError.waveNotFound', defaultMessage: 'This wave does not exist (any more).'},
    waveBadTransition: {
        id: 'cockpit.apiError.waveBadTransition',
        defaultMessage: 'The wave’s current state does not allow this. Reload to see its state.',
    },
    waveSmtpNotConfigured: {
        id: 'cockpit.apiError.waveSmtpNotConfigured',
        defaultMessage: 'Email is not configured on this server (SMTP and email notifications): nothing can be sent.',
    },
    waveBusy: {
        id: 'cockpit.apiError.waveBusy',
        defaultMessage: 'The wave is being run right now (by the job or another server). Try again in a few seconds.',
    },
    planBusy: {
        id: 'cockpit.apiError.planBusy',
        defaultMessage: 'Many task edits are being saved right now. Try again in a few seconds.',
    },
    templateNotFound: {id: 'cockpit.apiError.templateNotFound', defaultMessage: 'This template or proposal does not exist (any more).'},
    templateBadTransition: {
        id: 'cockpit.apiError.templateBadTransition',
        defaultMessage: 'The channel’s status does not allow this (any more). Reload to see its status.',
    },
    templatesNeedsLicense: {
        id: 'cockpit.apiError.templatesNeedsLicense',
        defaultMessage: 'The license does not allow delegated admin roles (it needs custom permission schemes).',
    },
    loadTestTooLarge: {id: 'cockpit.apiError.loadTestTooLarge', defaultMessage: 'The file is larger than a load-test result can be.'},
    loadTestMalformed: {id: 'cockpit.apiError.loadTestMalformed', defaultMessage: 'This load-test result cannot be read.'},
    loadTestForeign: {
        id: 'cockpit.apiError.loadTestForeign',
        defaultMessage: 'This is not a result of Mattermost’s load-test tool. Upload the coordinator’s status (JSON), the output of “ltctl loadtest status”, or the comparison.json of “ltctl comparison run --format json”.',
    },
    configNotPromotable: {
        id: 'cockpit.apiError.configNotPromotable',
        defaultMessage: 'Some of these settings belong to one environment or are secrets, and are never copied.',
    },
    bundleCannotApply: {id: 'cockpit.apiError.bundleCannotApply', defaultMessage: 'This part cannot be applied on this server.'},
    bundleInvalid: {id: 'cockpit.apiError.bundleInvalid', defaultMessage: 'The bundle cannot be used as asked.'},
    internal: {
        id: 'cockpit.apiError.internal',
        defaultMessage: 'Something went wrong on the server; the plugin log has the details.',
    },
    network: {id: 'cockpit.error.network', defaultMessage: 'The server could not be reached: {message}'},
    badResponse: {id: 'cockpit.error.badResponse', defaultMessage: 'The server sent an answer the cockpit cannot read: {message}'},
    withDetail: {id: 'cockpit.apiError.withDetail', defaultMessage: '{text} (Details: {detail})'},
});

/**
 * How the webapp words an error id: its own sentence (`detail`: the server's English follows it, because
 * the id names the kind of failure but only the message says which part or why), or the English alone
 * (`detailOnly`, with the reason no sentence can stand in its place).
 */
export type ErrorWording = {message: MessageDescriptor; detail?: true} | {detailOnly: string};

/** Every error id the plugin's routes answer with, worded (a test keeps each one covered). */
export const errorWordings: Record<ErrorId, ErrorWording> = {
    [ErrorIds.unauthenticated]: {message: m.unauthenticated},
    [ErrorIds.forbidden]: {message: m.forbidden},
    [ErrorIds.notFound]: {message: m.notFound},
    [ErrorIds.methodNotAllowed]: {message: m.methodNotAllowed},
    [ErrorIds.badJson]: {message: m.badJson},
    [ErrorIds.invalid]: {
        detailOnly: 'which value is refused and why differs each time: the sentence names `field` when the answer has one ' +
            '(a body or query its schema refuses); the checks a handler makes itself say what they found only in English',
    },
    [ErrorIds.tooLarge]: {message: m.tooLarge},
    [ErrorIds.conflict]: {message: m.conflict},
    [ErrorIds.planNotFound]: {message: m.planNotFound},
    [ErrorIds.planFieldConflict]: {message: m.planFieldConflict},
    [ErrorIds.brandingNeedsLicense]: {message: m.brandingNeedsLicense},
    [ErrorIds.brandingNoSiteUrl]: {message: m.brandingNoSiteUrl},
    [ErrorIds.waveNotFound]: {message: m.waveNotFound},
    [ErrorIds.waveBadTransition]: {message: m.waveBadTransition},
    [ErrorIds.waveSmtpNotConfigured]: {message: m.waveSmtpNotConfigured},
    [ErrorIds.waveBusy]: {message: m.waveBusy},
    [ErrorIds.planBusy]: {message: m.planBusy},
    [ErrorIds.templateNotFound]: {message: m.templateNotFound},
    [ErrorIds.templateBadTransition]: {message: m.templateBadTransition},
    [ErrorIds.templatesNeedsLicense]: {message: m.templatesNeedsLicense},
    [ErrorIds.loadTestTooLarge]: {message: m.loadTestTooLarge},
    [ErrorIds.loadTestMalformed]: {message: m.loadTestMalformed, detail: true},
    [ErrorIds.loadTestForeign]: {message: m.loadTestForeign},
    [ErrorIds.configNotPromotable]: {message: m.configNotPromotable, detail: true},
    [ErrorIds.bundleCannotApply]: {message: m.bundleCannotApply, detail: true},
    [ErrorIds.bundleInvalid]: {message: m.bundleInvalid, detail: true},
    [ErrorIds.internal]: {message: m.internal},
};

const errorIds: ReadonlySet<string> = new Set(Object.values(ErrorIds));
const isErrorId = (id: string): id is ErrorId => errorIds.has(id);

/** A failed request in words: `text` in the reader's language where the cockpit has it, `detail` the server's English beside it. */
export interface ErrorWords {
    text: string;
    detail?: string;
}

export function errorWords(intl: IntlShape, error: Pick<RequestError, 'id' | 'message' | 'field'>): ErrorWords {
    if (error.id === ClientErrorIds.network) {
        return {text: intl.formatMessage(m.network, {message: error.message})};
    }
    if (error.id === ClientErrorIds.badResponse) {
        return {text: intl.formatMessage(m.badResponse, {message: error.message})};
    }
    if (error.id === ErrorIds.invalid && error.field) {
        return {text: intl.formatMessage(m.invalidField, {field: error.field}), detail: error.message};
    }

    // Mattermost's own errors (a call the webapp makes to the server's API) come in the user's language already.
    if (!isErrorId(error.id)) {
        return {text: error.message};
    }
    const wording = errorWordings[error.id];
    if ('detailOnly' in wording) {
        return {text: error.message};
    }
    const text = intl.formatMessage(wording.message);
    return wording.detail && error.message ? {text, detail: error.message} : {text};
}

/** The same as one string, for a notice or a sentence that has room for one: the detail in brackets after the text. */
export function errorText(intl: IntlShape, error: Pick<RequestError, 'id' | 'message' | 'field'>): string {
    const {text, detail} = errorWords(intl, error);
    return detail ? intl.formatMessage(m.withDetail, {text, detail}) : text;
}
