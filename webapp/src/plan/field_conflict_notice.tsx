// The notice shown when a task edit was refused because someone else changed the same field of the
// same task after it was loaded (409 cockpit.plan.field_conflict): who, which field, their value, and
// the choice between keeping it and overwriting it with this change.
import React from 'react';
import {defineMessages, FormattedMessage, useIntl, type MessageDescriptor} from 'react-intl';

import type {FieldConflict} from 'contract/plan_api';

import {userLabel, useUsers} from '../mattermost/users';

const messages = defineMessages({
    title: {id: 'cockpit.plan.fieldConflict.title', defaultMessage: 'Someone else changed this field'},
    body: {
        id: 'cockpit.plan.fieldConflict.body',
        defaultMessage: '{who} changed the {field} of “{task}” after you loaded the plan. Their value: {value}',
    },
    someone: {id: 'cockpit.plan.fieldConflict.someone', defaultMessage: 'Someone'},
    empty: {id: 'cockpit.plan.fieldConflict.empty', defaultMessage: '(empty)'},
    keepTheirs: {id: 'cockpit.plan.fieldConflict.keepTheirs', defaultMessage: 'Keep theirs'},
    overwrite: {id: 'cockpit.plan.fieldConflict.overwrite', defaultMessage: 'Overwrite with mine'},
    titleField: {id: 'cockpit.plan.conflictField.title', defaultMessage: 'title'},
    description: {id: 'cockpit.plan.conflictField.description', defaultMessage: 'description'},
    optional: {id: 'cockpit.plan.conflictField.optional', defaultMessage: 'optional flag'},
    owner_id: {id: 'cockpit.plan.conflictField.owner', defaultMessage: 'owner'},
    due_date: {id: 'cockpit.plan.conflictField.dueDate', defaultMessage: 'due date'},
    state: {id: 'cockpit.plan.conflictField.state', defaultMessage: 'state'},
    skip_reason: {id: 'cockpit.plan.conflictField.skipReason', defaultMessage: 'skip reason'},
    notes: {id: 'cockpit.plan.conflictField.notes', defaultMessage: 'notes'},
    evidence: {id: 'cockpit.plan.conflictField.evidence', defaultMessage: 'evidence'},
});

const fieldNames: Record<string, MessageDescriptor> = {...messages, title: messages.titleField};

interface Props {
    conflict: FieldConflict;
    taskTitle: string;
    disabled?: boolean;
    onKeepTheirs: () => void;
    onOverwrite: () => void;
}

export function FieldConflictNotice({conflict, taskTitle, disabled = false, onKeepTheirs, onOverwrite}: Props) {
    const intl = useIntl();
    const ownerId = conflict.field === 'owner_id' && typeof conflict.value === 'string' ? conflict.value : null;
    const users = useUsers(ownerId ? [ownerId] : []);
    const field = fieldNames[conflict.field] ? intl.formatMessage(fieldNames[conflict.field]) : conflict.field;
    let value: string;
    if (conflict.value === null || conflict.value === '' || (Array.isArray(conflict.value) && conflict.value.length === 0)) {
        value = intl.formatMessage(messages.empty);
    } else if (ownerId) {
        value = users[ownerId] ? userLabel(users[ownerId]) : ownerId;
    } else {
        value = Array.isArray(conflict.value) ? conflict.value.join(', ') : String(conflict.value);
    }
    return (
        <div
            role='alert'
            className='cockpit-notice cockpit-notice--error'
            data-testid='plan-field-conflict'
        >
            <strong><FormattedMessage {...messages.title}/></strong>

            {/* Text only (no markdown, no HTML): the other person's value is shown as they typed it. */}
            <p>
                <FormattedMessage
                    {...messages.body}
                    values={{
                        who: conflict.by_username ? `@${conflict.by_username}` : intl.formatMessage(messages.someone),
                        field,
                        task: taskTitle,
                        value,
                    }}
                />
            </p>
            <button
                type='button'
                className='btn btn-tertiary'
                disabled={disabled}
                onClick={onKeepTheirs}
            >
                <FormattedMessage {...messages.keepTheirs}/>
            </button>
            <button
                type='button'
                className='btn btn-primary'
                disabled={disabled}
                onClick={onOverwrite}
            >
                <FormattedMessage {...messages.overwrite}/>
            </button>
        </div>
    );
}
