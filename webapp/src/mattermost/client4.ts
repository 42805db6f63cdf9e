// The plugin bundles its own mattermost-redux (it is not a host global), so the Client4 behind the
// thunks we dispatch into the host's store is ours, not the host's: it must be pointed at the site
// once, when the plugin receives that store. Everything that talks to Mattermost's REST API imports
// Client4 from here, so that one place is the only one that configures it.
import {Client4} from 'mattermost-redux/client';

import {siteURLFrom, siteURLPath} from '../client';

export {Client4};

/** Points the bundle's Client4 at the site URL of the host's config (relative, as the web app's own). */
export function pointClient4AtSite(state: unknown): void {
    Client4.setUrl(siteURLPath(siteURLFrom(state)));
}
