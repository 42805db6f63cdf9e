import React from 'react';
import {defineMessages, FormattedMessage} from 'react-intl';

import {ErrorIds} from 'contract/errors';

import {ClientErrorIds, type RequestError} from '../client';

const messages = defineMessages({
    forbiddenTitle: {id: 'cockpit.error.forbidden.title', defaultMessage: 'System admins only'},
    forbiddenBody: {
        id: 'cockpit.error.forbidden.body',
        defaultMessage: 'Only system admins can use the Onboarding Cockpit. Ask a system admin for access.',
    },
    unauthenticatedTitle: {id: 'cockpit.error.unauthenticated.title', defaultMessage: 'Signed out'},
    unauthenticatedBody: {
        id: 'cockpit.error.unauthenticated.body',
        defaultMessage: 'Your session has ended. Sign in again, then retry.',
    },
    genericTitle: {id: 'cockpit.error.title', defaultMessage: 'Could not load this page'},
    network: {id: 'cockpit.error.network', defaultMessage: 'The server could not be reached: {message}'},
    badResponse: {id: 'cockpit.error.badResponse', defaultMessage: 'The server sent an answer the cockpit cannot read: {message}'},
    server: {id: 'cockpit.error.server', defaultMessage: 'The server answered {status}: {message}'},
    retry: {id: 'cockpit.error.retry', defaultMessage: 'Retry'},
});

interface Props {
    error: RequestError;
    onRetry: () => void;
    retrying?: boolean;
}

/** Shows a failed plugin request: a fixed explanation for auth failures, the message and a Retry otherwise. */
export function RequestErrorNotice({error, onRetry, retrying = false}: Props) {
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
    let body;
    if (unauthenticated) {
        body = <FormattedMessage {...messages.unauthenticatedBody}/>;
    } else if (error.id === ClientErrorIds.network) {
        body = (
            <FormattedMessage
                {...messages.network}
                values={{message: error.message}}
            />
        );
    } else if (error.id === ClientErrorIds.badResponse) {
        body = (
            <FormattedMessage
                {...messages.badResponse}
                values={{message: error.message}}
            />
        );
    } else {
        body = (
            <FormattedMessage
                {...messages.server}
                values={{status: error.status, message: error.message}}
            />
        );
    }

    return (
        <div
            role='alert'
            className='cockpit-notice cockpit-notice--error'
        >
            <strong>
                <FormattedMessage {...(unauthenticated ? messages.unauthenticatedTitle : messages.genericTitle)}/>
            </strong>
            <p>{body}</p>
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
