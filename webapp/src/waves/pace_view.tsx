import React from 'react';
import {FormattedMessage, useIntl, type IntlShape, type MessageDescriptor} from 'react-intl';
import {useSelector} from 'react-redux';

import type {WaveAdvice, WaveEstimate, WaveProgress} from 'contract/waves';

import {wavesMessages as m} from './messages';

import {siteURLFrom} from '../client';
import {consoleHref} from '../readiness/readiness_tab';

// How long a wave takes: the run view's measured pace and time left (from the polled progress, so it
// updates while the wave runs), and the dry run's estimate and advice (server/src/waves/pace.ts).

/** A duration as a message: seconds under a minute, minutes under an hour, else hours and minutes. */
export function durationMessage(ms: number): {message: MessageDescriptor; values: Record<string, number>} {
    const seconds = Math.max(1, Math.round(ms / 1000));
    if (seconds < 60) {
        return {message: m.durationSeconds, values: {seconds}};
    }
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) {
        return {message: m.durationMinutes, values: {minutes}};
    }
    return {message: m.durationHours, values: {hours: Math.floor(minutes / 60), minutes: minutes % 60}};
}

const formatDuration = (intl: IntlShape, ms: number) => {
    const {message, values} = durationMessage(ms);
    return intl.formatMessage(message, values);
};

/** The run view's rows: the measured pace, and the time the remaining users take at it. */
export function paceRows(intl: IntlShape, progress: WaveProgress): Array<[MessageDescriptor, React.ReactNode]> {
    const {pace} = progress;
    if (!pace) {
        return [];
    }
    const measured = pace.ms_per_user !== null && pace.eta_ms !== null;
    let timeLeft = '–';
    const open = progress.state === 'running' || progress.state === 'scheduled' || progress.state === 'paused';
    if (open && !measured) {
        timeLeft = intl.formatMessage(m.paceNotYet);
    } else if (open && pace.eta_ms !== null) {
        timeLeft = intl.formatMessage(progress.state === 'paused' ? m.timeLeftPaused : m.timeLeftValue, {
            duration: formatDuration(intl, pace.eta_ms),
            remaining: pace.remaining,
        });
    }
    const paceText = pace.ms_per_user === null ? intl.formatMessage(m.paceNotYet) : intl.formatMessage(m.paceValue, {
        seconds: intl.formatNumber(pace.ms_per_user / 1000, {maximumFractionDigits: 2, minimumFractionDigits: 2}),
        users: pace.measured_users,
    });
    return [
        [m.pace, (
            <span
                key='pace'
                data-testid='wave-pace'
            >{paceText}</span>
        )],
        [m.timeLeft, (
            <span
                key='eta'
                data-testid='wave-time-left'
            >{timeLeft}</span>
        )],
    ];
}

function Estimate({estimate}: {estimate: WaveEstimate}) {
    const intl = useIntl();
    const {model} = estimate;
    const figures = {
        base: intl.formatNumber(model.base_ms, {maximumFractionDigits: 1}),
        perMember: intl.formatNumber(model.per_member_ms, {maximumFractionDigits: 3}),
        samples: model.samples,
    };
    return (
        <div data-testid='dry-run-estimate'>
            <p>
                <strong><FormattedMessage {...m.estimate}/></strong>
                {': '}
                <FormattedMessage
                    {...m.estimateValue}
                    values={{duration: formatDuration(intl, estimate.ms), users: estimate.users, members: estimate.team_members}}
                />
            </p>
            <p className='cockpit-muted'>
                <FormattedMessage
                    {...(model.source === 'learned' ? m.estimateLearned : m.estimateDefault)}
                    values={figures}
                />
                {estimate.throttled && (
                    <>
                        {' '}
                        <FormattedMessage {...m.estimateThrottled}/>
                    </>
                )}
            </p>
        </div>
    );
}

function Advice({advice}: {advice: WaveAdvice[]}) {
    const siteURL = useSelector(siteURLFrom);
    return (
        <div
            className='cockpit-notice cockpit-notice--info'
            data-testid='dry-run-advice'
        >
            <strong><FormattedMessage {...m.adviceTitle}/></strong>
            <ul>
                {advice.map((item) => {
                    const href = consoleHref(siteURL, item.console_path);
                    return (
                        <li key={item.id}>
                            <FormattedMessage
                                {...m[`advice_${item.id}`]}
                                values={{setting: <code key='setting'>{item.setting}</code>, percent: item.saving_percent}}
                            />
                            {href && (
                                <>
                                    {' '}
                                    <a href={href}><FormattedMessage {...m.adviceOpen}/></a>
                                </>
                            )}
                        </li>
                    );
                })}
            </ul>
        </div>
    );
}

/** The dry run's estimate of the wave's duration and the settings that would make it cheaper. */
export function DryRunPace({estimate, advice}: {estimate?: WaveEstimate; advice?: WaveAdvice[]}) {
    return (
        <>
            {estimate && <Estimate estimate={estimate}/>}
            {advice && advice.length > 0 && <Advice advice={advice}/>}
        </>
    );
}
