import type {PlanContent} from 'contract/plan';
import type {Survey, SurveyValues} from 'contract/survey';
import type {CsvRow, UserResult} from 'contract/waves';

import type {JourneyPerson, JourneyProgress, StoredPlanValue} from '../kv/keys';
import {escapeMarkdown} from '../welcome/template';

// Pure: each of the cockpit's records with a person taken out. A record keyed by user id keeps its
// entry under an anonymous key (`~erased:<n>`), so everything counted from it (feedback answers, journey
// steps done, survey responses and choices, "no more tips") stays as it was while nothing says whose it
// was; what the person wrote themselves (free-text survey answers) goes. Every function answers how many
// entries it changed and leaves a record without the person as it is: running it again changes nothing.

/** Whom to take out: a person's user id, usernames and emails, or (`all`) everybody (a wave's retention). */
export interface Who {
    readonly all: boolean;
    readonly userIds: ReadonlySet<string>;
    readonly usernames: ReadonlySet<string>;

    /** Trimmed and lower-cased. */
    readonly emails: ReadonlySet<string>;
}

export const normalEmail = (email: string) => email.trim().toLowerCase();

export function personWho(userId: string, usernames: readonly string[], emails: readonly string[]): Who {
    return {
        all: false,
        userIds: new Set(userId ? [userId] : []),
        usernames: new Set(usernames.filter(Boolean)),
        emails: new Set(emails.filter(Boolean).map(normalEmail)),
    };
}

export const everybody: Who = {all: true, userIds: new Set(), usernames: new Set(), emails: new Set()};

const anonymousPrefix = '~erased:';

/** A key an erased person's entry was moved to: it names nobody. */
export const isAnonymousKey = (key: string) => key.startsWith(anonymousPrefix);

/** Whether `key` (a user id keying an entry) is one of the people taken out. */
export const matchesUserId = (who: Who, key: string) => !isAnonymousKey(key) && key !== '' && (who.all || who.userIds.has(key));

export interface Scrubbed<T> {
    value: T;
    changed: number;
}

/**
 * Moves the entries of the people taken out to anonymous keys (numbered after the ones already there, so
 * a record's keys stay unique), `keep` choosing what of each entry stays.
 */
export function anonymize<T>(entries: Record<string, T>, who: Who, keep: (entry: T) => T): Scrubbed<Record<string, T>> {
    const taken = Object.keys(entries).filter((key) => matchesUserId(who, key));
    if (taken.length === 0) {
        return {value: entries, changed: 0};
    }
    let next = Object.keys(entries).filter(isAnonymousKey).length;
    const value: Record<string, T> = {};
    for (const [key, entry] of Object.entries(entries)) {
        if (taken.includes(key)) {
            next += 1;
            value[`${anonymousPrefix}${next}`] = keep(entry);
        } else {
            value[key] = entry;
        }
    }
    return {value, changed: taken.length};
}

/** Drops the entries of the people taken out (records of what is still to do for them, which nobody counts). */
export function without<T>(entries: Record<string, T>, who: Who): Scrubbed<Record<string, T>> {
    const taken = Object.keys(entries).filter((key) => matchesUserId(who, key));
    if (taken.length === 0) {
        return {value: entries, changed: 0};
    }
    return {value: Object.fromEntries(Object.entries(entries).filter(([key]) => !taken.includes(key))), changed: taken.length};
}

export function withoutIds(ids: readonly string[], who: Who): Scrubbed<string[]> {
    const value = ids.filter((id) => !matchesUserId(who, id));
    return {value, changed: ids.length - value.length};
}

/** Whether a wave result names one of the people taken out (an anonymized result names nobody). */
export function resultNames(who: Who, result: UserResult): boolean {
    const named = result.user_id !== '' || result.username !== '' || Boolean(result.email);
    if (!named) {
        return false;
    }
    if (who.all) {
        return true;
    }
    return (result.user_id !== '' && who.userIds.has(result.user_id)) ||
        (result.email !== undefined && who.emails.has(normalEmail(result.email))) ||
        (result.user_id === '' && who.usernames.has(result.username));
}

/** Results keep their outcome, welcome, invitation and time (what the wave's counts are made of); the person goes. */
export function scrubResults(results: Record<string, UserResult>, who: Who): Scrubbed<Record<string, UserResult>> {
    let changed = 0;
    const value: Record<string, UserResult> = {};
    for (const [index, result] of Object.entries(results)) {
        if (resultNames(who, result)) {
            changed += 1;
            const rest: UserResult = {...result};
            delete rest.email;
            const names = [result.user_id, result.username, result.email ?? ''].filter(Boolean);
            const mentions = names.some((part) => result.reason.includes(part));
            value[index] = {...rest, user_id: '', username: '', reason: mentions ? '' : result.reason};
        } else {
            value[index] = result;
        }
    }
    return {value: changed === 0 ? results : value, changed};
}

/** The queue's user ids of the people taken out become '' (positions stay: the results are keyed by them). */
export function scrubQueue(ids: readonly string[], who: Who): Scrubbed<string[]> {
    let changed = 0;
    const value = ids.map((id) => {
        if (!id.startsWith('row:') && matchesUserId(who, id)) {
            changed += 1;
            return '';
        }
        return id;
    });
    return {value, changed};
}

/** Whether a cohort file row names one of the people taken out. */
export function rowNames(who: Who, row: CsvRow): boolean {
    if (row.value === '' && !row.person) {
        return false;
    }
    if (who.all) {
        return true;
    }
    const values = [row.value, row.person?.email ?? '', row.person?.username ?? ''].filter(Boolean);
    return values.some((value) => who.emails.has(normalEmail(value)) || who.usernames.has(value.trim()));
}

/** Cohort rows keep their line (a started wave's queue points at `row:<line>`) and lose everything else. */
export function scrubCohort(rows: readonly CsvRow[], who: Who): Scrubbed<CsvRow[]> {
    let changed = 0;
    const value = rows.map((row) => {
        if (rowNames(who, row)) {
            changed += 1;
            return {line: row.line, value: ''};
        }
        return row;
    });
    return {value, changed};
}

/** A journey shard: people's steps stay under anonymous keys (the step counts), their post and pending follow-ups go. */
export function scrubProgress(progress: JourneyProgress, who: Who): Scrubbed<JourneyProgress> {
    const people = anonymize<JourneyPerson>(progress.people, who, ({post: _post, ...person}) => person);
    const sending = without(progress.sending, who);
    if (people.changed + sending.changed === 0) {
        return {value: progress, changed: 0};
    }
    return {value: {...progress, people: people.value, sending: sending.value}, changed: people.changed + sending.changed};
}

/** Survey answers keep the choices and ratings (the results' counts); free text, the person's own words, goes. */
export function keptSurveyValues(survey: Survey | undefined): (values: SurveyValues) => SurveyValues {
    const kept = new Set((survey?.questions ?? []).filter((question) => question.kind !== 'text').map((question) => question.id));
    return (values) => Object.fromEntries(Object.entries(values).filter(([questionId]) => kept.has(questionId)));
}

/**
 * The plan: tasks the person owns lose their owner, evidence they added loses who added it, survey tasks
 * quoting them name nobody (their answer ids and the username in the quote), and the per-field "changed by"
 * stamps that name them are cleared. Who changed the plan stays in the audit trail.
 */
export function scrubPlan(stored: StoredPlanValue, userId: string, usernames: readonly string[]): Scrubbed<StoredPlanValue> {
    if (!userId) {
        return {value: stored, changed: 0};
    }
    let changed = 0;
    const quoted = usernames.map((username) => `(${escapeMarkdown(username)}):`);
    const content: PlanContent = {
        ...stored.content,
        phases: stored.content.phases.map((phase) => ({
            ...phase,
            tasks: phase.tasks.map((task) => {
                const owned = task.owner_id === userId;
                const added = task.evidence.some((item) => item.added_by === userId);
                const answered = task.survey?.answer_ids.some((id) => id.startsWith(`${userId}:`)) ?? false;
                if (!owned && !added && !answered) {
                    return task;
                }
                changed += 1;
                const unquote = (text: string, quote: string) => text.split(quote).join('(someone whose data was erased):');
                const description = answered ? quoted.reduce(unquote, task.description) : task.description;
                const answerId = (id: string) => (id.startsWith(`${userId}:`) ? `erased${id.slice(userId.length)}` : id);
                return {
                    ...task,
                    owner_id: owned ? null : task.owner_id,
                    evidence: task.evidence.map((item) => (item.added_by === userId ? {...item, added_by: ''} : item)),
                    description,
                    survey: task.survey && answered ? {...task.survey, answer_ids: task.survey.answer_ids.map(answerId)} : task.survey,
                };
            }),
        })),
    };
    let stamps = 0;
    const fieldChanges = stored.field_changes && Object.fromEntries(Object.entries(stored.field_changes).map(([taskId, fields]) => [
        taskId,
        Object.fromEntries(Object.entries(fields).map(([field, stamp]) => {
            if (stamp.by !== userId) {
                return [field, stamp];
            }
            stamps += 1;
            return [field, {...stamp, by: ''}];
        })),
    ]));
    const lastChange = stored.last_change && JSON.stringify(stored.last_change).includes(userId) ? undefined : stored.last_change;
    const byThem = stored.updated_by === userId;
    if (changed === 0 && stamps === 0 && lastChange === stored.last_change && !byThem) {
        return {value: stored, changed: 0};
    }
    return {
        value: {...stored, content, field_changes: fieldChanges, last_change: lastChange, updated_by: byThem ? '' : stored.updated_by},
        changed,
    };
}
