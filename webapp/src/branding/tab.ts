import type {CockpitTab} from '../cockpit/types';

import {BrandingTab} from './branding_tab';
import {brandingMessages} from './messages';

export const brandingTab: CockpitTab = {
    id: 'branding',
    title: brandingMessages.tab,
    Panel: BrandingTab,
};
