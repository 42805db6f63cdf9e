// The System Console contexts a plugin's console registrations are rendered in, imitated from
// mattermost/mattermost webapp/channels/src (files named at each piece; e2e/README.md lists the
// commit of each file that was read):
//  - ConsoleCustomSetting: a registerAdminConsoleCustomSetting component on the plugin's settings page
//    (components/admin_console/schema_admin_settings.tsx render() + buildCustomSetting,
//    custom_plugin_settings/index.ts for `disabled`);
//  - ConsolePage: a registerAdminConsolePlugin subsection (selectors/admin_console getAdminDefinition,
//    admin_console/admin_console.tsx renderRoutes, admin_sidebar/admin_sidebar.tsx renderRootMenu,
//    schema_admin_settings.tsx for a schema with a `component`);
//  - SiteStatistics: registerSiteStatisticsHandler rows (analytics/system_analytics/system_analytics.tsx
//    fetchPluginStats + StatisticCount).
import React from 'react';
import {FormattedMessage} from 'react-intl';

const h = React.createElement;

/** A MessageDescriptor or a string, as admin_sidebar.tsx renders titles (`<FormattedMessage {...title}/>`). */
function text(descriptorOrString) {
    if (descriptorOrString === undefined || descriptorOrString === null || typeof descriptorOrString === 'string') {
        return descriptorOrString ?? '';
    }
    if (React.isValidElement(descriptorOrString)) {
        return descriptorOrString;
    }
    return h(FormattedMessage, descriptorOrString);
}

/**
 * What the console knows of the signed-in user, as it decides `disabled`: custom_plugin_settings/index.ts
 * `isDisabled: it.any(it.stateIsFalse(pluginEnabledConfigKey), it.not(it.userHasWritePermissionOnResource('plugins')))`,
 * where userHasWritePermissionOnResource('plugins') is haveISystemPermission(sysconsole_write_plugins)
 * over the user's roles (GET /api/v4/users/me roles → POST /api/v4/roles/names). The admin config
 * (GET /api/v4/config, which read-only admins may read) gives the plugin's Enable state.
 */
export async function consoleAccessOf(api, me, pluginId) {
    const roleNames = String(me.roles || '').split(' ').filter(Boolean);
    const permissions = new Set();
    try {
        const roles = roleNames.length ? await api('POST', '/api/v4/roles/names', roleNames) : [];
        roles.forEach((r) => (r.permissions || []).forEach((p) => permissions.add(p)));
    } catch {
        // no roles readable: no permissions
    }
    const isSystemAdmin = roleNames.includes('system_admin');
    const canWritePlugins = isSystemAdmin || permissions.has('sysconsole_write_plugins');
    const canReadPlugins = isSystemAdmin || permissions.has('sysconsole_read_plugins') || canWritePlugins;
    let adminConfig = null;
    if (canReadPlugins) {
        adminConfig = await api('GET', '/api/v4/config').catch(() => null);
    }
    const enabled = adminConfig?.PluginSettings?.PluginStates?.[pluginId]?.Enable;
    return {
        roles: roleNames,
        isSystemAdmin,
        canReadPlugins,
        canWritePlugins,
        adminConfig,
        pluginEnabledInForm: enabled !== false,
        settingDisabled: enabled === false || !canWritePlugins,
    };
}

// --- the plugin's settings page (schema_admin_settings.tsx) -----------------------------------------

/** SchemaText: the help text as an element (the type says string; the console passes a node). */
function SchemaText({text: t}) {
    return h('span', {className: 'help-text-schema', 'data-testid': 'schema-text'}, t);
}

/**
 * schema_admin_settings.tsx render(): div.wrapper--fixed > AdminHeader > div.admin-console__wrapper >
 * div.admin-console__content > form.form-horizontal[role=form] onSubmit=handleSubmit > SettingsGroup >
 * the plugin's settings (Enable plugin, then each settings_schema entry: here the custom one), then
 * div.admin-console-save > SaveButton. The custom setting with showTitle:false is rendered bare
 * (buildCustomSetting), so the cockpit's own <form>s are nested INSIDE the console's form, as in
 * production. handleSubmit calls are counted in window.__harness.consoleSubmits (the real one would
 * save the plugin config, patchConfig, when anything else on the page was edited).
 */
export function ConsoleCustomSetting({entry, manifest, config, license, access, pluginId}) {
    const [values, setValues] = React.useState({});
    const [saveNeeded, setSaveNeededState] = React.useState(false);
    const saveActions = React.useRef([]);
    const key = `PluginSettings.Plugins.${pluginId}.${entry.key.toLowerCase()}`;
    const handleSubmit = (e) => {
        e.preventDefault();
        window.__harness.consoleSubmits += 1;
        window.__harness.consoleSubmitLog = [
            ...(window.__harness.consoleSubmitLog || []),
            {at: Date.now(), target: e.target?.getAttribute?.('aria-label') || e.target?.className || ''},
        ];
    };
    const props = {
        id: key,
        label: 'Onboarding Cockpit', // the setting's display_name in plugin.json
        helpText: h(SchemaText, {text: 'Plan, verify and run your Mattermost roll-out.'}), // help_text, as <SchemaText>
        value: values[key], // this.state[key]: undefined for a custom setting nobody changed
        disabled: access.settingDisabled,
        config: access.adminConfig || config,
        license,
        setByEnv: false,
        onChange: (id, v) => {
            setValues((s) => ({...s, [id]: v}));
            setSaveNeededState(true);
        },
        registerSaveAction: (fn) => saveActions.current.push(fn),
        unRegisterSaveAction: (fn) => {
            saveActions.current = saveActions.current.filter((f) => f !== fn);
        },
        setSaveNeeded: () => setSaveNeededState(true),
        cancelSubmit: () => undefined,
        showConfirm: false,
    };
    window.__harness.customSettingProps = {
        id: props.id,
        value: props.value,
        disabled: props.disabled,
        helpTextIsElement: React.isValidElement(props.helpText),
    };
    const C = entry.component;
    const setting = entry.options.showTitle === false ? h(C, props) : h('div', {className: 'form-group'},
        h('label', {className: 'control-label col-sm-4'}, props.label),
        h('div', {className: 'col-sm-8'}, h(C, props), h('div', {className: 'help-text'}, props.helpText)));
    return h('div', {className: 'wrapper--fixed'},
        h('div', {className: 'admin-console__header'}, manifest.name || pluginId),
        h(
            'div',
            {className: 'admin-console__wrapper'},
            h(
                'div',
                {className: 'admin-console__content'},
                h(
                    'form',
                    {
                        className: 'form-horizontal',
                        role: 'form',
                        'aria-label': 'Plugin settings',
                        onSubmit: handleSubmit,
                        'data-testid': 'console-form',
                    },
                    h(
                        'div',
                        {className: 'admin-console__settings-group', 'data-testid': 'custom-setting'},

                        // The plugin's Enable setting (custom_plugin_settings adds it first).
                        h('div', {className: 'form-group'},
                            h('label', {className: 'control-label col-sm-4'}, 'Enable Plugin:'),
                            h(
                                'div',
                                {className: 'col-sm-8'},
                                h(
                                    'label',
                                    {className: 'radio-inline'},
                                    h('input', {
                                        type: 'radio',
                                        name: 'enable',
                                        defaultChecked: access.pluginEnabledInForm,
                                        disabled: !access.canWritePlugins,
                                        onChange: () => setSaveNeededState(true),
                                    }),
                                    ' true',
                                ),
                                h(
                                    'label',
                                    {className: 'radio-inline'},
                                    h('input', {
                                        type: 'radio',
                                        name: 'enable',
                                        defaultChecked: !access.pluginEnabledInForm,
                                        disabled: !access.canWritePlugins,
                                        onChange: () => setSaveNeededState(true),
                                    }),
                                    ' false',
                                ),
                            ),
                        ),
                        setting,
                    ),
                ),
            ),
        ),
        h(
            'div',
            {className: 'admin-console-save'},
            h(
                'button',
                {
                    type: 'submit',
                    className: 'btn btn-primary',
                    disabled: access.settingDisabled || !saveNeeded,
                    onClick: handleSubmit,
                },
                'Save',
            ),
        ),
    );
}

// --- the dedicated page (registerAdminConsolePlugin) ------------------------------------------------

/** admin_definition.tsx (11.3.0), the parts a plugin's reducer meets: the plugins section and a neighbour. */
function baseDefinition() {
    const Stub = ({title}) => h('div', {className: 'wrapper--fixed'}, h('div', {className: 'admin-console__header'}, title));
    return {
        about: {
            icon: 'icon-information-outline',
            sectionTitle: {id: 'admin.sidebar.about', defaultMessage: 'About'},
            subsections: {
                license: {
                    url: 'about/license',
                    title: {id: 'admin.sidebar.license', defaultMessage: 'Edition and License'},
                    schema: {id: 'LicenseSettings', component: () => h(Stub, {title: 'Edition and License'})},
                },
            },
        },
        plugins: {
            icon: 'icon-power-plug-outline',
            sectionTitle: {id: 'admin.sidebar.plugins', defaultMessage: 'Plugins'},
            id: 'plugins',
            isHidden: (config, state, license, enterpriseReady, consoleAccess) => !consoleAccess?.read?.plugins,
            subsections: {
                plugin_management: {
                    url: 'plugins/plugin_management',
                    title: {id: 'admin.plugins.pluginManagement', defaultMessage: 'Plugin Management'},
                    searchableStrings: [],
                    isDisabled: (config, state, license, enterpriseReady, consoleAccess) => !consoleAccess?.write?.plugins,
                    schema: {id: 'PluginManagementSettings', component: () => h(Stub, {title: 'Plugin Management'})},
                },
                custom: {
                    url: 'plugins/plugin_:plugin_id',
                    schema: {id: 'CustomPluginSettings', component: () => h(Stub, {title: 'Plugin settings'})},
                },
            },
        },
    };
}

/**
 * selectors/admin_console getAdminDefinition: `result = cloneDeep(AdminDefinition); for (reducer of
 * Object.values(reducers)) result = reducer(result)` — the return value is used as is (a reducer that
 * returns nothing leaves the console without a definition, as it would in production).
 */
export function consoleDefinition(reducers) {
    let def = baseDefinition();
    for (const r of reducers) {
        def = r.func(def);
    }
    return def;
}

/**
 * item.isDisabled / isHidden: a boolean or it.* function (config, state, license, enterpriseReady, consoleAccess,
 * cloud, isSystemAdmin).
 */
function evaluate(check, ctx) {
    if (typeof check === 'function') {
        return Boolean(check(ctx.config, {}, ctx.license, true, ctx.consoleAccess, {}, ctx.isSystemAdmin));
    }
    return Boolean(check);
}

/**
 * admin_console.tsx renderRoutes + admin_sidebar.tsx renderRootMenu + schema_admin_settings.tsx:
 * the sidebar lists each section's subsections with a title that is not hidden (titles through
 * FormattedMessage), linking /admin_console/<url>; the route renders SchemaAdminSettings with
 * schema=item.schema and isDisabled=item.isDisabled(...), which for a schema with `component` (and no
 * settings) returns <CustomComponent {...this.props} disabled={this.props.isDisabled}/> — no <form>.
 */
export function ConsolePage({definition, config, license, access, subsection}) {
    const ctx = {
        config: access.adminConfig || config,
        license,
        isSystemAdmin: access.isSystemAdmin,
        consoleAccess: {read: {plugins: access.canReadPlugins}, write: {plugins: access.canWritePlugins}},
    };
    if (!definition || !definition.plugins || !definition.plugins.subsections) {
        throw new Error('the admin definition after the plugin reducers has no plugins.subsections');
    }
    const pluginKeys = Object.keys(definition.plugins.subsections).filter((k) => k !== 'plugin_management' && k !== 'custom');
    const [selected, setSelected] = React.useState(subsection || pluginKeys[0]);
    const item = definition.plugins.subsections[selected];
    window.__harness.consolePage = {subsection: selected, url: item?.url};
    let page = null;
    if (item && item.schema && item.schema.component && !item.schema.settings) {
        const isDisabled = evaluate(item.isDisabled, ctx);
        window.__harness.consolePage.isDisabled = isDisabled;
        const Component = item.schema.component;
        const props = {config: ctx.config,
            license,
            schema: item.schema,
            consoleAccess: ctx.consoleAccess,
            isCurrentUserSystemAdmin: access.isSystemAdmin,
            isDisabled,
            setNavigationBlocked: () => undefined,
            match: {url: '/admin_console/' + item.url},
            location: {pathname: '/admin_console/' + item.url, search: '', hash: ''}};
        page = h(Component, {...props, disabled: isDisabled});
    } else if (item) {
        page = h('p', {role: 'alert'}, `subsection ${selected} has no schema.component`);
    }
    const sections = Object.entries(definition).filter(([, s]) => s && s.subsections && !evaluate(s.isHidden, ctx));
    return h(
        'div',
        {className: 'harness-console'},
        h(
            'nav',
            {className: 'admin-sidebar', 'aria-label': 'System Console'},
            sections.map(([sectionKey, section]) =>
                h(
                    'div',
                    {key: sectionKey, className: 'sidebar-section'},
                    h('div', {className: 'sidebar-section-title'}, text(section.sectionTitle)),
                    h(
                        'ul',
                        {className: 'sections'},
                        Object.entries(section.subsections).
                            filter(([, s]) => s.title && !evaluate(s.isHidden, ctx)).
                            map(([k, s]) =>
                                h(
                                    'li',
                                    {key: k},
                                    h(
                                        'a',
                                        {
                                            href: '/admin_console/' + s.url,
                                            'aria-current': k === selected ? 'page' : undefined,
                                            className: k === selected ? 'active' : undefined,
                                            onClick: (e) => {
                                                e.preventDefault();
                                                if (sectionKey === 'plugins') {
                                                    setSelected(k);
                                                }
                                            },
                                        },
                                        text(s.title),
                                    ),
                                ),
                            ),
                    ),
                ),
            ),
        ),
        h('div', {className: 'harness-console__page', 'data-testid': 'console-page'}, page),
    );
}

// --- Site Statistics (system_analytics.tsx) --------------------------------------------------------

/** StatisticCount (analytics/statistic_count.tsx): a card with the title, the icon and the count. */
function StatisticCount({id, title, icon, count}) {
    return h('div', {className: 'grid-statistics__card', 'data-testid': id},
        h('div', {className: 'title'}, title, h('i', {className: 'fa ' + icon, 'aria-hidden': true})),
        h('div', {className: 'content'}, count === undefined ? 'Loading...' : String(count)));
}

/**
 * system_analytics.tsx: fetchPluginStats = `Promise.all(handlers.map(h => h()))`, the answers merged with
 * keys `<pluginId>.<key>`, each row without visualizationType a <StatisticCount title={name} icon count={value}/>
 * inside div.grid-statistics, after the core counts. One handler's rejection fails them all (as there).
 */
export function SiteStatistics({handlers}) {
    const [stats, setStats] = React.useState(null);
    const [error, setError] = React.useState(null);
    React.useEffect(() => {
        const ids = Object.keys(handlers);
        Promise.all(ids.map((id) => handlers[id]())).then((answers) => {
            const rows = {};
            answers.forEach((answer, i) => Object.entries(answer || {}).forEach(([k, v]) => {
                rows[`${ids[i]}.${k}`] = v;
            }));
            window.__harness.siteStats = Object.fromEntries(
                Object.entries(rows).map(([k, v]) => [
                    k,
                    {icon: v.icon, value: v.value, nameIsElement: React.isValidElement(v.name)},
                ]),
            );
            setStats(rows);
        }, (err) => {
            window.__harness.reportError('site statistics: ' + (err && err.message ? err.message : err));
            setError(String(err));
        });
    }, [handlers]);
    return h('div', {className: 'wrapper--fixed team_statistics'},
        h('div', {className: 'admin-console__header'}, 'Site Statistics'),
        h('div', {className: 'admin-console__wrapper'},
            h('div', {className: 'admin-console__content'},
                error ? h('p', {role: 'alert'}, error) : null,
                h('div', {className: 'grid-statistics', role: 'list', 'aria-label': 'Site statistics'},
                    h(StatisticCount, {id: 'totalActiveUsers', title: 'Total Active Users', icon: 'fa-user', count: '—'}),
                    Object.entries(stats || {}).filter(([, s]) => !s.visualizationType).map(([k, s]) => h('div', {key: k, role: 'listitem'},
                        h(StatisticCount, {id: k, title: s.name, icon: s.icon, count: s.value})))))));
}
