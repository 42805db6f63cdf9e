import {screen} from '@testing-library/react';
import React, {type ComponentType} from 'react';

import {manifest} from 'contract/manifest';
import {ReviewPanel} from 'contract/templates';

import {addCockpitPage, subsectionKey} from './cockpit/admin_console';
import de from './i18n/de.json';
import {cockpitSettingKey, Plugin} from './plugin';
import {pluginStateKey} from './reducer';
import {ReviewPage} from './review/review_panel';
import {makeStore, mockFetch, renderInConsole, statusFixture} from './test/helpers';
import type {AdminConsolePluginReducer, CustomSettingProps, PluginRegistry} from './types/mattermost';

type FakeRegistry = {[K in keyof PluginRegistry]-?: jest.Mock};

function fakeRegistry(overrides: Partial<FakeRegistry> = {}): FakeRegistry {
    return {
        registerAdminConsoleCustomSetting: jest.fn(),
        registerAdminConsolePlugin: jest.fn(),
        registerReducer: jest.fn(),
        registerTranslations: jest.fn(),
        registerSiteStatisticsHandler: jest.fn(),
        registerNeedsTeamRoute: jest.fn(),
        registerMainMenuAction: jest.fn(),
        ...overrides,
    };
}

/** The props the System Console passes to a custom setting (reference/mattermost-platform.md §1). */
function customSettingProps(): CustomSettingProps {
    return {
        id: `PluginSettings.Plugins.${manifest.id}.cockpit`,
        label: 'Onboarding Cockpit',
        helpText: 'Plan, verify and run your Mattermost roll-out.',
        value: undefined,
        disabled: false,
        config: {},
        license: {IsLicensed: 'false'},
        setByEnv: false,
        onChange: jest.fn(),
        registerSaveAction: jest.fn(),
        unRegisterSaveAction: jest.fn(),
        setSaveNeeded: jest.fn(),
        cancelSubmit: jest.fn(),
        showConfirm: false,
    };
}

/** A definition shaped like Mattermost's admin_definition (only what matters here). */
function adminDefinition() {
    return {
        about: {subsections: {license: {url: 'about/license'}}},
        plugins: {
            sectionTitle: 'Plugins',
            subsections: {plugin_management: {url: 'plugins/plugin_management'}},
        },
    };
}

describe('Plugin.initialize', () => {
    it('registers the cockpit as the "Cockpit" custom setting without a title, plus reducer and translations', () => {
        const registry = fakeRegistry();
        new Plugin().initialize(registry, makeStore());

        expect(cockpitSettingKey).toBe('Cockpit');
        expect(registry.registerAdminConsoleCustomSetting).toHaveBeenCalledTimes(1);
        expect(registry.registerAdminConsoleCustomSetting).toHaveBeenCalledWith('Cockpit', expect.any(Function), {showTitle: false});
        expect(registry.registerReducer).toHaveBeenCalledTimes(1);
        const reducer = registry.registerReducer.mock.calls[0][0];
        expect(reducer(undefined, {type: '@@init'})).toEqual({
            status: expect.objectContaining({data: null, loading: false}),
            plan: expect.objectContaining({data: null, loading: false}),
            readiness: expect.objectContaining({data: null, loading: false}),
        });

        const getter = registry.registerTranslations.mock.calls[0][0] as (locale: string) => Record<string, string>;
        expect(getter('en')['cockpit.status.serverVersion']).toBe('Server version');
        expect(getter('de')['cockpit.status.serverVersion']).toBe(de['cockpit.status.serverVersion']);
        expect(getter('de')['cockpit.status.serverVersion']).not.toBe('Server version');

        // A locale the plugin has no catalogue for reads English, as the web app itself falls back to English.
        expect(getter('sv')['cockpit.status.serverVersion']).toBe('Server version');
    });

    it('renders the registered custom setting with the console props and live data', async () => {
        const registry = fakeRegistry();
        new Plugin().initialize(registry, makeStore());
        const Setting = registry.registerAdminConsoleCustomSetting.mock.calls[0][1] as ComponentType<CustomSettingProps>;
        mockFetch({body: statusFixture()});

        renderInConsole(<Setting {...customSettingProps()}/>);

        expect(screen.getByRole('tab', {name: 'Overview'})).toHaveAttribute('aria-selected', 'true');
        expect(await screen.findByRole('region', {name: 'Script engines'})).toBeInTheDocument();

        // Inside the plugin settings page the console draws the page header itself.
        expect(document.querySelector('.admin-console__header')).toBeNull();
    });

    it('adds a Plugins subsection that renders the cockpit as a console page', async () => {
        const registry = fakeRegistry();
        new Plugin().initialize(registry, makeStore());
        const reduce = registry.registerAdminConsolePlugin.mock.calls[0][0] as AdminConsolePluginReducer;
        const def = adminDefinition();

        const result = reduce(def) as ReturnType<typeof adminDefinition> & {plugins: {subsections: Record<string, any>}};

        const sub = result.plugins.subsections[subsectionKey];
        expect(subsectionKey).toBe('onboarding_cockpit');
        expect(sub.url).toBe('plugins/onboarding_cockpit');
        expect(sub.title).toEqual({id: 'cockpit.admin.sidebarTitle', defaultMessage: 'Onboarding Cockpit'});
        expect(result.plugins.subsections.plugin_management).toBe(def.plugins.subsections.plugin_management);
        expect(result.about).toBe(def.about);
        expect(def.plugins.subsections).not.toHaveProperty(subsectionKey); // the input is not mutated

        mockFetch({body: statusFixture()});
        const Page = sub.schema.component as ComponentType;
        renderInConsole(<Page/>);
        expect(screen.getByText('Onboarding Cockpit', {selector: '.admin-console__header'})).toBeInTheDocument();
        expect(document.querySelector('.wrapper--fixed .admin-console__wrapper .admin-console__content [role="tablist"]')).not.toBeNull();
        expect(await screen.findByRole('region', {name: 'Plugin'})).toBeInTheDocument();
    });

    it('works when registerAdminConsolePlugin and the optional registrations are absent', () => {
        const registry = {registerAdminConsoleCustomSetting: jest.fn()};
        expect(() => new Plugin().initialize(registry, makeStore())).not.toThrow();
        expect(registry.registerAdminConsoleCustomSetting).toHaveBeenCalledWith('Cockpit', expect.any(Function), {showTitle: false});
    });

    it('survives registerAdminConsolePlugin throwing', () => {
        const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
        const registry = fakeRegistry({
            registerAdminConsolePlugin: jest.fn(() => {
                throw new Error('changed API');
            }),
        });
        expect(() => new Plugin().initialize(registry, makeStore())).not.toThrow();
        expect(registry.registerAdminConsoleCustomSetting).toHaveBeenCalledTimes(1);
        expect(warn).toHaveBeenCalledTimes(1);
        warn.mockRestore();
    });

    it('mounts the reducer at plugins-<id>', () => {
        expect(pluginStateKey).toBe(`plugins-${manifest.id}`);
    });
});

describe('role template review page', () => {
    it('is the team page the slash command and the DM link lead to (contract ReviewPanel)', () => {
        const registry = fakeRegistry();
        new Plugin().initialize(registry, makeStore());
        const review = registry.registerNeedsTeamRoute.mock.calls.find(([route]) => route === ReviewPanel.route);
        expect(review).toBeDefined();
        expect(review?.[1]).toBe(ReviewPage);
        expect(ReviewPanel.path('alpha', 'p1')).toBe(`/alpha/${manifest.id}/review?proposal=p1`);
    });
});

describe('addCockpitPage with an unexpected admin definition', () => {
    const Page = () => null;

    it.each([
        ['undefined', undefined],
        ['null', null],
        ['a string', 'definition'],
        ['an array', [{plugins: {}}]],
        ['no plugins section', {about: {subsections: {}}}],
        ['plugins not an object', {plugins: 5}],
        ['no subsections', {plugins: {sectionTitle: 'Plugins'}}],
        ['subsections an array', {plugins: {subsections: []}}],
        ['subsections null', {plugins: {subsections: null}}],
    ])('%s: returned unchanged, no throw', (_name, def) => {
        expect(addCockpitPage(def, Page)).toBe(def);
    });

    it('a definition whose getters throw: returned unchanged', () => {
        const def = {};
        Object.defineProperty(def, 'plugins', {
            enumerable: true,
            get() {
                throw new Error('boom');
            },
        });
        expect(addCockpitPage(def, Page)).toBe(def);
    });

    it('the registered reducer never throws either', () => {
        const registry = fakeRegistry();
        new Plugin().initialize(registry, makeStore());
        const reduce = registry.registerAdminConsolePlugin.mock.calls[0][0] as AdminConsolePluginReducer;
        const weird = {plugins: {subsections: 'x'}};
        expect(reduce(weird)).toBe(weird);
        expect(reduce(undefined)).toBeUndefined();
    });
});

describe('bundle entry', () => {
    it('hands a Plugin to window.registerPlugin under the manifest id', () => {
        const registerPlugin = jest.fn();
        window.registerPlugin = registerPlugin;
        jest.isolateModules(() => {
            require('./index');
        });
        expect(registerPlugin).toHaveBeenCalledTimes(1);
        expect(registerPlugin.mock.calls[0][0]).toBe('onboarding-cockpit');
        expect(typeof registerPlugin.mock.calls[0][1].initialize).toBe('function');
    });
});

describe('Site Statistics rows', () => {
    const adoption = {
        current: {
            day: '2026-02-10',
            taken_at: 1,
            numbers: {
                daily_active: 12,
                weekly_active: 30,
                monthly_active: 45,
                posts_last_day: 678,
                active_channels: 9,
                total_users: 60,
            },
        },
        cached: true,
        daily: [],
        targets_version: 0,
        progress: [],
    };

    it('registers a handler that answers PluginAnalyticsRow rows from GET /api/v1/adoption', async () => {
        const registry = fakeRegistry();
        const fetch = mockFetch({body: adoption});
        new Plugin().initialize(registry, makeStore());
        expect(registry.registerSiteStatisticsHandler).toHaveBeenCalledTimes(1);
        const handler = registry.registerSiteStatisticsHandler.mock.calls[0][0] as () => Promise<
        Record<string, {id: string; name: React.ReactNode; icon: string; value: number}>
        >;
        const rows = await handler();

        // The last call: initialize also asks whether to offer the status page's menu entry.
        expect(String(fetch.mock.calls[fetch.mock.calls.length - 1][0])).toContain(`/plugins/${manifest.id}/api/v1/adoption`);
        expect(Object.keys(rows)).toEqual(['adoption_dau', 'adoption_mau', 'adoption_posts']);
        expect(rows.adoption_mau).toMatchObject({id: 'adoption_mau', icon: 'fa-users', value: 45});
        expect(rows.adoption_posts.value).toBe(678);
        renderInConsole(<div>{rows.adoption_mau.name}</div>);
        expect(screen.getByText('Monthly active users (cockpit)')).toBeInTheDocument();
    });

    it('answers no rows (never rejects) when the viewer may not read adoption', async () => {
        const registry = fakeRegistry();
        mockFetch({status: 403, body: {error: {id: 'cockpit.forbidden', message: 'no'}}});
        new Plugin().initialize(registry, makeStore());
        const handler = registry.registerSiteStatisticsHandler.mock.calls[0][0] as () => Promise<unknown>;
        await expect(handler()).resolves.toEqual({});
    });

    it('is skipped on a server without the registry call', () => {
        const registry: Partial<FakeRegistry> = fakeRegistry();
        delete registry.registerSiteStatisticsHandler;
        expect(() => new Plugin().initialize(registry as FakeRegistry, makeStore())).not.toThrow();
    });
});
