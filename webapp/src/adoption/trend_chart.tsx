import {CategoryScale, Chart as ChartJS, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartData, type ChartOptions} from 'chart.js';
import React, {useId, useState} from 'react';
import {Line} from 'react-chartjs-2';
import {FormattedMessage, useIntl} from 'react-intl';

import {adoptionMessages as m} from './messages';

// Only the pieces a line chart uses are registered, so the bundle carries no other chart type.
ChartJS.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

export interface TrendSeries {
    label: string;
    values: number[];
    /** A Mattermost theme variable, e.g. --button-bg. */
    colorVar: string;
    fallback: string;
}

/** The value of a console theme variable (the console sets them on :root), or the fallback. */
export function themeColor(variable: string, fallback: string): string {
    if (typeof window === 'undefined' || typeof window.getComputedStyle !== 'function') {
        return fallback;
    }
    return window.getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || fallback;
}

/** rgba() of a theme variable's `-rgb` companion (e.g. --center-channel-color-rgb = "63, 67, 80"). */
export function themeRgba(variable: string, alpha: number, fallbackRgb: string): string {
    return `rgba(${themeColor(`${variable}-rgb`, fallbackRgb)}, ${alpha})`;
}

// Visually hidden but read by screen readers (the console's `sr-only`, inlined so it holds anywhere).
export const visuallyHidden: React.CSSProperties = {
    position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0, 0, 0, 0)', whiteSpace: 'nowrap', border: 0,
};

/**
 * A line chart (x labels: days, or sample times with `xLabel`) with its data as a table: the table is visually hidden (screen readers
 * and tests read it) until the admin shows it.
 */
export function TrendChart({title, days, series, xLabel}: {title: string; days: string[]; series: TrendSeries[]; xLabel?: string}) {
    const intl = useIntl();
    const [showTable, setShowTable] = useState(false);
    const tableId = useId();
    const text = themeColor('--center-channel-color', '#3f4350');
    const grid = themeRgba('--center-channel-color', 0.12, '63, 67, 80');
    const data: ChartData<'line', number[], string> = {
        labels: days,
        datasets: series.map((s) => {
            const color = themeColor(s.colorVar, s.fallback);
            return {label: s.label, data: s.values, borderColor: color, backgroundColor: color, tension: 0.2, pointRadius: days.length > 30 ? 0 : 3};
        }),
    };
    const options: ChartOptions<'line'> = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {labels: {color: text}}},
        scales: {
            x: {ticks: {color: text}, grid: {color: grid}},
            y: {beginAtZero: true, ticks: {color: text, precision: 0}, grid: {color: grid}},
        },
    };
    return (
        <figure className='cockpit-chart'>
            <figcaption><strong>{title}</strong></figcaption>
            <div
                style={{position: 'relative', height: 240}}
                aria-hidden={true}
            >
                <Line
                    data={data}
                    options={options}
                />
            </div>
            <button
                type='button'
                className='btn btn-tertiary btn-sm'
                aria-expanded={showTable}
                aria-controls={tableId}
                onClick={() => setShowTable(!showTable)}
            >
                <FormattedMessage {...(showTable ? m.hideTable : m.showTable)}/>
            </button>
            <table
                id={tableId}
                className={showTable ? 'cockpit-table' : 'cockpit-table sr-only'}
                style={showTable ? undefined : visuallyHidden}
            >
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope='col'>{xLabel ?? intl.formatMessage(m.day)}</th>
                        {series.map((s) => (
                            <th
                                key={s.label}
                                scope='col'
                            >
                                {s.label}
                            </th>
                        ))}
                    </tr>
                </thead>
                <tbody>
                    {days.map((day, i) => (
                        // Labels may repeat (two samples in one minute): the position keeps keys unique.
                        <tr key={`${i}-${day}`}>
                            <th scope='row'>{day}</th>
                            {series.map((s) => <td key={s.label}>{s.values[i]}</td>)}
                        </tr>
                    ))}
                </tbody>
            </table>
        </figure>
    );
}
