
import {readinessMessages} from './messages';
import {ReadinessTab} from './readiness_tab';

import type {CockpitTab} from '../cockpit/types';

export const readinessTab: CockpitTab = {
    id: 'readiness',
    title: readinessMessages.tab,
    Panel: ReadinessTab,
};
