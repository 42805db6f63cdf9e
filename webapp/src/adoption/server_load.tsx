import React from 'react';
import {FormattedMessage, FormattedNumber, FormattedTime, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import type {LoadSample} from 'contract/adoption';

import {adoptionMessages as m} from './messages';
import {TrendChart} from './trend_chart';

import {siteURLFrom, siteURLPath} from '../client';
import {AdminPanel, Facts} from '../components/admin_panel';

/** Short enough for a chart axis of a few days of samples, in the admin's locale (05.01., 09:05 / 01/05, 09:05 AM). */
const chartAxisTime: Intl.DateTimeFormatOptions = {month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'};

/**
 * Server load during the pilot: the latest sample as numbers, the last days plotted. WebSocket
 * connections are not readable by a plugin, so the panel links where the console shows them.
 */
export function ServerLoadPanel({samples}: {samples: LoadSample[]}) {
    const intl = useIntl();
    const store = useStore();
    const consoleBase = `${siteURLPath(siteURLFrom(store.getState()))}/admin_console`;
    const latest = samples.length > 0 ? samples[samples.length - 1] : null;
    const websockets = (
        <span>
            <FormattedMessage {...m.loadWebsocketsElsewhere}/>
            {' '}
            <a href={`${consoleBase}/reporting/system_analytics`}><FormattedMessage {...m.loadSiteStatistics}/></a>
            {' · '}
            <a href={`${consoleBase}/environment/performance_monitoring`}><FormattedMessage {...m.loadMetrics}/></a>
            {' '}
            <span className='cockpit-muted'><FormattedMessage {...m.loadMetricsNote}/></span>
        </span>
    );
    return (
        <AdminPanel
            title={m.loadTitle}
            subtitle={m.loadSubtitle}
        >
            {latest === null ? (
                <>
                    <p className='cockpit-muted'><FormattedMessage {...m.loadNoSamples}/></p>
                    <Facts rows={[[m.loadWebsockets, websockets]]}/>
                </>
            ) : (
                <>
                    <p className='cockpit-muted'>
                        <FormattedMessage
                            {...m.loadSampledAt}
                            values={{when: (
                                <FormattedTime
                                    value={latest.taken_at}
                                    month='short'
                                    day='numeric'
                                    hour='numeric'
                                    minute='2-digit'
                                />
                            )}}
                        />
                    </p>
                    <Facts
                        rows={[
                            [m.loadSessions, (
                                <FormattedNumber
                                    key='sessions'
                                    value={latest.active_sessions}
                                />
                            )],
                            [m.loadDbConnections, intl.formatMessage(m.loadDbConnectionsValue, {
                                connections: latest.db_connections,
                                max: latest.db_max_connections,
                                percent: latest.db_max_connections > 0 ? Math.round(
                                    (latest.db_connections / latest.db_max_connections) * 100,
                                ) : 0,
                            })],
                            [m.loadWebsockets, websockets],
                        ]}
                    />
                    <TrendChart
                        title={intl.formatMessage(m.loadChart)}
                        xLabel={intl.formatMessage(m.loadTime)}
                        days={samples.map((sample) => intl.formatDate(sample.taken_at, chartAxisTime))}
                        series={[
                            {
                                label: intl.formatMessage(m.loadSessions),
                                values: samples.map((s) => s.active_sessions),
                                colorVar: '--button-bg',
                                fallback: '#1c58d9',
                            },
                            {
                                label: intl.formatMessage(m.loadDbConnections),
                                values: samples.map((s) => s.db_connections),
                                colorVar: '--away-indicator',
                                fallback: '#ffbc1f',
                            },
                        ]}
                    />
                </>
            )}
        </AdminPanel>
    );
}
