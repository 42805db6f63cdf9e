import React from 'react';
import {defineMessages, FormattedMessage, useIntl} from 'react-intl';

import {ErrorIds} from 'contract/errors';

import {errorText, errorWords} from './error_text';

import {ClientErrorIds, type RequestError} from '../client';

const messages = defineMessages({
    forbiddenTitle: {id: 'cockpit.error.forbidden.title', defaultMessage: 'System admins only'},
    forbiddenBody: {
        id: 'cockpit.error.forbidden.body',
        defaultMessage: 'Only system admins can use the Onboarding Cockpit. Ask a system admin for access.',
    },
    unauthenticatedTitle: {id: 'cockpit.error.unauthenticated.title', defaultMessage: 'Signed out'},
    genericTitle: {id: 'cockpit.error.title', defaultMessage: 'Could not load this page'},
    server: {id: 'cockpit.error.server', defaultMessage: 'The server answered {status}: {message}'},
    retry: {id: 'cockpit.error.retry', defaultMessage: 'Retry'},
});

interface Props {
    error: RequestError;
    onRetry: () => void;
    retrying?: boolean;
}

/** The words of a failed request for a notice: its sentence (with the answer's status) and, beneath, the English detail. */
export function RequestErrorWords({error}: {error: RequestError}) {
    const intl = useIntl();
    const {text, detail} = errorWords(intl, error);
    const answered = error.status > 0 && error.id !== ClientErrorIds.badResponse;
    return (
        <>
            <p>
                {answered ? (
                    <FormattedMessage
                        {...messages.server}
                        values={{status: error.status, message: text}}
                    />
                ) : text}
            </p>
            {detail && <p className='cockpit-muted'>{detail}</p>}
        </>
    );
}

/** Shows a failed plugin request: a fixed explanation for auth failures, the message and a Retry otherwise. */
export function RequestErrorNotice({error, onRetry, retrying = false}: Props) {
    const intl = useIntl();
    if (error.status === 403 || error.id === ErrorIds.forbidden) {
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            >
                <strong><FormattedMessage {...messages.forbiddenTitle}/></strong>
                <p><FormattedMessage {...messages.forbiddenBody}/></p>
            </div>
        );
    }

    const unauthenticated = error.status === 401 || error.id === ErrorIds.unauthenticated;

    return (
        <div
            role='alert'
            className='cockpit-notice cockpit-notice--error'
        >
            <strong>
                <FormattedMessage {...(unauthenticated ? messages.unauthenticatedTitle : messages.genericTitle)}/>
            </strong>
            {unauthenticated ? (
                <p>{errorText(intl, {id: ErrorIds.unauthenticated, message: error.message})}</p>
            ) : <RequestErrorWords error={error}/>}
            <button
                type='button'
                className='btn btn-primary'
                onClick={onRetry}
                disabled={retrying}
            >
                <FormattedMessage {...messages.retry}/>
            </button>
        </div>
    );
}

/** A failed request as one phrase in the reader's language, for a sentence or a line of its own. */
export function RequestErrorText({error}: {error: Pick<RequestError, 'id' | 'message' | 'field'>}) {
    const intl = useIntl();
    return <>{errorText(intl, error)}</>;
}
