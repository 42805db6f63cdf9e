import React from 'react';
import {FormattedDate, FormattedMessage, FormattedNumber} from 'react-intl';

import {manifest} from 'contract/manifest';
import type {LicenseSummary, Status} from 'contract/status';

import {summaryMessages, statusMessages as m} from './messages';
import {RefreshableView} from './refreshable_view';
import {RolloutGlance} from './rollout_glance';
import {useStatus} from './use_status';

import {AdminPanel, Facts} from '../components/admin_panel';

/**
 * The Overview tab: the roll-out at a glance, then, collapsed, the diagnostics for the plugin's
 * developers (versions, licence, the script engines' pool).
 */
export function Overview() {
    return (
        <>
            <RolloutGlance/>
            <details className='cockpit-diagnostics'>
                <summary><FormattedMessage {...summaryMessages.diagnostics}/></summary>
                <Diagnostics/>
            </details>
        </>
    );
}

/** GET /api/v1/status. */
export function Diagnostics() {
    const {state, refresh} = useStatus();
    const {data, loading, error, receivedAt} = state;
    return (
        <RefreshableView
            loading={loading}
            error={error}
            loaded={data !== null}
            receivedAt={receivedAt}
            refresh={() => refresh()}
            labels={m}
        >
            {data && <StatusPanels status={data}/>}
        </RefreshableView>
    );
}

function StatusPanels({status}: {status: Status}) {
    const {host} = status;
    const n = (value: number) => <FormattedNumber value={value}/>;
    return (
        <>
            <AdminPanel
                title={m.pluginTitle}
                subtitle={m.pluginSubtitle}
            >
                <Facts
                    rows={[
                        [m.pluginVersion, status.plugin_version],
                        [m.serverVersion, status.server_version],
                    ]}
                />
                {status.plugin_version !== manifest.version && (
                    <p
                        role='note'
                        className='cockpit-notice cockpit-notice--info'
                    >
                        <FormattedMessage
                            {...m.staleWebapp}
                            values={{webappVersion: manifest.version, serverVersion: status.plugin_version}}
                        />
                    </p>
                )}
            </AdminPanel>
            <AdminPanel
                title={m.licenseTitle}
                subtitle={m.licenseSubtitle}
            >
                <LicenseFacts license={status.license}/>
            </AdminPanel>
            <AdminPanel
                title={m.hostTitle}
                subtitle={m.hostSubtitle}
            >
                <Facts
                    rows={[
                        [m.poolIdle, n(host.pool_idle)],
                        [m.poolBusy, n(host.pool_busy)],
                        [m.poolMax, n(host.pool_max)],
                        [m.vmsCreated, n(host.vms_created)],
                        [m.vmsDiscarded, n(host.vms_discarded)],
                        [m.callsServed, n(host.calls_served)],
                        [m.callsFailed, n(host.calls_failed)],
                    ]}
                />
            </AdminPanel>
        </>
    );
}

function LicenseFacts({license}: {license: LicenseSummary}) {
    if (!license.licensed) {
        return (
            <Facts
                rows={[[m.license, (
                    <FormattedMessage
                        key='license'
                        {...m.unlicensed}
                    />
                )]]}
            />
        );
    }
    const unknown = <FormattedMessage {...m.unknown}/>;
    let expires = unknown;
    if (license.expires_at > 0) {
        const date = (
            <FormattedDate
                value={license.expires_at}
                year='numeric'
                month='long'
                day='numeric'
            />
        );
        expires = license.expires_at < Date.now() ? (
            <FormattedMessage
                {...m.expired}
                values={{date}}
            />
        ) : date;
    }
    return (
        <Facts
            rows={[
                [m.license, (
                    <FormattedMessage
                        key='license'
                        {...m.licensed}
                    />
                )],
                [m.sku, license.sku || unknown],
                [m.trial, (
                    <FormattedMessage
                        key='trial'
                        {...(license.is_trial ? m.yes : m.no)}
                    />
                )],
                [m.expires, expires],
                [m.seats, license.users > 0 ? <FormattedNumber value={license.users}/> : unknown],
            ]}
        />
    );
}
