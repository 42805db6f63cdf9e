import React, {useState, type ReactNode} from 'react';
import {FormattedMessage, type MessageDescriptor} from 'react-intl';

import type {PlanContent} from 'contract/plan';

import {rolloutMessages as m} from './messages';
import {StatusUpdates} from './status_updates';
import {Timeline} from './timeline';

import {useReadOnly} from '../components/read_only';

/** A collapsed section whose content mounts (and loads) only once it is opened: the plan itself comes first. */
function Collapsed({title, children}: {title: MessageDescriptor; children: ReactNode}) {
    const [open, setOpen] = useState(false);
    return (
        <details
            className='cockpit-collapsible'
            onToggle={(e) => setOpen(e.currentTarget.open)}
        >
            <summary><FormattedMessage {...title}/></summary>
            {open && children}
        </details>
    );
}

/**
 * The Plan tab's status updates and timeline. The status-update settings are for system admins only
 * (their routes answer 403 to a read-only console viewer), so a read-only viewer sees the timeline alone.
 */
export function RolloutPlanPanels({plan}: {plan: Pick<PlanContent, 'phases'> | null}) {
    const readOnly = useReadOnly();
    return (
        <>
            {!readOnly && (
                <Collapsed title={m.updatesTitle}>
                    <StatusUpdates/>
                </Collapsed>
            )}
            <Collapsed title={m.timelineTitle}>
                <Timeline plan={plan}/>
            </Collapsed>
        </>
    );
}
