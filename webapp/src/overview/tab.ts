
import {statusMessages} from './messages';
import {Overview} from './overview';

import type {CockpitTab} from '../cockpit/types';

export const overviewTab: CockpitTab = {
    id: 'overview',
    title: statusMessages.tab,
    Panel: Overview,
};
