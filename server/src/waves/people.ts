import type {UserProfile} from '@mattermost/types/users';

import {
    type AuthService,
    authServices,
    authServiceSettings,
    type CsvProblem,
    defaultNewcomers,
    directoryServices,
    mattermostLocales,
    type Newcomers,
    type Person,
} from 'contract/waves';

import {isHostError} from '../host/errors';
import type {ServerConfig} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The people of a cohort file with named columns: each row checked against the rules the server will
// apply when the account is made (model.User.IsValid and model.IsValidUsername in
// server/public/model/user.go, the auth services and locales this server offers), then matched with an
// existing account by email, then by username. What the server would refuse is reported with its line
// before anything runs, so a wave never half-creates a file.

/** What this server accepts, read from its configuration once per validation. */
export interface ServerFacts {
    enabledAuthServices: ReadonlySet<AuthService>;
    locales: ReadonlySet<string>;

    /** The time zones the server offers (GET /api/v4/system/timezones); null = not checked. goja has no Intl to ask. */
    timezones: ReadonlySet<string> | null;
}

const setting = (config: ServerConfig, section: string, name: string): unknown =>
    ((config as Record<string, Record<string, unknown> | undefined>)[section] ?? {})[name];

/** What a wave does with its file's people who have no account (waves saved before newcomers existed skip them). */
export const newcomersOf = (definition: {newcomers?: Newcomers}): Newcomers => definition.newcomers ?? defaultNewcomers();

/** This server's facts, read now: its configuration and time zones (two host calls). */
export function serverFactsOf(api: Pick<ReadOnlyMattermostApi, 'config' | 'system'>): ServerFacts {
    return serverFacts(api.config.get(), api.system.timezones());
}

export function serverFacts(config: ServerConfig, timezones: readonly string[]): ServerFacts {
    const enabled = authServices.filter((service) => {
        const {section, setting: name} = authServiceSettings[service];
        const value = setting(config, section, name);

        // EnableSignInWithEmail is on unless an admin turned it off (its default is true).
        return service === 'email' ? value !== false : value === true;
    });
    const available = String(setting(config, 'LocalizationSettings', 'AvailableLocales') ?? '').
        split(',').
        map((locale) => locale.trim()).
        filter(Boolean);
    return {
        enabledAuthServices: new Set(enabled),
        locales: new Set(available.length > 0 ? available : mattermostLocales),
        timezones: new Set(timezones),
    };
}

/** A person of the file, every field normalised (lowercase email and username, trimmed text). */
export interface Newcomer {
    line: number;

    /** '' when the file names the person by username only (they must then have an account). */
    email: string;

    /** As the file gives it, else '' (the account's username is then derived from the email). */
    username: string;
    first_name: string;
    last_name: string;
    nickname: string;
    position: string;
    locale: string;
    timezone: string;

    /** '' = the wave's default (completeNewcomer fills it in). */
    auth_service: AuthService | '';
    auth_data: string;
}

/** model.IsValidEmail accepts what net/mail parses as a bare address; this is the common subset. */
const emailPattern = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** model.IsValidUsername: 1–64 of a-z 0-9 . - _, not a reserved name. */
const usernamePattern = /^[a-z0-9._-]{1,64}$/;
const reservedUsernames = new Set(['all', 'channel', 'matterbot', 'system']);

const runes = (text: string) => [...text].length;
const limits: Array<[keyof Person, number]> = [
    ['first_name', 64],
    ['last_name', 64],
    ['nickname', 64],
    ['position', 128],
    ['auth_data', 128],
];

const isTimeZone = (zone: string, facts: ServerFacts) => facts.timezones === null || facts.timezones.has(zone);

/** The username a person without one in the file gets: the email's local part, as model.CleanUsername would make it. */
export function usernameFromEmail(email: string): string {
    const local = email.split('@')[0].toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 64);
    return reservedUsernames.has(local) || local === '' ? `user-${local}` : local;
}

/**
 * The person of a row, or the reasons the server would refuse the cells it gives. Only the cells are
 * checked here (no lookup): what depends on whether the person has an account, and the wave's
 * defaults for empty cells, is checked for newcomers by classifyPeople.
 */
export function checkPerson(line: number, person: Person, facts: ServerFacts): Newcomer | string[] {
    const text = (key: keyof Person) => (person[key] ?? '').trim();
    const reasons: string[] = [];
    const email = text('email').toLowerCase();
    const username = text('username').replace(/^@/, '').toLowerCase();
    if (email === '' && username === '') {
        reasons.push('an email or a username is required');
    } else if (email !== '' && (email.length > 128 || !emailPattern.test(email))) {
        reasons.push('not a valid email address');
    }
    if (username !== '' && (!usernamePattern.test(username) || reservedUsernames.has(username))) {
        reasons.push('a username is 1–64 of a-z, 0-9, ".", "-" and "_", and not a reserved name (all, channel, matterbot, system)');
    }
    for (const [key, max] of limits) {
        if (runes(text(key)) > max) {
            reasons.push(`${key} is longer than ${max} characters`);
        }
    }
    const service = text('auth_service').toLowerCase();
    const serviceReason = service === '' ? null : authServiceProblem(service, facts);
    if (serviceReason) {
        reasons.push(serviceReason);
    }
    const locale = text('locale');
    if (locale !== '' && !facts.locales.has(locale)) {
        reasons.push(`locale "${locale}" is not offered by this server`);
    }
    const timezone = text('timezone');
    if (timezone !== '' && !isTimeZone(timezone, facts)) {
        reasons.push(`timezone "${timezone}" is not a time zone this server offers`);
    }
    if (reasons.length > 0) {
        return reasons;
    }
    return {
        line,
        email,
        username,
        first_name: text('first_name'),
        last_name: text('last_name'),
        nickname: text('nickname'),
        position: text('position'),
        locale,
        timezone,
        auth_service: service as AuthService | '',
        auth_data: text('auth_data'),
    };
}

function authServiceProblem(service: string, facts: ServerFacts): string | null {
    if (!(authServices as readonly string[]).includes(service)) {
        return `auth_service "${service}" is not one of ${authServices.join(', ')}`;
    }
    if (!facts.enabledAuthServices.has(service as AuthService)) {
        const {section, setting: name} = authServiceSettings[service as AuthService];
        return `auth_service "${service}" is not enabled on this server (${section}.${name})`;
    }
    return null;
}

/**
 * A newcomer with the wave's defaults in the cells the file left empty, or why their account cannot
 * be made: no email, a default sign-in method the server does not offer, no directory id for SSO/LDAP.
 */
export function completeNewcomer(person: Newcomer, defaults: Newcomers, facts: ServerFacts): Newcomer | string[] {
    const reasons: string[] = [];
    if (person.email === '') {
        reasons.push('no such user, and no email to create or invite them with');
    }
    const service = person.auth_service || defaults.auth_service;
    const serviceReason = authServiceProblem(service, facts);
    if (serviceReason) {
        reasons.push(serviceReason);
    }
    if (directoryServices.includes(service) && person.auth_data === '') {
        reasons.push(`auth_data is required for ${service}: the id its sign-in will match`);
    }
    if (service === 'email' && person.auth_data !== '') {
        reasons.push('auth_data is only for SSO and LDAP accounts');
    }
    const locale = person.locale || defaults.locale;
    if (locale !== '' && !facts.locales.has(locale)) {
        reasons.push(`the wave's default locale "${locale}" is not offered by this server`);
    }
    const timezone = person.timezone || defaults.timezone;
    if (timezone !== '' && !isTimeZone(timezone, facts)) {
        reasons.push(`the wave's default timezone "${timezone}" is not a time zone this server offers`);
    }
    if (reasons.length > 0) {
        return reasons;
    }
    return {...person, auth_service: service, locale, timezone};
}

/** Problems for the same email, username or directory id given twice in the file. */
export function duplicatePeople<T extends Newcomer>(people: readonly T[]): {unique: T[]; problems: CsvProblem[]} {
    const unique: T[] = [];
    const problems: CsvProblem[] = [];
    const seen = new Map<string, number>();
    for (const person of people) {
        const keys: Array<[string, string]> = [];
        if (person.email) {
            keys.push(['email', person.email]);
        }
        if (person.username) {
            keys.push(['username', person.username]);
        }
        if (person.auth_data) {
            keys.push([`${person.auth_service} auth_data`, `${person.auth_service}:${person.auth_data}`]);
        }
        const clash = keys.find(([, key]) => seen.has(key));
        if (clash) {
            const reason = `duplicate of line ${seen.get(clash[1])} (${clash[0]})`;
            problems.push({line: person.line, value: person.email || person.username, reason});
            continue;
        }
        keys.forEach(([, key]) => seen.set(key, person.line));
        unique.push(person);
    }
    return {unique, problems};
}

type UserLookup = Pick<ReadOnlyMattermostApi, 'users'>;

function lookup(read: () => UserProfile): UserProfile | null {
    try {
        return read();
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return null;
        }
        throw error;
    }
}

/** The existing account of a person: by email, then by the username the file gives; null for a newcomer. */
export function existingAccount(api: UserLookup, person: {email: string; username: string}): UserProfile | null {
    const byEmail = person.email ? lookup(() => api.users.getByEmail(person.email)) : null;
    return byEmail ?? (person.username ? lookup(() => api.users.getByUsername(person.username)) : null);
}

/** The file's people after the lookup: who has an account, who does not, and what cannot go on. */
export interface ClassifiedPeople {
    existing: Array<{person: Newcomer; user: UserProfile}>;

    /** People without an account, complete (defaults applied) and with an email: the key that creates or invites them once. */
    newcomers: Newcomer[];
    problems: CsvProblem[];
}

/**
 * Looks every person up (by email, then username; one or two reads each) and sorts them. A person
 * without an account becomes a newcomer when the wave creates or invites them and their account can
 * be made, else a problem with its line. Reads only.
 */
export function classifyPeople(api: UserLookup, people: readonly Newcomer[], newcomers: Newcomers, facts: ServerFacts): ClassifiedPeople {
    const classified: ClassifiedPeople = {existing: [], newcomers: [], problems: []};
    for (const person of people) {
        const user = existingAccount(api, person);
        const value = person.email || person.username;
        if (user) {
            classified.existing.push({person, user});
            continue;
        }
        if (newcomers.mode === 'skip') {
            classified.problems.push({line: person.line, value, reason: 'no such user'});
            continue;
        }
        const complete = completeNewcomer(person, newcomers, facts);
        if (Array.isArray(complete)) {
            classified.problems.push({line: person.line, value, reason: complete.join('; ')});
        } else {
            classified.newcomers.push(complete);
        }
    }
    return classified;
}
