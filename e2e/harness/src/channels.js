// A stand-in for the normal Mattermost UI (not the System Console), imitating mattermost/mattermost
// webapp/channels/src (files named at each piece; e2e/README.md lists the commit of each file read):
//  - the layout: root.tsx's div.main-wrapper CSS grid, in which team_controller.tsx renders a
//    registerNeedsTeamRoute page in place of the channel view through
//    <Pluggable pluggableName='NeedsTeamComponent' pluggableId css={{gridArea: 'center'}}/>
//    (plugins/pluggable/pluggable.tsx: {...otherProps, theme, webSocketClient} inside PluggableErrorBoundary);
//  - the team menu: sidebar/sidebar_header/sidebar_team_menu.tsx renders the registerMainMenuAction items
//    (text through registry.ts resolveReactElement) after a separator;
//  - utils/browser_history.tsx: window.WebappUtils.browserHistory (push/replace/listen/location);
//  - actions/command executeCommand: slash-command hooks, POST /api/v4/commands/execute, goto_location;
//  - posts of the current channel (GET /api/v4/channels/{id}/posts) with message attachments and their
//    buttons; a click is the webapp's doPostActionWithCookie (POST /api/v4/posts/{id}/actions/{action id});
//    the server's answer (the updated post, the ephemeral text) comes back over the websocket, as in the
//    webapp (posted / post_edited / ephemeral_message events of GET /api/v4/websocket);
//  - root components, the right-hand sidebar, channel header buttons, app bar icons (registry.ts).
import React from 'react';

// What the registry calls of this view collect (filled by channelsRegistryMethods).
export const channelsRegistry = {
    rootComponents: [],
    rhs: [],
    channelHeaderButtons: [],
    appBar: [],
    slashCommandHooks: [],
    needsTeamRoutes: [],
    mainMenu: [],
    listeners: new Set(),
};
const listKeys = ['rootComponents', 'rhs', 'channelHeaderButtons', 'appBar', 'slashCommandHooks', 'needsTeamRoutes', 'mainMenu'];

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

/** registry.ts resolveReactElement: a component (not an element, not a string) becomes an element. */
function resolveReactElement(element) {
    if (element && !React.isValidElement(element) && typeof element !== 'string') {
        return React.createElement(element);
    }
    return element;
}

// --- utils/browser_history.tsx ------------------------------------------------------------------------
const historyListeners = new Set();
let currentLocation = {pathname: window.location.pathname, search: window.location.search, hash: window.location.hash, state: undefined};
function toLocation(path, state) {
    if (typeof path === 'object' && path) {
        return {
            pathname: path.pathname || currentLocation.pathname,
            search: path.search || '',
            hash: path.hash || '',
            state: path.state ?? state,
        };
    }
    const u = new URL(String(path), window.location.origin + currentLocation.pathname);
    return {pathname: u.pathname, search: u.search, hash: u.hash, state};
}
const href = (loc) => loc.pathname + (loc.search || '') + (loc.hash || '');
function notifyHistory(action) {
    browserHistory.action = action;
    historyListeners.forEach((l) => l(currentLocation, action));
}

/** The history object (history v4 API, createBrowserHistory({basename: window.basename}); basename '' here). */
export const browserHistory = {
    action: 'POP',
    get location() {
        return currentLocation;
    },
    get length() {
        return window.history.length;
    },
    push(path, state) {
        currentLocation = toLocation(path, state);
        window.history.pushState(state ?? null, '', href(currentLocation));
        (window.__harness.historyPushes = window.__harness.historyPushes || []).push(href(currentLocation));
        notifyHistory('PUSH');
    },
    replace(path, state) {
        currentLocation = toLocation(path, state);
        window.history.replaceState(state ?? null, '', href(currentLocation));
        notifyHistory('REPLACE');
    },
    go: (n) => window.history.go(n),
    goBack: () => window.history.go(-1),
    goForward: () => window.history.go(1),
    listen(listener) {
        historyListeners.add(listener);
        return () => historyListeners.delete(listener);
    },
    block: () => () => undefined,
    createHref: (loc) => (typeof loc === 'string' ? loc : href(loc)),
};
window.addEventListener('popstate', (e) => {
    currentLocation = {
        pathname: window.location.pathname,
        search: window.location.search,
        hash: window.location.hash,
        state: e.state ?? undefined,
    };
    notifyHistory('POP');
});

/** Where the app starts (the harness page's own URL carries the fragment, not a Mattermost path). */
function startAt(path) {
    currentLocation = toLocation(path);
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
            const entry = {id: id('rhs'), pluginId, component, title: resolveReactElement(title)};
            channelsRegistry.rhs.push(entry);
            changed();

            // As the webapp: redux thunks the plugin dispatches.
            return {
                id: entry.id,
                showRHSPlugin: (dispatch) => dispatch({type: 'HARNESS_RHS', open: entry.id}),
                hideRHSPlugin: (dispatch) => dispatch({type: 'HARNESS_RHS', open: null}),
                toggleRHSPlugin: (dispatch, getState) =>
                    dispatch({type: 'HARNESS_RHS', open: getState().views?.rhs === entry.id ? null : entry.id}),
            };
        },
        registerChannelHeaderButtonAction(...list) {
            const entry = {id: id('header'), pluginId, ...args(['icon', 'action', 'dropdownText', 'tooltipText'], list)};
            channelsRegistry.channelHeaderButtons.push(entry);
            changed();
            return entry.id;
        },
        registerAppBarComponent(...list) {
            const entry = {
                id: id('appbar'),
                pluginId,
                ...args(['iconUrl', 'action', 'tooltipText', 'supportedProductIds', 'rhsComponent', 'rhsTitle'], list),
            };
            channelsRegistry.appBar.push(entry);
            changed();
            return entry.id;
        },
        registerSlashCommandWillBePostedHook(hook) {
            const entry = {id: id('slash'), pluginId, hook};
            channelsRegistry.slashCommandHooks.push(entry);
            return entry.id;
        },

        // registry.ts: fixedRoute = pluginId + '/' + standardizeRoute(route) (leading slashes stripped).
        registerNeedsTeamRoute(route, component) {
            const entry = {id: id('route'), pluginId, route: `${pluginId}/${String(route).replace(/^\/+/, '')}`, component};
            channelsRegistry.needsTeamRoutes.push(entry);
            changed();
            return entry.id;
        },

        // registry.ts registerMainMenuAction(text, action, mobileIcon): MainMenu {id, pluginId, text: resolveReactElement(text), action}.
        registerMainMenuAction(...list) {
            const {text, action, mobileIcon} = args(['text', 'action', 'mobileIcon'], list);
            const entry = {id: id('mainmenu'), pluginId, text: resolveReactElement(text), action, mobileIcon};
            channelsRegistry.mainMenu.push(entry);
            changed();
            return entry.id;
        },

        // registry.ts unregisterComponent(componentId): removes it from whatever it was registered as.
        unregisterComponent(componentId) {
            for (const key of listKeys) {
                const i = channelsRegistry[key].findIndex((e) => e.id === componentId);
                if (i >= 0) {
                    channelsRegistry[key].splice(i, 1);
                }
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

/** The other member of a DM channel (name `<id>__<id>`). */
const dmPartner = (channel, meId) => channel.name.split('__').find((id) => id !== meId) || meId;

/**
 * Loads the user's teams, team memberships and the team's channels (with the user's DMs) into the store
 * as the webapp keeps them (entities.teams / entities.channels / entities.users.profiles), and returns
 * the current ones: team `teamName` (else the first), channel `channelName` (a name, or `@username` for
 * a DM; else Town Square).
 */
export async function loadChannelsEntities(api, store, teamName, channelName) {
    const [teams, members] = await Promise.all([api('GET', '/api/v4/users/me/teams'), api('GET', '/api/v4/users/me/teams/members')]);
    if (teams.length === 0) {
        throw new Error('the signed-in user is in no team');
    }
    const team = teams.find((t) => t.name === teamName) || teams[0];
    const meId = store.getState().entities.users.currentUserId;
    const channels = await api('GET', `/api/v4/users/me/teams/${team.id}/channels`);
    const partnerIds = [...new Set(channels.filter((c) => c.type === 'D').map((c) => dmPartner(c, meId)))];
    const partners = partnerIds.length ? await api('POST', '/api/v4/users/ids', partnerIds) : [];
    const profiles = {...store.getState().entities.users.profiles, ...Object.fromEntries(partners.map((u) => [u.id, u]))};
    channels.forEach((c) => {
        if (c.type === 'D') {
            c.display_name = '@' + (profiles[dmPartner(c, meId)]?.username || 'unknown');
        }
    });
    const channel = channels.find((c) => channelName && (c.name === channelName || c.display_name === channelName)) ||
        channels.find((c) => c.name === 'town-square') || channels[0];
    const channelMember = await api('GET', `/api/v4/channels/${channel.id}/members/me`);
    store.dispatch({type: 'HARNESS_SET_ENTITIES',
        entities: {
            ...store.getState().entities,
            users: {...store.getState().entities.users, profiles},
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
    return {team, channel, channels};
}

function useRegistryVersion() {
    const [, rerender] = React.useReducer((n) => n + 1, 0);
    React.useEffect(() => {
        channelsRegistry.listeners.add(rerender);
        return () => channelsRegistry.listeners.delete(rerender);
    }, []);
}

const h = React.createElement;

/** plugins/pluggable/error_boundary.tsx: a plugin component that throws is replaced, the rest of the page stays. */
class PluggableErrorBoundary extends React.Component {
    constructor(props) {
        super(props);
        this.state = {error: null};
    }
    static getDerivedStateFromError(error) {
        return {error};
    }
    componentDidCatch(error) {
        window.__harness.reportError(`PluggableErrorBoundary (${this.props.pluginId}): ${error && error.stack ? error.stack : error}`);
    }
    render() {
        if (this.state.error) {
            return h(
                'div',
                {className: 'PluggableErrorBoundary', role: 'alert'},
                `An error occurred in the ${this.props.pluginId} plugin.`,
            );
        }
        return this.props.children;
    }
}

/** plugins/pluggable/pluggable.tsx for one component: {...otherProps, theme, webSocketClient} in an error boundary. */
function Pluggable({entry, theme, ...otherProps}) {
    const C = entry.component;
    return h(PluggableErrorBoundary, {pluginId: entry.pluginId}, h(C, {...otherProps, theme, webSocketClient: null}));
}

/** The NeedsTeam route `/:team/<plugin id>/<route>` matching a path (react-router's prefix match), if any. */
function matchNeedsTeamRoute(pathname) {
    const m = pathname.match(/^\/([^/]+)\/(.+?)\/?$/);
    if (!m) {
        return null;
    }
    const entry = channelsRegistry.needsTeamRoutes.find((r) => m[2] === r.route || m[2].startsWith(r.route + '/'));
    return entry ? {team: m[1], entry} : null;
}

/** The webapp's default theme (the parts plugins read). */
const theme = {
    sidebarBg: '#1e325c',
    centerChannelBg: '#ffffff',
    centerChannelColor: '#3f4350',
    buttonBg: '#1c58d9',
    buttonColor: '#ffffff',
    linkColor: '#386fe5',
    errorTextColor: '#d24b4e',
    onlineIndicator: '#06d6a0',
    awayIndicator: '#ffbc1f',
    dndIndicator: '#d24b4e',
};

const buttonStyles = new Set(['primary', 'danger', 'good', 'success', 'warning', 'default']);

/**
 * One message attachment (components/post_view/message_attachments/message_attachment): pretext, title,
 * text, fields and the action buttons; a button's `style` becomes its look.
 */
function Attachment({attachment, onAction, busy}) {
    const a = attachment;
    const color = a.color && (/^#[0-9a-f]{3,6}$/i).test(a.color) ? a.color : 'rgba(63,67,80,.24)';
    return h('div', {className: 'attachment', role: 'group', 'aria-label': a.title || a.fallback || 'Attachment'},
        a.pretext ? h('div', {className: 'attachment__thumb-pretext'}, h(Markdown, {text: a.pretext})) : null,
        h('div', {className: 'attachment__content', style: {borderLeftColor: color}},
            a.author_name ? h('div', {className: 'attachment__author-name'}, a.author_name) : null,
            a.title ?
                h(
                    'h1',
                    {className: 'attachment__title'},
                    a.title_link ? h('a', {href: a.title_link, target: '_blank', rel: 'noopener noreferrer'}, a.title) : a.title,
                ) :
                null,
            a.text ? h('div', {className: 'attachment__body'}, h(Markdown, {text: a.text})) : null,
            Array.isArray(a.fields) && a.fields.length ?
                h(
                    'table',
                    {className: 'attachment___fields'},
                    h(
                        'tbody',
                        null,
                        a.fields.map((f, i) =>
                            h(
                                'tr',
                                {key: i},
                                h('th', {className: 'attachment___field-caption'}, f.title),
                                h('td', null, h(Markdown, {text: String(f.value ?? '')})),
                            ),
                        ),
                    ),
                ) :
                null,
            Array.isArray(a.actions) && a.actions.length ?
                h(
                    'div',
                    {className: 'attachment-actions'},
                    a.actions.
                        filter((act) => !act.type || act.type === 'button').
                        map((act) =>
                            h(
                                'button',
                                {
                                    key: act.id,
                                    type: 'button',
                                    className: 'btn btn-sm attachment-action ' +
                                        `attachment-action--${buttonStyles.has(act.style) ? act.style : 'default'}`,
                                    'data-action-id': act.id,
                                    'data-action-cookie': act.cookie,
                                    'data-style': act.style || '',
                                    disabled: busy === act.id,
                                    onClick: () => onAction(act),
                                },
                                act.name,
                            ),
                        ),
                ) :
                null,
        ),
    );
}

function Markdown({text}) {
    return window.PostUtils.messageHtmlToComponent(
        window.PostUtils.formatText(String(text ?? ''), {markdown: true, singleline: false}),
        {mentionHighlight: false},
    );
}

/** One post (components/post): author, message, attachments; ephemeral ones say so. */
function Post({post, author, onAction, busy}) {
    const ephemeral = post.type === 'system_ephemeral' || post.__ephemeral;
    const attachments = Array.isArray(post.props?.attachments) ? post.props.attachments : [];
    return h(
        'div',
        {
            className: 'post' + (ephemeral ? ' post--ephemeral' : ''),
            role: 'article',
            'aria-label': `Message from @${author}`,
            'data-post-id': post.id,
        },
        h(
            'div',
            {className: 'post__header'},
            h('b', null, '@' + author),
            ephemeral ? h('span', {className: 'post__visibility'}, ' (Only visible to you)') : null,
        ),
        post.message ? h('div', {className: 'post-message__text'}, h(Markdown, {text: post.message})) : null,
        attachments.length ?
            h(
                'div',
                {className: 'attachments'},
                attachments.map((a, i) => h(Attachment, {key: i, attachment: a, busy, onAction: (act) => onAction(post, act)})),
            ) :
            null,
    );
}

/** The team menu (sidebar_team_menu.tsx): a few core items, a separator, then the plugins' MainMenu items. */
function TeamMenu({team}) {
    const [open, setOpen] = React.useState(false);
    return h(
        'div',
        {className: 'sidebar-header'},
        h(
            'button',
            {
                type: 'button',
                id: 'sidebarTeamMenuButton',
                className: 'harness-sidebar__team',
                'aria-haspopup': 'menu',
                'aria-expanded': open,
                'aria-label': `${team.display_name} team menu`,
                onClick: () => setOpen(!open),
            },
            team.display_name,
            ' ▾',
        ),
        open ?
            h(
                'ul',
                {className: 'Menu dropdown-menu', role: 'menu', 'aria-label': 'Team menu'},
                h('li', {role: 'menuitem', className: 'MenuItem', 'aria-disabled': true}, 'View members'),
                h('li', {role: 'separator', className: 'MenuGroup menu-divider'}),
                channelsRegistry.mainMenu.map((p) =>
                    h(
                        'li',
                        {
                            key: p.id,
                            id: `${p.id}_pluginmenuitem`,
                            role: 'menuitem',
                            tabIndex: 0,
                            className: 'MenuItem',
                            onClick: () => {
                                setOpen(false);
                                p.action();
                            },
                            onKeyDown: (e) => {
                                if (e.key === 'Enter') {
                                    setOpen(false);
                                    p.action();
                                }
                            },
                        },
                        h('span', null, p.text),
                    ),
                ),
            ) :
            null,
    );
}

/** The websocket (GET /api/v4/websocket, cookie auth) as the webapp's WebSocketClient: posted / post_edited / ephemeral_message. */
function useWebSocket(onEvent) {
    const handler = React.useRef(onEvent);
    handler.current = onEvent;
    React.useEffect(() => {
        const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v4/websocket`);
        window.__harness.websocket = 'connecting';
        ws.onopen = () => {
            window.__harness.websocket = 'open';
        };
        ws.onclose = () => {
            window.__harness.websocket = 'closed';
        };
        ws.onmessage = (m) => {
            try {
                const msg = JSON.parse(m.data);
                if (msg.event) {
                    handler.current(msg);
                }
            } catch {
                // not an event
            }
        };
        return () => ws.close();
    }, []);
}

/** The normal UI: the main-wrapper grid with the LHS (team menu, channels), the center (a channel or a team page), RHS, app bar. */
export function ChannelsView({ReactRedux, store, api, team, channel: initialChannel, me, initialPath}) {
    useRegistryVersion();
    const rhsOpen = ReactRedux.useSelector((s) => s.views?.rhs);
    const channels = ReactRedux.useSelector((s) => s.entities.channels.channels);
    const profiles = ReactRedux.useSelector((s) => s.entities.users.profiles);
    const channelPath = (c) => (c.type === 'D' ? `/${team.name}/messages/${c.display_name}` : `/${team.name}/channels/${c.name}`);
    const [location, setLocation] = React.useState(() => {
        startAt(initialPath || channelPath(initialChannel));
        return browserHistory.location;
    });
    const [lines, setLines] = React.useState([]);
    const [text, setText] = React.useState('');
    const [posts, setPosts] = React.useState({});
    const [busy, setBusy] = React.useState(null);
    const say = (line) => setLines((l) => [...l, line]);

    React.useEffect(() => browserHistory.listen((loc) => setLocation(loc)), []);

    const route = matchNeedsTeamRoute(location.pathname);
    const channelFromPath = () => {
        const m = location.pathname.match(/^\/[^/]+\/(channels|messages)\/([^/]+)/);
        const name = m && decodeURIComponent(m[2]);
        return Object.values(channels).find((c) => name && (c.name === name || c.display_name === name)) || initialChannel;
    };
    const channel = channelFromPath();

    React.useEffect(() => {
        document.getElementById('harness-location').textContent = route ?
            `${team.display_name} › ${location.pathname}${location.search}` :
            `Channels › ${team.display_name} › ${channel.display_name}`;
        window.__harness.currentPath = location.pathname + location.search;
    });

    const ensureProfiles = async (list) => {
        const known = store.getState().entities.users.profiles;
        const missing = [...new Set(list.map((p) => p.user_id).filter((id) => id && !known[id]))];
        if (missing.length) {
            const users = await api('POST', '/api/v4/users/ids', missing);
            const entities = store.getState().entities;
            store.dispatch({
                type: 'HARNESS_SET_ENTITIES',
                entities: {
                    users: {
                        ...entities.users,
                        profiles: {...entities.users.profiles, ...Object.fromEntries(users.map((u) => [u.id, u]))},
                    },
                },
            });
        }
    };
    const loadPosts = async (channelId) => {
        const list = await api('GET', `/api/v4/channels/${channelId}/posts?page=0&per_page=60`);
        const ordered = [...list.order].reverse().map((id) => list.posts[id]);
        await ensureProfiles(ordered);
        setPosts((all) => ({...all, [channelId]: [...ordered, ...(all[channelId] || []).filter((p) => p.__ephemeral)]}));
    };
    React.useEffect(() => {
        if (!route) {
            loadPosts(channel.id).catch((err) => say(String(err.message || err)));
            const entities = store.getState().entities;
            store.dispatch({type: 'HARNESS_SET_ENTITIES', entities: {channels: {...entities.channels, currentChannelId: channel.id}}});
        }
    /* eslint-disable-next-line react-hooks/exhaustive-deps -- reloads on a channel switch or on leaving a route, not
       when loadPosts is recreated. */
    }, [channel.id, Boolean(route)]);

    useWebSocket((msg) => {
        const post = msg.data && typeof msg.data.post === 'string' ? JSON.parse(msg.data.post) : null;
        if (!post) {
            return;
        }
        const upsert = (p) => {
            ensureProfiles([p]).catch(() => undefined);
            setPosts((all) => {
                const list = all[p.channel_id] || [];
                const i = list.findIndex((x) => x.id === p.id);
                return {...all, [p.channel_id]: i >= 0 ? list.map((x) => (x.id === p.id ? p : x)) : [...list, p]};
            });
        };
        if (msg.event === 'posted' || msg.event === 'post_edited') {
            upsert(post);
        } else if (msg.event === 'ephemeral_message') {
            upsert({...post, __ephemeral: true});
        } else if (msg.event === 'post_deleted') {
            setPosts((all) => ({...all, [post.channel_id]: (all[post.channel_id] || []).filter((x) => x.id !== post.id)}));
        }
    });

    // doPostActionWithCookie (Client4): POST /api/v4/posts/{post id}/actions/{action id} {selected_option, cookie}.
    const onAction = async (post, action) => {
        setBusy(action.id);
        try {
            const body = {selected_option: ''};
            if (action.cookie) {
                body.cookie = action.cookie;
            }
            await api('POST', `/api/v4/posts/${post.id}/actions/${encodeURIComponent(action.id)}`, body);
            (window.__harness.postActions = window.__harness.postActions || []).push({postId: post.id, actionId: action.id});
        } catch (err) {
            say(String(err.message || err));
        } finally {
            setBusy(null);
        }
    };

    // actions/command executeCommand: goto_location '/…' → history push; starting with the site URL → push the rest; else a new window.
    const goTo = (where) => {
        const siteURL = window.location.origin;
        if (where.startsWith('/')) {
            browserHistory.push(where);
        } else if (where.startsWith(siteURL)) {
            browserHistory.push(where.slice(siteURL.length) || '/');
        } else {
            (window.__harness.openedWindows = window.__harness.openedWindows || []).push(where);
            window.open(where);
        }
    };

    const runCommand = async (message) => {
        let current = {message, args: {channel_id: channel.id, team_id: team.id, root_id: ''}};
        for (const {hook} of channelsRegistry.slashCommandHooks) {
            /* eslint-disable-next-line no-await-in-loop -- as in the web app, each plugin's slash command hook sees the
               message the one before returned. */
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

            // The response text reaches the webapp as an ephemeral post over the websocket; shown here only without one.
            if (res && res.text && window.__harness.websocket !== 'open') {
                say(res.text);
            }
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
                runCommand(message);
            } else if (message) {
                api('POST', '/api/v4/posts', {channel_id: channel.id, message}).catch((err) => say(String(err.message || err)));
            }
        }
    };

    const rhs = channelsRegistry.rhs.find((r) => r.id === rhsOpen);
    const appBarRhs = channelsRegistry.appBar.find((a) => a.id === rhsOpen);
    const openRhs = rhs || appBarRhs;
    const member = store.getState().entities.channels.myMembers[channel.id];
    const channelList = Object.values(channels).
        filter((c) => c.delete_at === 0 || c.delete_at === undefined).
        sort((a, b) => (a.type === 'D') - (b.type === 'D') || a.display_name.localeCompare(b.display_name));

    const center = route ?
        h(Pluggable, {key: location.pathname + location.search, entry: route.entry, theme, css: {gridArea: 'center'}}) :
        h(
            'main',
            {className: 'channel-view harness-center', style: {gridArea: 'center'}, 'aria-label': channel.display_name},
            h(
                'header',
                {className: 'harness-channel-header'},
                h('h2', null, channel.display_name),
                h(
                    'div',
                    {className: 'harness-channel-header__buttons'},
                    channelsRegistry.channelHeaderButtons.map((b) =>
                        h(
                            'button',
                            {
                                key: b.id,
                                type: 'button',
                                className: 'harness-icon-button',
                                'aria-label': typeof b.tooltipText === 'string' ? b.tooltipText : b.dropdownText,
                                title: typeof b.tooltipText === 'string' ? b.tooltipText : undefined,
                                onClick: () => b.action(channel, member),
                            },
                            b.icon,
                        ),
                    ),
                ),
            ),
            h(
                'div',
                {className: 'harness-posts', role: 'log', 'aria-label': 'Messages'},
                (posts[channel.id] || []).map((p) =>
                    h(Post, {
                        key: p.id + (p.update_at || ''),
                        post: p,
                        busy,
                        onAction,
                        author: profiles[p.user_id]?.username || (p.user_id === me.id ? me.username : p.user_id),
                    }),
                ),
                lines.map((line, i) => h('div', {key: 'line' + i, className: 'harness-post harness-post--system'}, line)),
            ),
            h('textarea', {
                className: 'harness-post-box',
                'aria-label': `Write to ${channel.display_name}`,
                rows: 2,
                value: text,
                onChange: (e) => setText(e.target.value),
                onKeyDown,
            }),
        );

    return h(
        React.Fragment,
        null,
        h(
            'div',
            {className: 'main-wrapper', 'data-testid': 'main-wrapper'},
            h(
                'nav',
                {className: 'harness-sidebar', style: {gridArea: 'lhs'}, 'aria-label': 'Channels'},
                h(TeamMenu, {team}),
                h(
                    'ul',
                    {className: 'harness-sidebar__channels'},
                    channelList.map((c) =>
                        h(
                            'li',
                            {key: c.id},
                            h(
                                'a',
                                {
                                    href: channelPath(c),
                                    className:
                                        'harness-sidebar__channel' +
                                        (!route && c.id === channel.id ? ' harness-sidebar__channel--active' : ''),
                                    'aria-current': !route && c.id === channel.id ? 'page' : undefined,
                                    onClick: (e) => {
                                        e.preventDefault();
                                        browserHistory.push(channelPath(c));
                                    },
                                },
                                c.display_name,
                            ),
                        ),
                    ),
                ),
            ),
            center,
            openRhs ?
                h(
                    'aside',
                    {className: 'harness-rhs', style: {gridArea: 'rhs'}, 'aria-label': 'Right-hand sidebar'},
                    h(
                        'div',
                        {className: 'harness-rhs__title'},
                        h('span', null, openRhs.title || openRhs.rhsTitle || ''),
                        h(
                            'button',
                            {
                                type: 'button',
                                className: 'harness-icon-button',
                                'aria-label': 'Close the sidebar',
                                onClick: () => store.dispatch({type: 'HARNESS_RHS', open: null}),
                            },
                            '×',
                        ),
                    ),
                    h(Pluggable, {
                        entry: {pluginId: openRhs.pluginId, component: openRhs.component || openRhs.rhsComponent},
                        theme,
                    }),
                ) :
                null,
            h(
                'nav',
                {className: 'harness-app-bar', style: {gridArea: 'app-bar'}, 'aria-label': 'App bar'},
                channelsRegistry.appBar.map((a) =>
                    h(
                        'button',
                        {
                            key: a.id,
                            type: 'button',
                            className: 'harness-icon-button',
                            'aria-label': a.tooltipText,
                            title: a.tooltipText,
                            onClick: () =>
                                (a.rhsComponent ?
                                    store.dispatch({type: 'HARNESS_RHS', open: rhsOpen === a.id ? null : a.id}) :
                                    a.action(channel, member)),
                        },
                        a.iconUrl ? h('img', {src: a.iconUrl, alt: '', width: 20, height: 20}) : '•',
                    ),
                ),
            ),
        ),
        channelsRegistry.rootComponents.map((r) => h(Pluggable, {key: r.id, entry: r, theme})),
    );
}
