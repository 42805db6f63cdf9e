// Controls shared by phases and tasks: the move/edit/remove toolbar, the remove confirmation and the
// title/description form.
import React, {useId, useRef, useState} from 'react';
import {FormattedMessage} from 'react-intl';

import {planMessages as m} from './messages';

import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';

interface ToolbarProps {
    /** Accessible names of the four buttons, already formatted with the item's title. */
    labels: {up: string; down: string; edit: string; remove: string};
    isFirst: boolean;
    isLast: boolean;
    editing: boolean;
    move: (delta: -1 | 1) => Promise<boolean>;
    toggleEdit: () => void;
    askRemove: () => void;
}

export function ItemToolbar({labels, isFirst, isLast, editing, move, toggleEdit, askRemove}: ToolbarProps) {
    const upRef = useRef<HTMLButtonElement>(null);
    const downRef = useRef<HTMLButtonElement>(null);

    const onMove = async (delta: -1 | 1) => {
        await move(delta);

        // Keep keyboard focus on a move button of the item after it moved (it re-renders elsewhere).
        setTimeout(() => {
            const preferred = delta < 0 ? upRef.current : downRef.current;
            const fallback = delta < 0 ? downRef.current : upRef.current;
            const target = preferred && !preferred.disabled ? preferred : fallback;
            target?.focus();
        }, 0);
    };

    return (
        <WriteControls>
            <span className='cockpit-task__actions'>
                <button
                    ref={upRef}
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    aria-label={labels.up}
                    disabled={isFirst}
                    onClick={() => {
                        onMove(-1);
                    }}
                >
                    {'↑'}
                </button>
                <button
                    ref={downRef}
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    aria-label={labels.down}
                    disabled={isLast}
                    onClick={() => {
                        onMove(1);
                    }}
                >
                    {'↓'}
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    aria-label={labels.edit}
                    aria-expanded={editing}
                    onClick={toggleEdit}
                >
                    <FormattedMessage {...m.edit}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    aria-label={labels.remove}
                    onClick={askRemove}
                >
                    <FormattedMessage {...m.remove}/>
                </button>
            </span>
        </WriteControls>
    );
}

interface ConfirmProps {
    label: string;
    question: React.ReactNode;
    confirm: React.ReactNode;
    onConfirm: () => void;
    onCancel: () => void;
}

export function RemoveConfirmation({label, question, confirm, onConfirm, onCancel}: ConfirmProps) {
    return (
        <div
            role='group'
            aria-label={label}
            className='cockpit-notice cockpit-notice--error cockpit-confirm'
        >
            <p>{question}</p>
            <button
                type='button'
                className='btn btn-danger btn-sm'
                onClick={onConfirm}
            >
                {confirm}
            </button>
            <button
                type='button'
                className='btn btn-tertiary btn-sm'
                onClick={onCancel}
            >
                <FormattedMessage {...m.cancel}/>
            </button>
        </div>
    );
}

type TitleDescription = {title: string; description: string};

interface FormProps {
    current: TitleDescription;
    rows: number;

    /** Saves only what changed; resolves true when saved. */
    save: (changes: Partial<TitleDescription>) => Promise<boolean>;
    close: () => void;
}

/** Edits a title and description; what the user typed stays if the save is refused (e.g. 409). */
export function TitleDescriptionForm({current, rows, save, close}: FormProps) {
    const id = useId();
    const [draft, setDraft] = useState<TitleDescription>(current);

    const submit = async () => {
        const changes: Partial<TitleDescription> = {};
        if (draft.title.trim() !== current.title) {
            changes.title = draft.title.trim();
        }
        if (draft.description !== current.description) {
            changes.description = draft.description;
        }
        if (Object.keys(changes).length === 0 || await save(changes)) {
            close();
        }
    };

    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-form'
                noValidate={true}
                onSubmit={() => {
                    submit();
                }}
            >
                <label htmlFor={`${id}-edit-title`}><FormattedMessage {...m.title}/></label>
                <input
                    id={`${id}-edit-title`}
                    className='form-control'
                    value={draft.title}
                    maxLength={200}
                    required={true}
                    onChange={(e) => setDraft({...draft, title: e.target.value})}
                />
                <label htmlFor={`${id}-edit-description`}><FormattedMessage {...m.description}/></label>
                <textarea
                    id={`${id}-edit-description`}
                    className='form-control'
                    rows={rows}
                    value={draft.description}
                    onChange={(e) => setDraft({...draft, description: e.target.value})}
                />
                <div className='cockpit-form__buttons'>
                    <button
                        type='submit'
                        className='btn btn-primary btn-sm'
                        disabled={!draft.title.trim()}
                    >
                        <FormattedMessage {...m.save}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={close}
                    >
                        <FormattedMessage {...m.cancel}/>
                    </button>
                </div>
            </CockpitForm>
        </WriteControls>
    );
}
