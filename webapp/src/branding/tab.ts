
import {BrandingTab} from './branding_tab';
import {brandingMessages} from './messages';

import type {CockpitTab} from '../cockpit/types';

export const brandingTab: CockpitTab = {
    id: 'branding',
    title: brandingMessages.tab,
    Panel: BrandingTab,
};
