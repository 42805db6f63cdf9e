
import {wavesMessages} from './messages';
import {WavesTab} from './waves_tab';

import type {CockpitTab} from '../cockpit/types';

export const wavesTab: CockpitTab = {
    id: 'waves',
    title: wavesMessages.tab,
    Panel: WavesTab,
};
