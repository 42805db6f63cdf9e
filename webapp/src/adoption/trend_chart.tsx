import {
    CategoryScale,
    Chart as ChartJS,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
    type ChartData,
    type ChartOptions,
} from 'chart.js';
import React from 'react';
import {Line} from 'react-chartjs-2';
import {useIntl} from 'react-intl';

import {ChartFigure, themeColor, themedOptions, type TrendSeries} from './chart_figure';
import {adoptionMessages as m} from './messages';

// Only the pieces a line chart uses are registered, so the bundle carries no other chart type.
ChartJS.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

/** A line chart over days (or sample times, named by `xLabel`). */
export function TrendChart({title, days, series, xLabel}: {title: string; days: string[]; series: TrendSeries[]; xLabel?: string}) {
    const intl = useIntl();
    const data: ChartData<'line', number[], string> = {
        labels: days,
        datasets: series.map((s) => {
            const color = themeColor(s.colorVar, s.fallback);
            return {
                label: s.label,
                data: s.values,
                borderColor: color,
                backgroundColor: color,
                tension: 0.2,
                pointRadius: days.length > 30 ? 0 : 3,
            };
        }),
    };
    const options: ChartOptions<'line'> = themedOptions();
    return (
        <ChartFigure
            title={title}
            height={240}
            labelHeader={xLabel ?? intl.formatMessage(m.day)}
            labels={days}
            series={series}
        >
            <Line
                data={data}
                options={options}
            />
        </ChartFigure>
    );
}
