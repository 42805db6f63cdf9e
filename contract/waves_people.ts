import {z} from 'zod';

import {lazySchema} from './lazy';

// People a wave reaches before they have an account. A cohort file with a header row of named columns
// describes each person; a row that matches no account (by email, then by username) is a newcomer, and
// the wave's `newcomers.mode` says what happens to them: their account is created (SSO/LDAP accounts
// carry the directory id their first sign-in will match; email accounts get no usable password and
// choose one through the server's own password reset), they are invited (they sign up through the
// team's invite link and the wave onboards them when their account appears), or they are skipped.
// A row never changes an existing account.

/**
 * How a person signs in: `email` (email and password) or the server's auth service names
 * (model.UserAuthService* in server/public/model/user.go).
 */
export const authServices = ['email', 'ldap', 'saml', 'gitlab', 'openid', 'office365', 'google'] as const;
export const AuthServiceSchema = lazySchema(() => z.enum(authServices));
export type AuthService = z.infer<typeof AuthServiceSchema>;

/** The configuration section and switch that enable each auth service on the server. */
export const authServiceSettings: Record<AuthService, {section: string; setting: string}> = {
    email: {section: 'EmailSettings', setting: 'EnableSignInWithEmail'},
    ldap: {section: 'LdapSettings', setting: 'Enable'},
    saml: {section: 'SamlSettings', setting: 'Enable'},
    gitlab: {section: 'GitLabSettings', setting: 'Enable'},
    openid: {section: 'OpenIdSettings', setting: 'Enable'},
    office365: {section: 'Office365Settings', setting: 'Enable'},
    google: {section: 'GoogleSettings', setting: 'Enable'},
};

/** Services whose sign-in finds the account by its auth data (the directory or provider id), so a new account needs it. */
export const directoryServices: readonly AuthService[] = ['ldap', 'saml', 'gitlab', 'openid', 'office365', 'google'];

/** The named columns of a cohort file, in the order of the downloadable template. */
export const personColumns = [
    'email',
    'username',
    'first_name',
    'last_name',
    'nickname',
    'position',
    'locale',
    'timezone',
    'auth_service',
    'auth_data',
] as const;
export type PersonColumn = typeof personColumns[number];

/**
 * One person as the file describes them; every cell as text (the server validates and reports each
 * problem with its line). Lengths are model.User's column limits (server/public/model/user.go).
 */
export const PersonSchema = lazySchema(() => z.strictObject({
    email: z.string().max(128).optional(),
    username: z.string().max(64).optional(),
    first_name: z.string().max(64).optional(),
    last_name: z.string().max(64).optional(),
    nickname: z.string().max(64).optional(),
    position: z.string().max(128).optional(),
    locale: z.string().max(10).optional(),
    timezone: z.string().max(64).optional(),
    auth_service: z.string().max(32).optional(),
    auth_data: z.string().max(128).optional(),
}));
export type Person = z.infer<typeof PersonSchema>;

/**
 * The locales Mattermost's web app offers (webapp/channels/src/i18n/i18n.jsx, `languages`); a server
 * offers all of them unless LocalizationSettings.AvailableLocales lists fewer.
 */
export const mattermostLocales = [
    'bg',
    'de',
    'en',
    'en-AU',
    'es',
    'fa',
    'fr',
    'hu',
    'it',
    'ja',
    'ko',
    'nl',
    'pl',
    'pt-BR',
    'ro',
    'ru',
    'sv',
    'tr',
    'uk',
    'vi',
    'zh-CN',
    'zh-TW',
] as const;

/** What a wave does for a person of its file who has no account. */
export const NewcomerModeSchema = lazySchema(() => z.enum(['skip', 'create', 'invite']));
export type NewcomerMode = z.infer<typeof NewcomerModeSchema>;

export const NewcomersSchema = lazySchema(() => z.strictObject({
    mode: NewcomerModeSchema.default('skip'),

    /** For rows that leave the column empty. */
    auth_service: AuthServiceSchema.default('email'),

    /** '' = the server's default locale (LocalizationSettings.DefaultClientLocale). */
    locale: z.string().max(10).default(''),

    /** An IANA time zone, e.g. Europe/Berlin; '' = the person's browser decides (automatic). */
    timezone: z.string().max(64).default(''),
}));
export type Newcomers = z.infer<typeof NewcomersSchema>;

/** The newcomer settings of a wave that has none of its own: the schema's defaults (built on first use, see lazy.ts). */
export function defaultNewcomers(): Newcomers {
    return NewcomersSchema.parse({});
}

/** What the dry run says a file's row would come to. */
export const PersonActionSchema = lazySchema(() => z.enum(['existing', 'create', 'invite', 'skip']));
export type PersonAction = z.infer<typeof PersonActionSchema>;

/** The dry run's account of the file's people (the wave changes nothing to produce it). */
export interface DryRunPeople {
    existing: number;
    create: number;
    invite: number;
    skip: number;

    /** People to create or invite, by how they will sign in. */
    by_auth_service: Partial<Record<AuthService, number>>;

    /** A few rows of each action. */
    sample: Array<{line: number; email: string; username: string; action: PersonAction; auth_service: AuthService | ''}>;
}

export const DryRunPeopleSchema: z.ZodType<DryRunPeople> = lazySchema(() => z.object({
    existing: z.number(),
    create: z.number(),
    invite: z.number(),
    skip: z.number(),
    by_auth_service: z.partialRecord(AuthServiceSchema, z.number()),
    sample: z.array(z.object({
        line: z.number(),
        email: z.string(),
        username: z.string(),
        action: PersonActionSchema,
        auth_service: z.union([AuthServiceSchema, z.literal('')]),
    })),
}));
