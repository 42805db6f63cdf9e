import type {CockpitLocale} from 'contract/locales';
import type {AuthService, InvitationVariables} from 'contract/waves';

import {formatMessage, type MessageId, type MessageValues} from '../i18n/messages';
import type {ServerConfig} from '../mattermost/api';
import type {WelcomeVariables} from '../welcome/template';

// The invitation email's variables, built in one place for the engine (each person's email), the
// editor's preview and its test-send, so what an admin previews is what people receive. The links come
// from the server's configuration (ServiceSettings.SiteURL, Native App Settings) and the first target
// team's invite id; how a person signs in depends on whether the wave found, made or invited them.

/** Everything an invitation renders: the contract's variables and the welcome's dates. */
export type InvitationValues = InvitationVariables & Pick<WelcomeVariables, 'start_date' | 'today'>;

/** The server-wide part, read once per run (or per preview); the words around the links are per language (invitationVariables). */
export interface InvitationLinks {
    site_url: string;

    /** The server's own password-reset page: it mails the person a token valid for 24 hours. */
    set_password_link: string;

    /** The first target team's invite link: invited people create their account there. */
    sign_up_link: string;
    desktop_app_link: string;
}

/** How the person will sign in: an account they had, an account the wave made (and how it signs in), or none yet. */
export type SignIn = {kind: 'existing'} | {kind: 'created'; auth_service: AuthService | ''} | {kind: 'invited'};

const section = (config: ServerConfig, name: string) => ((config as Record<string, Record<string, unknown> | undefined>)[name] ?? {});
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The server's links, with the first target team's invite id ('' when the wave has no team or the team none). */
export function invitationLinks(config: ServerConfig, inviteId: string): InvitationLinks {
    const site = siteOf(config);
    return {
        site_url: site,
        set_password_link: site ? `${site}/reset_password` : '',
        sign_up_link: site && inviteId ? `${site}/signup_user_complete/?id=${encodeURIComponent(inviteId)}` : '',
        desktop_app_link: text(section(config, 'NativeAppSettings').AppDownloadLink),
    };
}

const siteOf = (config: ServerConfig) => text(section(config, 'ServiceSettings').SiteURL).replace(/\/+$/, '');

/** {{mobile_app_links}}: the store links and the server URL to enter in the app, its label in `locale`. */
function mobileAppLinks(config: ServerConfig, locale: CockpitLocale): string {
    const site = siteOf(config);
    const apps = section(config, 'NativeAppSettings');
    const ios = text(apps.IosAppDownloadLink);
    const android = text(apps.AndroidAppDownloadLink);
    const stores = [ios ? `iOS: ${ios}` : '', android ? `Android: ${android}` : ''].filter(Boolean);
    const server = site ? formatMessage(locale, 'invite.serverUrl', {site}) : '';
    return [...stores, server].filter(Boolean).join(' · ');
}

/** The names the server's sign-in page gives each single-sign-on button. */
const ssoNames: Record<Exclude<AuthService, 'email' | 'ldap'>, string> = {
    saml: 'SAML',
    gitlab: 'GitLab',
    openid: 'OpenID Connect',
    office365: 'Entra ID',
    google: 'Google',
};

/** The button text an admin gave the SAML or OpenID sign-in, else the service's own name. */
function ssoName(config: ServerConfig, service: keyof typeof ssoNames): string {
    const buttonText: Partial<Record<keyof typeof ssoNames, [string, string]>> = {
        saml: ['SamlSettings', 'LoginButtonText'],
        openid: ['OpenIdSettings', 'ButtonText'],
    };
    const setting = buttonText[service];
    return (setting && text(section(config, setting[0])[setting[1]])) || ssoNames[service];
}

/** {{sign_in_method}}: one sentence in the invitation's language, its links as plain URLs (the HTML renderer makes them links). */
export function signInMethod(signIn: SignIn, links: InvitationLinks, config: ServerConfig, locale: CockpitLocale): string {
    const t = (id: MessageId, values?: MessageValues) => formatMessage(locale, id, values);
    const site = links.site_url || t('invite.thisServer');
    switch (signIn.kind) {
    case 'invited':
        return links.sign_up_link ? t('invite.createAccount', {link: links.sign_up_link}) : t('invite.createAccountAt', {site});
    case 'existing':
        return t('invite.signInAt', {site});
    }
    const service = signIn.auth_service || 'email';
    if (service === 'email') {
        return t('invite.choosePassword', {page: links.set_password_link || site});
    }
    if (service === 'ldap') {
        return t('invite.signInDirectory', {site});
    }
    return t('invite.signInWith', {service: ssoName(config, service), site});
}

/**
 * Every variable of one person's invitation: the welcome's (names, team, channels, dates) and the links;
 * its sentence and the app links' label in `locale`.
 */
export function invitationVariables(
    welcome: WelcomeVariables,
    links: InvitationLinks,
    signIn: SignIn,
    config: ServerConfig,
    locale: CockpitLocale,
): InvitationValues {
    return {
        ...welcome,
        ...links,
        mobile_app_links: mobileAppLinks(config, locale),
        sign_in_method: signInMethod(signIn, links, config, locale),
    };
}
