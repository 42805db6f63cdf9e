import React from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {
    FEEDBACK_ANSWERS,
    WAVE_FUNNEL_STAGES,
    WAVE_NEWCOMER_STAGES,
    type AdoptionResponse,
    type WaveAdoption,
} from 'contract/adoption';

import {BarChart} from './bar_chart';
import {type TrendSeries} from './chart_figure';
import {adoptionMessages as m} from './messages';
import {TrendChart} from './trend_chart';

import {DateTime} from '../components/date_time';

// The per-wave section of the Adoption tab: what the scheduled job measured for each wave (the
// activation funnel and the feedback answers), plotted, plus the per-day series of the stored
// snapshots. Nothing here asks the server to measure: the numbers come with GET /api/v1/adoption.

type Stage = typeof WAVE_FUNNEL_STAGES[number] | typeof WAVE_NEWCOMER_STAGES[number];

const stageColors: Record<Stage, [string, string]> = {
    cohort: ['--sidebar-bg', '#1e325c'],
    invited: ['--mention-highlight-link', '#166de0'],
    account: ['--link-color', '#386fe5'],
    provisioned: ['--button-bg', '#1c58d9'],
    welcomed: ['--away-indicator', '#ffbc1f'],
    logged_in: ['--online-indicator', '#3db887'],
    posted: ['--dnd-indicator', '#d24b4e'],
};
const feedbackColors: Record<typeof FEEDBACK_ANSWERS[number], [string, string]> = {
    great: ['--online-indicator', '#3db887'],
    ok: ['--away-indicator', '#ffbc1f'],
    help: ['--dnd-indicator', '#d24b4e'],
};
const palette: Array<[string, string]> = [
    ['--button-bg', '#1c58d9'],
    ['--online-indicator', '#3db887'],
    ['--away-indicator', '#ffbc1f'],
    ['--dnd-indicator', '#d24b4e'],
    ['--sidebar-bg', '#1e325c'],
];

/**
 * The funnel's stages in order: the invitation and account stages between the cohort and provisioned
 * when a measured wave has any (waves that invite, or reach people without an account).
 */
export function funnelStages(waves: ReadonlyArray<[string, WaveAdoption]>): Stage[] {
    const newcomers = WAVE_NEWCOMER_STAGES.some((stage) => waves.some(([, wave]) => (wave[stage] ?? 0) > 0));
    const [cohort, ...rest] = WAVE_FUNNEL_STAGES;
    return newcomers ? [cohort, ...WAVE_NEWCOMER_STAGES, ...rest] : [...WAVE_FUNNEL_STAGES];
}

/** The measured waves, by name. */
export function measuredWaves(data: AdoptionResponse): Array<[string, WaveAdoption]> {
    return Object.entries(data.current?.waves ?? {}).sort(([, a], [, b]) => a.name.localeCompare(b.name));
}

export function WavesAdoption({data, exportButtons}: {data: AdoptionResponse; exportButtons: React.ReactNode}) {
    const intl = useIntl();
    const waves = measuredWaves(data);
    if (waves.length === 0) {
        return <p className='cockpit-muted'><FormattedMessage {...m.wavesNone}/></p>;
    }
    const names = waves.map(([, wave]) => wave.name);
    const latest = Math.max(...waves.map(([, wave]) => wave.measured_at));
    const funnel: TrendSeries[] = funnelStages(waves).map((stage) => ({
        label: intl.formatMessage(m[`stage_${stage}`]),
        values: waves.map(([, wave]) => wave[stage] ?? 0),
        colorVar: stageColors[stage][0],
        fallback: stageColors[stage][1],
    }));
    const feedback: TrendSeries[] = FEEDBACK_ANSWERS.map((answer) => ({
        label: intl.formatMessage(m[`feedback_${answer}`]),
        values: waves.map(([, wave]) => wave.feedback[answer]),
        colorVar: feedbackColors[answer][0],
        fallback: feedbackColors[answer][1],
    }));
    const days = data.daily.filter((snapshot) => snapshot.waves !== undefined && Object.keys(snapshot.waves).length > 0);
    const trend: TrendSeries[] = waves.map(([waveId, wave], i) => ({
        // Names need not be unique: the series label is also the table's column key.
        label: names.indexOf(wave.name) === i ? wave.name : `${wave.name} (${i + 1})`,
        values: days.map((snapshot) => snapshot.waves?.[waveId]?.logged_in ?? 0),
        colorVar: palette[i % palette.length][0],
        fallback: palette[i % palette.length][1],
    }));
    return (
        <>
            <p className='cockpit-muted'>
                <FormattedMessage
                    {...m.wavesMeasuredAt}
                    values={{when: (
                        <DateTime
                            value={latest}
                            withYear={false}
                        />
                    )}}
                />
            </p>
            <div className='cockpit-toolbar'>{exportButtons}</div>
            <BarChart
                title={intl.formatMessage(m.funnelChart)}
                categoryLabel={intl.formatMessage(m.wave)}
                categories={names}
                series={funnel}
            />
            <BarChart
                title={intl.formatMessage(m.feedbackChart)}
                categoryLabel={intl.formatMessage(m.wave)}
                categories={names}
                series={feedback}
                stacked={true}
            />
            {days.length > 0 && (
                <TrendChart
                    title={intl.formatMessage(m.loggedInTrendChart)}
                    days={days.map((snapshot) => snapshot.day)}
                    series={trend}
                />
            )}
        </>
    );
}
