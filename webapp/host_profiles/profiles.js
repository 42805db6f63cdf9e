// The host libraries each supported Mattermost release hands a plugin on `window`
// (mattermost/mattermost webapp/channels/src/plugins/export.ts; versions from webapp/channels/package.json).
// Declared once: the webapp's jest projects, the bundle-load test and the e2e harness build all read this
// list, so every test of the webapp runs under every library set a supported release ships.
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const react19 = path.join(__dirname, 'react19', 'node_modules');

/**
 * @typedef {object} HostProfile
 * @property {string} id            short name used in test names, file names and HARNESS_PROFILE
 * @property {string} releases      the Mattermost releases that ship this set
 * @property {Record<string, string>} modules  module name -> directory it resolves to (React and ReactDOM differ;
 *                                  redux 5.0.1, react-redux 9.2.0 and react-intl come from the root install in both)
 * @property {boolean} jsxRuntimeGlobals  whether the host publishes window.ReactJSXRuntime / ReactJSXDevRuntime
 *                                  (Mattermost 12 does; 11.x does not)
 */

/** @type {HostProfile[]} */
const hostProfiles = [
    {
        id: 'mm11',
        releases: 'Mattermost 11.x, the 11.7 ESR: React 18.2.0, redux 5.0.1, react-redux 9.2.0',
        modules: {
            react: path.join(root, 'node_modules', 'react'),
            'react-dom': path.join(root, 'node_modules', 'react-dom'),
        },
        jsxRuntimeGlobals: false,
    },
    {
        id: 'mm12',
        releases: 'Mattermost 12.x: React 19.2, redux 5.0.1, react-redux 9.2.0, ReactJSXRuntime published',
        modules: {
            react: path.join(react19, 'react'),
            'react-dom': path.join(react19, 'react-dom'),
        },
        jsxRuntimeGlobals: true,
    },
];

module.exports = {hostProfiles};
