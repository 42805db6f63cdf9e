// The BUILT bundle (webapp/dist/main.js), loaded the way Mattermost loads it, under each host profile
// (webapp/host_profiles/profiles.js; jest.config.js runs this file once per profile with `react`/`react-dom`
// mapped to the profile's copies, so the globals below are that release's libraries):
//   1. the host globals of webapp/channels/src/plugins/export.ts (React, ReactDOM, ReactIntl, Redux, ReactRedux,
//      PropTypes; Mattermost 12 also ReactJSXRuntime / ReactJSXDevRuntime);
//   2. window.registerPlugin, then the bundle's script evaluated as a <script> would be;
//   3. plugin.initialize(registry, store) with a recording registry and a store shaped like the web app's;
//   4. the registered custom setting rendered where the System Console renders it: inside
//      <form className='form-horizontal' onSubmit> with SchemaAdminSettings' props.
// Nothing may throw or be logged. A React runtime bundled into main.js (e.g. React 18's jsx-runtime pulled in by
// react-chartjs-2) fails step 2 under React 19. The bundle is not rebuilt here: `make test-js` builds it first;
// COCKPIT_WEBAPP_BUNDLE points the test at another build.
import fs from 'fs';
import path from 'path';

import {act, fireEvent, render, screen, within} from '@testing-library/react';
import React, {type ComponentType} from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';
import {combineReducers, legacy_createStore as createStore, type Reducer, type Store} from 'redux';

import {currentHostProfile} from './test/host_profile';

const profile = currentHostProfile();
// eslint-disable-next-line no-process-env -- a run may test another build of the bundle than webapp/dist.
const bundlePath = process.env.COCKPIT_WEBAPP_BUNDLE || path.resolve(__dirname, '..', 'dist', 'main.js');

function bundleSource(): string {
    if (!fs.existsSync(bundlePath)) {
        throw new Error(`${bundlePath} is missing: run \`make webapp\` first (\`make test-js\` builds it before jest)`);
    }
    return fs.readFileSync(bundlePath, 'utf8');
}

type AnyWindow = Window & Record<string, unknown>;
const win = window as unknown as AnyWindow;
const hostGlobals = [
    'React',
    'ReactDOM',
    'ReactIntl',
    'Redux',
    'ReactRedux',
    'PropTypes',
    'ReactJSXRuntime',
    'ReactJSXDevRuntime',
    'registerPlugin',
    'plugins',
];

/** export.ts: `window.X = require('x')` for the libraries a plugin uses as webpack externals. */
function installHostGlobals() {
    win.React = require('react');
    win.ReactDOM = require('react-dom');
    win.ReactIntl = require('react-intl');
    win.Redux = require('redux');
    win.ReactRedux = require('react-redux');
    try {
        win.PropTypes = require('prop-types');
    } catch {
        // Not installed here; the bundle does not import prop-types (a bundle that did would fail below).
    }
    if (profile.jsxRuntimeGlobals) {
        // Mattermost 12 (mattermost/mattermost PR 38489).
        win.ReactJSXRuntime = require('react/jsx-runtime');
        win.ReactJSXDevRuntime = require('react/jsx-dev-runtime');
    }
}

interface Registered {
    id: string;
    plugin: {initialize: (registry: unknown, store: Store) => unknown};
}

/** plugins/index.ts: registerPlugin only stores the plugin; the host initializes it once the script has loaded. */
function loadBundle(): Registered {
    const registered: Registered[] = [];
    win.plugins = {};
    win.registerPlugin = (id: string, plugin: Registered['plugin']) => {
        registered.push({id, plugin});
        (win.plugins as Record<string, unknown>)[id] = plugin;
    };
    const source = bundleSource();
    try {
        // Indirect eval: the bundle runs in the (jsdom) window's global scope, as a <script> does.
        // eslint-disable-next-line no-eval -- the test runs the built bundle as the page's <script> would.
        (0, eval)(`${source}\n//# sourceURL=${bundlePath}`);
    } catch (err) {
        // The bundle's frames are left out of the thrown error: jest would print the (minified) line they point to.
        const e = err as Error;
        const where = String(e?.stack ?? '').split('\n').find((l) => l.includes(path.basename(bundlePath)))?.trim().replace(/^at /, '');
        throw new Error(`evaluating ${bundlePath} with the ${profile.id} host globals (${profile.releases}) threw ` +
            `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${where ? ` (in ${where})` : ''}`);
    }
    expect(registered).toHaveLength(1);
    return registered[0];
}

/** A registry that records every call, for any method name the real PluginRegistry has. */
function recordingRegistry(
    onReducer: (reducer: Reducer) => void,
    onTranslations: (getter: (locale: string) => Record<string, string>) => void,
) {
    const calls: Array<{method: string; args: unknown[]}> = [];
    const registry = new Proxy(
        {},
        {
            get(_target, method) {
                if (typeof method !== 'string' || method === 'then') {
                    return undefined;
                }
                return (...args: unknown[]) => {
                    calls.push({method, args});
                    if (method === 'registerReducer') {
                        onReducer(args[0] as Reducer);
                    }
                    if (method === 'registerTranslations') {
                        onTranslations(args[0] as (locale: string) => Record<string, string>);
                    }
                    return `${method}-${calls.length}`;
                };
            },
        },
    );
    return {registry, calls};
}

/** The web app's store, reduced to what a plugin may read: entities.general/users/teams; plugin reducers at `plugins-<id>`. */
function hostStore() {
    const entities = {
        general: {
            config: {SiteURL: 'http://localhost:8065', Version: '12.0.0', BuildNumber: '12.0.0', DefaultClientLocale: 'en'},
            license: {IsLicensed: 'true', SkuShortName: 'enterprise'},
        },
        users: {currentUserId: 'sysadmin00000000000000000a', profiles: {}},
        teams: {currentTeamId: '', teams: {}, myMembers: {}},
    };
    const base: Record<string, Reducer> = {entities: (state = entities) => state};
    const store = createStore(combineReducers(base));
    return {
        store,
        addPluginReducer: (pluginId: string, reducer: Reducer) =>
            store.replaceReducer(combineReducers({...base, [`plugins-${pluginId}`]: reducer})),
    };
}

/** The server is not there: every request answers 404 with a JSON body, at once. */
function stubServer() {
    const fetchStub = jest.fn(async () => ({
        ok: false,
        status: 404,
        statusText: 'Not Found',
        url: '',
        headers: {
            get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null),
            has: () => false,
            forEach: () => undefined,
        },
        json: async () => ({}),
        text: async () => '{}',
        clone() {
            return this;
        },
    }));
    global.fetch = fetchStub as unknown as typeof fetch;
    return fetchStub;
}

/** Everything logged, and every error the window reports (React 19 reports uncaught render errors there). */
function watchConsole() {
    const logged: string[] = [];
    const record = (level: string) => (...args: unknown[]) => {
        logged.push(`console.${level}: ${args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ')}`);
    };
    jest.spyOn(console, 'error').mockImplementation(record('error'));
    jest.spyOn(console, 'warn').mockImplementation(record('warn'));
    const onError = (e: ErrorEvent) => logged.push(`window error: ${e.error?.stack ?? e.message}`);
    window.addEventListener('error', onError);
    return {
        logged,
        stop: () => {
            window.removeEventListener('error', onError);
            jest.restoreAllMocks();
        },
    };
}

/** schema_admin_settings.tsx buildCustomSetting's props for the plugin's `Cockpit` setting. */
function systemConsoleProps(disabled: boolean) {
    return {
        id: 'PluginSettings.Plugins.onboarding-cockpit.cockpit',
        label: 'Onboarding Cockpit',
        helpText: <span className='help-text'>{'Plan, verify and run your Mattermost roll-out.'}</span>,
        value: undefined,
        disabled,
        config: {PluginSettings: {Plugins: {}}},
        license: {IsLicensed: 'true'},
        setByEnv: false,
        onChange: jest.fn(),
        registerSaveAction: jest.fn(),
        unRegisterSaveAction: jest.fn(),
        setSaveNeeded: jest.fn(),
        cancelSubmit: jest.fn(),
        showConfirm: false,
    };
}

afterEach(() => {
    for (const name of hostGlobals) {
        delete win[name];
    }
});

describe(`the built bundle under the ${profile.id} host (${profile.releases})`, () => {
    it('carries no React runtime of its own', () => {
        // React's own element/internals markers: present when react, react-dom or react/jsx-runtime is bundled.
        const source = bundleSource();
        for (const marker of [
            '__SECRET_INTERNALS_DO_NOT_USE',
            '__CLIENT_INTERNALS_DO_NOT_USE',
            'ReactCurrentOwner',
            'react.transitional.element',
        ]) {
            expect({marker, bundled: source.includes(marker)}).toEqual({marker, bundled: false});
        }
    });

    it.each([
        ['a system admin', false],
        ['a read-only admin (disabled)', true],
    ])('loads, initializes and renders the System Console setting for %s with nothing thrown or logged', async (_who, disabled) => {
        const watch = watchConsole();
        try {
            const fetchStub = stubServer();
            installHostGlobals();
            const {store, addPluginReducer} = hostStore();
            let pluginId = '';
            let messages: Record<string, string> = {};

            const {id, plugin} = loadBundle();
            pluginId = id;
            expect(pluginId).toBe('onboarding-cockpit');
            const {registry, calls} = recordingRegistry(
                (reducer) => addPluginReducer(pluginId, reducer),
                (getter) => {
                    messages = getter('en');
                },
            );
            await act(async () => {
                await plugin.initialize(registry, store);
            });

            const setting = calls.find((c) => c.method === 'registerAdminConsoleCustomSetting');
            expect(setting?.args[0]).toBe('Cockpit');
            expect(setting?.args[2]).toEqual({showTitle: false});
            expect(Object.keys(store.getState())).toContain(`plugins-${pluginId}`);
            const Setting = setting!.args[1] as ComponentType<ReturnType<typeof systemConsoleProps>>;

            const onSubmit = jest.fn((e: React.FormEvent) => e.preventDefault());
            const view = render(
                <Provider store={store}>
                    <IntlProvider
                        locale='en'
                        messages={messages}
                    >
                        <div className='admin-console__wrapper'>
                            <div className='admin-console__content'>
                                <form
                                    className='form-horizontal'
                                    role='form'
                                    onSubmit={onSubmit}
                                >
                                    <Setting {...systemConsoleProps(disabled)}/>
                                </form>
                            </div>
                        </div>
                    </IntlProvider>
                </Provider>,
            );
            const tablist = await screen.findByRole('tablist');
            expect(within(tablist).getAllByRole('tab').length).toBeGreaterThanOrEqual(5);

            // Let the (404) answers arrive and the cockpit settle on them.
            await act(async () => {
                await new Promise((resolve) => setTimeout(resolve, 100));
            });
            expect(fetchStub).toHaveBeenCalled();

            // Every tab mounts under the host's React. (With the server answering 404 the tabs show their error
            // notices, not their forms: the nested-form behaviour needs data and is covered by the source tests.)
            const settle = () => act(async () => {
                await new Promise((resolve) => setTimeout(resolve, 30));
            });
            const tabNames = within(tablist).getAllByRole('tab').map((t) => t.textContent);
            for (const name of tabNames) {
                const tab = within(screen.getByRole('tablist')).getAllByRole('tab').find((t) => t.textContent === name)!;
                fireEvent.click(tab);
                await settle();
                expect({tab: name, selected: tab.getAttribute('aria-selected')}).toEqual({tab: name, selected: 'true'});
                expect(screen.getByRole('tabpanel')).toBeInTheDocument();
            }
            view.unmount();
            expect(onSubmit).not.toHaveBeenCalled();
            expect(watch.logged).toEqual([]);
        } finally {
            watch.stop();
        }
    });
});
