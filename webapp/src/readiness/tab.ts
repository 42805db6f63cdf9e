import type {CockpitTab} from '../cockpit/types';

import {readinessMessages} from './messages';
import {ReadinessTab} from './readiness_tab';

export const readinessTab: CockpitTab = {
    id: 'readiness',
    title: readinessMessages.tab,
    Panel: ReadinessTab,
};
