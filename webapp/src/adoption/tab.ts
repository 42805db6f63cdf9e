import type {CockpitTab} from '../cockpit/types';

import {AdoptionTab} from './adoption_tab';
import {adoptionMessages} from './messages';

export const adoptionTab: CockpitTab = {
    id: 'adoption',
    title: adoptionMessages.tab,
    Panel: AdoptionTab,
};
