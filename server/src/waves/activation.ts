import {toCsv} from 'contract/csv';
import type {ActivationFunnel, FeedbackAnswer, UserResult} from 'contract/waves';

import {readFeedbackAnswers} from './feedback';
import {loadWave, readResults} from './store';

import {isoTime} from '../dates/dates';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The activation funnel of a wave: cohort → provisioned → welcomed (→ invited) → first login → first
// post, plus the feedback answers.
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

const activityChunk = 1000;

export interface ActivationRow {
    result: UserResult;
    last_login: number;
    last_post_at: number;
    logged_in: boolean;
    posted: boolean;
    feedback: FeedbackAnswer | null;
}

const provisioned = (result: UserResult) => result.outcome === 'added' || result.outcome === 'already_member';
const welcomed = (result: UserResult) => result.welcome === 'sent' || result.welcome === 'already_sent';
const invited = (result: UserResult) => result.invitation === 'sent' || result.invitation === 'already_sent';

/** Every processed user of the wave with their activity (reads only). */
export function activationRows(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string): {rows: ActivationRow[]; cohort: number} {
    const wave = loadWave(kv, waveId);
    const results: UserResult[] = [];
    readResults(kv, waveId, wave.run.value.queue_len, (result) => results.push(result));
    const answers = readFeedbackAnswers(kv, waveId);
    const rows: ActivationRow[] = [];
    for (let start = 0; start < results.length; start += activityChunk) {
        const chunk = results.slice(start, start + activityChunk).filter((result) => result.user_id !== '');
        if (chunk.length === 0) {
            continue;
        }
        const since = Math.min(...chunk.map((result) => result.at));
        const activity = api.users.activity([...new Set(chunk.map((result) => result.user_id))], since);
        for (const result of chunk) {
            const facts = activity[result.user_id] ?? {last_login: 0, last_activity_at: 0, last_post_at: 0};
            const reached = provisioned(result);
            rows.push({
                result,
                last_login: facts.last_login,
                last_post_at: facts.last_post_at,
                logged_in: reached && facts.last_login >= result.at,
                posted: reached && facts.last_post_at >= result.at,
                feedback: answers.get(result.user_id) ?? null,
            });
        }
    }
    return {rows, cohort: wave.run.value.queue_len};
}

export function activationFunnel(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string, now: number): ActivationFunnel {
    const {rows, cohort} = activationRows(api, kv, waveId);
    const count = (test: (row: ActivationRow) => boolean) => rows.filter(test).length;
    return {
        wave_id: waveId,
        cohort,
        created: count((row) => row.result.outcome === 'created'),
        signed_up: 0,
        provisioned: count((row) => provisioned(row.result)),
        welcomed: count((row) => welcomed(row.result)),
        invited: count((row) => invited(row.result)),
        logged_in: count((row) => row.logged_in),
        posted: count((row) => row.posted),
        feedback: {
            great: count((row) => row.feedback === 'great'),
            ok: count((row) => row.feedback === 'ok'),
            help: count((row) => row.feedback === 'help'),
        },
        measured_at: now,
    };
}

const isoOrEmpty = (ms: number) => (ms > 0 ? isoTime(ms) : '');

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
] as const;

/** One row per processed user; cells neutralised against spreadsheet formulas by toCsv. */
export function activationCsv(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string): string {
    const {rows} = activationRows(api, kv, waveId);
    return toCsv(
        activationCsvHeader,
        rows.map(({result, last_login: lastLogin, last_post_at: lastPostAt, logged_in: loggedIn, posted, feedback}) => [
            result.username,
            result.user_id,
            result.outcome,
            result.reason,
            result.welcome,
            result.invitation ?? '',
            isoOrEmpty(result.at),
            isoOrEmpty(lastLogin),
            loggedIn ? 'yes' : 'no',
            isoOrEmpty(lastPostAt),
            posted ? 'yes' : 'no',
            feedback ?? '',
        ]),
    );
}
