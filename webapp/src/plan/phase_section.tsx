import React, {useId, useState, type ReactNode} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {Phase, PhaseProgress} from 'contract/plan';

import {ItemToolbar, RemoveConfirmation, TitleDescriptionForm} from './item_controls';
import {planMessages as m} from './messages';

import {CockpitForm} from '../components/cockpit_form';
import {ProgressBar} from '../components/progress_bar';
import {WriteControls} from '../components/read_only';

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
export function PhaseSection({
    phase,
    progress,
    isFirst,
    isLast,
    children,
    hasVisibleTasks,
    filtered,
    rename,
    move,
    remove,
    addTask,
}: Props) {
    const intl = useIntl();
    const id = useId();
    const [editing, setEditing] = useState(false);
    const [confirmRemove, setConfirmRemove] = useState(false);
    const [newTitle, setNewTitle] = useState('');
    const title = phase.title;
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
                    <ItemToolbar
                        labels={{
                            up: intl.formatMessage(m.movePhaseUp, {title}),
                            down: intl.formatMessage(m.movePhaseDown, {title}),
                            edit: intl.formatMessage(m.editPhase, {title}),
                            remove: intl.formatMessage(m.removePhaseLabel, {title}),
                        }}
                        isFirst={isFirst}
                        isLast={isLast}
                        editing={editing}
                        move={move}
                        toggleEdit={() => setEditing(!editing)}
                        askRemove={() => setConfirmRemove(true)}
                    />
                </div>
                {phase.description && <p className='cockpit-phase__description'>{phase.description}</p>}
                <ProgressBar
                    label={intl.formatMessage(m.phaseProgressLabel, {phase: title})}
                    percent={progress.percent}
                    text={intl.formatMessage(m.progressText, {
                        completed: progress.completed,
                        required: progress.required,
                        percent: progress.percent,
                    })}
                />
            </div>
            <div className='AdminPanel__content cockpit-panel__content'>
                {confirmRemove && (
                    <RemoveConfirmation
                        label={intl.formatMessage(m.removePhaseLabel, {title})}
                        question={(
                            <FormattedMessage
                                {...m.removePhaseConfirm}
                                values={{title, count: phase.tasks.length}}
                            />
                        )}
                        confirm={<FormattedMessage {...m.removePhase}/>}
                        onConfirm={() => {
                            remove();
                        }}
                        onCancel={() => setConfirmRemove(false)}
                    />
                )}
                {editing && (
                    <TitleDescriptionForm
                        current={{title: phase.title, description: phase.description}}
                        rows={3}
                        save={rename}
                        close={() => setEditing(false)}
                    />
                )}
                {hasVisibleTasks ? (
                    <ul className='cockpit-tasks'>{children}</ul>
                ) : (
                    <p className='cockpit-muted'><FormattedMessage {...(filtered ? m.noMatch : m.emptyPhase)}/></p>
                )}
                {!filtered && (
                    <WriteControls>
                        <CockpitForm
                            className='cockpit-inline-form'
                            noValidate={true}
                            onSubmit={() => {
                                onAdd();
                            }}
                        >
                            <label
                                htmlFor={`${id}-new-task`}
                                className='sr-only'
                            >
                                <FormattedMessage
                                    {...m.newTaskTitle}
                                    values={{phase: title}}
                                />
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
                        </CockpitForm>
                    </WriteControls>
                )}
            </div>
        </section>
    );
}
