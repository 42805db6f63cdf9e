import {sha256Hex, utf8Bytes} from 'contract/bytes';
import {noPersonRecords, type PersonRecords} from 'contract/privacy';

import {
    anonymize,
    keptSurveyValues,
    normalEmail,
    scrubCohort,
    scrubProgress,
    scrubQueue,
    scrubResults,
    type Scrubbed,
    type Who,
    withoutIds,
} from './scrub';

import {ConflictError} from '../kv/conflictError';
import {KvKeys, waveShardSize} from '../kv/keys';
import type {VersionedRecord} from '../kv/records';
import type {KvReader, KvStore} from '../kv/store';
import {feedbackShards} from '../waves/feedback';
import {layoutOf, shardsOf} from '../waves/shards';

// One wave's records with the people of `who` taken out (scrub.ts says what each keeps), or, without a
// writer, only counted (the lookup). Each record is one compare-and-set, re-read and re-scrubbed when
// someone else wrote in between, and a record without the people is not written: a crash halfway and a
// second run finish the job without changing anything twice. The queue goes last, since the retention
// reads whose markers to delete from it.

export type Counts = PersonRecords;

export function addCounts(a: Counts, b: Counts): Counts {
    const sum = noPersonRecords();
    (Object.keys(sum) as Array<keyof Counts>).forEach((key) => {
        sum[key] = a[key] + b[key];
    });
    return sum;
}

/** Reads the record, scrubs it and (with a writer) writes it back by compare-and-set when anything changed; answers how many changed. */
export function scrubRecord<T>(kv: KvReader, store: KvStore | null, record: VersionedRecord<T>, scrub: (value: T) => Scrubbed<T>): number {
    for (let attempt = 1; ; attempt++) {
        const current = kv.readVersioned(record);
        if (current.value === undefined) {
            return 0;
        }
        const {value, changed} = scrub(current.value);
        if (changed === 0 || !store) {
            return changed;
        }
        try {
            store.writeVersioned(record, value, current.version);
            return changed;
        } catch (error) {
            if (!(error instanceof ConflictError) || attempt >= 10) {
                throw error;
            }
        }
    }
}

/** Deletes plain per-person keys that exist; answers how many there were. */
function dropKeys(kv: KvReader, store: KvStore | null, records: ReadonlyArray<Parameters<KvStore['delete']>[0]>): number {
    let found = 0;
    for (const record of records) {
        if (kv.get(record as never) === undefined) {
            continue;
        }
        found += 1;
        store?.delete(record);
    }
    return found;
}

export const emailHash = (email: string) => sha256Hex(utf8Bytes(normalEmail(email)));

/** The user ids of the wave's queue (read before it is scrubbed: the retention deletes their markers). */
function queuedUserIds(kv: KvReader, waveId: string, queueLen: number): string[] {
    const ids: string[] = [];
    for (let chunk = 0; chunk * waveShardSize < queueLen; chunk++) {
        const chunkIds = kv.readVersioned(KvKeys.waveQueue(waveId, chunk)).value?.ids ?? [];
        ids.push(...chunkIds.filter((id) => id !== '' && !id.startsWith('row:')));
    }
    return ids;
}

/** Emails of the wave's people who had no account (results and file rows): their invitation markers are keyed by them. */
function knownEmails(kv: KvReader, waveId: string, queueLen: number): string[] {
    const emails: string[] = [];
    for (let shard = 0; shard * waveShardSize < queueLen; shard++) {
        Object.values(kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {}).forEach((result) => {
            if (result.email) {
                emails.push(result.email);
            }
        });
    }
    kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition.cohort.csv.forEach((row) => {
        [row.value, row.person?.email ?? ''].filter((value) => value.includes('@')).forEach((value) => emails.push(value));
    });
    return emails;
}

/** Takes the people of `who` out of one wave (or counts them without a writer). */
export function scrubWave(kv: KvReader, store: KvStore | null, waveId: string, who: Who): Counts {
    const counts = noPersonRecords();
    const run = kv.readVersioned(KvKeys.waveRun(waveId)).value;
    const queueLen = run?.queue_len ?? 0;
    const shards = Math.ceil(queueLen / waveShardSize);

    // Per-person markers first: for the whole wave, their keys come from the queue and the emails still stored.
    const userIds = who.all ? queuedUserIds(kv, waveId, queueLen) : [...who.userIds];
    const emails = who.all ? knownEmails(kv, waveId, queueLen) : [...who.emails];
    counts.wave_markers += dropKeys(kv, store, [
        ...userIds.flatMap((userId) => [KvKeys.waveRolling(waveId, userId), KvKeys.waveMail(waveId, userId)]),
        ...[...new Set(emails.map(emailHash))].map((hash) => KvKeys.waveMailByEmail(waveId, hash)),
    ]);

    for (let shard = 0; shard < shards; shard++) {
        counts.wave_results += scrubRecord(kv, store, KvKeys.waveResults(waveId, shard), (value) => {
            const scrubbed = scrubResults(value.results, who);
            return {value: {results: scrubbed.value}, changed: scrubbed.changed};
        });
        counts.journey_progress += scrubRecord(kv, store, KvKeys.journeyProgress(waveId, shard), (value) => scrubProgress(value, who));
    }
    for (let shard = 0; shard < feedbackShards; shard++) {
        counts.feedback_answers += scrubRecord(kv, store, KvKeys.waveFeedback(waveId, shard), (value) => {
            const scrubbed = anonymize(value.answers, who, (answer) => answer);
            return {value: {answers: scrubbed.value}, changed: scrubbed.changed};
        });
        counts.journey_progress += scrubRecord(kv, store, KvKeys.journeyStops(waveId, shard), (value) => {
            const scrubbed = anonymize(value.users, who, (at) => at);
            return {value: {users: scrubbed.value}, changed: scrubbed.changed};
        });
    }
    for (const step of kv.readVersioned(KvKeys.journey(waveId)).value?.steps ?? []) {
        if (!step.survey) {
            continue;
        }
        const keep = keptSurveyValues(step.survey);
        for (let shard = 0; shard < feedbackShards; shard++) {
            counts.survey_answers += scrubRecord(kv, store, KvKeys.surveyAnswers(waveId, step.id, shard), (value) => {
                const scrubbed = anonymize(value.answers, who, (set) => ({...set, values: keep(set.values)}));
                return {value: {answers: scrubbed.value}, changed: scrubbed.changed};
            });
        }
    }

    // Who is in flight: the run's rolling arrivals and welcomes, and the work shards' welcomes.
    counts.wave_markers += scrubRecord(kv, store, KvKeys.waveRun(waveId), (value) => {
        const pending = withoutIds(value.pending, who);
        const welcoming = withoutIds(value.welcoming ?? [], who);
        const changed = pending.changed + welcoming.changed;
        return {value: changed === 0 ? value : {...value, pending: pending.value, welcoming: value.welcoming && welcoming.value}, changed};
    });
    const layout = run ? layoutOf(run) : null;
    for (const shard of layout ? shardsOf(layout) : []) {
        counts.wave_markers += scrubRecord(kv, store, KvKeys.waveShard(waveId, layout!.gen, shard), (value) => {
            const welcoming = withoutIds(value.welcoming, who);
            return {value: {...value, welcoming: welcoming.value}, changed: welcoming.changed};
        });
    }

    counts.cohort_rows += scrubRecord(kv, store, KvKeys.waveDef(waveId), (value) => {
        const rows = scrubCohort(value.definition.cohort.csv, who);
        const csv = who.all && rows.changed > 0 ? [] : rows.value;
        return {value: {...value, definition: {...value.definition, cohort: {...value.definition.cohort, csv}}}, changed: rows.changed};
    });
    for (let chunk = 0; chunk < shards; chunk++) {
        // Not counted: the queue holds only ids, and its result is counted above.
        scrubRecord(kv, store, KvKeys.waveQueue(waveId, chunk), (value) => {
            const scrubbed = scrubQueue(value.ids, who);
            return {value: {ids: scrubbed.value}, changed: scrubbed.changed};
        });
    }
    return counts;
}
