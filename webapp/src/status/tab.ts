import type {CockpitTab} from '../cockpit/types';

import {statusMessages} from './messages';
import {Overview} from './overview';

export const overviewTab: CockpitTab = {
    id: 'overview',
    title: statusMessages.tab,
    Panel: Overview,
};
