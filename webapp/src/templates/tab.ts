
import {templatesMessages} from './messages';
import {TemplatesTab} from './templates_tab';

import type {CockpitTab} from '../cockpit/types';

export const templatesTab: CockpitTab = {
    id: 'templates',
    title: templatesMessages.tab,
    Panel: TemplatesTab,
};
