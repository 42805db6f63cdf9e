import React, {useId, useState} from 'react';
import {FormattedMessage, FormattedNumber} from 'react-intl';

import {adoptionMessages as m} from './messages';

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

/** The options every cockpit chart shares: console text and grid colours, integer y axis from 0, no animation. */
export function themedOptions(stacked = false) {
    const text = themeColor('--center-channel-color', '#3f4350');
    const grid = themeRgba('--center-channel-color', 0.12, '63, 67, 80');
    return {
        responsive: true,
        maintainAspectRatio: false,
        animation: false as const,
        plugins: {legend: {labels: {color: text}}},
        scales: {
            x: {stacked, ticks: {color: text}, grid: {color: grid}},
            y: {stacked, beginAtZero: true, ticks: {color: text, precision: 0}, grid: {color: grid}},
        },
    };
}

// Visually hidden but read by screen readers (the console's `sr-only`, inlined so it holds anywhere).
export const visuallyHidden: React.CSSProperties = {
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0, 0, 0, 0)',
    whiteSpace: 'nowrap',
    border: 0,
};

/**
 * A chart with its data as a table: the table is visually hidden (screen readers and tests read it)
 * until the admin shows it. `labels` are the x values, one table row each.
 */
export function ChartFigure({title, height, labelHeader, labels, series, children}: {
    title: string;
    height: number;
    labelHeader: string;
    labels: string[];
    series: TrendSeries[];
    children: React.ReactNode;
}) {
    const [showTable, setShowTable] = useState(false);
    const tableId = useId();
    return (
        <figure className='cockpit-chart'>
            <figcaption><strong>{title}</strong></figcaption>
            <div
                style={{position: 'relative', height}}
                aria-hidden={true}
            >
                {children}
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
                        <th scope='col'>{labelHeader}</th>
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
                    {labels.map((label, i) => (

                        // Labels may repeat (two samples in one minute, two waves with one name): the position keeps keys unique.
                        <tr key={`${i}-${label}`}>
                            <th scope='row'>{label}</th>
                            {series.map((s) => <td key={s.label}><FormattedNumber value={s.values[i]}/></td>)}
                        </tr>
                    ))}
                </tbody>
            </table>
        </figure>
    );
}
