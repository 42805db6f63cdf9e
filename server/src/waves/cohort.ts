import type {UserProfile} from '@mattermost/types/users';

import {
    authServices,
    type Cohort,
    type CsvProblem,
    type CsvRow,
    defaultNewcomers,
    mattermostLocales,
    type Newcomers,
    speaksCohortLanguage,
} from 'contract/waves';

import {checkPerson, classifyPeople, duplicatePeople, type Newcomer, type ServerFacts} from './people';

import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Cohort resolution: every source to user ids, de-duplicated in source order (CSV, groups, teams,
// email domains). Pure validation of CSV rows lives here too, so create/update/dry-run report the
// same problems with the same line numbers.

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const usernamePattern = /^[a-z0-9._-]{1,64}$/i;
const pageSize = 200;

type CohortApi = Pick<ReadOnlyMattermostApi, 'users' | 'groups'>;

export interface ValidCsvRow extends CsvRow {
    kind: 'email' | 'username';

    /** The row's person: its named columns, or the one value as an email or username. */
    person: Newcomer;
}

/** Checks only the rows' shape: every auth service and locale counts as offered (the dry run and the run check them). */
export const anyServer: ServerFacts = {enabledAuthServices: new Set(authServices), locales: new Set(mattermostLocales), timezones: null};

/** One value: a username or an email (a leading @ is dropped). */
function checkValue(row: CsvRow): {person: Newcomer; kind: ValidCsvRow['kind']} | string {
    const value = row.value.trim().replace(/^@/, '');
    if (value === '') {
        return 'empty value';
    }
    const kind = value.includes('@') ? 'email' : 'username';
    if (kind === 'email' ? !emailPattern.test(value) : !usernamePattern.test(value)) {
        return kind === 'email' ? 'not a valid email address' : 'not a valid username or email';
    }
    const normalized = value.toLowerCase();
    const person = checkPerson(row.line, kind === 'email' ? {email: normalized} : {username: normalized}, anyServer);
    return Array.isArray(person) ? person.join('; ') : {person, kind};
}

/**
 * Splits rows into valid ones and problems (empty, malformed, a cell the server would refuse, the
 * same person twice). `facts` = what this server offers (auth services, locales); without them only
 * the rows' shape is checked.
 */
export function validateCsvRows(rows: readonly CsvRow[], facts: ServerFacts = anyServer): {valid: ValidCsvRow[]; problems: CsvProblem[]} {
    const checked: ValidCsvRow[] = [];
    const problems: CsvProblem[] = [];
    for (const row of rows) {
        if (row.person) {
            const person = checkPerson(row.line, row.person, facts);
            if (Array.isArray(person)) {
                problems.push({line: row.line, value: row.value, reason: person.join('; ')});
            } else {
                checked.push({...row, value: person.email || person.username, kind: person.email ? 'email' : 'username', person});
            }
            continue;
        }
        const one = checkValue(row);
        if (typeof one === 'string') {
            problems.push({line: row.line, value: row.value, reason: one});
        } else {
            checked.push({line: row.line, value: one.person.email || one.person.username, kind: one.kind, person: one.person});
        }
    }
    const {unique, problems: duplicates} = duplicatePeople(checked.map((row) => ({...row.person, row})));
    const valid = unique.map((person) => person.row);
    const byLine = new Map(rows.map((row) => [row.line, row]));
    problems.push(...duplicates.map((problem) => ({...problem, value: byLine.get(problem.line)?.value ?? problem.value})));
    problems.sort((a, b) => a.line - b.line);
    return {valid, problems};
}

function eachPage(fetch: (page: number) => UserProfile[], visit: (user: UserProfile) => void): void {
    for (let page = 0; ; page++) {
        const users = fetch(page);
        users.forEach(visit);
        if (users.length < pageSize) {
            return;
        }
    }
}

export interface ResolvedCohort {
    /** De-duplicated, in source order. */
    users: UserProfile[];
    sources: {csv: number; groups: number; teams: number; email_domains: number};
    duplicates: number;
    csvProblems: CsvProblem[];
}

/** The cohort a run queues: the accounts, and the file's people the wave creates or invites. */
export interface ResolvedWaveCohort extends ResolvedCohort {
    /** People of the file without an account, complete (the wave's defaults applied); none in mode skip. */
    newcomers: Newcomer[];
}

/** How the file's people are checked and what happens to those without an account. */
export interface PeopleRules {
    newcomers: Newcomers;
    facts: ServerFacts;
}

/**
 * Resolves every source. The file's people are looked up by email, then username (people.ts): an
 * account joins the users; a person without one is a newcomer when the wave creates or invites them,
 * else a problem (`no such user`, as before newcomers existed), as is a row the server would refuse.
 * Without `rules` the rows are checked for their shape only and nobody is a newcomer.
 */
export function resolveCohort(
    api: CohortApi,
    cohort: Cohort,
    rules: PeopleRules = {newcomers: defaultNewcomers(), facts: anyServer},
): ResolvedWaveCohort {
    const byId = new Map<string, UserProfile>();
    const sources = {csv: 0, groups: 0, teams: 0, email_domains: 0};
    let duplicates = 0;
    const add = (source: keyof typeof sources, user: UserProfile) => {
        sources[source] += 1;
        if (byId.has(user.id)) {
            duplicates += 1;
        } else {
            byId.set(user.id, user);
        }
    };

    const {valid, problems} = validateCsvRows(cohort.csv, rules.facts);
    const people = classifyPeople(api, valid.map((row) => row.person), rules.newcomers, rules.facts);
    people.existing.forEach(({user}) => add('csv', user));
    const csvProblems = [...problems, ...people.problems];
    for (const groupId of cohort.group_ids) {
        eachPage((page) => api.groups.members(groupId, page, pageSize), (user) => add('groups', user));
    }
    for (const teamId of cohort.team_ids) {
        eachPage((page) => api.users.list(page, pageSize, teamId), (user) => add('teams', user));
    }
    if (cohort.email_domains.length > 0) {
        const domains = cohort.email_domains.map((domain) => `@${domain.toLowerCase()}`);
        eachPage(
            (page) => api.users.list(page, pageSize, ''),
            (user) => {
                if (domains.some((domain) => user.email.toLowerCase().endsWith(domain))) {
                    add('email_domains', user);
                }
            },
        );
    }
    csvProblems.sort((a, b) => a.line - b.line);
    return {users: [...byId.values()], newcomers: people.newcomers, sources, duplicates, csvProblems};
}

/**
 * The cohort's people who read one of its languages (speaksCohortLanguage), and how many the filter leaves
 * out. A newcomer of the file is judged by the locale the wave gives their account (their row's, else the
 * wave's default for newcomers; '' = the server's default), the language the bot will speak to them in.
 */
export function inCohortLanguages<T extends {locale?: string}>(
    cohort: Pick<Cohort, 'locales'>,
    people: readonly T[],
    serverDefault: string,
): {kept: T[]; outside: number} {
    const kept = people.filter((person) => speaksCohortLanguage(cohort, person.locale, serverDefault));
    return {kept, outside: people.length - kept.length};
}

/**
 * Arrivals (new accounts, team joins) of a cohort filtered by language: those whose account reads one of
 * its languages, read in pages of 1,000 (a user the server no longer has is dropped). Without a filter
 * every arrival, unread.
 */
export function arrivalsInCohortLanguages(
    api: Pick<ReadOnlyMattermostApi, 'users'>,
    cohort: Pick<Cohort, 'locales'>,
    serverDefault: string,
    userIds: readonly string[],
): string[] {
    if (!cohort.locales?.length) {
        return [...userIds];
    }
    const kept = new Set<string>();
    for (let from = 0; from < userIds.length; from += 1000) {
        const users = api.users.getMany(userIds.slice(from, from + 1000));
        inCohortLanguages(cohort, users, serverDefault).kept.forEach((user) => kept.add(user.id));
    }
    return userIds.filter((userId) => kept.has(userId));
}

/** Why a user cannot be onboarded, or null. */
export function skipReason(user: UserProfile, allowGuests: boolean): 'deactivated' | 'bot' | 'guest' | null {
    if (user.delete_at > 0) {
        return 'deactivated';
    }
    if (user.is_bot) {
        return 'bot';
    }
    if (!allowGuests && user.roles.split(' ').includes('system_guest')) {
        return 'guest';
    }
    return null;
}

/** Whether a user (e.g. a new account) belongs to the cohort by the sources checkable from the user alone. */
export function matchesByProfile(cohort: Cohort, user: UserProfile): boolean {
    const email = user.email.toLowerCase();
    if (cohort.email_domains.some((domain) => email.endsWith(`@${domain.toLowerCase()}`))) {
        return true;
    }
    const username = user.username.toLowerCase();
    return validateCsvRows(cohort.csv).valid.some((row) => row.value === (row.kind === 'email' ? email : username));
}

/**
 * Whether an invite wave's file names this email (the person has an account now). Called for every new
 * account while the wave is open, so it compares the rows' values (a row's email, CsvRowSchema) rather
 * than checking the whole file: a bulk creation elsewhere must not cost a file check per account.
 */
export function invitedByEmail(definition: {cohort: Cohort; newcomers?: Newcomers}, email: string): boolean {
    const wanted = email.trim().toLowerCase();
    if ((definition.newcomers?.mode ?? 'skip') !== 'invite' || wanted === '') {
        return false;
    }
    return definition.cohort.csv.some((row) => (row.person?.email ?? row.value).trim().toLowerCase() === wanted);
}
