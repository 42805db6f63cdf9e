// A stand-in for the Mattermost webapp's plugin host, served same-origin with a real server.
// It signs in with a real session (cookies MMAUTHTOKEN + MMCSRF), exports the host globals the
// plugin's webpack externals expect, implements the registry calls the cockpit uses, loads the
// plugin's REAL webapp bundle from the server and renders the registered custom setting with the
// props the System Console passes (schema_admin_settings.tsx buildCustomSetting).
import React from 'react';
import * as ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import * as Redux from 'redux';
import * as ReactRedux from 'react-redux';
import * as ReactIntl from 'react-intl';

import {ChannelsView, channelsRegistryMethods, loadChannelsEntities, viewsReducer} from './channels.js';
import {formatText, messageHtmlToComponent} from './post_utils.js';

// --- host globals (webapp/channels/src/plugins/export.ts) -----------------------------------------
// prop-types is not installed in the repository: a no-op stand-in with the same shape.
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
// A stand-in for the webapp's post renderer (post_utils.js): the cockpit's welcome preview uses it.
window.PostUtils = {formatText, messageHtmlToComponent};
// window.StyledComponents is deliberately left undefined: styled-components is not installed here.

const stateEl = document.getElementById('harness-state');
const errorsEl = document.getElementById('harness-errors');
const harness = {errors: [], state: 'starting', registry: {}, adminDefinition: null};
window.__harness = harness;

function setState(s) {
    harness.state = s;
    stateEl.textContent = s;
}
function reportError(msg) {
    harness.errors.push(String(msg));
    errorsEl.textContent = harness.errors.join('\n');
}
window.addEventListener('error', (e) => reportError(e.message || e.error));
window.addEventListener('unhandledrejection', (e) => reportError('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason)));

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
function hostReducer(state = {}, action) {
    if (action.type === 'HARNESS_SET_ENTITIES') {
        return {...state, ...action.entities};
    }
    return state;
}
const pluginReducers = {};
function rootReducer() {
    return Redux.combineReducers({entities: hostReducer, views: viewsReducer, ...pluginReducers});
}
// The webapp's store runs redux-thunk: plugins dispatch functions (e.g. registerRightHandSidebarComponent's showRHSPlugin).
const thunk = ({dispatch, getState}) => (next) => (action) => (typeof action === 'function' ? action(dispatch, getState) : next(action));
const store = Redux.legacy_createStore(rootReducer(), Redux.applyMiddleware(thunk));

// --- the registry ---------------------------------------------------------------------------------
const adminConsoleCustomSettings = {};
const adminConsoleReducers = [];
const translations = [];
const needsTeamRoutes = {};
const mainMenuActions = [];
harness.mainMenuActions = mainMenuActions;

function makeRegistry(pluginId) {
    const registry = {
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
        // The normal UI's calls (root components, RHS, channel header, app bar, slash-command hooks): channels.js.
        ...channelsRegistryMethods(pluginId),
        // Pages at /<team>/<plugin id>/<route>, rendered by #route=<route> below.
        registerNeedsTeamRoute(route, component) {
            needsTeamRoutes[route.replace(/^\/+/, '')] = {pluginId, component};
        },
        registerMainMenuAction(text, action) {
            mainMenuActions.push({pluginId, text, action});
            return 'main-menu-' + mainMenuActions.length;
        },
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

// --- the page --------------------------------------------------------------------------------------
function CustomSetting({entry, config, license, pluginId}) {
    const [value, setValue] = React.useState('');
    const saveActions = React.useRef([]);
    const id = `PluginSettings.Plugins.${pluginId}.${entry.key.toLowerCase()}`;
    const props = {
        id,
        label: 'Onboarding Cockpit',
        helpText: 'Plan, verify and run your Mattermost roll-out.',
        value,
        disabled: false,
        config,
        license,
        setByEnv: false,
        onChange: (_id, v) => setValue(v),
        registerSaveAction: (fn) => saveActions.current.push(fn),
        unRegisterSaveAction: (fn) => {
            saveActions.current = saveActions.current.filter((f) => f !== fn);
        },
        setSaveNeeded: () => undefined,
        cancelSubmit: () => undefined,
        showConfirm: false,
    };
    const C = entry.component;
    return React.createElement('div', {className: 'form-group', 'data-testid': 'custom-setting'},
        entry.options.showTitle === false ? null : React.createElement('label', {className: 'control-label'}, props.label),
        React.createElement(C, props));
}

async function main() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const cfg = await fetch('/harness/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    const pluginId = fragment.get('plugin') || cfg.plugin_id || 'onboarding-cockpit';
    const username = fragment.get('user') || cfg.username;
    const password = fragment.get('password') || cfg.password;

    setState('signing in');
    const me = await api('POST', '/api/v4/users/login', {login_id: username, password});
    const [config, license] = await Promise.all([
        api('GET', '/api/v4/config/client?format=old'),
        api('GET', '/api/v4/license/client?format=old'),
    ]);
    // The cockpit builds its URLs from SiteURL: it must be this page's origin (the server's SiteURL is set to it).
    if (config.SiteURL !== location.origin) {
        reportError(`server SiteURL ${config.SiteURL} is not this page's origin ${location.origin}; using the origin`);
        config.SiteURL = location.origin;
    }
    store.dispatch({type: 'HARNESS_SET_ENTITIES', entities: {
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

    // The System Console applies every registerAdminConsolePlugin reducer to its definition.
    let def = {plugins: {subsections: {}}};
    for (const r of adminConsoleReducers) {
        def = r.func(def) || def;
    }
    harness.adminDefinition = def;

    const messages = Object.assign({}, ...translations.map((t) => t('en') || {}));
    if (fragment.get('route')) {
        await renderNeedsTeamRoute(fragment.get('route'), fragment.get('team'), messages);
        return;
    }
    if (fragment.get('view') === 'channels') {
        await renderChannels(fragment.get('team'), messages);
        return;
    }

    const entry = adminConsoleCustomSettings.cockpit;
    if (!entry) {
        throw new Error('no component registered with registerAdminConsoleCustomSetting("Cockpit", …)');
    }
    setState('rendering');
    const root = createRoot(document.getElementById('root'));
    root.render(
        React.createElement(ReactRedux.Provider, {store},
            React.createElement(ReactIntl.IntlProvider, {locale: 'en', defaultLocale: 'en', messages},
                React.createElement('div', {className: 'admin-console__wrapper'},
                    React.createElement('div', {className: 'admin-console__content'},
                        React.createElement(CustomSetting, {entry, config, license, pluginId}))))),
    );
    setState('ready');
}

// #route=<route>[&team=<name>]: the page a plugin registered with registerNeedsTeamRoute, as the webapp
// renders it at /<team>/<plugin id>/<route>: inside the team's layout, the store holding the current team.
async function renderNeedsTeamRoute(route, teamName, messages) {
    const entry = needsTeamRoutes[route.replace(/^\/+/, '')];
    if (!entry) {
        throw new Error(`no component registered with registerNeedsTeamRoute('${route}', …)`);
    }
    const {team} = await loadChannelsEntities(api, store, teamName);
    document.getElementById('harness-location').textContent = `${team.display_name} › /${team.name}/${entry.pluginId}/${route.replace(/^\/+/, '')}`;
    setState('rendering');
    createRoot(document.getElementById('root')).render(
        React.createElement(ReactRedux.Provider, {store},
            React.createElement(ReactIntl.IntlProvider, {locale: 'en', defaultLocale: 'en', messages},
                React.createElement('div', {className: 'harness-team-page'}, React.createElement(entry.component, {})))),
    );
    setState('ready');
}

// #view=channels[&team=<name>]: the normal UI (a channel of the user's team) instead of the System Console.
async function renderChannels(teamName, messages) {
    const {team, channel} = await loadChannelsEntities(api, store, teamName);
    document.getElementById('harness-location').textContent = `Channels › ${team.display_name} › ${channel.display_name}`;
    const theme = {centerChannelBg: '#ffffff', centerChannelColor: '#3f4350', buttonBg: '#1c58d9', buttonColor: '#ffffff', linkColor: '#386fe5', errorTextColor: '#d24b4e'};
    setState('rendering');
    createRoot(document.getElementById('root')).render(
        React.createElement(ReactRedux.Provider, {store},
            React.createElement(ReactIntl.IntlProvider, {locale: 'en', defaultLocale: 'en', messages},
                React.createElement(ChannelsView, {ReactRedux, store, api, team, channel, theme,
                    // goto_location `/<team>/<plugin id>/<route>` → the page registered for it (registerNeedsTeamRoute).
                    needsTeamRoute: (pluginId, route) => (needsTeamRoutes[route] && needsTeamRoutes[route].pluginId === pluginId ? needsTeamRoutes[route] : null)}))),
    );
    setState('ready');
}

main().catch((err) => {
    reportError(err && err.stack ? err.stack : err);
    setState('failed');
});
