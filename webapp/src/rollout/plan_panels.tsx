import React from 'react';

import type {PlanContent} from 'contract/plan';

import {StatusUpdates} from './status_updates';
import {Timeline} from './timeline';

import {useReadOnly} from '../components/read_only';

/**
 * The Plan tab's status updates and timeline. The status-update settings are for system admins only
 * (their routes answer 403 to a read-only console viewer), so a read-only viewer sees the timeline alone.
 */
export function RolloutPlanPanels({plan}: {plan: Pick<PlanContent, 'phases'> | null}) {
    const readOnly = useReadOnly();
    return (
        <>
            {!readOnly && <StatusUpdates/>}
            <Timeline plan={plan}/>
        </>
    );
}
