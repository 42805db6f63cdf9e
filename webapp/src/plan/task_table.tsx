// The plan as one compact table: a row per task (title, owner, due date, state, the readiness checks
// that verify it, evidence count) with state, owner and due date edited in place through the same
// write path as the cards, and the card itself opened below a row as its detail view.
//
// Keyboard: the task titles are one tab stop (roving tabindex); ArrowUp/ArrowDown/Home/End move between
// rows, Enter or Space opens the row's card, Escape closes it and puts focus back on the row.
import React, {useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode} from 'react';
import {defineMessages, FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import type {EvidenceStatus} from 'contract/evidence';
import {TaskStateSchema, type Task, type TaskState} from 'contract/plan';
import {taskEvidenceStatus, taskVerification, type TaskChanges} from 'contract/plan_api';
import type {CheckResult} from 'contract/readiness';

import {EvidenceChip} from './evidence_list';
import {planMessages as m} from './messages';
import {isOverdue} from './model';
import {OwnerPicker} from './owner_picker';
import {planTableCss} from './styles';
import type {TableRow} from './table_filters';
import {VERIFICATION_BADGE} from './task_item';

import {WriteControls} from '../components/read_only';
import {userLabel, useUsers} from '../mattermost/users';

export const tableMessages = defineMessages({
    label: {id: 'cockpit.plan.table.label', defaultMessage: 'Plan tasks'},
    help: {
        id: 'cockpit.plan.table.help',
        defaultMessage: 'Arrow keys move between tasks; Enter opens a task’s card, Escape closes it.',
    },
    task: {id: 'cockpit.plan.table.task', defaultMessage: 'Task'},
    owner: {id: 'cockpit.plan.table.owner', defaultMessage: 'Owner'},
    due: {id: 'cockpit.plan.table.due', defaultMessage: 'Due'},
    state: {id: 'cockpit.plan.table.state', defaultMessage: 'State'},
    check: {id: 'cockpit.plan.table.check', defaultMessage: 'Check'},
    evidence: {id: 'cockpit.plan.table.evidence', defaultMessage: 'Evidence'},
    stateOf: {id: 'cockpit.plan.table.stateOf', defaultMessage: 'State of “{title}”'},
    dueOf: {id: 'cockpit.plan.table.dueOf', defaultMessage: 'Due date of “{title}”'},
    changeOwner: {id: 'cockpit.plan.table.changeOwner', defaultMessage: 'Change the owner of “{title}”'},
    change: {id: 'cockpit.plan.table.change', defaultMessage: 'Change'},
    done: {id: 'cockpit.plan.table.done', defaultMessage: 'Done'},
    noCheck: {id: 'cockpit.plan.table.noCheck', defaultMessage: 'None'},
    moreChecks: {id: 'cockpit.plan.table.moreChecks', defaultMessage: '{first} and {count, plural, one {# more} other {# more}}'},
    evidenceCount: {
        id: 'cockpit.plan.table.evidenceCount',
        defaultMessage: '{count, plural, =0 {No evidence links} one {# evidence link} other {# evidence links}}',
    },
    details: {id: 'cockpit.plan.table.details', defaultMessage: 'Card of “{title}”'},
    close: {id: 'cockpit.plan.table.close', defaultMessage: 'Close'},
    skipInCard: {id: 'cockpit.plan.table.skipInCard', defaultMessage: 'A skipped task needs a reason: give it in the card below.'},
});

/** The row whose card is open; `skip`: the card opens asking for a skip reason. */
export type OpenTask = {taskId: string; skip: boolean};

interface Props {
    rows: TableRow[];
    results: CheckResult[];
    today: string;

    /** The UTC day evidence validity is counted by. */
    utcToday: string;

    /** Saves a change of one task (the Plan tab's write path); resolves true when it was saved. */
    update: (taskId: string, changes: TaskChanges) => Promise<boolean>;

    /** The task's card, shown below its row as the detail view. */
    card: (row: TableRow, skip: boolean) => ReactNode;
    open: OpenTask | null;
    setOpen: (open: OpenTask | null) => void;
}

export function TaskTable({rows, results, today, utcToday, update, card, open, setOpen}: Props) {
    const intl = useIntl();
    const id = useId();
    const [focusId, setFocusId] = useState<string | null>(null);
    const buttons = useRef(new Map<string, HTMLButtonElement>());
    const users = useUsers(rows.map((r) => r.task.owner_id ?? ''));
    const ownerLabel = (ownerId: string | null) => {
        if (!ownerId) {
            return null;
        }
        return users[ownerId] ? userLabel(users[ownerId]) : ownerId;
    };

    // The roving tab stop stays on a visible row when filters hide the one that had it.
    const tabStop = rows.some((r) => r.task.id === focusId) ? focusId : rows[0]?.task.id;
    const openRow = open && rows.some((r) => r.task.id === open.taskId) ? open : null;

    const focusRow = (taskId: string | undefined) => {
        if (taskId) {
            setFocusId(taskId);
            buttons.current.get(taskId)?.focus();
        }
    };

    const close = (taskId: string) => {
        setOpen(null);
        focusRow(taskId);
    };

    const onTitleKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
        const target = {
            ArrowDown: rows[Math.min(index + 1, rows.length - 1)],
            ArrowUp: rows[Math.max(index - 1, 0)],
            Home: rows[0],
            End: rows[rows.length - 1],
        }[e.key];
        if (target) {
            e.preventDefault();
            focusRow(target.task.id);
        } else if (e.key === 'Escape' && openRow?.taskId === rows[index].task.id) {
            e.preventDefault();
            close(rows[index].task.id);
        }
    };

    return (
        <div className='cockpit-plan-table-wrap'>
            <style>{planTableCss}</style>
            <p
                id={`${id}-help`}
                className='sr-only'
            >
                <FormattedMessage {...tableMessages.help}/>
            </p>
            <table
                className='cockpit-plan-table'
                aria-label={intl.formatMessage(tableMessages.label)}
                aria-describedby={`${id}-help`}
            >
                <thead>
                    <tr>
                        <th scope='col'><FormattedMessage {...tableMessages.task}/></th>
                        <th scope='col'><FormattedMessage {...tableMessages.owner}/></th>
                        <th scope='col'><FormattedMessage {...tableMessages.due}/></th>
                        <th scope='col'><FormattedMessage {...tableMessages.state}/></th>
                        <th scope='col'><FormattedMessage {...tableMessages.check}/></th>
                        <th
                            scope='col'
                            className='cockpit-plan-table__number'
                        >
                            <FormattedMessage {...tableMessages.evidence}/>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows.map((row, index) => {
                        const {task} = row;
                        const isOpen = openRow?.taskId === task.id;
                        const detailId = `${id}-detail-${index}`;
                        return (
                            <React.Fragment key={task.id}>
                                <tr
                                    className={isOpen ? 'is-open' : undefined}
                                    data-task-id={task.id}
                                >
                                    <th scope='row'>
                                        <button
                                            ref={(el) => {
                                                if (el) {
                                                    buttons.current.set(task.id, el);
                                                } else {
                                                    buttons.current.delete(task.id);
                                                }
                                            }}
                                            type='button'
                                            className='cockpit-plan-table__title'
                                            tabIndex={tabStop === task.id ? 0 : -1}
                                            aria-expanded={isOpen}
                                            aria-controls={isOpen ? detailId : undefined}
                                            onFocus={() => setFocusId(task.id)}
                                            onKeyDown={(e) => onTitleKey(e, index)}
                                            onClick={() => (isOpen ? setOpen(null) : setOpen({taskId: task.id, skip: false}))}
                                        >
                                            {task.title}
                                        </button>
                                        <span className='cockpit-plan-table__phase'>{row.phaseTitle}</span>
                                    </th>
                                    <td>
                                        <OwnerCell
                                            task={task}
                                            label={ownerLabel(task.owner_id)}
                                            update={(changes) => update(task.id, changes)}
                                        />
                                    </td>
                                    <td>
                                        <DueCell
                                            task={task}
                                            overdue={isOverdue(task, today)}
                                            update={(changes) => update(task.id, changes)}
                                        />
                                    </td>
                                    <td>
                                        <WriteControls>
                                            <select
                                                className='form-control'
                                                aria-label={intl.formatMessage(tableMessages.stateOf, {title: task.title})}
                                                value={task.state}
                                                onChange={(e) => {
                                                    const value = e.target.value as TaskState;
                                                    if (value === 'skipped') {
                                                        // A skip needs a reason: the card asks for it.
                                                        setOpen({taskId: task.id, skip: true});
                                                    } else {
                                                        update(task.id, {state: value});
                                                    }
                                                }}
                                            >
                                                {TaskStateSchema.options.map((s) => (
                                                    <option
                                                        key={s}
                                                        value={s}
                                                    >
                                                        {intl.formatMessage(m[s])}
                                                    </option>
                                                ))}
                                            </select>
                                        </WriteControls>
                                    </td>
                                    <td>
                                        <CheckCell
                                            task={task}
                                            results={results}
                                            evidence={taskEvidenceStatus(task, results, utcToday)}
                                        />
                                    </td>
                                    <td className='cockpit-plan-table__number'>
                                        <span aria-label={intl.formatMessage(tableMessages.evidenceCount, {count: task.evidence.length})}>
                                            <FormattedNumber value={task.evidence.length}/>
                                        </span>
                                        {' '}
                                        <EvidenceChip status={taskEvidenceStatus(task, results, utcToday)}/>
                                    </td>
                                </tr>
                                {isOpen && (
                                    <tr className='cockpit-plan-table__detail'>
                                        <td colSpan={6}>
                                            <div
                                                id={detailId}
                                                role='region'
                                                aria-label={intl.formatMessage(tableMessages.details, {title: task.title})}
                                                onKeyDown={(e) => {
                                                    // Controls that use Escape themselves (a picker's list) prevent the default.
                                                    if (e.key === 'Escape' && !e.defaultPrevented) {
                                                        e.preventDefault();
                                                        close(task.id);
                                                    }
                                                }}
                                            >
                                                {openRow?.skip && (
                                                    <p className='cockpit-muted'>
                                                        <FormattedMessage {...tableMessages.skipInCard}/>
                                                    </p>
                                                )}
                                                <ul className='cockpit-tasks'>{card(row, Boolean(openRow?.skip))}</ul>
                                                <button
                                                    type='button'
                                                    className='btn btn-tertiary btn-sm'
                                                    onClick={() => close(task.id)}
                                                >
                                                    <FormattedMessage {...tableMessages.close}/>
                                                </button>
                                            </div>
                                        </td>
                                    </tr>
                                )}
                            </React.Fragment>
                        );
                    })}
                </tbody>
            </table>
        </div>
    );
}

function OwnerCell({task, label, update}: {task: Task; label: string | null; update: (changes: TaskChanges) => Promise<boolean>}) {
    const intl = useIntl();
    const [editing, setEditing] = useState(false);
    return (
        <div className='cockpit-plan-table__owner'>
            {editing ? (
                <WriteControls>
                    <OwnerPicker
                        ownerId={task.owner_id}
                        onChange={async (ownerId) => {
                            if (await update({owner_id: ownerId})) {
                                setEditing(false);
                            }
                        }}
                    />
                </WriteControls>
            ) : (
                <span className={label ? undefined : 'cockpit-muted'}>
                    {label ?? <FormattedMessage {...m.ownerNone}/>}
                </span>
            )}
            <WriteControls>
                <button
                    type='button'
                    className='btn btn-link btn-sm'
                    aria-label={intl.formatMessage(tableMessages.changeOwner, {title: task.title})}
                    aria-expanded={editing}
                    onClick={() => setEditing(!editing)}
                >
                    <FormattedMessage {...(editing ? tableMessages.done : tableMessages.change)}/>
                </button>
            </WriteControls>
        </div>
    );
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The due date as the cards edit it (the browser's date input, `YYYY-MM-DD`), saved when left or on Enter. */
function DueCell({task, overdue, update}: {task: Task; overdue: boolean; update: (changes: TaskChanges) => Promise<boolean>}) {
    const intl = useIntl();
    const [draft, setDraft] = useState<string | null>(null);

    // A newer plan (someone else's save, Keep theirs) replaces what is shown unless the user is typing.
    useEffect(() => setDraft(null), [task.due_date]);

    const save = async () => {
        if (draft === null || draft === (task.due_date ?? '')) {
            setDraft(null);
            return;
        }
        if (draft !== '' && !isoDate.test(draft)) {
            return;
        }
        if (await update({due_date: draft || null})) {
            setDraft(null);
        }
    };
    return (
        <WriteControls>
            <input
                type='date'
                className='form-control'
                aria-label={intl.formatMessage(tableMessages.dueOf, {title: task.title})}
                value={draft ?? task.due_date ?? ''}
                onChange={(e) => setDraft(e.target.value)}
                onBlur={() => {
                    save();
                }}
                onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                        e.preventDefault();
                        save();
                    }
                }}
            />
            {overdue && (
                <span className='cockpit-chip cockpit-chip--error'>
                    <FormattedMessage {...m.overdue}/>
                </span>
            )}
        </WriteControls>
    );
}

/** The readiness checks that verify the task (their titles from the latest report) and their verdict. */
function CheckCell({task, results, evidence}: {task: Task; results: CheckResult[]; evidence: EvidenceStatus}) {
    const intl = useIntl();
    const verification = taskVerification(task, results, evidence);
    if (verification === 'none') {
        return (
            <span className='cockpit-muted'>
                <FormattedMessage {...tableMessages.noCheck}/>
            </span>
        );
    }
    const titles = task.checks.map((c) => results.find((r) => r.id === c)?.title ?? c);
    return (
        <span title={titles.join(', ')}>
            {titles.length > 1 ? intl.formatMessage(tableMessages.moreChecks, {first: titles[0], count: titles.length - 1}) : titles[0]}
            {' '}
            <span className={`cockpit-chip ${VERIFICATION_BADGE[verification].className}`}>
                <FormattedMessage {...VERIFICATION_BADGE[verification].label}/>
            </span>
        </span>
    );
}
