import type {CockpitTab} from '../cockpit/types';

import {templatesMessages} from './messages';
import {TemplatesTab} from './templates_tab';

export const templatesTab: CockpitTab = {
    id: 'templates',
    title: templatesMessages.tab,
    Panel: TemplatesTab,
};
