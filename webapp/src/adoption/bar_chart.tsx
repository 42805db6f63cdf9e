import {BarController, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip, type ChartData, type ChartOptions} from 'chart.js';
import React, {useId, useState} from 'react';
import {Bar} from 'react-chartjs-2';
import {FormattedMessage} from 'react-intl';

import {adoptionMessages as m} from './messages';
import {themeColor, themeRgba, visuallyHidden, type TrendSeries} from './trend_chart';

// Only the pieces a bar chart uses (the scales, tooltip and legend are shared with the line charts).
ChartJS.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/**
 * A bar chart: one group of bars per category (x), one bar per series, side by side or `stacked`;
 * themed like the trend charts, with its data as a table that is visually hidden (screen readers and
 * tests read it) until the admin shows it.
 */
export function BarChart({title, categories, categoryLabel, series, stacked = false}: {
    title: string;
    categories: string[];
    categoryLabel: string;
    series: TrendSeries[];
    stacked?: boolean;
}) {
    const [showTable, setShowTable] = useState(false);
    const tableId = useId();
    const text = themeColor('--center-channel-color', '#3f4350');
    const grid = themeRgba('--center-channel-color', 0.12, '63, 67, 80');
    const data: ChartData<'bar', number[], string> = {
        labels: categories,
        datasets: series.map((s) => {
            const color = themeColor(s.colorVar, s.fallback);
            return {label: s.label, data: s.values, backgroundColor: color, borderColor: color, borderWidth: 0, maxBarThickness: 48};
        }),
    };
    const options: ChartOptions<'bar'> = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {labels: {color: text}}},
        scales: {
            x: {stacked, ticks: {color: text}, grid: {color: grid}},
            y: {stacked, beginAtZero: true, ticks: {color: text, precision: 0}, grid: {color: grid}},
        },
    };
    return (
        <figure className='cockpit-chart'>
            <figcaption><strong>{title}</strong></figcaption>
            <div
                style={{position: 'relative', height: 260}}
                aria-hidden={true}
            >
                <Bar
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
                        <th scope='col'>{categoryLabel}</th>
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
                    {categories.map((category, i) => (
                        // Category names may repeat (two waves with one name): the position keeps keys unique.
                        <tr key={`${i}-${category}`}>
                            <th scope='row'>{category}</th>
                            {series.map((s) => <td key={s.label}>{s.values[i]}</td>)}
                        </tr>
                    ))}
                </tbody>
            </table>
        </figure>
    );
}
