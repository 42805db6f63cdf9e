import React from 'react';
import {FormattedMessage, FormattedTime} from 'react-intl';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import type {RolloutSummary} from 'contract/rollout';

import {summaryMessages, statusMessages as m} from './messages';
import {SummaryPanels} from './summary_panels';

import type {Client} from '../client';
import {RequestErrorNotice} from '../components/request_error';
import {inComponentState, resourceSlice, useResource} from '../resource';

const summarySlice = resourceSlice<RolloutSummary>('rolloutSummary');
const fetchSummary = (c: Client) => c.call(RolloutEndpoints.summary);

/** The roll-out at a glance: GET /api/v1/rollout/summary, the numbers the status post carries. */
export function RolloutGlance() {
    const {state, load} = useResource(summarySlice, inComponentState, fetchSummary, 'always');
    const {data, loading, error, receivedAt} = state;
    const onRefresh = () => {
        load();
    };
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
                    onClick={onRefresh}
                    disabled={loading}
                >
                    <FormattedMessage {...summaryMessages.refresh}/>
                </button>
            </div>
            {loading && !data && (
                <div
                    role='status'
                    className='cockpit-muted'
                >
                    <FormattedMessage {...summaryMessages.loading}/>
                </div>
            )}
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={onRefresh}
                    retrying={loading}
                />
            )}
            {data && !error && <SummaryPanels summary={data}/>}
        </div>
    );
}
