import type {UserProfile} from '@mattermost/types/users';

import {defaultWaveInvitation, type WaveDefinition, type WaveInvitation} from 'contract/waves';

import {KvKeys} from '../kv/keys';
import type {MattermostApi, ServerConfig} from '../mattermost/api';
import {type WelcomeVariables, welcomeVariableNames} from '../welcome/template';

// The invitation email: at most one per user per wave, through the server's mail settings (plugin API
// SendMail). The plain-text part is made by the server from the HTML (platform/shared/mail converts the
// HTML body with docconv), so HTML and text carry the same variables.
//
// Once per user per wave, with the marker technique of welcomeOnce.ts: `wave:<id>:mail:<userId>` goes
// absent → "sending" (CAS) → send → "sent". Unlike a DM, a sent email cannot be looked up afterwards, so
// a marker left at "sending" by a crash in the few milliseconds around the SMTP exchange is NOT sent
// again (at most once: a second invitation is worse than a missing one, and the result says
// `unconfirmed` so an admin can follow up). A send that fails with an error releases the claim (CAS
// "sending" → absent) so retry-failed sends it again.

export type InvitationResult = 'sent' | 'already_sent' | 'unconfirmed' | 'disabled';

const sending = 'sending';
const sent = 'sent';

export const invitationOf = (definition: WaveDefinition): WaveInvitation => definition.invitation ?? defaultWaveInvitation;

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

function substitute(
    template: string,
    variables: WelcomeVariables,
    encode: (name: keyof WelcomeVariables, value: string) => string,
): string {
    return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
        ((welcomeVariableNames as readonly string[]).includes(name) ?
            encode(name as keyof WelcomeVariables, variables[name as keyof WelcomeVariables]) :
            whole),
    );
}

/** The admin's HTML with every variable HTML-escaped; a plain http(s) help link becomes a link. */
export function renderInvitationHtml(template: string, variables: WelcomeVariables): string {
    return substitute(template, variables, (name, value) => {
        const trimmed = value.trim();
        if (name === 'help_link' && (/^https?:\/\/[^\s<>"']+$/i).test(trimmed)) {
            return `<a href="${escapeHtml(trimmed)}">${escapeHtml(trimmed)}</a>`;
        }
        return escapeHtml(value);
    });
}

/** The subject is a header: variables as text, line breaks removed (no header injection). */
export function renderInvitationSubject(template: string, variables: WelcomeVariables): string {
    return substitute(template, variables, (_name, value) => value).replace(/[\r\n]+/g, ' ').trim();
}

const encode = (value: string) => JSON.stringify(value);

/** Sends the wave's invitation to the user unless it already did; throws when sending failed (the claim is released). */
export function sendInvitationOnce(
    api: MattermostApi,
    waveId: string,
    definition: WaveDefinition,
    user: UserProfile,
    variables: WelcomeVariables,
): InvitationResult {
    const invitation = invitationOf(definition);
    if (!invitation.enabled) {
        return 'disabled';
    }
    const key = KvKeys.waveMail(waveId, user.id).key;
    if (!api.kv.compareAndSet(key, null, encode(sending))) {
        const current = api.kv.get(key);
        return current === encode(sent) ? 'already_sent' : 'unconfirmed';
    }
    try {
        api.mail.send(
            user.email,
            renderInvitationSubject(invitation.subject, variables),
            renderInvitationHtml(invitation.html_template, variables),
        );
    } catch (error) {
        api.kv.setWithOptions(key, null, {atomic: true, old_value: encode(sending)});
        throw error;
    }
    api.kv.compareAndSet(key, encode(sending), encode(sent));
    return 'sent';
}
