import type {CockpitTab} from '../cockpit/types';

import {planMessages} from './messages';
import {PlanTab} from './plan_tab';

export const planTab: CockpitTab = {
    id: 'plan',
    title: planMessages.tab,
    Panel: PlanTab,
};
