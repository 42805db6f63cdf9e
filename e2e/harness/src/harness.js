// A stand-in for the Mattermost webapp's plugin host, served same-origin with a real server.
// It signs in with a real session (cookies MMAUTHTOKEN + MMCSRF), exports the host globals the
// plugin's webpack externals expect (built once per host library profile, webpack.config.js),
// implements the registry calls the cockpit uses, loads the plugin's REAL webapp bundle from the
// server and renders what the plugin registered in the contexts the real web app renders them in
// (console.js: the System Console; channels.js: the normal UI). Each imitation names the
// mattermost/mattermost file it was read from (see /e2e/README.md, "What the harness imitates").
import React from 'react';
import * as JSXDevRuntime from 'react/jsx-dev-runtime';
import * as JSXRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import * as ReactIntl from 'react-intl';
import * as ReactRedux from 'react-redux';
// eslint-disable-next-line no-restricted-imports -- the whole module is what the web app hands plugins (window.Redux).
import * as Redux from 'redux';
import {BATCH} from 'redux-batched-actions';

import channelsReducer from 'mattermost-redux/reducers/entities/channels';
import groupsReducer from 'mattermost-redux/reducers/entities/groups';
import teamsReducer from 'mattermost-redux/reducers/entities/teams';
import usersReducer from 'mattermost-redux/reducers/entities/users';

import {ChannelsView, browserHistory, channelsRegistry, channelsRegistryMethods, loadChannelsEntities, viewsReducer} from './channels.js';
import {ConsolePage, ConsoleCustomSetting, SiteStatistics, consoleDefinition, consoleAccessOf} from './console.js';
import {formatText, messageHtmlToComponent} from './post_utils.js';

/* global __HOST_PROFILE__ */
const profile = __HOST_PROFILE__;

// --- host globals (webapp/channels/src/plugins/export.ts) -----------------------------------------
// prop-types is not installed in the repository: a no-op stand-in with the same shape (the plugin's
// bundle imports nothing of it).
function makePropTypes() {
    const validator = () => null;
    validator.isRequired = () => null;
    const factory = () => validator;
    const names = ['any', 'array', 'bool', 'func', 'number', 'object', 'string', 'symbol', 'node', 'element', 'elementType'];
    const pt = {checkPropTypes: () => undefined, resetWarningCache: () => undefined};
    names.forEach((n) => {
        pt[n] = validator;
    });
    ['arrayOf', 'instanceOf', 'objectOf', 'oneOf', 'oneOfType', 'shape', 'exact'].forEach((n) => {
        pt[n] = factory;
    });
    pt.PropTypes = pt;
    return pt;
}

window.React = React;
window.ReactDOM = {...ReactDOM, createRoot};
window.Redux = Redux;
window.ReactRedux = ReactRedux;
window.ReactIntl = ReactIntl;
window.PropTypes = makePropTypes();
if (profile.jsxRuntimeGlobals) {
    // Mattermost 12 (export.ts since mattermost/mattermost PR 38489): the host's own JSX runtimes, so a
    // plugin built with externals react/jsx-runtime → ReactJSXRuntime uses the host's React.
    window.ReactJSXRuntime = JSXRuntime;
    window.ReactJSXDevRuntime = JSXDevRuntime;
}

// A stand-in for the webapp's post renderer (post_utils.js): the cockpit's welcome preview uses it.
window.PostUtils = {formatText, messageHtmlToComponent};

// export.ts: `WebappUtils = {…, get browserHistory() { return getHistory(); }}` (utils/browser_history.tsx).
window.WebappUtils = {
    get browserHistory() {
        return browserHistory;
    },
};

// window.StyledComponents is deliberately left undefined: the newest export.ts no longer sets it.

const stateEl = document.getElementById('harness-state');
const errorsEl = document.getElementById('harness-errors');
const harness = {
    errors: [],
    state: 'starting',
    registry: {},
    adminDefinition: null,
    profile: profile.id,
    reactVersion: React.version,
    consoleSubmits: 0,
};
window.__harness = harness;
document.getElementById('harness-profile').textContent = `${profile.id} · React ${React.version}`;

function setState(s) {
    harness.state = s;
    stateEl.textContent = s;
}
function reportError(msg) {
    harness.errors.push(String(msg));
    errorsEl.textContent = harness.errors.join('\n');
}
harness.reportError = reportError;
window.addEventListener('error', (e) => reportError(e.message || e.error));
window.addEventListener('unhandledrejection', (e) =>
    reportError('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason)),
);

// --- talking to the server like the webapp (Client4.getOptions) -------------------------------------
function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)MMCSRF=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
}
async function api(method, path, body) {
    const headers = {'X-Requested-With': 'XMLHttpRequest'};
    if (method !== 'GET') {
        headers['X-CSRF-Token'] = csrfToken();
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, {method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    return text ? JSON.parse(text) : null;
}

// --- the redux store: a host slice plus plugin reducers mounted at plugins-<id> ----------------------
// entities.users/teams/channels/groups run mattermost-redux's own reducers (reducers/entities), so the
// plugin's mattermost-redux thunks (getMissingProfilesByIds, getTeams, getChannel, getGroups, …) fill
// them and its selectors (getUser, getTeam, getChannel, getGroup) read them, as in the web app.
const entityReducers = {users: usersReducer, teams: teamsReducer, channels: channelsReducer, groups: groupsReducer};
function hostReducer(state = {}, action) {
    let next = action.type === 'HARNESS_SET_ENTITIES' ? {...state, ...action.entities} : state;
    for (const [key, reduce] of Object.entries(entityReducers)) {
        const slice = reduce(next[key], action);
        if (slice !== next[key]) {
            next = next === state ? {...state} : next;
            next[key] = slice;
        }
    }
    return next;
}
const pluginReducers = {};
function rootReducer() {
    // store/configureStore of the web app: enableBatching (redux-batched-actions), which the thunks' batchActions need.
    const combined = Redux.combineReducers({entities: hostReducer, views: viewsReducer, ...pluginReducers});
    const batched = (state, action) => (action.type === BATCH ? action.payload.reduce(batched, state) : combined(state, action));
    return batched;
}

// The webapp's store runs redux-thunk with mattermost-redux's extra argument `{loaders}` (its DataLoaders,
// e.g. getMissingProfilesByIds'): plugins dispatch functions (showRHSPlugin, mattermost-redux thunks).
const thunkExtra = {loaders: {}};
const thunk =
    ({dispatch, getState}) =>
        (next) =>
            (action) =>
                (typeof action === 'function' ? action(dispatch, getState, thunkExtra) : next(action));
const store = Redux.legacy_createStore(rootReducer(), Redux.applyMiddleware(thunk));

// --- the registry (webapp/channels/src/plugins/registry.ts) -----------------------------------------
const adminConsoleCustomSettings = {};
const adminConsoleReducers = [];
const translations = [];

// state.plugins.siteStatsHandlers[pluginId] (RECEIVED_PLUGIN_STATS_HANDLER: one handler per plugin).
const siteStatsHandlers = {};
harness.mainMenuActions = channelsRegistry.mainMenu;

function makeRegistry(pluginId) {
    const registry = {
        // actions/admin_actions + reducers/plugins adminConsoleCustomComponents: keyed key.toLowerCase().
        registerAdminConsoleCustomSetting(key, component, options = {}) {
            adminConsoleCustomSettings[key.toLowerCase()] = {pluginId, key, component, options};
        },
        registerAdminConsolePlugin(func) {
            adminConsoleReducers.push({pluginId, func});
        },
        registerReducer(reducer) {
            pluginReducers['plugins-' + pluginId] = reducer;
            store.replaceReducer(rootReducer());
        },
        registerTranslations(getTranslationsForLocale) {
            translations.push(getTranslationsForLocale);
        },
        registerSiteStatisticsHandler(handler) {
            siteStatsHandlers[pluginId] = handler;
        },

        // The normal UI's calls (root components, RHS, channel header, app bar, slash-command hooks,
        // NeedsTeam routes, main menu, unregisterComponent): channels.js.
        ...channelsRegistryMethods(pluginId),
    };
    harness.registry[pluginId] = registry;
    return registry;
}

const initialized = {};
window.registerPlugin = (id, plugin) => {
    plugin.initialize(makeRegistry(id), store);
    initialized[id] = plugin;
};

function loadScript(src) {
    return new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = resolve;
        s.onerror = () => reject(new Error('failed to load ' + src));
        document.head.appendChild(s);
    });
}

// --- the user's language -----------------------------------------------------------------------------
// The locales the web app offers (i18n/i18n.ts `languages`), narrowed by the server's AvailableLocales
// (getLanguages, isLanguageAvailable).
const webappLocales = [
    'de', 'en', 'en-AU', 'es', 'fr', 'it', 'hu', 'nl', 'pl', 'pt-BR', 'ro',
    'sv', 'vi', 'tr', 'bg', 'ru', 'uk', 'fa', 'ko', 'zh-CN', 'zh-TW', 'ja',
];
function isLanguageAvailable(config, locale) {
    const available = config.AvailableLocales ? config.AvailableLocales.split(',') : webappLocales;
    return webappLocales.includes(locale) && available.includes(locale);
}

// selectors/i18n.ts getCurrentLocale: the signed-in user's `locale`, else the server's DefaultClientLocale
// (mattermost-redux getCurrentUserLocale), and English for a locale the web app does not offer.
function currentLocale(me, config) {
    const locale = (me && me.locale) || config.DefaultClientLocale || 'en';
    return isLanguageAvailable(config, locale) ? locale : 'en';
}

// actions/views/root.ts loadTranslations: the web app's own messages (none here), then every plugin's
// registerTranslations source called with that locale, merged in registration order.
function translationsFor(locale) {
    return Object.assign({}, ...translations.map((t) => t(locale) || {}));
}

const h = React.createElement;

// components/intl_provider/intl_provider.tsx: react-intl's provider keyed by the locale, with the merged messages.
function mount(element, locale, messages) {
    createRoot(document.getElementById('root')).render(
        h(ReactRedux.Provider, {store},
            h(ReactIntl.IntlProvider, {key: locale, locale, defaultLocale: 'en', messages}, element)),
    );
}

async function main() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const cfg = await fetch('/harness/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    const pluginId = fragment.get('plugin') || cfg.plugin_id || 'onboarding-cockpit';
    const username = fragment.get('user') || cfg.username;
    const password = fragment.get('password') || cfg.password;

    setState('signing in');
    await api('POST', '/api/v4/users/login', {login_id: username, password});

    // As the webapp after login (actions/views/login → loadMe): the user with its roles.
    const me = await api('GET', '/api/v4/users/me');
    const [config, license] = await Promise.all([
        api('GET', '/api/v4/config/client?format=old'),
        api('GET', '/api/v4/license/client?format=old'),
    ]);

    // The cockpit builds its URLs from SiteURL: it must be this page's origin (the server's SiteURL is set to it).
    if (config.SiteURL !== location.origin) {
        reportError(`server SiteURL ${config.SiteURL} is not this page's origin ${location.origin}; using the origin`);
        config.SiteURL = location.origin;
    }
    store.dispatch({type: 'HARNESS_SET_ENTITIES',
        entities: {
            general: {config, license},
            users: {currentUserId: me.id, profiles: {[me.id]: me}},
        }});

    setState('loading plugin');
    const manifests = await api('GET', '/api/v4/plugins/webapp');
    const manifest = manifests.find((m) => m.id === pluginId);
    if (!manifest || !manifest.webapp) {
        throw new Error(`plugin ${pluginId} has no webapp in GET /api/v4/plugins/webapp (is it enabled?)`);
    }

    // As the Mattermost webapp's loadPluginScript: older bundle paths lack /plugins/.
    let bundlePath = manifest.webapp.bundle_path;
    if (bundlePath.includes('/static/') && !bundlePath.includes('/static/plugins/')) {
        bundlePath = bundlePath.replace('/static/', '/static/plugins/');
    }
    harness.bundlePath = bundlePath;
    await loadScript(config.SiteURL + bundlePath);
    if (!initialized[pluginId]) {
        throw new Error(`the bundle ${bundlePath} did not call registerPlugin('${pluginId}', …)`);
    }

    // selectors/admin_console getAdminDefinition: every registerAdminConsolePlugin reducer, its return value used as is.
    const def = consoleDefinition(adminConsoleReducers);
    harness.adminDefinition = def;

    const locale = currentLocale(me, config);
    harness.locale = locale;
    const messages = translationsFor(locale);
    const mountHere = (element) => mount(element, locale, messages);
    const view = fragment.get('view') || (fragment.get('route') ? 'channels' : 'console');
    const access = await consoleAccessOf(api, me, pluginId);
    harness.consoleAccess = access;

    if (view === 'channels') {
        // The normal UI; #route=<route> starts on the team page /<team>/<plugin id>/<route>.
        const {team, channel} = await loadChannelsEntities(api, store, fragment.get('team'), fragment.get('channel'));
        setState('rendering');
        const route = fragment.get('route');
        mountHere(h(ChannelsView, {ReactRedux,
            store,
            api,
            team,
            channel,
            me,
            initialPath: route ? `/${team.name}/${pluginId}/${route.replace(/^\/+/, '')}` : null}));
        setState('ready');
        return;
    }
    if (view === 'console-page') {
        setState('rendering');
        mountHere(h(ConsolePage, {definition: def, config, license, access, subsection: fragment.get('subsection')}));
        setState('ready');
        return;
    }
    if (view === 'site-statistics') {
        setState('rendering');
        mountHere(h(SiteStatistics, {handlers: siteStatsHandlers}));
        setState('ready');
        return;
    }

    const entry = adminConsoleCustomSettings.cockpit;
    if (!entry) {
        throw new Error('no component registered with registerAdminConsoleCustomSetting("Cockpit", …)');
    }
    setState('rendering');
    mountHere(h(ConsoleCustomSetting, {entry, manifest, config, license, access, pluginId}));
    setState('ready');
}

main().catch((err) => {
    reportError(err && err.stack ? err.stack : err);
    setState('failed');
});
