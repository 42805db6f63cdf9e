import {defineMessages} from 'react-intl';

export const statusMessages = defineMessages({
    tab: {id: 'cockpit.status.tab', defaultMessage: 'Overview'},
    refresh: {id: 'cockpit.status.refresh', defaultMessage: 'Refresh'},
    loading: {id: 'cockpit.status.loading', defaultMessage: 'Loading status…'},
    updatedAt: {id: 'cockpit.status.updatedAt', defaultMessage: 'Updated {time}'},

    pluginTitle: {id: 'cockpit.status.plugin.title', defaultMessage: 'Plugin'},
    pluginSubtitle: {id: 'cockpit.status.plugin.subtitle', defaultMessage: 'Versions of the cockpit and of this Mattermost server.'},
    pluginVersion: {id: 'cockpit.status.pluginVersion', defaultMessage: 'Plugin version'},
    serverVersion: {id: 'cockpit.status.serverVersion', defaultMessage: 'Server version'},
    staleWebapp: {
        id: 'cockpit.status.staleWebapp',
        defaultMessage: 'This page runs version {webappVersion} of the cockpit. Reload the page to use version {serverVersion}.',
    },

    licenseTitle: {id: 'cockpit.status.license.title', defaultMessage: 'License'},
    licenseSubtitle: {
        id: 'cockpit.status.license.subtitle',
        defaultMessage: 'Some readiness checks and templates need a licensed feature.',
    },
    license: {id: 'cockpit.status.license', defaultMessage: 'License'},
    licensed: {id: 'cockpit.status.licensed', defaultMessage: 'Licensed'},
    unlicensed: {id: 'cockpit.status.unlicensed', defaultMessage: 'Unlicensed'},
    sku: {id: 'cockpit.status.sku', defaultMessage: 'Edition'},
    trial: {id: 'cockpit.status.trial', defaultMessage: 'Trial'},
    yes: {id: 'cockpit.status.yes', defaultMessage: 'Yes'},
    no: {id: 'cockpit.status.no', defaultMessage: 'No'},
    expires: {id: 'cockpit.status.expires', defaultMessage: 'Expires'},
    expired: {id: 'cockpit.status.expired', defaultMessage: '{date} (expired)'},
    seats: {id: 'cockpit.status.seats', defaultMessage: 'Seats'},
    unknown: {id: 'cockpit.status.unknown', defaultMessage: 'Unknown'},

    hostTitle: {id: 'cockpit.status.host.title', defaultMessage: 'Script engines'},
    hostSubtitle: {
        id: 'cockpit.status.host.subtitle',
        defaultMessage: 'The pool of JavaScript engines that runs the cockpit on the server.',
    },
    poolIdle: {id: 'cockpit.status.host.poolIdle', defaultMessage: 'Idle'},
    poolBusy: {id: 'cockpit.status.host.poolBusy', defaultMessage: 'Busy'},
    poolMax: {id: 'cockpit.status.host.poolMax', defaultMessage: 'Maximum'},
    vmsCreated: {id: 'cockpit.status.host.vmsCreated', defaultMessage: 'Engines created'},
    vmsDiscarded: {id: 'cockpit.status.host.vmsDiscarded', defaultMessage: 'Engines discarded'},
    callsServed: {id: 'cockpit.status.host.callsServed', defaultMessage: 'Calls served'},
    callsFailed: {id: 'cockpit.status.host.callsFailed', defaultMessage: 'Calls failed'},
});
