import type {UserProfile} from '@mattermost/types/users';

import type {Cohort, CsvProblem, CsvRow} from 'contract/waves';

import {isHostError} from '../host/errors';
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
}

/** Splits rows into valid ones and problems (empty, malformed, duplicate of an earlier line). */
export function validateCsvRows(rows: readonly CsvRow[]): {valid: ValidCsvRow[]; problems: CsvProblem[]} {
    const valid: ValidCsvRow[] = [];
    const problems: CsvProblem[] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
        const value = row.value.trim().replace(/^@/, '');
        if (value === '') {
            problems.push({line: row.line, value: row.value, reason: 'empty value'});
            continue;
        }
        const kind = value.includes('@') ? 'email' : 'username';
        if (kind === 'email' ? !emailPattern.test(value) : !usernamePattern.test(value)) {
            problems.push({
                line: row.line,
                value: row.value,
                reason: kind === 'email' ? 'not a valid email address' : 'not a valid username or email',
            });
            continue;
        }
        const normalized = value.toLowerCase();
        const firstLine = seen.get(normalized);
        if (firstLine !== undefined) {
            problems.push({line: row.line, value: row.value, reason: `duplicate of line ${firstLine}`});
            continue;
        }
        seen.set(normalized, row.line);
        valid.push({line: row.line, value: normalized, kind});
    }
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

/** Resolves every source. CSV rows that match no user become problems (`no such user`). */
export function resolveCohort(api: CohortApi, cohort: Cohort): ResolvedCohort {
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

    const {valid, problems} = validateCsvRows(cohort.csv);
    const csvProblems = [...problems];
    for (const row of valid) {
        try {
            add('csv', row.kind === 'email' ? api.users.getByEmail(row.value) : api.users.getByUsername(row.value));
        } catch (error) {
            if (isHostError(error) && error.status_code === 404) {
                csvProblems.push({line: row.line, value: row.value, reason: 'no such user'});
            } else {
                throw error;
            }
        }
    }
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
    return {users: [...byId.values()], sources, duplicates, csvProblems};
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
