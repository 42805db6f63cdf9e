
import {AdoptionTab} from './adoption_tab';
import {adoptionMessages} from './messages';

import type {CockpitTab} from '../cockpit/types';

export const adoptionTab: CockpitTab = {
    id: 'adoption',
    title: adoptionMessages.tab,
    Panel: AdoptionTab,
};
