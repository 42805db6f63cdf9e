import React from 'react';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import type {RolloutSummary} from 'contract/rollout';

import {summaryMessages} from './messages';
import {RefreshableView} from './refreshable_view';
import {SummaryPanels} from './summary_panels';

import type {Client} from '../client';
import {inComponentState, resourceSlice, useResource} from '../resource';

const summarySlice = resourceSlice<RolloutSummary>('rolloutSummary');
const fetchSummary = (c: Client) => c.call(RolloutEndpoints.summary);

/** The roll-out at a glance: GET /api/v1/rollout/summary, the numbers the status post carries. */
export function RolloutGlance() {
    const {state, load} = useResource(summarySlice, inComponentState, fetchSummary, 'always');
    const {data, loading, error, receivedAt} = state;
    return (
        <RefreshableView
            loading={loading}
            error={error}
            loaded={data !== null}
            receivedAt={receivedAt}
            refresh={() => load()}
            labels={summaryMessages}
        >
            {data && <SummaryPanels summary={data}/>}
        </RefreshableView>
    );
}
