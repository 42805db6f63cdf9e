import React from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {WaveProgress, WaveState} from 'contract/waves';

import {wavesMessages as m} from './messages';

import {ProgressBar} from '../components/progress_bar';

const stateChip: Record<WaveState, string> = {
    draft: 'neutral',
    scheduled: 'info',
    running: 'info',
    paused: 'warning',
    completed: 'ok',
    completed_with_failures: 'error',
    cancelled: 'neutral',
};

export function StateChip({state}: {state: WaveState}) {
    return (
        <span className={`cockpit-chip cockpit-chip--${stateChip[state]}`}>
            <FormattedMessage {...m[`state_${state}`]}/>
        </span>
    );
}

/** processed / total as a labelled bar ("12 of 20 users"). */
export function WaveProgressBar({name, progress, large = false}: {name: string; progress: WaveProgress; large?: boolean}) {
    const intl = useIntl();
    let percent = progress.state === 'completed' ? 100 : 0;
    if (progress.total > 0) {
        percent = (progress.processed / progress.total) * 100;
    }
    return (
        <ProgressBar
            label={intl.formatMessage(m.progressLabel, {name})}
            percent={percent}
            large={large}
            text={intl.formatMessage(m.progressText, {processed: progress.processed, total: progress.total, percent: Math.round(percent)})}
        />
    );
}
