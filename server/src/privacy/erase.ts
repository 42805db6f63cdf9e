import {noPersonRecords, type PersonRecords} from 'contract/privacy';

import {personWho, scrubPlan, type Who, without, withoutIds} from './scrub';
import {addCounts, type Counts, emailHash, scrubRecord, scrubWave} from './wave';

import {type AuditContext, recordAudit} from '../audit/audit';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {VersionedRecord} from '../kv/records';
import type {KvReader, KvStore} from '../kv/store';
import {readPlan, writePlan} from '../plan/store';
import {listWaveIds} from '../waves/store';

// Erasing one person: everything the cockpit keeps that names them, in every wave (results, markers,
// cohort rows, feedback, journey, surveys), the plan (tasks they own, evidence they added, quotes of
// their survey answers), their digest reminders and the access lists. Who it is (the user id and the
// usernames and emails found for them) is written to `privacy:pending` BEFORE anything is erased and
// taken out when all is: a crash halfway leaves the entry, and the sweep (or the admin again) finishes it.

type PendingRecord = typeof KvKeys.privacyPending extends VersionedRecord<infer T> ? T : never;
export type PendingItem = PendingRecord['items'][number];

/**
 * Every username and email the cockpit stored for the person: the account's (when it still exists) and
 * the ones wave results recorded for them, so a deleted user's file rows and invitation markers are found too.
 */
export function identify(
    kv: KvReader,
    userId: string,
    account: {username: string; email: string} | null,
    email: string | null,
): {usernames: string[]; emails: string[]} {
    const usernames = new Set<string>(account ? [account.username] : []);
    const emails = new Set<string>([...(account?.email ? [account.email] : []), ...(email ? [email] : [])]);
    if (userId) {
        for (const waveId of listWaveIds(kv)) {
            const queueLen = kv.readVersioned(KvKeys.waveRun(waveId)).value?.queue_len ?? 0;
            for (let shard = 0; shard * 1000 < queueLen; shard++) {
                Object.values(kv.readVersioned(KvKeys.waveResults(waveId, shard)).value?.results ?? {}).forEach((result) => {
                    if (result.user_id === userId) {
                        usernames.add(result.username);
                        if (result.email) {
                            emails.add(result.email);
                        }
                    }
                });
            }
        }
    }
    return {usernames: [...usernames].filter(Boolean), emails: [...emails].filter(Boolean)};
}

/** The person's records outside the waves: the plan, their digest reminders, the access lists. */
function scrubOutsideWaves(
    kv: KvReader,
    store: KvStore | null,
    context: AuditContext | null,
    who: Who,
    userId: string,
    usernames: string[],
): Counts {
    const counts = noPersonRecords();
    if (!userId) {
        return counts;
    }
    counts.reminders += [KvKeys.planDigestSent(userId), KvKeys.planDigestMuted(userId)].filter((record) => {
        const found = record.kind === 'plain' ? kv.get(record) !== undefined : kv.readVersioned(record).value !== undefined;
        if (found) {
            store?.delete(record);
        }
        return found;
    }).length;
    counts.access_lists += scrubRecord(kv, store, KvKeys.stakeholdersAccess, (value) => {
        const ids = withoutIds(value.user_ids, who);
        return {value: {...value, user_ids: ids.value}, changed: ids.changed};
    });
    counts.access_lists += scrubRecord(kv, store, KvKeys.delegation, (value) => {
        const admins = without(value.admins, who);
        return {value: {admins: admins.value}, changed: admins.changed};
    });
    counts.plan_tasks += scrubPlanOf(kv, context, userId, usernames);
    return counts;
}

/** The plan through its own write (one compare-and-set, the audit entry it owes riding along); a lost race re-reads. */
function scrubPlanOf(kv: KvReader, context: AuditContext | null, userId: string, usernames: string[]): number {
    for (let attempt = 1; ; attempt++) {
        const current = readPlan(kv);
        if (current.version === 0) {
            return 0;
        }
        const stored = kv.readVersioned(KvKeys.plan).value!;
        const scrubbed = scrubPlan({...stored, content: current.content}, userId, usernames);
        const stampsLeft = JSON.stringify(stored.field_changes ?? {}).includes(userId) || stored.updated_by === userId ||
            JSON.stringify(stored.last_change ?? {}).includes(userId);
        if (!context || (scrubbed.changed === 0 && !stampsLeft)) {
            return scrubbed.changed;
        }
        try {
            writePlan(context, {...current, field_changes: scrubbed.value.field_changes}, scrubbed.value.content, {
                action: 'privacy.erase.plan',
                target: 'plan',
                before: null,
                after: {tasks: scrubbed.changed},
            });
            return scrubbed.changed;
        } catch (error) {
            if (!(error instanceof ConflictError) || attempt >= 10) {
                throw error;
            }
        }
    }
}

/** Counts (without a writer) or erases every record naming the person. */
export function scrubPerson(
    kv: KvReader,
    store: KvStore | null,
    context: AuditContext | null,
    item: Pick<PendingItem, 'user_id' | 'usernames' | 'emails'>,
): PersonRecords {
    const who = personWho(item.user_id, item.usernames, item.emails);
    let counts = noPersonRecords();
    for (const waveId of listWaveIds(kv)) {
        counts = addCounts(counts, scrubWave(kv, store, waveId, who));
    }
    return addCounts(counts, scrubOutsideWaves(kv, store, context, who, item.user_id, item.usernames));
}

const sameItem = (a: Pick<PendingItem, 'user_id' | 'emails'>, b: Pick<PendingItem, 'user_id' | 'emails'>) =>
    (a.user_id !== '' && a.user_id === b.user_id) || (a.user_id === '' && b.user_id === '' && a.emails[0] === b.emails[0]);

/** Adds (or, for the same person, replaces) a pending erasure. */
export function addPending(store: KvStore, item: PendingItem): void {
    store.updateWithRetry(KvKeys.privacyPending, (current) => ({
        items: [...(current?.items ?? []).filter((other) => !sameItem(other, item)), item],
    }), 10);
}

export function removePending(store: KvStore, item: Pick<PendingItem, 'user_id' | 'emails'>): void {
    store.updateWithRetry(KvKeys.privacyPending, (current) => ({
        items: (current?.items ?? []).filter((other) => !sameItem(other, item)),
    }), 10);
}

/**
 * Erases the person: pending first, then every record, then the audit entry (the fact, the user id or
 * the email's hash; never the data), then pending out. Running it again after a crash finishes the job.
 */
export function erasePerson(context: AuditContext, item: PendingItem): PersonRecords {
    addPending(context.kv, {...item, kind: 'erase'});
    const records = scrubPerson(context.kv, context.kv, context, item);
    recordAudit(context, {
        action: 'privacy.erase',
        target: item.user_id ? `user:${item.user_id}` : `email:${emailHash(item.emails[0] ?? '')}`,
        before: null,
        after: {records, reason: item.kind === 'deactivated' ? 'deleted_by_server' : 'admin'},
    });
    removePending(context.kv, item);
    return records;
}
