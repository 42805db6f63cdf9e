import React, {useId, useRef, useState, type ReactNode} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {Phase, PhaseProgress} from 'contract/plan';

import {ProgressBar} from '../components/progress_bar';

import {planMessages as m} from './messages';

interface Props {
    phase: Phase;
    progress: PhaseProgress;
    isFirst: boolean;
    isLast: boolean;
    /** The phase's task rows (already filtered). */
    children: ReactNode;
    /** False when a filter hides every task of the phase. */
    hasVisibleTasks: boolean;
    filtered: boolean;
    rename: (changes: {title?: string; description?: string}) => Promise<boolean>;
    move: (delta: -1 | 1) => Promise<boolean>;
    remove: () => Promise<boolean>;
    addTask: (title: string) => Promise<boolean>;
}

/** A phase of the plan as a System Console panel: title, progress, its tasks, and an add-task form. */
export function PhaseSection({phase, progress, isFirst, isLast, children, hasVisibleTasks, filtered, rename, move, remove, addTask}: Props) {
    const intl = useIntl();
    const id = useId();
    const [edit, setEdit] = useState<{title: string; description: string} | null>(null);
    const [confirmRemove, setConfirmRemove] = useState(false);
    const [newTitle, setNewTitle] = useState('');
    const title = phase.title;
    const upRef = useRef<HTMLButtonElement>(null);
    const downRef = useRef<HTMLButtonElement>(null);

    const onMove = async (delta: -1 | 1) => {
        await move(delta);
        // Keep keyboard focus on a move button of this phase after it moved.
        setTimeout(() => {
            const preferred = delta < 0 ? upRef.current : downRef.current;
            const target = preferred && !preferred.disabled ? preferred : (delta < 0 ? downRef.current : upRef.current);
            target?.focus();
        }, 0);
    };

    const saveEdit = async () => {
        if (!edit) {
            return;
        }
        const changes: {title?: string; description?: string} = {};
        if (edit.title.trim() !== phase.title) {
            changes.title = edit.title.trim();
        }
        if (edit.description !== phase.description) {
            changes.description = edit.description;
        }
        if (Object.keys(changes).length === 0 || await rename(changes)) {
            setEdit(null);
        }
    };

    const onAdd = async () => {
        if (newTitle.trim() && await addTask(newTitle.trim())) {
            setNewTitle('');
        }
    };

    return (
        <section
            className='AdminPanel clearfix cockpit-panel cockpit-phase'
            aria-labelledby={`${id}-title`}
        >
            <div className='header cockpit-phase__header'>
                <div className='cockpit-phase__heading'>
                    <h3 id={`${id}-title`}>{title}</h3>
                    <span className='cockpit-task__actions'>
                        <button
                            ref={upRef}
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(m.movePhaseUp, {title})}
                            disabled={isFirst}
                            onClick={() => void onMove(-1)}
                        >
                            {'↑'}
                        </button>
                        <button
                            ref={downRef}
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(m.movePhaseDown, {title})}
                            disabled={isLast}
                            onClick={() => void onMove(1)}
                        >
                            {'↓'}
                        </button>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(m.editPhase, {title})}
                            aria-expanded={edit !== null}
                            onClick={() => setEdit(edit ? null : {title: phase.title, description: phase.description})}
                        >
                            <FormattedMessage {...m.edit}/>
                        </button>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(m.removePhaseLabel, {title})}
                            onClick={() => setConfirmRemove(true)}
                        >
                            <FormattedMessage {...m.remove}/>
                        </button>
                    </span>
                </div>
                {phase.description && <p className='cockpit-phase__description'>{phase.description}</p>}
                <ProgressBar
                    label={intl.formatMessage(m.phaseProgressLabel, {phase: title})}
                    percent={progress.percent}
                    text={intl.formatMessage(m.progressText, {completed: progress.completed, required: progress.required, percent: progress.percent})}
                />
            </div>
            <div className='AdminPanel__content cockpit-panel__content'>
                {confirmRemove && (
                    <div
                        role='group'
                        aria-label={intl.formatMessage(m.removePhaseLabel, {title})}
                        className='cockpit-notice cockpit-notice--error cockpit-confirm'
                    >
                        <p><FormattedMessage {...m.removePhaseConfirm} values={{title, count: phase.tasks.length}}/></p>
                        <button
                            type='button'
                            className='btn btn-danger btn-sm'
                            onClick={() => void remove()}
                        >
                            <FormattedMessage {...m.removePhase}/>
                        </button>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            onClick={() => setConfirmRemove(false)}
                        >
                            <FormattedMessage {...m.cancel}/>
                        </button>
                    </div>
                )}
                {edit && (
                    <form
                        className='cockpit-form'
                        noValidate={true}
                        onSubmit={(e) => {
                            e.preventDefault();
                            void saveEdit();
                        }}
                    >
                        <label htmlFor={`${id}-edit-title`}><FormattedMessage {...m.title}/></label>
                        <input
                            id={`${id}-edit-title`}
                            className='form-control'
                            value={edit.title}
                            maxLength={200}
                            onChange={(e) => setEdit({...edit, title: e.target.value})}
                        />
                        <label htmlFor={`${id}-edit-description`}><FormattedMessage {...m.description}/></label>
                        <textarea
                            id={`${id}-edit-description`}
                            className='form-control'
                            rows={3}
                            value={edit.description}
                            onChange={(e) => setEdit({...edit, description: e.target.value})}
                        />
                        <div className='cockpit-form__buttons'>
                            <button
                                type='submit'
                                className='btn btn-primary btn-sm'
                                disabled={!edit.title.trim()}
                            >
                                <FormattedMessage {...m.save}/>
                            </button>
                            <button
                                type='button'
                                className='btn btn-tertiary btn-sm'
                                onClick={() => setEdit(null)}
                            >
                                <FormattedMessage {...m.cancel}/>
                            </button>
                        </div>
                    </form>
                )}
                {hasVisibleTasks ? (
                    <ul className='cockpit-tasks'>{children}</ul>
                ) : (
                    <p className='cockpit-muted'><FormattedMessage {...(filtered ? m.noMatch : m.emptyPhase)}/></p>
                )}
                {!filtered && (
                    <form
                        className='cockpit-inline-form'
                        noValidate={true}
                        onSubmit={(e) => {
                            e.preventDefault();
                            void onAdd();
                        }}
                    >
                        <label
                            htmlFor={`${id}-new-task`}
                            className='sr-only'
                        >
                            <FormattedMessage {...m.newTaskTitle} values={{phase: title}}/>
                        </label>
                        <input
                            id={`${id}-new-task`}
                            className='form-control'
                            maxLength={200}
                            placeholder={intl.formatMessage(m.newTaskTitle, {phase: title})}
                            value={newTitle}
                            onChange={(e) => setNewTitle(e.target.value)}
                        />
                        <button
                            type='submit'
                            className='btn btn-tertiary btn-sm'
                            disabled={!newTitle.trim()}
                        >
                            <FormattedMessage {...m.addTask}/>
                        </button>
                    </form>
                )}
            </div>
        </section>
    );
}
