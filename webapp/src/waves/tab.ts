import type {CockpitTab} from '../cockpit/types';

import {wavesMessages} from './messages';
import {WavesTab} from './waves_tab';

export const wavesTab: CockpitTab = {
    id: 'waves',
    title: wavesMessages.tab,
    Panel: WavesTab,
};
