// What the last apply, rollback or upload did, as one notice under the form.
import React from 'react';
import {FormattedMessage} from 'react-intl';

import {brandingMessages as m} from './messages';

import type {RequestError} from '../client';
import {RequestErrorText} from '../components/request_error';

export type Notice =
    | {kind: 'applied'; version: number; notApplied: string[]}
    | {kind: 'nothing'}
    | {kind: 'conflict'}
    | {kind: 'fixErrors'}
    | {kind: 'uploadFailed'; message: string}
    | {kind: 'failed'; error: RequestError}
    | {kind: 'rolledBack'; from: number; version: number; image: 'ok' | 'unavailable' | {failed: string}};

export function NoticeView({notice, onReload}: {notice: Notice; onReload: () => void}) {
    switch (notice.kind) {
    case 'applied':
        return (
            <div
                role='status'
                className={`cockpit-notice ${notice.notApplied.length ? 'cockpit-notice--warning' : 'cockpit-notice--info'}`}
            >
                <FormattedMessage
                    {...m.applied}
                    values={{version: notice.version}}
                />
                {notice.notApplied.length > 0 && <p>
                    <FormattedMessage
                        {...m.notApplied}
                        values={{fields: notice.notApplied.join(', ')}}
                    />
                </p>}
            </div>
        );
    case 'nothing':
        return (
            <div
                role='status'
                className='cockpit-notice cockpit-notice--info'
            ><FormattedMessage {...m.nothingChanged}/></div>
        );
    case 'fixErrors':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            ><FormattedMessage {...m.fixErrors}/></div>
        );
    case 'uploadFailed':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            >
                <FormattedMessage
                    {...m.uploadFailed}
                    values={{message: notice.message}}
                />
            </div>
        );
    case 'conflict':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--warning'
            >
                <p><FormattedMessage {...m.conflict}/></p>
                <button
                    type='button'
                    className='btn btn-primary'
                    onClick={onReload}
                ><FormattedMessage {...m.reload}/></button>
            </div>
        );
    case 'failed':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            >
                <FormattedMessage
                    {...m.applyFailed}
                    values={{message: <RequestErrorText error={notice.error}/>}}
                />
            </div>
        );
    default:
        return (
            <div
                role='status'
                className={`cockpit-notice ${notice.image === 'ok' ? 'cockpit-notice--info' : 'cockpit-notice--warning'}`}
            >
                <FormattedMessage
                    {...m.rolledBack}
                    values={{from: notice.from, version: notice.version}}
                />
                {notice.image === 'unavailable' && <p><FormattedMessage {...m.imageUnavailable}/></p>}
                {typeof notice.image === 'object' && <p>
                    <FormattedMessage
                        {...m.imageRestoreFailed}
                        values={{message: notice.image.failed}}
                    />
                </p>}
            </div>
        );
    }
}
