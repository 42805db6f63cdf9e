import {defineMessages} from 'react-intl';

export const cockpitMessages = defineMessages({
    title: {id: 'cockpit.title', defaultMessage: 'Onboarding Cockpit'},
    tabsLabel: {id: 'cockpit.tabs.label', defaultMessage: 'Cockpit sections'},
    sidebarTitle: {id: 'cockpit.admin.sidebarTitle', defaultMessage: 'Onboarding Cockpit'},
});
