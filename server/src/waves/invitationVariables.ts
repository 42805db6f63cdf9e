import type {AuthService, InvitationVariables} from 'contract/waves';

import type {ServerConfig} from '../mattermost/api';
import type {WelcomeVariables} from '../welcome/template';

// The invitation email's variables, built in one place for the engine (each person's email), the
// editor's preview and its test-send, so what an admin previews is what people receive. The links come
// from the server's configuration (ServiceSettings.SiteURL, Native App Settings) and the first target
// team's invite id; how a person signs in depends on whether the wave found, made or invited them.

/** Everything an invitation renders: the contract's variables and the welcome's dates. */
export type InvitationValues = InvitationVariables & Pick<WelcomeVariables, 'start_date' | 'today'>;

/** The server-wide part, read once per run (or per preview). */
export interface InvitationLinks {
    site_url: string;

    /** The server's own password-reset page: it mails the person a token valid for 24 hours. */
    set_password_link: string;

    /** The first target team's invite link: invited people create their account there. */
    sign_up_link: string;
    desktop_app_link: string;
    mobile_app_links: string;
}

/** How the person will sign in: an account they had, an account the wave made (and how it signs in), or none yet. */
export type SignIn = {kind: 'existing'} | {kind: 'created'; auth_service: AuthService | ''} | {kind: 'invited'};

const section = (config: ServerConfig, name: string) => ((config as Record<string, Record<string, unknown> | undefined>)[name] ?? {});
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The server's links, with the first target team's invite id ('' when the wave has no team or the team none). */
export function invitationLinks(config: ServerConfig, inviteId: string): InvitationLinks {
    const site = text(section(config, 'ServiceSettings').SiteURL).replace(/\/+$/, '');
    const apps = section(config, 'NativeAppSettings');
    const ios = text(apps.IosAppDownloadLink);
    const android = text(apps.AndroidAppDownloadLink);
    const stores = [ios ? `iOS: ${ios}` : '', android ? `Android: ${android}` : ''].filter(Boolean);
    const server = site ? `server URL to enter in the app: ${site}` : '';
    return {
        site_url: site,
        set_password_link: site ? `${site}/reset_password` : '',
        sign_up_link: site && inviteId ? `${site}/signup_user_complete/?id=${encodeURIComponent(inviteId)}` : '',
        desktop_app_link: text(apps.AppDownloadLink),
        mobile_app_links: [...stores, server].filter(Boolean).join(' · '),
    };
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

/** {{sign_in_method}}: one sentence, its links as plain URLs (the HTML renderer makes them links). */
export function signInMethod(signIn: SignIn, links: InvitationLinks, config: ServerConfig): string {
    const site = links.site_url || 'this Mattermost server';
    switch (signIn.kind) {
    case 'invited':
        return links.sign_up_link ? `Create your account: ${links.sign_up_link}` : `Create your account at ${site}`;
    case 'existing':
        return `Sign in at ${site}`;
    }
    const service = signIn.auth_service || 'email';
    if (service === 'email') {
        const page = links.set_password_link || site;
        return `Choose your password at ${page} (enter this email address; Mattermost emails you a link valid for 24 hours)`;
    }
    if (service === 'ldap') {
        return `Sign in at ${site} with your directory username and password`;
    }
    return `Sign in with ${ssoName(config, service)} at ${site}`;
}

/** Every variable of one person's invitation: the welcome's (names, team, channels, dates) and the links. */
export function invitationVariables(
    welcome: WelcomeVariables,
    links: InvitationLinks,
    signIn: SignIn,
    config: ServerConfig,
): InvitationValues {
    return {...welcome, ...links, sign_in_method: signInMethod(signIn, links, config)};
}
