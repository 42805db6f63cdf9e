import React, {type ReactNode} from 'react';
import {FormattedMessage, FormattedTime, type MessageDescriptor} from 'react-intl';

import {statusMessages as m} from './messages';

import type {RequestError} from '../client';
import {RequestErrorNotice} from '../components/request_error';

interface Props {
    loading: boolean;
    error: RequestError | null;

    /** An answer is there to show (the loading line is for the first load only). */
    loaded: boolean;

    /** When the shown answer arrived (ms); 0 before the first. */
    receivedAt: number;
    refresh: () => void;
    labels: {refresh: MessageDescriptor; loading: MessageDescriptor};
    children: ReactNode;
}

/** One loaded answer of the Overview with its time, a Refresh button, the first load and its error. */
export function RefreshableView({loading, error, loaded, receivedAt, refresh, labels, children}: Props) {
    return (
        <div
            className='cockpit-overview'
            aria-busy={loading}
        >
            <div className='cockpit-toolbar'>
                {receivedAt > 0 && (
                    <span className='cockpit-muted'>
                        <FormattedMessage
                            {...m.updatedAt}
                            values={{time: (
                                <FormattedTime
                                    value={receivedAt}
                                    hour='numeric'
                                    minute='2-digit'
                                    second='2-digit'
                                />
                            )}}
                        />
                    </span>
                )}
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={refresh}
                    disabled={loading}
                >
                    <FormattedMessage {...labels.refresh}/>
                </button>
            </div>
            {loading && !loaded && (
                <div
                    role='status'
                    className='cockpit-muted'
                >
                    <FormattedMessage {...labels.loading}/>
                </div>
            )}
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={refresh}
                    retrying={loading}
                />
            )}
            {!error && children}
        </div>
    );
}
