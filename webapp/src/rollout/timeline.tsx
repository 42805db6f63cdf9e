import React, {useCallback, useEffect, useMemo, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import type {PlanContent, TaskState} from 'contract/plan';
import type {TimelineEntry, TimelinePage} from 'contract/rollout';

import {rolloutMessages as m} from './messages';

import {clientFor, toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {RequestErrorNotice} from '../components/request_error';
import {useUsers} from '../mattermost/users';
import {planMessages} from '../plan/messages';

const PER_PAGE = 20;

const kindMessages = {
    task_state: m.kindTaskState,
    task_assigned: m.kindTaskAssigned,
    evidence_added: m.kindEvidence,
    task_added: m.kindTaskAdded,
    task_removed: m.kindTaskRemoved,
    plan_imported: m.kindImported,
    readiness_changed: m.kindReadiness,
    wave_started: m.kindWaveStarted,
    wave_finished: m.kindWaveFinished,
    status_posted: m.kindStatusPosted,
} as const;

const taskStates = new Set<string>(['not_started', 'in_progress', 'done', 'skipped', 'blocked']);

/** The plan's timeline (GET /api/v1/rollout/timeline), a page at a time; task ids shown by their title in `plan`. */
export function Timeline({plan}: {plan: Pick<PlanContent, 'phases'> | null}) {
    const intl = useIntl();
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const [page, setPage] = useState<TimelinePage | null>(null);
    const [cursors, setCursors] = useState<Array<number | null>>([null]);
    const [error, setError] = useState<RequestError | null>(null);
    const [loading, setLoading] = useState(false);
    const before = cursors[cursors.length - 1];

    const load = useCallback(async () => {
        setLoading(true);
        setError(null);
        try {
            setPage(await client.call(RolloutEndpoints.timeline, {
                query: {per_page: String(PER_PAGE), ...(before === null ? {} : {before: String(before)})},
            }));
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setLoading(false);
        }
    }, [client, before]);

    useEffect(() => {
        load();
    }, [load]);

    const userIds = useMemo(() => [...new Set((page?.entries ?? []).flatMap((entry) =>
        [entry.user_id, entry.kind === 'task_assigned' ? entry.to : ''].filter(Boolean)))], [page]);
    const users = useUsers(userIds);
    const usernameOf = (userId: string) => users[userId]?.username ?? '';
    const titles = useMemo(
        () => new Map((plan?.phases ?? []).flatMap((phase) => phase.tasks.map((task) => [task.id, task.title]))),
        [plan],
    );
    const who = (userId: string) => (userId ? `@${usernameOf(userId) || userId}` : intl.formatMessage(m.timelineSystem));
    const stateText = (value: string) => (taskStates.has(value) ? intl.formatMessage(planMessages[value as TaskState]) : value);
    const describe = (entry: TimelineEntry) => {
        const id = entry.target.slice(entry.target.indexOf(':') + 1);
        const task = titles.get(id) ?? id;
        const user = (userId: string) => (userId ? `@${usernameOf(userId) || userId}` : intl.formatMessage(m.none));
        const values: Record<string, string> = {task, wave: id, from: entry.from, to: entry.to};
        if (entry.kind === 'task_state') {
            values.from = stateText(entry.from);
            values.to = stateText(entry.to);
        } else if (entry.kind === 'task_assigned') {
            values.to = user(entry.to);
        }
        return intl.formatMessage(kindMessages[entry.kind], values);
    };

    return (
        <AdminPanel
            title={m.timelineTitle}
            subtitle={m.timelineSubtitle}
        >
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={load}
                    retrying={loading}
                />
            )}
            {page && page.entries.length === 0 && !loading && (
                <p className='cockpit-muted'><FormattedMessage {...m.timelineEmpty}/></p>
            )}
            {page && page.entries.length > 0 && (
                <table
                    className='table cockpit-table'
                    aria-busy={loading}
                    aria-label={intl.formatMessage(m.timelineTitle)}
                >
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.timelineWhen}/></th>
                            <th scope='col'><FormattedMessage {...m.timelineWho}/></th>
                            <th scope='col'><FormattedMessage {...m.timelineWhat}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.entries.map((entry) => (
                            <tr key={entry.id}>
                                <td><DateTime value={entry.at}/></td>
                                <td>{who(entry.user_id)}</td>
                                <td>{describe(entry)}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            <div className='cockpit-toolbar'>
                {cursors.length > 1 && (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        disabled={loading}
                        onClick={() => setCursors([null])}
                    >
                        <FormattedMessage {...m.timelineNewest}/>
                    </button>
                )}
                {page?.next_before !== null && page?.next_before !== undefined && (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        disabled={loading}
                        onClick={() => setCursors([...cursors, page.next_before])}
                    >
                        <FormattedMessage {...m.timelineMore}/>
                    </button>
                )}
            </div>
        </AdminPanel>
    );
}
