import React, {useCallback, useEffect, useId, useState} from 'react';
import {defineMessages, FormattedMessage, useIntl} from 'react-intl';

import {TaskStateSchema, type TaskState} from 'contract/plan';
import type {MyTask, MyTasksResponse, TaskChanges} from 'contract/plan_api';

import {EvidenceList} from './evidence_list';
import {planMessages as m} from './messages';

import {toRequestError, type Client, type RequestError} from '../client';
import {cockpitCss} from '../cockpit/styles';
import {CockpitForm} from '../components/cockpit_form';
import {RequestErrorNotice} from '../components/request_error';
import {TeamPage, type TeamPageProps} from '../components/team_page';
import {inComponentState, resourceSlice, useResource} from '../resource';

// "My roll-out tasks": rendered by Mattermost at /<team>/<plugin id>/tasks (registerNeedsTeamRoute) for
// the owners of plan tasks, admins or not. An owner sees their tasks with phase, description, due date,
// evidence and the readiness checks that verify them, and changes state, notes and evidence; the server
// refuses anything else (PATCH /api/v1/my/tasks/:taskId).

export const myTasksMessages = defineMessages({
    menuItem: {id: 'cockpit.myTasks.menuItem', defaultMessage: 'My roll-out tasks'},
    pageTitle: {id: 'cockpit.myTasks.title', defaultMessage: 'My roll-out tasks'},
    intro: {
        id: 'cockpit.myTasks.intro',
        defaultMessage: 'The roll-out plan tasks you own. Change their state, add notes and evidence links; the roll-out team sees it at once.',
    },
    none: {id: 'cockpit.myTasks.none', defaultMessage: 'You own no roll-out task.'},
    loading: {id: 'cockpit.myTasks.loading', defaultMessage: 'Loading your tasks…'},
    phase: {id: 'cockpit.myTasks.phase', defaultMessage: 'Phase: {phase}'},
    due: {id: 'cockpit.myTasks.due', defaultMessage: 'Due {date}'},
    noDue: {id: 'cockpit.myTasks.noDue', defaultMessage: 'No due date'},
    checks: {id: 'cockpit.myTasks.checks', defaultMessage: 'Verified by'},
    checkLine: {id: 'cockpit.myTasks.checkLine', defaultMessage: '{title}: {status}'},
    evidence: {id: 'cockpit.myTasks.evidence', defaultMessage: 'Evidence'},
    saveNotes: {id: 'cockpit.myTasks.saveNotes', defaultMessage: 'Save notes'},
    saved: {id: 'cockpit.myTasks.saved', defaultMessage: 'Saved.'},
    conflict: {
        id: 'cockpit.myTasks.conflict',
        defaultMessage: '{who} changed the {field} of this task after you loaded it; the page now shows their value.',
    },
    someone: {id: 'cockpit.myTasks.someone', defaultMessage: 'Someone'},
});

const myTasksCss = `
.cockpit-my-tasks { height: 100%; overflow-y: auto; padding: 24px 32px 48px; background: var(--center-channel-bg, #fff); }
.cockpit-my-tasks__inner { max-width: 960px; margin: 0 auto; }
.cockpit-my-tasks__title { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
.cockpit-my-tasks .AdminPanel {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12); border-radius: 4px;
    background: var(--center-channel-bg, #fff); margin-top: 16px;
}
.cockpit-my-tasks .AdminPanel .header { padding: 16px 32px 0; }
.cockpit-my-tasks .AdminPanel h3 { font-size: 16px; font-weight: 600; margin: 0; }
.cockpit-my-tasks__facts { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0; }
.cockpit-my-tasks__description { white-space: pre-wrap; margin: 8px 0; }
.cockpit-my-tasks__row { display: flex; gap: 8px; align-items: flex-start; margin: 8px 0; }
.cockpit-my-tasks__row textarea, .cockpit-my-tasks__row input { flex: 1 1 auto; }
.cockpit-my-tasks ul { margin: 4px 0 8px; padding-left: 20px; }
`;

const myTasksSlice = resourceSlice<MyTasksResponse>('myTasks');
const fetchMyTasks = (client: Client) => client.getMyTasks();

type Save = (taskId: string, changes: TaskChanges) => Promise<boolean>;

function MyTaskCard({entry, save, saving}: {entry: MyTask; save: Save; saving: boolean}) {
    const intl = useIntl();
    const {task} = entry;
    const [notes, setNotes] = useState(task.notes);
    useEffect(() => setNotes(task.notes), [task.notes]);

    const titleId = useId();
    const stateId = `cockpit-my-task-state-${task.id}`;
    const notesId = `cockpit-my-task-notes-${task.id}`;

    return (

        // A System Console panel (components/admin_panel.tsx) whose title is the task's, as typed.
        <section
            className='AdminPanel clearfix cockpit-panel'
            aria-labelledby={titleId}
            data-testid={`my-task-${task.id}`}
        >
            <div className='header'>
                <h3 id={titleId}>{task.title}</h3>
            </div>
            <div className='AdminPanel__content cockpit-panel__content'>
                <div className='cockpit-my-tasks__facts cockpit-muted'>
                    <span>
                        <FormattedMessage
                            {...myTasksMessages.phase}
                            values={{phase: entry.phase_title}}
                        />
                    </span>
                    <span>
                        {task.due_date ? (
                            <FormattedMessage
                                {...myTasksMessages.due}
                                values={{date: task.due_date}}
                            />
                        ) : <FormattedMessage {...myTasksMessages.noDue}/>}
                    </span>
                </div>

                {/* Plain text: the description is shown as typed, never rendered as markup. */}
                {task.description && <p className='cockpit-my-tasks__description'>{task.description}</p>}

                {entry.checks.length > 0 && (
                    <div>
                        <strong><FormattedMessage {...myTasksMessages.checks}/></strong>
                        <ul>
                            {entry.checks.map((check) => (
                                <li key={check.id}>
                                    <FormattedMessage
                                        {...myTasksMessages.checkLine}
                                        values={{title: check.title, status: check.status}}
                                    />
                                </li>
                            ))}
                        </ul>
                    </div>
                )}

                <div className='cockpit-my-tasks__row'>
                    <label htmlFor={stateId}><FormattedMessage {...m.state}/></label>
                    <select
                        id={stateId}
                        className='form-control'
                        value={task.state}
                        disabled={saving}
                        onChange={(event) => {
                            save(task.id, {state: event.target.value as TaskState});
                        }}
                    >
                        {TaskStateSchema.options.map((state) => (
                            <option
                                key={state}
                                value={state}
                            >
                                {intl.formatMessage(m[state])}
                            </option>
                        ))}
                    </select>
                </div>

                <CockpitForm
                    className='cockpit-my-tasks__row'
                    onSubmit={() => {
                        save(task.id, {notes});
                    }}
                >
                    <label htmlFor={notesId}><FormattedMessage {...m.notes}/></label>
                    <textarea
                        id={notesId}
                        className='form-control'
                        rows={3}
                        value={notes}
                        onChange={(event) => setNotes(event.target.value)}
                    />
                    <button
                        type='submit'
                        className='btn btn-tertiary'
                        disabled={saving || notes === task.notes}
                    >
                        <FormattedMessage {...myTasksMessages.saveNotes}/>
                    </button>
                </CockpitForm>

                <div>
                    <strong><FormattedMessage {...myTasksMessages.evidence}/></strong>
                    <EvidenceList
                        evidence={task.evidence}
                        status={entry.evidence_status}
                        save={(evidence) => save(task.id, {evidence})}
                    />
                </div>
            </div>
        </section>
    );
}

function MyTasksBody() {
    const intl = useIntl();
    const tasks = useResource(myTasksSlice, inComponentState, fetchMyTasks);
    const {state: {data, loading, error: loadError}, load: loadTasks, set, client} = tasks;
    const [saveError, setSaveError] = useState<RequestError | null>(null);
    const [saving, setSaving] = useState(false);
    const [notice, setNotice] = useState<string | null>(null);

    // A load replaces whatever a failed save left on the page.
    const load = useCallback(() => {
        setSaveError(null);
        loadTasks();
    }, [loadTasks]);
    const error = loadError ?? saveError;

    const save: Save = useCallback(async (taskId, changes) => {
        if (!data) {
            return false;
        }
        setSaving(true);
        try {
            set(await client.updateMyTask(taskId, data.version, changes));
            setSaveError(null);
            setNotice(intl.formatMessage(myTasksMessages.saved));
            return true;
        } catch (err) {
            const e = toRequestError(err);
            if (e.conflict) {
                // Someone else saved the same field first: show what they saved (the owner may change it again).
                setNotice(intl.formatMessage(myTasksMessages.conflict, {
                    who: e.conflict.by_username ? `@${e.conflict.by_username}` : intl.formatMessage(myTasksMessages.someone),
                    field: e.conflict.field,
                }));
                load();
            } else {
                setSaveError(e);
                setNotice(null);
            }
            return false;
        } finally {
            setSaving(false);
        }
    }, [client, data, intl, load, set]);

    return (
        <div
            className='cockpit cockpit-my-tasks'
            aria-busy={loading || saving}
        >
            <style>{cockpitCss}</style>
            <style>{myTasksCss}</style>
            <div className='cockpit-my-tasks__inner'>
                <h2 className='cockpit-my-tasks__title'><FormattedMessage {...myTasksMessages.pageTitle}/></h2>
                <div className='cockpit-muted'><FormattedMessage {...myTasksMessages.intro}/></div>
                {notice && (
                    <div
                        role='status'
                        className='cockpit-notice'
                    >
                        {notice}
                    </div>
                )}
                {error && (
                    <RequestErrorNotice
                        error={error}
                        onRetry={load}
                        retrying={loading}
                    />
                )}
                {!data && loading && (
                    <div
                        role='status'
                        className='cockpit-muted'
                    >
                        <FormattedMessage {...myTasksMessages.loading}/>
                    </div>
                )}
                {data && data.tasks.length === 0 && (
                    <p className='cockpit-muted'><FormattedMessage {...myTasksMessages.none}/></p>
                )}
                {data?.tasks.map((entry) => (
                    <MyTaskCard
                        key={entry.task.id}
                        entry={entry}
                        save={save}
                        saving={saving}
                    />
                ))}
            </div>
        </div>
    );
}

export function MyTasksTeamPage(props: TeamPageProps) {
    return (
        <TeamPage {...props}>
            <MyTasksBody/>
        </TeamPage>
    );
}
