import type {UserProfile} from '@mattermost/types/users';

import {PrivacyEndpoints} from 'contract/endpoints/privacy';
import {ErrorIds} from 'contract/errors';
import {noPersonRecords, type PersonLookup, type PrivacyState, type SweepResponse} from 'contract/privacy';

import {erasePerson, identify, type PendingItem, scrubPerson} from './erase';
import {applyRetention, readSettings, retentionOf} from './retention';

import type {Capability, HookContext} from '../app/capability';
import {type AuditContext, recordAudit} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {isNotFound} from '../host/errors';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Personal data (contract/privacy.ts, SECURITY.md "Data protection"): the lookup, the erasure, retention,
// and the sweep that finishes erasures and applies retention, every minute on one node of the cluster.

export const PRIVACY_SWEEP_JOB_ID = 'privacy.sweep';
const PRIVACY_SWEEP_INTERVAL_SECONDS = 60;

/**
 * How long a deactivated user waits to be seen deleted: the server deactivates before it deletes, and
 * the hook runs alongside the deletion. A user still there after this was only deactivated.
 */
export const deletionWaitMs = 10 * 60 * 1000;

const userIdPattern = /^[a-z0-9]{26}$/;

function accountOr404(read: () => UserProfile): UserProfile | null {
    try {
        return read();
    } catch (error) {
        if (isNotFound(error)) {
            return null;
        }
        throw error;
    }
}

/** The account a term names (user id, email, username), or null; an unknown username is a 404. */
function findPerson(api: ReadOnlyMattermostApi, kv: KvReader, term: string): PersonLookup {
    const byId = userIdPattern.test(term);
    const isEmail = term.includes('@');
    const account = accountOr404(() => {
        if (byId) {
            return api.users.get(term);
        }
        return isEmail ? api.users.getByEmail(term) : api.users.getByUsername(term.replace(/^@/, ''));
    });
    if (!account && !byId && !isEmail) {
        throw new ApiError(404, ErrorIds.notFound, 'No user has this username.');
    }
    const userId = account?.id ?? (byId ? term : '');
    const email = !account && isEmail ? term : null;
    const known = identify(kv, userId, account, email);
    return {
        user: account ? {id: account.id, username: account.username, email: account.email, deactivated: account.delete_at > 0} : null,
        email,
        records: scrubPerson(kv, null, null, {user_id: userId, ...known}),
    };
}

function stateOf(kv: KvReader): PrivacyState {
    const {settings, version} = readSettings(kv);
    return {
        version,
        settings,
        waves: retentionOf(kv, settings),
        pending: kv.readVersioned(KvKeys.privacyPending).value?.items.length ?? 0,
    };
}

/** A pending item for erasing now: the person's usernames and emails as the cockpit and the server know them. */
function erasureOf(api: ReadOnlyMattermostApi, kv: KvReader, userId: string, email: string | null, kind: PendingItem['kind']): PendingItem {
    const account = userId ? accountOr404(() => api.users.get(userId)) : null;
    return {user_id: userId, ...identify(kv, userId, account, email), kind, since: Date.now()};
}

/**
 * The sweep: erasures a crash left halfway are finished; a user the server deactivated is erased when the
 * server no longer has them (deleted) or, with the setting on, right away; one still there after the wait
 * was only deactivated and is let go. Then retention.
 */
export function sweep(context: AuditContext & {api: HookContext['api']}, now: number): SweepResponse {
    const {kv, api} = context;
    const {settings} = readSettings(kv);
    let erased = 0;
    for (const item of kv.readVersioned(KvKeys.privacyPending).value?.items ?? []) {
        if (item.kind === 'erase') {
            erasePerson(context, item);
            erased += 1;
            continue;
        }
        const account = accountOr404(() => api.users.get(item.user_id));
        if (!account || (account.delete_at > 0 && settings.erase_on_deactivation)) {
            erasePerson(context, {...item, ...identify(kv, item.user_id, account, null)});
            erased += 1;
        } else if (account.delete_at === 0 || now - item.since > deletionWaitMs) {
            kv.updateWithRetry(KvKeys.privacyPending, (current) => ({
                items: (current?.items ?? []).filter((other) => other.user_id !== item.user_id || other.kind !== 'deactivated'),
            }), 10);
        }
    }
    const removed = applyRetention(kv, now);
    removed.forEach((waveId) => recordAudit(context, {
        action: 'privacy.retention',
        target: `wave:${waveId}`,
        before: null,
        after: {per_user_data: 'removed'},
    }));
    return {erased, waves_removed: removed.length};
}

export const privacyCapability: Capability = {
    name: 'privacy',
    routes(routes) {
        routes.handle(PrivacyEndpoints.person, ({api, kv, query}) =>
            (query.term ? findPerson(api, kv, query.term) : {user: null, email: null, records: noPersonRecords()}));

        routes.handle(PrivacyEndpoints.erase, (context) => {
            const {api, kv, body} = context;
            const item = erasureOf(api, kv, body.user_id ?? '', body.email, 'erase');
            return {records: erasePerson(context, item)};
        });

        routes.handle(PrivacyEndpoints.state, ({kv}) => stateOf(kv));

        routes.handle(PrivacyEndpoints.saveSettings, (context) => {
            const {kv, body} = context;
            const previous = readSettings(kv);
            kv.writeVersioned(KvKeys.privacySettings, body.settings, body.expected_version);
            recordAudit(context, {
                action: 'privacy.settings.update',
                target: 'privacy:settings',
                before: previous.settings,
                after: body.settings,
            });
            return stateOf(kv);
        });

        routes.handle(PrivacyEndpoints.sweep, (context) => sweep(context, Date.now()));
    },
    hooks: {
        // jobs.schedule is cluster-wide: one node sweeps each interval; every step is idempotent.
        onActivate: (_, {api}) => api.jobs.schedule(PRIVACY_SWEEP_JOB_ID, PRIVACY_SWEEP_INTERVAL_SECONDS),

        // Deactivated or deleted (the server does not say which): the sweep looks once the deletion had time to finish.
        userHasBeenDeactivated: (user, {kv}) => {
            if (!user?.id) {
                return;
            }
            kv.updateWithRetry(KvKeys.privacyPending, (current) => {
                const items = current?.items ?? [];
                if (items.some((item) => item.user_id === user.id)) {
                    return {items};
                }
                return {items: [...items, {user_id: user.id, usernames: [], emails: [], kind: 'deactivated' as const, since: Date.now()}]};
            }, 10);
        },
    },
    jobs: {
        [PRIVACY_SWEEP_JOB_ID]: ({api, kv, log}) => {
            sweep({api, kv, log, userId: ''}, Date.now());
        },
    },
};
