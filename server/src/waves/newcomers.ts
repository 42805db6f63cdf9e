import type {CsvRow, WaveDefinition} from 'contract/waves';

import {validateCsvRows} from './cohort';
import {completeNewcomer, type Newcomer, newcomersOf, type ServerFacts, usernameFromEmail} from './people';
import type {BatchEntry, Processed} from './runSteps';

import type {UserCreateSpec} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import type {MattermostApi} from '../mattermost/api';

// The file's people who had no account when the cohort was resolved. Each waits in the queue as the
// placeholder `row:<line>` (user ids never contain ':'), and the batch that reaches it turns it into an
// account (mode create: one users.createMany call for the batch's newcomers) or leaves it for the
// invitation (mode invite). The person is read again from the wave's own file, by line, once per run:
// the file cannot change once the wave has started, and a row is checked again as the server is now
// (an auth service turned off since resolution fails that person rather than making a broken account).
//
// Exactly once: the email is the key. createMany answers the account an email already has instead of
// making a second one, and each account this wave makes carries the prop `cockpit_wave = <waveId>`.
// So a batch run again after a crash (or a retry of a failure) finds the account it made the first time:
// an answer "not created" for an account carrying this wave's prop still counts as `created`; one
// without it belongs to someone else (the person signed up meanwhile, or another wave made it) and is
// onboarded like any existing account.

export const placeholderId = (line: number) => `row:${line}`;

/** The file line of a placeholder, or null for a user id. */
export function placeholderLine(queued: string): number | null {
    const match = (/^row:(\d+)$/).exec(queued);
    return match ? Number(match[1]) : null;
}

/** The prop on every account a wave makes: the wave's id. */
export const createdByProp = 'cockpit_wave';

export const madeByWave = (user: {props?: Record<string, string>}, waveId: string) => user.props?.[createdByProp] === waveId;

/**
 * The file's person at a line, complete with the wave's defaults, or why they cannot be reached now.
 * The file is indexed on the first call; `facts` is read then (a run without newcomers reads nothing).
 */
export function fileNewcomerAt(definition: WaveDefinition, facts: () => ServerFacts): (line: number) => Newcomer | string {
    let rows: Map<number, CsvRow> | null = null;
    return (line) => {
        if (rows === null) {
            rows = new Map(definition.cohort.csv.map((row) => [row.line, row]));
        }
        const row = rows.get(line);
        if (!row) {
            return `line ${line} is not in the wave's file`;
        }
        const {valid, problems} = validateCsvRows([row], facts());
        if (valid.length === 0) {
            return problems.map((problem) => problem.reason).join('; ');
        }
        const complete = completeNewcomer(valid[0].person, newcomersOf(definition), facts());
        return Array.isArray(complete) ? complete.join('; ') : complete;
    };
}

/** A placeholder that now has an account: the file's email, and whether this call made the account. */
export interface MadeAccount {
    email: string;
    created: boolean;
}

export interface NewcomerSplit {
    /** The entries with an account: the users queued, and the placeholders whose account was made or found (their user id now). */
    accounts: BatchEntry[];

    /** By queue index: the placeholders among `accounts`. */
    made: Map<number, MadeAccount>;

    /** Placeholders of an invite wave: they get the invitation, and no account. */
    invitees: Array<{entry: BatchEntry; person: Newcomer}>;

    /** Placeholders finished here: their person cannot be reached, or their account could not be made. */
    done: Map<number, Processed>;
}

const describe = (error: {status_code: number; id: string; message: string}) => `${error.status_code} ${error.id}: ${error.message}`;

function specOf(person: Newcomer, waveId: string): UserCreateSpec {
    return {
        email: person.email,
        username: person.username || usernameFromEmail(person.email),
        first_name: person.first_name,
        last_name: person.last_name,
        nickname: person.nickname,
        position: person.position,
        locale: person.locale,
        timezone: person.timezone,
        auth_service: person.auth_service,
        auth_data: person.auth_data,
        props: {[createdByProp]: waveId},
    };
}

/**
 * Splits a batch into accounts and newcomers, and makes the accounts of a create wave's newcomers with
 * one host call. Changes accounts only; writes nothing to KV.
 */
export function splitNewcomers(
    api: MattermostApi,
    waveId: string,
    definition: WaveDefinition,
    entries: readonly BatchEntry[],
    personAt: (line: number) => Newcomer | string,
): NewcomerSplit {
    const split: NewcomerSplit = {accounts: [], made: new Map(), invitees: [], done: new Map()};
    const toCreate: Array<{entry: BatchEntry; person: Newcomer}> = [];
    const mode = newcomersOf(definition).mode;
    const failed = (entry: BatchEntry, reason: string, email: string) =>
        split.done.set(entry.index, {outcome: 'failed', reason, welcome: 'not_sent', username: '', userId: '', email});
    for (const entry of entries) {
        const line = placeholderLine(entry.userId);
        if (line === null) {
            split.accounts.push(entry);
            continue;
        }
        const person = personAt(line);
        if (typeof person === 'string') {
            failed(entry, person, '');
        } else if (mode === 'skip') {
            const email = person.email;
            split.done.set(entry.index, {outcome: 'skipped', reason: 'no_account', welcome: 'not_sent', username: '', userId: '', email});
        } else if (mode === 'invite') {
            split.invitees.push({entry, person});
        } else {
            toCreate.push({entry, person});
        }
    }
    if (toCreate.length === 0) {
        return split;
    }
    let answers;
    try {
        answers = api.users.createMany(toCreate.map(({person}) => specOf(person, waveId)));
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }

        // The whole call failed: every newcomer of the batch fails, and retry-failed makes their accounts.
        toCreate.forEach(({entry, person}) => failed(entry, `account: ${describe(error)}`, person.email));
        return split;
    }
    toCreate.forEach(({entry, person}, i) => {
        const answer = answers[i];
        if (!answer || answer.error || !answer.user_id) {
            failed(entry, `account: ${answer?.error ? describe(answer.error) : 'no answer from users.createMany'}`, person.email);
            return;
        }
        split.accounts.push({...entry, userId: answer.user_id});
        split.made.set(entry.index, {email: person.email, created: answer.created});
    });
    return split;
}

/**
 * Arrivals (a team join, a group's new member) minus the accounts this wave made: those are in its queue
 * already, as their file row, and must not be onboarded (nor welcomed) a second time. One read per 1,000.
 */
export function withoutOwnAccounts(api: Pick<MattermostApi, 'users'>, waveId: string, userIds: readonly string[]): string[] {
    const own = new Set<string>();
    for (let from = 0; from < userIds.length; from += 1000) {
        try {
            api.users.getMany(userIds.slice(from, from + 1000)).
                filter((user) => madeByWave(user, waveId)).
                forEach((user) => own.add(user.id));
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }
        }
    }
    return userIds.filter((userId) => !own.has(userId));
}
