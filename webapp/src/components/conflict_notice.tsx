// The notice shown when a write was refused because someone else changed the same thing first
// (HTTP 409): what happened, and a Reload button. Each tab says it in its own words.
import React from 'react';
import {FormattedMessage, type MessageDescriptor} from 'react-intl';

interface Props {
    title: MessageDescriptor;
    body: MessageDescriptor;
    reload: MessageDescriptor;
    onReload: () => void;

    /** While a reload is already running. */
    disabled?: boolean;
}

export function ConflictNotice({title, body, reload, onReload, disabled = false}: Props) {
    return (
        <div
            role='alert'
            className='cockpit-notice cockpit-notice--error'
        >
            <strong><FormattedMessage {...title}/></strong>
            <p><FormattedMessage {...body}/></p>
            <button
                type='button'
                className='btn btn-primary'
                disabled={disabled}
                onClick={onReload}
            >
                <FormattedMessage {...reload}/>
            </button>
        </div>
    );
}
