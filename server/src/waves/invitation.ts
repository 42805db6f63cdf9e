import type {UserProfile} from '@mattermost/types/users';

import {sha256Hex, utf8Bytes} from 'contract/bytes';
import type {CockpitLocale} from 'contract/locales';
import {defaultWaveInvitation, invitationVariableNames, type WaveDefinition, type WaveInvitation} from 'contract/waves';
import {type InvitationText, invitationTextFor} from 'contract/waves_extras';

import type {InvitationValues} from './invitationVariables';

import {KvKeys} from '../kv/keys';
import type {MattermostApi, ServerConfig} from '../mattermost/api';

// The invitation email: at most one per user per wave, through the server's mail settings (plugin API
// SendMail). The plain-text part is made by the server from the HTML (platform/shared/mail converts the
// HTML body with docconv), so HTML and text carry the same variables.
//
// Once per user per wave, with the marker technique of welcomeOnce.ts: `wave:<id>:mail:<userId>` (for a
// person who has no account yet, `wave:<id>:mail:e:<sha256 of the email>`) goes absent → "sending" (CAS)
// → send → "sent". Unlike a DM, a sent email cannot be looked up afterwards, so a marker left at
// "sending" by a crash in the few milliseconds around the SMTP exchange is NOT sent again (at most
// once: a second invitation is worse than a missing one, and the result says `unconfirmed` so an admin
// can follow up). A send that fails with an error releases the claim (CAS
// "sending" → absent) so retry-failed sends it again. Nothing is claimed or sent while the server sends no
// email (SendMail would silently drop it): the person fails and retry-failed sends it once email works.

export type InvitationResult = 'sent' | 'already_sent' | 'unconfirmed' | 'disabled';

const sending = 'sending';
const sent = 'sent';

export const invitationOf = (definition: WaveDefinition): WaveInvitation => definition.invitation ?? defaultWaveInvitation();

/** Whether the server sends email at all: SendMail silently does nothing when notifications are off. */
export function smtpConfigured(config: ServerConfig): boolean {
    const email = config.EmailSettings ?? {};
    return email.SendEmailNotifications === true && typeof email.SMTPServer === 'string' && email.SMTPServer.trim() !== '';
}

export const smtpWarning =
    'Email is not configured on this server (System Console > Environment > SMTP, and Notifications > Enable Email ' +
    'Notifications): invitation emails cannot be sent.';

const htmlEscapes: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

export function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, (char) => htmlEscapes[char]);
}

/** The variables an invitation template may name (the welcome's dates too: templates written before the links use them). */
const variableNames: ReadonlySet<string> = new Set([...invitationVariableNames, 'start_date', 'today']);

/** Variables that carry links: their http(s) URLs become links in the HTML, everything else stays text. */
const linkVariables: ReadonlySet<string> = new Set([
    'help_link',
    'site_url',
    'sign_in_method',
    'set_password_link',
    'sign_up_link',
    'desktop_app_link',
    'mobile_app_links',
]);

function substitute(
    template: string,
    variables: InvitationValues,
    encode: (name: keyof InvitationValues, value: string) => string,
): string {
    return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
        (variableNames.has(name) ? encode(name as keyof InvitationValues, variables[name as keyof InvitationValues] ?? '') : whole),
    );
}

/** Escaped text whose plain http(s) URLs are links (a URL's trailing punctuation stays text). Nothing else can become markup. */
export function linkifyHtml(value: string): string {
    const urls = /https?:\/\/[^\s<>"']+/gi;
    let html = '';
    let last = 0;
    for (let match = urls.exec(value); match !== null; match = urls.exec(value)) {
        const url = match[0].replace(/[.,;:!?)]+$/, '');
        html += `${escapeHtml(value.slice(last, match.index))}<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
        last = match.index + url.length;
    }
    return html + escapeHtml(value.slice(last));
}

/** The admin's HTML with every variable HTML-escaped; the http(s) URLs of the link variables become links. */
export function renderInvitationHtml(template: string, variables: InvitationValues): string {
    return substitute(template, variables, (name, value) => (linkVariables.has(name) ? linkifyHtml(value) : escapeHtml(value)));
}

/** The subject is a header: variables as text, line breaks removed (no header injection). */
export function renderInvitationSubject(template: string, variables: InvitationValues): string {
    return substitute(template, variables, (_name, value) => value).replace(/[\r\n]+/g, ' ').trim();
}

/** Roughly the plain-text part the server derives from the HTML: tags dropped, links as their URL, entities decoded. */
export function invitationText(html: string): string {
    const entities: Record<string, string> = {'&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'"};
    return html.
        replace(/<br\s*\/?>/gi, '\n').
        replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n').
        replace(/<[^>]*>/g, '').
        replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]).
        replace(/[ \t]+\n/g, '\n').
        replace(/\n{3,}/g, '\n\n').
        trim();
}

const encode = (value: string) => JSON.stringify(value);

/** The rendered email of one person. */
export interface InvitationMail {
    to: string;
    subject: string;
    html: string;
}

export function invitationMail(text: InvitationText, to: string, variables: InvitationValues): InvitationMail {
    return {
        to,
        subject: renderInvitationSubject(text.subject, variables),
        html: renderInvitationHtml(text.html_template, variables),
    };
}

/** The variables of one person's invitation, given the language its text is in. */
export type VariablesIn = (language: CockpitLocale) => InvitationValues;

/** The mail for a person spoken to in `locale`: the wave's text for it, else the fallback, and the variables' sentences to match. */
function mailFor(invitation: WaveInvitation, locale: CockpitLocale, to: string, variables: VariablesIn): InvitationMail {
    const chosen = invitationTextFor(invitation, locale);
    return invitationMail(chosen.text, to, variables(chosen.locale));
}

/** The email could not go out because the server sends none: nothing was claimed, retry-failed sends it once email works. */
export class EmailNotConfiguredError extends Error {
    constructor() {
        super('email is not configured on this server (SMTP and email notifications)');
        this.name = 'EmailNotConfiguredError';
    }
}

/** Claims the marker, sends, records it sent; throws when sending failed (the claim is released). */
function sendOnce(api: MattermostApi, key: string, mail: InvitationMail, smtp: boolean): InvitationResult {
    if (!smtp) {
        throw new EmailNotConfiguredError();
    }
    if (!api.kv.compareAndSet(key, null, encode(sending))) {
        const current = api.kv.get(key);
        return current === encode(sent) ? 'already_sent' : 'unconfirmed';
    }
    try {
        api.mail.send(mail.to, mail.subject, mail.html);
    } catch (error) {
        api.kv.setWithOptions(key, null, {atomic: true, old_value: encode(sending)});
        throw error;
    }
    api.kv.compareAndSet(key, encode(sending), encode(sent));
    return 'sent';
}

/** The marker of a person invited before they had an account: their normalised email, hashed (KV keys are short). */
export const emailMarkerKey = (waveId: string, email: string) =>
    KvKeys.waveMailByEmail(waveId, sha256Hex(utf8Bytes(email.trim().toLowerCase()))).key;

/**
 * Sends the wave's invitation to the user unless it already did, to them or to their email before they
 * had an account (an invited person who signed up is not invited again). Throws when sending failed.
 */
export function sendInvitationOnce(
    api: MattermostApi,
    waveId: string,
    definition: WaveDefinition,
    user: UserProfile,
    variables: VariablesIn,
    smtp: boolean,
    locale: CockpitLocale,
): InvitationResult {
    const invitation = invitationOf(definition);
    if (!invitation.enabled) {
        return 'disabled';
    }
    if (api.kv.get(emailMarkerKey(waveId, user.email)) !== null) {
        return 'already_sent';
    }
    return sendOnce(api, KvKeys.waveMail(waveId, user.id).key, mailFor(invitation, locale, user.email, variables), smtp);
}

/** Sends the invitation of a person who has no account yet, once per email per wave (an invite wave needs the invitation on). */
export function sendNewcomerInvitationOnce(
    api: MattermostApi,
    waveId: string,
    definition: WaveDefinition,
    email: string,
    variables: VariablesIn,
    smtp: boolean,
    locale: CockpitLocale,
): InvitationResult {
    const invitation = invitationOf(definition);
    if (!invitation.enabled) {
        return 'disabled';
    }
    return sendOnce(api, emailMarkerKey(waveId, email), mailFor(invitation, locale, email, variables), smtp);
}

export const inviteNeedsInvitation =
    'Inviting people who have no account needs the invitation email: turn it on, else the people invited would never hear of the wave.';
