import {toCsv} from 'contract/csv';
import type {ActivationFunnel, FeedbackAnswer, UserResult} from 'contract/waves';

import {readFeedbackAnswers, readFeedbackCounts} from './feedback';
import {loadWave, readResults} from './store';

import {isoTime} from '../dates/dates';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The activation funnel of a wave: cohort → invited → with an account (created by the wave, or signed
// up after the invitation) → provisioned → welcomed → first login → first post, plus the feedback answers.
//
// Cost per post, the thing to keep low on a busy server: zero. Logins and posts are read when someone
// looks at the funnel, with one indexed query per 1,000 users (users.activity: Users.LastLogin, which the
// server writes on every login, and the user's newest post since the wave began, through
// idx_posts_user_id). A MessageHasBeenPosted hook would instead cost an RPC into the plugin (and a JS
// call) on EVERY post of the server, wave member or not, forever; UserHasLoggedIn would cost one per
// login and a KV write per wave, and still leave posts uncovered. Measured on the e2e server: see
// e2e/cockpit/waves_extras_test.go (the funnel of the test wave is logged with its time).
//
// "Logged in" and "posted" mean: since the wave processed the user (its result's time), so people who
// were active before the wave reached them do not count until they come back.
//
// Signed up: an invited person's result has their email and no user id. When they sign up, the wave
// queues their new account (an arrival, appended to the queue after the invitation), so the accounts
// queued after the first invitation are read by id (users.getMany, 1,000 a call, like the activity) and
// their emails matched with the invited ones: bounded by the wave's size, never one lookup per person.
// Such a person is queued twice (the invitation, then the account) but counted once in the cohort.

const activityChunk = 1000;

export interface ActivationRow {
    result: UserResult;

    /** The file's email of a person who had no account, else the account's when it was read ('' otherwise). */
    email: string;
    last_login: number;
    last_post_at: number;
    logged_in: boolean;
    posted: boolean;

    /** An invited person whose account has appeared since. */
    signed_up: boolean;

    /** The account of a person the wave had invited (the second queue entry of a signed-up person). */
    signed_up_account: boolean;
    feedback: FeedbackAnswer | null;
}

const provisioned = (result: UserResult) => ['added', 'already_member', 'created'].includes(result.outcome);
const welcomed = (result: UserResult) => result.welcome === 'sent' || result.welcome === 'already_sent';
const invited = (result: UserResult) => result.invitation === 'sent' || result.invitation === 'already_sent';

/** An invitation went to a person without an account: the result carries the email, no user id. */
const invitedNewcomer = (result: UserResult) => result.outcome === 'invited' && result.user_id === '' && Boolean(result.email);

const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * Whose emails to read: `all` (the export names everyone) or `arrivals` (only the accounts queued after
 * the first invitation, and only when the wave invited anyone: what the signed-up count needs).
 */
export type EmailReads = 'all' | 'arrivals';

/** Every processed person of the wave with their activity (reads only). */
export function activationRows(
    api: ReadOnlyMattermostApi,
    kv: KvReader,
    waveId: string,
    emails: EmailReads = 'arrivals',
): {rows: ActivationRow[]; cohort: number} {
    const wave = loadWave(kv, waveId);
    const results: UserResult[] = [];
    readResults(kv, waveId, wave.run.value.queue_len, (result) => results.push(result));
    const answers = readFeedbackAnswers(kv, waveId);
    const invitedEmails = new Set(results.filter(invitedNewcomer).map((result) => normalEmail(result.email!)));
    const firstInvited = results.reduce((first, result) => (invitedNewcomer(result) ? Math.min(first, result.index) : first), Infinity);
    const needsEmail = (result: UserResult) =>
        !result.email && (emails === 'all' || (invitedEmails.size > 0 && result.index > firstInvited));

    const byResult = new Map<UserResult, ActivationRow>();
    const accounts = results.filter((result) => result.user_id !== '');
    for (let start = 0; start < accounts.length; start += activityChunk) {
        const chunk = accounts.slice(start, start + activityChunk);
        const since = Math.min(...chunk.map((result) => result.at));
        const activity = api.users.activity([...new Set(chunk.map((result) => result.user_id))], since, []);
        const toRead = [...new Set(chunk.filter(needsEmail).map((result) => result.user_id))];
        const profileEmails = new Map(toRead.length > 0 ? api.users.getMany(toRead).map((user) => [user.id, user.email]) : []);
        for (const result of chunk) {
            const facts = activity[result.user_id] ?? {last_login: 0, last_activity_at: 0, last_post_at: 0};
            const reached = provisioned(result);
            const email = result.email ?? profileEmails.get(result.user_id) ?? '';
            byResult.set(result, {
                result,
                email,
                last_login: facts.last_login,
                last_post_at: facts.last_post_at,
                logged_in: reached && facts.last_login >= result.at,
                posted: reached && facts.last_post_at >= result.at,
                signed_up: false,
                signed_up_account: result.index > firstInvited && invitedEmails.has(normalEmail(email)),
                feedback: answers.get(result.user_id) ?? null,
            });
        }
    }
    const signedUp = new Set([...byResult.values()].filter((row) => row.signed_up_account).map((row) => normalEmail(row.email)));
    const rows = results.map((result): ActivationRow => byResult.get(result) ?? {
        result,
        email: result.email ?? '',
        last_login: 0,
        last_post_at: 0,
        logged_in: false,
        posted: false,
        signed_up: invitedNewcomer(result) && signedUp.has(normalEmail(result.email!)),
        signed_up_account: false,
        feedback: null,
    });
    return {rows, cohort: wave.run.value.queue_len};
}

export function activationFunnel(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string, now: number): ActivationFunnel {
    const {rows, cohort} = activationRows(api, kv, waveId);
    const count = (test: (row: ActivationRow) => boolean) => rows.filter(test).length;
    const accountsOfInvited = count((row) => row.signed_up_account);
    return {
        wave_id: waveId,

        // People, not queue entries: a signed-up person's account is their second entry.
        cohort: cohort - accountsOfInvited,
        created: count((row) => row.result.outcome === 'created'),
        signed_up: count((row) => row.signed_up),
        provisioned: count((row) => provisioned(row.result)),
        welcomed: count((row) => welcomed(row.result)),

        // Once per person: the account of an invited person is not invited again.
        invited: count((row) => invited(row.result) && !row.signed_up_account),
        logged_in: count((row) => row.logged_in),
        posted: count((row) => row.posted),

        // Every answer, also those of people whose data was erased (kept under anonymous keys, server/src/privacy).
        feedback: readFeedbackCounts(kv, waveId),
        measured_at: now,
    };
}

const isoOrEmpty = (ms: number) => (ms > 0 ? isoTime(ms) : '');
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export const activationCsvHeader = [
    'username',
    'user_id',
    'outcome',
    'reason',
    'welcome',
    'invitation',
    'processed_at',
    'last_login',
    'logged_in',
    'last_post_at',
    'posted',
    'feedback',

    // Later columns go last, so readers of the earlier export keep their column positions.
    'email',
    'signed_up',
] as const;

/**
 * One row per processed person (an invited person without an account has an email and no user id; once
 * signed up, their account has a row of its own); cells neutralised against spreadsheet formulas by toCsv.
 */
export function activationCsv(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string): string {
    const {rows} = activationRows(api, kv, waveId, 'all');
    return toCsv(
        activationCsvHeader,
        rows.map(({result, email, last_login: lastLogin, last_post_at: lastPostAt, logged_in: loggedIn, posted, feedback, ...row}) => [
            result.username,
            result.user_id,
            result.outcome,
            result.reason,
            result.welcome,
            result.invitation ?? '',
            isoOrEmpty(result.at),
            isoOrEmpty(lastLogin),
            yesNo(loggedIn),
            isoOrEmpty(lastPostAt),
            yesNo(posted),
            feedback ?? '',
            email,
            invitedNewcomer(result) ? yesNo(row.signed_up) : '',
        ]),
    );
}
