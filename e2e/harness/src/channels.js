// A stand-in for the normal Mattermost UI (not the System Console) for the plugin calls a team admin
// meets there: root components (global modals), the right-hand sidebar, channel header buttons, app
// bar icons and slash-command hooks. The page shows one channel of one of the signed-in user's teams
// with a message box; a slash command goes through the registered hooks first and, unless a hook
// consumed it, to the real server (POST /api/v4/commands/execute), as the webapp's executeCommand does,
// including its goto_location: a `/<team>/<plugin id>/<route>` location of a registerNeedsTeamRoute page
// is pushed onto the history and that page replaces the channel (browserHistory.push in the webapp).
import React from 'react';

// What the registry calls of this view collect (filled by harness.js's makeRegistry).
export const channelsRegistry = {
    rootComponents: [],
    rhs: [],
    channelHeaderButtons: [],
    appBar: [],
    slashCommandHooks: [],
    listeners: new Set(),
};

function changed() {
    channelsRegistry.listeners.forEach((l) => l());
}

/** `register*(a, b, …)` or `register*({a, b, …})` (the registry's reArg), as an object with `names`. */
function args(names, list) {
    if (list.length === 1 && list[0] && typeof list[0] === 'object' && !React.isValidElement(list[0]) && names.some((n) => n in list[0])) {
        return list[0];
    }
    return Object.fromEntries(names.map((n, i) => [n, list[i]]));
}

/** The registry methods of the normal UI, for plugin `pluginId` (merged into the harness registry). */
export function channelsRegistryMethods(pluginId) {
    let seq = 0;
    const id = (kind) => `${pluginId}-${kind}-${++seq}`;
    return {
        registerRootComponent(component) {
            const entry = {id: id('root'), pluginId, component};
            channelsRegistry.rootComponents.push(entry);
            changed();
            return entry.id;
        },
        registerRightHandSidebarComponent(...list) {
            const {component, title} = args(['component', 'title', 'showPopout'], list);
            const entry = {id: id('rhs'), pluginId, component, title};
            channelsRegistry.rhs.push(entry);
            changed();
            // As the webapp: redux thunks the plugin dispatches.
            return {
                id: entry.id,
                showRHSPlugin: (dispatch) => dispatch({type: 'HARNESS_RHS', open: entry.id}),
                hideRHSPlugin: (dispatch) => dispatch({type: 'HARNESS_RHS', open: null}),
                toggleRHSPlugin: (dispatch, getState) => dispatch({type: 'HARNESS_RHS', open: getState().views?.rhs === entry.id ? null : entry.id}),
            };
        },
        registerChannelHeaderButtonAction(...list) {
            const entry = {id: id('header'), pluginId, ...args(['icon', 'action', 'dropdownText', 'tooltipText'], list)};
            channelsRegistry.channelHeaderButtons.push(entry);
            changed();
            return entry.id;
        },
        registerAppBarComponent(...list) {
            const entry = {id: id('appbar'), pluginId, ...args(['iconUrl', 'action', 'tooltipText', 'supportedProductIds', 'rhsComponent', 'rhsTitle'], list)};
            channelsRegistry.appBar.push(entry);
            changed();
            return entry.id;
        },
        registerSlashCommandWillBePostedHook(hook) {
            const entry = {id: id('slash'), pluginId, hook};
            channelsRegistry.slashCommandHooks.push(entry);
            return entry.id;
        },
        unregisterComponent(componentId) {
            for (const key of ['rootComponents', 'rhs', 'channelHeaderButtons', 'appBar', 'slashCommandHooks']) {
                channelsRegistry[key] = channelsRegistry[key].filter((e) => e.id !== componentId);
            }
            changed();
        },
    };
}

/** Host state for the normal UI: which RHS plugin is open (state.views.rhs). */
export function viewsReducer(state = {rhs: null}, action) {
    if (action.type === 'HARNESS_RHS') {
        return {...state, rhs: action.open};
    }
    return state;
}

/**
 * Loads the user's teams, team memberships and the team's channels (team `teamName` or the first) into
 * the store as the webapp keeps them (entities.teams / entities.channels), and returns the current ones.
 */
export async function loadChannelsEntities(api, store, teamName) {
    const [teams, members] = await Promise.all([api('GET', '/api/v4/users/me/teams'), api('GET', '/api/v4/users/me/teams/members')]);
    if (teams.length === 0) {
        throw new Error('the signed-in user is in no team');
    }
    const team = teams.find((t) => t.name === teamName) || teams[0];
    const channels = await api('GET', `/api/v4/users/me/teams/${team.id}/channels`);
    const channel = channels.find((c) => c.name === 'town-square') || channels[0];
    const channelMember = await api('GET', `/api/v4/channels/${channel.id}/members/me`);
    store.dispatch({type: 'HARNESS_SET_ENTITIES', entities: {
        teams: {
            currentTeamId: team.id,
            teams: Object.fromEntries(teams.map((t) => [t.id, t])),
            myMembers: Object.fromEntries(members.map((m) => [m.team_id, m])),
        },
        channels: {
            currentChannelId: channel.id,
            channels: Object.fromEntries(channels.map((c) => [c.id, c])),
            myMembers: {[channel.id]: channelMember},
        },
    }});
    return {team, channel};
}

function useRegistryVersion() {
    const [, rerender] = React.useReducer((n) => n + 1, 0);
    React.useEffect(() => {
        channelsRegistry.listeners.add(rerender);
        return () => channelsRegistry.listeners.delete(rerender);
    }, []);
}

const h = React.createElement;

/** The channel view: header with plugin buttons, a message box running slash commands, RHS, app bar, root components. */
export function ChannelsView({ReactRedux, store, api, team, channel, theme, needsTeamRoute}) {
    useRegistryVersion();
    const rhsOpen = ReactRedux.useSelector((s) => s.views?.rhs);
    const [lines, setLines] = React.useState([]);
    const [text, setText] = React.useState('');
    const [page, setPage] = React.useState(null);
    const say = (line) => setLines((l) => [...l, line]);

    // The webapp's executeCommand: an internal goto_location is a client-side navigation.
    const goTo = (location) => {
        const url = new URL(location, window.location.origin);
        const match = url.origin === window.location.origin && url.pathname.match(/^\/([^/]+)\/([^/]+)\/(.+?)\/?$/);
        const entry = match && needsTeamRoute && needsTeamRoute(match[2], match[3]);
        if (!entry) {
            say(`goto_location ${location} (not a page of this harness)`);
            return;
        }
        window.history.pushState({}, '', url.pathname + url.search);
        document.getElementById('harness-location').textContent = `${team.display_name} › ${url.pathname}${url.search}`;
        setPage({component: entry.component, path: url.pathname + url.search});
    };

    const runCommand = async (message) => {
        let current = {message, args: {channel_id: channel.id, team_id: team.id, root_id: ''}};
        for (const {hook} of channelsRegistry.slashCommandHooks) {
            // eslint-disable-next-line no-await-in-loop
            const result = await hook(current.message, current.args);
            if (!result || result.error) {
                say(result && result.error ? `error: ${result.error.message || result.error}` : 'error: the hook returned nothing');
                return;
            }
            if (!result.message) {
                return; // consumed by the plugin
            }
            current = {message: result.message, args: result.args || current.args};
        }
        try {
            const res = await api('POST', '/api/v4/commands/execute', {command: current.message, channel_id: channel.id, team_id: team.id});
            say(res && res.text ? res.text : `${current.message} ran`);
            if (res && res.goto_location) {
                goTo(res.goto_location);
            }
        } catch (err) {
            say(String(err.message || err));
        }
    };

    const onKeyDown = (e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            const message = text.trim();
            setText('');
            if (message.startsWith('/')) {
                void runCommand(message);
            } else if (message) {
                say(message);
            }
        }
    };

    const rhs = channelsRegistry.rhs.find((r) => r.id === rhsOpen);
    const appBarRhs = channelsRegistry.appBar.find((a) => a.id === rhsOpen);
    const openRhs = rhs || appBarRhs;
    const member = store.getState().entities.channels.myMembers[channel.id];

    return h('div', {className: 'harness-channels'},
        h('nav', {className: 'harness-sidebar', 'aria-label': 'Channels'},
            h('div', {className: 'harness-sidebar__team'}, team.display_name),
            h('div', {className: 'harness-sidebar__channel harness-sidebar__channel--active'}, channel.display_name)),
        page ? h('main', {className: 'harness-center harness-team-page', 'data-path': page.path}, h(page.component, {theme})) : h('main', {className: 'harness-center'},
            h('header', {className: 'harness-channel-header'},
                h('h2', null, channel.display_name),
                h('div', {className: 'harness-channel-header__buttons'},
                    channelsRegistry.channelHeaderButtons.map((b) => h('button', {
                        key: b.id,
                        type: 'button',
                        className: 'harness-icon-button',
                        'aria-label': typeof b.tooltipText === 'string' ? b.tooltipText : b.dropdownText,
                        title: typeof b.tooltipText === 'string' ? b.tooltipText : undefined,
                        onClick: () => b.action(channel, member),
                    }, b.icon)))),
            h('div', {className: 'harness-posts', role: 'log', 'aria-label': 'Messages'},
                lines.map((line, i) => h('div', {key: i, className: 'harness-post'}, line))),
            h('textarea', {
                className: 'harness-post-box',
                'aria-label': `Write to ${channel.display_name}`,
                rows: 2,
                value: text,
                onChange: (e) => setText(e.target.value),
                onKeyDown,
            })),
        openRhs ? h('aside', {className: 'harness-rhs', 'aria-label': 'Right-hand sidebar'},
            h('div', {className: 'harness-rhs__title'},
                h('span', null, openRhs.title || openRhs.rhsTitle || ''),
                h('button', {type: 'button', className: 'harness-icon-button', 'aria-label': 'Close the sidebar', onClick: () => store.dispatch({type: 'HARNESS_RHS', open: null})}, '×')),
            h(openRhs.component || openRhs.rhsComponent, {theme})) : null,
        h('nav', {className: 'harness-app-bar', 'aria-label': 'App bar'},
            channelsRegistry.appBar.map((a) => h('button', {
                key: a.id,
                type: 'button',
                className: 'harness-icon-button',
                'aria-label': a.tooltipText,
                title: a.tooltipText,
                onClick: () => (a.rhsComponent ? store.dispatch({type: 'HARNESS_RHS', open: rhsOpen === a.id ? null : a.id}) : a.action(channel, member)),
            }, a.iconUrl ? h('img', {src: a.iconUrl, alt: '', width: 20, height: 20}) : '•'))),
        channelsRegistry.rootComponents.map((r) => h(r.component, {key: r.id, theme})));
}
