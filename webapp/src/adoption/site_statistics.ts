import React from 'react';
import {FormattedMessage} from 'react-intl';

import {adoptionMessages as m} from './messages';

import type {Client} from '../client';

/**
 * A row of System Console → Site Statistics. The shape is the webapp's PluginAnalyticsRow
 * (mattermost/mattermost webapp/platform/types/src/admin.ts: {id: string; name: React.ReactNode;
 * icon: string; value: number}); registry.registerSiteStatisticsHandler(handler: PluginSiteStatsHandler)
 * takes `() => Promise<Record<string, PluginAnalyticsRow>>`, and the console's SystemAnalytics
 * fetchPluginStats awaits every plugin's handler with Promise.all and keys the rows `<pluginId>.<key>`.
 */
export interface PluginAnalyticsRow {
    id: string;
    name: React.ReactNode;
    icon: string;
    value: number;
}

/**
 * The handler: the cached numbers from GET /api/v1/adoption. Never rejects (a rejection would fail the
 * console's Promise.all for every plugin): a viewer without access (403) or a failed request gets no rows.
 */
export function adoptionSiteStatistics(client: () => Client): () => Promise<Record<string, PluginAnalyticsRow>> {
    return async () => {
        try {
            const {current} = await client().getAdoption();
            if (!current) {
                return {};
            }
            const row = (id: string, message: typeof m.siteStatsMau, icon: string, value: number): [string, PluginAnalyticsRow] =>
                [id, {id, name: React.createElement(FormattedMessage, message), icon, value}];
            return Object.fromEntries([
                row('adoption_dau', m.siteStatsDau, 'fa-user', current.numbers.daily_active),
                row('adoption_mau', m.siteStatsMau, 'fa-users', current.numbers.monthly_active),
                row('adoption_posts', m.siteStatsPosts, 'fa-comment', current.numbers.posts_last_day),
            ]);
        } catch {
            return {};
        }
    };
}
