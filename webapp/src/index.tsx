// Bundle entry: Mattermost loads webapp/dist/main.js and this hands the plugin to the host.
import {manifest} from 'contract/manifest';

import {Plugin} from './plugin';

window.registerPlugin(manifest.id, new Plugin());
