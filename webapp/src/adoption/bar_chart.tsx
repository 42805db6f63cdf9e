import {
    BarController,
    BarElement,
    CategoryScale,
    Chart as ChartJS,
    Legend,
    LinearScale,
    Tooltip,
    type ChartData,
    type ChartOptions,
} from 'chart.js';
import React from 'react';
import {Bar} from 'react-chartjs-2';

import {ChartFigure, themeColor, themedOptions, type TrendSeries} from './chart_figure';

// Only the pieces a bar chart uses (the scales, tooltip and legend are shared with the line charts).
ChartJS.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A bar chart: one group of bars per category (x), one bar per series, side by side or `stacked`. */
export function BarChart({title, categories, categoryLabel, series, stacked = false}: {
    title: string;
    categories: string[];
    categoryLabel: string;
    series: TrendSeries[];
    stacked?: boolean;
}) {
    const data: ChartData<'bar', number[], string> = {
        labels: categories,
        datasets: series.map((s) => {
            const color = themeColor(s.colorVar, s.fallback);
            return {label: s.label, data: s.values, backgroundColor: color, borderColor: color, borderWidth: 0, maxBarThickness: 48};
        }),
    };
    const options: ChartOptions<'bar'> = themedOptions(stacked);
    return (
        <ChartFigure
            title={title}
            height={260}
            labelHeader={categoryLabel}
            labels={categories}
            series={series}
        >
            <Bar
                data={data}
                options={options}
            />
        </ChartFigure>
    );
}
