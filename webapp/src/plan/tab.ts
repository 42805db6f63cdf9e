
import {planMessages} from './messages';
import {PlanTab} from './plan_tab';

import type {CockpitTab} from '../cockpit/types';

export const planTab: CockpitTab = {
    id: 'plan',
    title: planMessages.tab,
    Panel: PlanTab,
};
