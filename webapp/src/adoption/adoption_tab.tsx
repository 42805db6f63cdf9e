import React, {useState} from 'react';
import {FormattedMessage, FormattedNumber, useIntl, type MessageDescriptor} from 'react-intl';

import {
    ADOPTION_METRICS,
    type AdoptionExportSeries,
    type AdoptionMetric,
    type AdoptionNumbers,
    type AdoptionResponse,
    type AdoptionTarget,
    type TargetProgress,
} from 'contract/adoption';

import {adoptionMessages as m} from './messages';
import {ServerLoadPanel} from './server_load';
import {TargetsEditor} from './targets_editor';
import {TrendChart} from './trend_chart';
import {useAdoption} from './use_adoption';
import {WavesAdoption} from './waves_adoption';

import {toRequestError} from '../client';
import {AdminPanel, Facts} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {localDate} from '../components/dates';
import {errorText} from '../components/error_text';
import {saveTextFile} from '../components/files';
import {ProgressBar} from '../components/progress_bar';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {StakeholderAccessPanel} from '../stakeholders/access_panel';

export const metricMessage = (metric: AdoptionMetric) => m[metric];

/** The line of a percent target names its base. */
export const percentLine = (base: AdoptionTarget['base']) =>
    (base === 'provisioned' ? m.targetPercentProvisionedLine : m.targetPercentLine);

/** The console-style chip of a target's status. */
export const statusChip: Record<TargetProgress['status'], string> = {met: 'ok', on_track: 'info', overdue: 'error', unknown: 'neutral'};

function TargetRow({progress}: {progress: TargetProgress}) {
    const intl = useIntl();
    const {target, current, goal, percent, status} = progress;
    const metric = intl.formatMessage(metricMessage(target.metric));
    const values = {metric, goal: goal ?? '–', threshold: target.threshold, due: target.due};
    const line = intl.formatMessage(target.kind === 'percent' ? percentLine(target.base) : m.targetLine, values);
    const label = target.label || line;
    return (
        <li className='cockpit-target'>
            <div>
                <strong>{label}</strong>
                {target.label && <span className='cockpit-muted'>{' — '}{line}</span>}
                {' '}
                <span className={`cockpit-chip cockpit-chip--${statusChip[status]}`}>
                    <FormattedMessage {...m[`status_${status}`]}/>
                </span>
            </div>
            <ProgressBar
                label={label}
                percent={percent}
                text={current === null || goal === null ? undefined : intl.formatMessage(m.progressText, {current, goal, percent})}
            />
        </li>
    );
}

/** The latest numbers as rows: the metrics, then the users provisioned by waves (when measured). */
function currentRows(numbers: AdoptionNumbers): Array<[MessageDescriptor, React.ReactNode]> {
    const rows: Array<[MessageDescriptor, React.ReactNode]> = ADOPTION_METRICS.map((metric) => [metricMessage(metric), (
        <FormattedNumber
            key={metric}
            value={numbers[metric]}
        />
    )]);
    if (numbers.provisioned !== undefined) {
        rows.push([m.provisioned, (
            <FormattedNumber
                key='provisioned'
                value={numbers.provisioned}
            />
        )]);
    }
    return rows;
}

function Trends({data}: {data: AdoptionResponse}) {
    const intl = useIntl();
    const days = data.daily.map((s) => s.day);
    const series = (metric: AdoptionMetric, colorVar: string, fallback: string) =>
        ({label: intl.formatMessage(metricMessage(metric)), values: data.daily.map((s) => s.numbers[metric]), colorVar, fallback});
    if (days.length === 0) {
        return <p className='cockpit-muted'><FormattedMessage {...m.noDays}/></p>;
    }
    return (
        <>
            <TrendChart
                title={intl.formatMessage(m.activeUsersChart)}
                days={days}
                series={[
                    series('daily_active', '--button-bg', '#1c58d9'),
                    series('weekly_active', '--online-indicator', '#3db887'),
                    series('monthly_active', '--away-indicator', '#ffbc1f'),
                ]}
            />
            <TrendChart
                title={intl.formatMessage(m.postsChart)}
                days={days}
                series={[series('posts_last_day', '--button-bg', '#1c58d9')]}
            />
        </>
    );
}

/** The Adoption tab: today's numbers, daily trends (plots + data tables), success targets with progress and an editor. */
export function AdoptionTab() {
    const intl = useIntl();
    const adoption = useAdoption();
    const [editing, setEditing] = useState(false);
    const [exportError, setExportError] = useState('');
    const data = adoption.data;

    const onExport = async (series: AdoptionExportSeries) => {
        try {
            const text = await adoption.client.exportAdoption(series);
            saveTextFile(text, `cockpit-adoption-${series}-${localDate()}.csv`, 'text/csv');
            setExportError('');
        } catch (err) {
            setExportError(errorText(intl, toRequestError(err)));
        }
    };

    const exportButton = (series: AdoptionExportSeries, message: typeof m.exportCsv) => (
        <button
            key={series}
            type='button'
            className='btn btn-tertiary btn-sm'
            data-series={series}
            onClick={() => {
                onExport(series);
            }}
        >
            <FormattedMessage {...message}/>
        </button>
    );

    return (
        <div
            className='cockpit-adoption'
            aria-busy={adoption.loading}
        >
            <div className='cockpit-toolbar'>
                {adoption.loading && (
                    <span
                        role='status'
                        className='cockpit-muted'
                    >
                        <FormattedMessage {...m.loading}/>
                    </span>
                )}
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={adoption.loading}
                    onClick={adoption.refresh}
                >
                    <FormattedMessage {...m.refresh}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        onExport('daily');
                    }}
                >
                    <FormattedMessage {...m.exportCsv}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        onExport('load');
                    }}
                >
                    <FormattedMessage {...m.exportLoadCsv}/>
                </button>
            </div>
            {exportError && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <FormattedMessage
                        {...m.exportError}
                        values={{message: exportError}}
                    />
                </p>
            )}
            {adoption.error && (
                <RequestErrorNotice
                    error={adoption.error}
                    onRetry={adoption.refresh}
                    retrying={adoption.loading}
                />
            )}
            {data && (
                <>
                    <AdminPanel
                        title={m.currentTitle}
                        subtitle={m.currentSubtitle}
                    >
                        {data.current && (
                            <>
                                <p className='cockpit-muted'>
                                    <FormattedMessage
                                        {...m.measuredAt}
                                        values={{when: (
                                            <DateTime value={data.current.taken_at}/>
                                        )}}
                                    />
                                    {!data.cached && <>{' '}<FormattedMessage {...m.notCached}/></>}
                                </p>
                                <Facts rows={currentRows(data.current.numbers)}/>
                                {exportButton('current', m.exportCurrentCsv)}
                            </>
                        )}
                    </AdminPanel>
                    <AdminPanel
                        title={m.targetsTitle}
                        subtitle={m.targetsSubtitle}
                    >
                        {editing ? (
                            <TargetsEditor
                                client={adoption.client}
                                version={data.targets_version}
                                targets={data.progress.map((p) => p.target)}
                                onSaved={() => {
                                    setEditing(false);
                                    adoption.refresh();
                                }}
                                onCancel={() => setEditing(false)}
                            />
                        ) : (
                            <>
                                {data.progress.length === 0 ? (
                                    <p className='cockpit-muted'><FormattedMessage {...m.noTargets}/></p>
                                ) : (
                                    <ul className='cockpit-targets'>
                                        {data.progress.map((p) => (
                                            <TargetRow
                                                key={p.target.id}
                                                progress={p}
                                            />
                                        ))}
                                    </ul>
                                )}
                                <div className='cockpit-toolbar'>
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-secondary btn-sm'
                                            onClick={() => setEditing(true)}
                                        >
                                            <FormattedMessage {...m.editTargets}/>
                                        </button>
                                    </WriteControls>
                                    {data.progress.length > 0 && exportButton('targets', m.exportTargetsCsv)}
                                </div>
                            </>
                        )}
                    </AdminPanel>
                    <AdminPanel
                        title={m.trendsTitle}
                        subtitle={m.trendsSubtitle}
                    >
                        <Trends data={data}/>
                    </AdminPanel>
                    <AdminPanel
                        title={m.wavesTitle}
                        subtitle={m.wavesSubtitle}
                    >
                        <WavesAdoption
                            data={data}
                            exportButtons={[exportButton('waves', m.exportWavesCsv), exportButton('waves_daily', m.exportWavesDailyCsv)]}
                        />
                    </AdminPanel>
                    <ServerLoadPanel samples={data.load}/>
                    <StakeholderAccessPanel client={adoption.client}/>
                </>
            )}
        </div>
    );
}

