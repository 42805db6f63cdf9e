import React from 'react';
import {FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import type {StakeholderStatus, StakeholderWave} from 'contract/stakeholders';
import type {WaveState} from 'contract/waves';

import {statusCsv} from './csv';
import {stakeholderMessages as m} from './messages';

import {metricMessage, percentLine, statusChip} from '../adoption/adoption_tab';
import {adoptionMessages} from '../adoption/messages';
import {TrendChart} from '../adoption/trend_chart';
import type {Client} from '../client';
import {cockpitCss} from '../cockpit/styles';
import {AdminPanel, Facts} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {localDate} from '../components/dates';
import {saveTextFile} from '../components/files';
import {ProgressBar} from '../components/progress_bar';
import {RequestErrorNotice} from '../components/request_error';
import {TeamPage, type TeamPageProps} from '../components/team_page';
import {inComponentState, resourceSlice, useResource} from '../resource';

// The stakeholder status page: rendered by Mattermost at /<team>/<plugin id>/status (registerNeedsTeamRoute),
// inside the normal UI, for the roll-out team. Everything on it is a count; the server never sends more.

const stakeholderCss = `
.cockpit-stakeholders { height: 100%; overflow-y: auto; padding: 24px 32px 48px; background: var(--center-channel-bg, #fff); }
.cockpit-stakeholders__inner { max-width: 1080px; margin: 0 auto; }
.cockpit-stakeholders__header {
    display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: 12px;
    margin-bottom: 16px;
}
.cockpit-stakeholders__header > div:first-child { flex: 1 1 480px; }
.cockpit-stakeholders__header .cockpit-toolbar { margin-bottom: 0; }
.cockpit-stakeholders__overall { font-weight: 600; margin: 16px 0 0; }
.cockpit-stakeholders__title { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
.cockpit-stakeholders .AdminPanel {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12); border-radius: 4px;
    background: var(--center-channel-bg, #fff);
}
.cockpit-stakeholders .AdminPanel .header { padding: 16px 32px 0; }
.cockpit-stakeholders .AdminPanel h3 { font-size: 16px; font-weight: 600; margin: 0; }
.cockpit-stakeholders__phases { list-style: none; margin: 16px 0 0; padding: 0; display: grid; gap: 12px; }
.cockpit-stakeholders__phase-title { font-weight: 600; }
.cockpit-stakeholders__targets { list-style: none; margin: 16px 0; padding: 0; display: grid; gap: 12px; }
.cockpit-stakeholders__counts { white-space: nowrap; font-variant-numeric: tabular-nums; }
.cockpit-stakeholders .cockpit-table td, .cockpit-stakeholders .cockpit-table th { vertical-align: middle; }
.cockpit-stakeholders .cockpit-chart { margin: 24px 0 0; }
`;

const stateChip: Record<WaveState, string> = {
    draft: 'neutral',
    scheduled: 'info',
    running: 'info',
    paused: 'warning',
    completed: 'ok',
    completed_with_failures: 'warning',
    cancelled: 'neutral',
};

function WaveSchedule({wave}: {wave: StakeholderWave}) {
    if (wave.finished_at !== null) {
        return (
            <FormattedMessage
                {...m.waveFinishedAt}
                values={{when: <DateTime value={wave.finished_at}/>}}
            />
        );
    }
    if (wave.started_at !== null) {
        return (
            <FormattedMessage
                {...m.waveStartedAt}
                values={{when: <DateTime value={wave.started_at}/>}}
            />
        );
    }
    if (wave.start_at !== null) {
        return (
            <FormattedMessage
                {...m.waveStartsAt}
                values={{when: <DateTime value={wave.start_at}/>}}
            />
        );
    }
    return <span className='cockpit-muted'><FormattedMessage {...m.waveNotScheduled}/></span>;
}

function Waves({waves}: {waves: StakeholderWave[]}) {
    const intl = useIntl();
    if (waves.length === 0) {
        return <p className='cockpit-muted'><FormattedMessage {...m.noWaves}/></p>;
    }
    return (
        <table className='cockpit-table'>
            <caption className='sr-only'>{intl.formatMessage(m.wavesTitle)}</caption>
            <thead>
                <tr>
                    <th scope='col'><FormattedMessage {...m.waveName}/></th>
                    <th scope='col'><FormattedMessage {...m.waveState}/></th>
                    <th scope='col'><FormattedMessage {...m.waveSchedule}/></th>
                    <th scope='col'><FormattedMessage {...m.waveProgress}/></th>
                    <th scope='col'><FormattedMessage {...m.waveCounts}/></th>
                </tr>
            </thead>
            <tbody>
                {waves.map((wave, i) => (

                    // Names need not be unique; the server's order is stable.
                    /* eslint-disable-next-line react/no-array-index-key -- the rows have no id and names need not be
                       unique; the server's order is stable. */
                    <tr key={i}>
                        <th scope='row'>{wave.name}</th>
                        <td>
                            <span className={`cockpit-chip cockpit-chip--${stateChip[wave.state]}`}>
                                <FormattedMessage {...m[`state_${wave.state}`]}/>
                            </span>
                        </td>
                        <td><WaveSchedule wave={wave}/></td>
                        <td style={{minWidth: 200}}>
                            <ProgressBar
                                label={wave.name}
                                percent={wave.total === 0 ? 0 : (wave.processed / wave.total) * 100}
                                text={intl.formatMessage(m.waveProgressText, {processed: wave.processed, total: wave.total})}
                            />
                        </td>
                        <td className='cockpit-stakeholders__counts'>
                            {[wave.added, wave.already_member, wave.skipped, wave.failed, wave.welcomed].
                                map((n) => intl.formatNumber(n)).
                                join(' · ')}
                        </td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

function Adoption({adoption}: {adoption: StakeholderStatus['adoption']}) {
    const intl = useIntl();
    if (!adoption.numbers || adoption.measured_at === null) {
        return <p className='cockpit-muted'><FormattedMessage {...m.notMeasured}/></p>;
    }
    const numbers = adoption.numbers;
    const metrics = ['daily_active', 'weekly_active', 'monthly_active', 'total_users', 'posts_last_day', 'active_channels'] as const;
    const days = adoption.daily.map((d) => d.day);
    return (
        <>
            <p className='cockpit-muted'>
                <FormattedMessage
                    {...m.measuredAt}
                    values={{when: <DateTime value={adoption.measured_at}/>}}
                />
            </p>
            <Facts
                rows={metrics.map((metric) => [metricMessage(metric), (
                    <FormattedNumber
                        key={metric}
                        value={numbers[metric]}
                    />
                )])}
            />
            <h4><FormattedMessage {...m.targetsTitle}/></h4>
            {adoption.targets.length === 0 ? <p className='cockpit-muted'><FormattedMessage {...m.noTargets}/></p> : (
                <ul className='cockpit-stakeholders__targets'>
                    {adoption.targets.map((target, i) => {
                        const metric = intl.formatMessage(metricMessage(target.metric));
                        const line = intl.formatMessage(target.kind === 'percent' ? percentLine(target.base) : adoptionMessages.targetLine,
                            {metric, goal: target.goal ?? '–', threshold: target.threshold, due: target.due});
                        const label = target.label || line;
                        return (
                            /* eslint-disable-next-line react/no-array-index-key -- targets have no id; the list is
                               replaced whole, never reordered. */
                            <li key={i}>
                                <strong>{label}</strong>
                                {target.label && <span className='cockpit-muted'>{' — '}{line}</span>}
                                {' '}
                                <span className={`cockpit-chip cockpit-chip--${statusChip[target.status]}`}>
                                    <FormattedMessage {...adoptionMessages[`status_${target.status}`]}/>
                                </span>
                                <ProgressBar
                                    label={label}
                                    percent={target.percent}
                                    text={
                                        target.current === null || target.goal === null ?
                                            undefined :
                                            intl.formatMessage(adoptionMessages.progressText, {
                                                current: target.current,
                                                goal: target.goal,
                                                percent: target.percent,
                                            })
                                    }
                                />
                            </li>
                        );
                    })}
                </ul>
            )}
            {days.length > 0 && (
                <TrendChart
                    title={intl.formatMessage(adoptionMessages.activeUsersChart)}
                    days={days}
                    series={(['daily_active', 'weekly_active', 'monthly_active'] as const).map((metric, i) => ({
                        label: intl.formatMessage(metricMessage(metric)),
                        values: adoption.daily.map((d) => d[metric]),
                        colorVar: ['--button-bg', '--online-indicator', '--away-indicator'][i],
                        fallback: ['#1c58d9', '#3db887', '#ffbc1f'][i],
                    }))}
                />
            )}
        </>
    );
}

function StatusBody({status}: {status: StakeholderStatus}) {
    const intl = useIntl();
    return (
        <>
            <AdminPanel title={m.planTitle}>
                <p className='cockpit-stakeholders__overall'>{intl.formatMessage(m.planOverall, {title: status.plan.title})}</p>
                <ProgressBar
                    large={true}
                    label={intl.formatMessage(m.planOverall, {title: status.plan.title})}
                    percent={status.plan.percent}
                    text={intl.formatNumber(status.plan.percent / 100, {style: 'percent'})}
                />
                <ol className='cockpit-stakeholders__phases'>
                    {status.plan.phases.map((phase, i) => (
                        /* eslint-disable-next-line react/no-array-index-key -- phases here have no id; the list is
                           replaced whole, never reordered. */
                        <li key={i}>
                            <span className='cockpit-stakeholders__phase-title'>{phase.title}</span>
                            <ProgressBar
                                label={phase.title}
                                percent={phase.percent}
                                text={
                                    phase.required === 0 ?
                                        intl.formatMessage(m.phaseNothingRequired) :
                                        intl.formatMessage(m.phaseText, {
                                            completed: phase.completed,
                                            required: phase.required,
                                            percent: phase.percent,
                                        })
                                }
                            />
                        </li>
                    ))}
                </ol>
            </AdminPanel>
            <AdminPanel title={m.wavesTitle}>
                <Waves waves={status.waves}/>
            </AdminPanel>
            <AdminPanel title={m.adoptionTitle}>
                <Adoption adoption={status.adoption}/>
            </AdminPanel>
        </>
    );
}

const statusSlice = resourceSlice<StakeholderStatus>('stakeholderStatus');
const fetchStatus = (client: Client) => client.getStakeholderStatus();

function StakeholderStatusBody() {
    const {state: {data: status, loading, error}, load} = useResource(statusSlice, inComponentState, fetchStatus);

    const forbidden = error !== null && error.status === 403;
    return (
        <div
            className='cockpit cockpit-stakeholders'
            aria-busy={loading}
        >
            <style>{cockpitCss}</style>
            <style>{stakeholderCss}</style>
            <div className='cockpit-stakeholders__inner'>
                <header className='cockpit-stakeholders__header'>
                    <div>
                        <h2 className='cockpit-stakeholders__title'><FormattedMessage {...m.pageTitle}/></h2>
                        <div className='cockpit-muted'>
                            <FormattedMessage {...m.pageSubtitle}/>
                            {status && <>{' '}
                                <FormattedMessage
                                    {...m.generatedAt}
                                    values={{when: <DateTime value={status.generated_at}/>}}
                                />
                            </>}
                        </div>
                    </div>
                    <div className='cockpit-toolbar'>
                        {loading && (
                            <span
                                role='status'
                                className='cockpit-muted'
                            >
                                <FormattedMessage {...m.loading}/>
                            </span>
                        )}
                        {!forbidden && (
                            <button
                                type='button'
                                className='btn btn-tertiary'
                                disabled={loading}
                                onClick={load}
                            >
                                <FormattedMessage {...m.refresh}/>
                            </button>
                        )}
                        {status && !forbidden && (
                            <button
                                type='button'
                                className='btn btn-tertiary'
                                onClick={() => saveTextFile(statusCsv(status), `rollout-status-${localDate()}.csv`, 'text/csv')}
                            >
                                <FormattedMessage {...m.exportCsv}/>
                            </button>
                        )}
                    </div>
                </header>
                {forbidden && (
                    <div
                        role='alert'
                        className='cockpit-notice cockpit-notice--warning'
                    >
                        <strong><FormattedMessage {...m.forbiddenTitle}/></strong>
                        <p><FormattedMessage {...m.forbiddenBody}/></p>
                    </div>
                )}
                {error && !forbidden && (
                    <RequestErrorNotice
                        error={error}
                        onRetry={load}
                        retrying={loading}
                    />
                )}
                {status && !forbidden && <StatusBody status={status}/>}
            </div>
        </div>
    );
}

/** The component registered with registerNeedsTeamRoute('/status', …). */
export function StakeholderStatusPage(props: TeamPageProps) {
    return (
        <TeamPage {...props}>
            <StakeholderStatusBody/>
        </TeamPage>
    );
}
