import React, {useId, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {EvidenceStatus} from 'contract/evidence';
import {TaskStateSchema, type Task, type TaskState} from 'contract/plan';
import type {TaskChanges, TaskVerification} from 'contract/plan_api';

import {EvidenceChip, EvidenceList} from './evidence_list';
import {ItemToolbar, RemoveConfirmation, TitleDescriptionForm} from './item_controls';
import {planMessages as m} from './messages';
import {OwnerPicker} from './owner_picker';

import {WriteControls} from '../components/read_only';

export type Verification = TaskVerification;

interface Props {
    task: Task;
    verification: Verification;
    evidence: EvidenceStatus;
    overdue: boolean;
    isFirst: boolean;
    isLast: boolean;

    /** Saves a change with the plan's version; resolves true when it was saved. */
    update: (changes: TaskChanges) => Promise<boolean>;
    move: (delta: -1 | 1) => Promise<boolean>;
    remove: () => Promise<boolean>;

    /** A system admin accepts the task's evidence item `index`. */
    acceptEvidence: (index: number) => Promise<boolean>;

    /** Opens asking for a skip reason (the table's state menu chose "Skipped"). */
    startSkipping?: boolean;
}

/** Element id of a task's row, for in-page links (#cockpit-task-<id>). */
export const taskAnchor = (taskId: string) => `cockpit-task-${taskId}`;

/**
 * One task. Choices (state, owner) save at once; text (skip reason, notes, due date, title) is kept as a
 * draft until it is saved, so a refused save (409) leaves what the user typed in place.
 */
/** How each kind of task verification looks and reads, the same in the card and in the table. */
export const VERIFICATION_BADGE = {
    verified: {className: 'cockpit-basis--probe', label: m.verified},
    evidence: {className: 'cockpit-basis--evidence', label: m.verifiedByEvidence},
    configured: {className: 'cockpit-basis--configured', label: m.configured},
    failing: {className: 'cockpit-chip--warning', label: m.failing},
    unverified: {className: 'cockpit-chip--neutral', label: m.unverified},
} as const satisfies Record<Exclude<TaskVerification, 'none'>, unknown>;

export function TaskItem(props: Props) {
    const {task, verification, evidence, acceptEvidence, overdue, isFirst, isLast, update, move, remove, startSkipping = false} = props;
    const intl = useIntl();
    const id = useId();
    const titleId = `${id}-title`;
    const [stateDraft, setStateDraft] = useState<TaskState | null>(startSkipping && task.state !== 'skipped' ? 'skipped' : null);
    const [skipDraft, setSkipDraft] = useState<string | null>(null);
    const [dueDraft, setDueDraft] = useState<string | null>(null);
    const [notesDraft, setNotesDraft] = useState<string | null>(null);
    const [editing, setEditing] = useState(false);
    const [confirmRemove, setConfirmRemove] = useState(false);
    const [detailsOpen, setDetailsOpen] = useState(false);

    const shownState = stateDraft ?? task.state;
    const skipping = shownState === 'skipped';
    const skipReason = skipDraft ?? task.skip_reason;
    const skipChanged = stateDraft === 'skipped' || skipReason.trim() !== task.skip_reason.trim();
    const notes = notesDraft ?? task.notes;

    const onState = (value: TaskState) => {
        if (value === 'skipped') {
            // A skip needs a reason: ask for it before saving.
            setStateDraft(task.state === 'skipped' ? null : 'skipped');
            return;
        }
        setStateDraft(null);
        setSkipDraft(null);
        if (value !== task.state) {
            update({state: value});
        }
    };

    const saveSkip = async () => {
        if (await update({state: 'skipped', skip_reason: skipReason.trim()})) {
            setStateDraft(null);
            setSkipDraft(null);
        }
    };

    const saveDue = async () => {
        if (dueDraft === null) {
            return;
        }
        if (dueDraft === (task.due_date ?? '')) {
            setDueDraft(null);
            return;
        }
        if (dueDraft !== '' && !(/^\d{4}-\d{2}-\d{2}$/).test(dueDraft)) {
            return;
        }
        if (await update({due_date: dueDraft || null})) {
            setDueDraft(null);
        }
    };

    const saveNotes = async () => {
        if (notesDraft !== null && await update({notes: notesDraft})) {
            setNotesDraft(null);
        }
    };

    const title = task.title;
    return (
        <li
            id={taskAnchor(task.id)}
            className={`cockpit-task cockpit-task--${task.state}`}
            aria-labelledby={titleId}
            tabIndex={-1}
        >
            <div className='cockpit-task__head'>
                <h4
                    id={titleId}
                    className='cockpit-task__title'
                >
                    {title}
                </h4>
                <span className='cockpit-badges'>
                    {task.optional && <span className='cockpit-chip cockpit-chip--neutral'><FormattedMessage {...m.optional}/></span>}
                    {task.roadmap && (
                        <span
                            className='cockpit-chip cockpit-chip--info'
                            title={intl.formatMessage(m.roadmapTitle)}
                        >
                            <FormattedMessage {...m.roadmap}/>
                        </span>
                    )}
                    {overdue && (
                        <span className='cockpit-chip cockpit-chip--error'>
                            <FormattedMessage {...m.overdue}/>
                        </span>
                    )}
                    {verification !== 'none' && (
                        <span
                            className={`cockpit-chip ${VERIFICATION_BADGE[verification].className}`}
                            title={intl.formatMessage(m.verificationTitle, {checks: task.checks.join(', ')})}
                        >
                            <FormattedMessage {...VERIFICATION_BADGE[verification].label}/>
                        </span>
                    )}
                    <EvidenceChip status={evidence}/>
                </span>
                <ItemToolbar
                    labels={{
                        up: intl.formatMessage(m.moveTaskUp, {title}),
                        down: intl.formatMessage(m.moveTaskDown, {title}),
                        edit: intl.formatMessage(m.editTask, {title}),
                        remove: intl.formatMessage(m.removeTaskLabel, {title}),
                    }}
                    isFirst={isFirst}
                    isLast={isLast}
                    editing={editing}
                    move={move}
                    toggleEdit={() => setEditing(!editing)}
                    askRemove={() => setConfirmRemove(true)}
                />
            </div>

            {confirmRemove && (
                <RemoveConfirmation
                    label={intl.formatMessage(m.removeTaskLabel, {title})}
                    question={(
                        <FormattedMessage
                            {...m.removeTaskConfirm}
                            values={{title}}
                        />
                    )}
                    confirm={<FormattedMessage {...m.removeTask}/>}
                    onConfirm={() => {
                        remove();
                    }}
                    onCancel={() => setConfirmRemove(false)}
                />
            )}

            {editing && (
                <TitleDescriptionForm
                    current={{title: task.title, description: task.description}}
                    rows={4}
                    save={update}
                    close={() => setEditing(false)}
                />
            )}

            {task.description && <p className='cockpit-task__description'>{task.description}</p>}

            <WriteControls>
                <div className='cockpit-task__fields'>
                    <div className='cockpit-field'>
                        <label htmlFor={`${id}-state`}><FormattedMessage {...m.state}/></label>
                        <select
                            id={`${id}-state`}
                            className='form-control'
                            value={shownState}
                            onChange={(e) => onState(e.target.value as TaskState)}
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
                    </div>
                    <div className='cockpit-field'>
                        <span className='cockpit-field__label'><FormattedMessage {...m.owner}/></span>
                        <OwnerPicker
                            ownerId={task.owner_id}
                            onChange={(ownerId) => {
                                update({owner_id: ownerId});
                            }}
                        />
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={`${id}-due`}><FormattedMessage {...m.dueDate}/></label>
                        <input
                            id={`${id}-due`}
                            type='date'
                            className='form-control'
                            value={dueDraft ?? task.due_date ?? ''}
                            onChange={(e) => setDueDraft(e.target.value)}
                            onBlur={() => {
                                saveDue();
                            }}
                            onKeyDown={(e) => {
                                if (e.key === 'Enter') {
                                    e.preventDefault();
                                    saveDue();
                                }
                            }}
                        />
                    </div>
                </div>
            </WriteControls>

            {skipping && (
                <WriteControls>
                    <div className='cockpit-skip'>
                        <label htmlFor={`${id}-skip`}><FormattedMessage {...m.skipReason}/></label>
                        <textarea
                            id={`${id}-skip`}
                            className='form-control'
                            rows={2}
                            required={true}
                            aria-describedby={`${id}-skip-help`}
                            value={skipReason}
                            onChange={(e) => setSkipDraft(e.target.value)}
                        />
                        <p
                            id={`${id}-skip-help`}
                            className='cockpit-muted'
                        >
                            <FormattedMessage {...m.skipReasonHelp}/>
                        </p>
                        {task.state === 'skipped' && !task.skip_reason.trim() && (
                            <p className='cockpit-warning'><FormattedMessage {...m.skipMissing}/></p>
                        )}
                        <div className='cockpit-form__buttons'>
                            <button
                                type='button'
                                className='btn btn-primary btn-sm'
                                disabled={!skipReason.trim() || !skipChanged}
                                onClick={() => {
                                    saveSkip();
                                }}
                            >
                                <FormattedMessage {...m.skipSave}/>
                            </button>
                            {skipChanged && (
                                <button
                                    type='button'
                                    className='btn btn-tertiary btn-sm'
                                    onClick={() => {
                                        setStateDraft(null);
                                        setSkipDraft(null);
                                    }}
                                >
                                    <FormattedMessage {...m.cancel}/>
                                </button>
                            )}
                        </div>
                    </div>
                </WriteControls>
            )}

            <button
                type='button'
                className='btn btn-link btn-sm cockpit-task__toggle'
                aria-expanded={detailsOpen}
                aria-controls={`${id}-details`}
                onClick={() => setDetailsOpen(!detailsOpen)}
            >
                <FormattedMessage {...m.details}/>
                {(task.notes || task.evidence.length > 0) ? ` (${(task.notes ? 1 : 0) + task.evidence.length})` : ''}
            </button>
            {detailsOpen && (
                <div
                    id={`${id}-details`}
                    className='cockpit-task__details'
                >
                    <label htmlFor={`${id}-notes`}><FormattedMessage {...m.notes}/></label>
                    <WriteControls>
                        <textarea
                            id={`${id}-notes`}
                            className='form-control'
                            rows={3}
                            value={notes}
                            onChange={(e) => setNotesDraft(e.target.value)}
                        />
                    </WriteControls>
                    <WriteControls>
                        <div className='cockpit-form__buttons'>
                            <button
                                type='button'
                                className='btn btn-primary btn-sm'
                                disabled={notesDraft === null || notesDraft === task.notes}
                                onClick={() => {
                                    saveNotes();
                                }}
                            >
                                <FormattedMessage {...m.saveNotes}/>
                            </button>
                        </div>
                    </WriteControls>

                    <h5 className='cockpit-task__subhead'><FormattedMessage {...m.evidence}/></h5>
                    <EvidenceList
                        evidence={task.evidence}
                        status={evidence}
                        save={(items) => update({evidence: items})}
                        accept={acceptEvidence}
                        saveValidDays={(days) => update({evidence_valid_days: days})}
                    />
                </div>
            )}
        </li>
    );
}
