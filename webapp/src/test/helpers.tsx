// Test helpers: a host-like redux store, the providers the System Console gives a plugin, and a fetch mock.
import {act, fireEvent, render} from '@testing-library/react';
import React, {type ReactElement} from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';
import type {Reducer} from 'redux';

import configureStore from 'mattermost-redux/store';

import {manifest} from 'contract/manifest';
import type {Status} from 'contract/status';

import en from '../i18n/en.json';
import {pointClient4AtSite} from '../mattermost/client4';
import {pluginStateKey, reducer} from '../reducer';

/**
 * The host's store as the web app builds it (mattermost-redux's configureStore: its entity reducers,
 * redux-thunk with the `{loaders}` argument, batched actions), with the plugin's reducer at its key.
 * The bundle's Client4 is pointed at the site as the plugin's initialize does.
 */
export function makeStore({siteURL = 'http://localhost:8065', withPluginReducer = true, currentUserId = ''} = {}) {
    const appReducers: Record<string, Reducer> = withPluginReducer ? {[pluginStateKey]: reducer} : {};
    const store = configureStore({
        appReducers,
        preloadedState: {entities: {general: {config: {SiteURL: siteURL}}, users: {currentUserId, profiles: {}}}} as never,
    });
    pointClient4AtSite(store.getState());
    return store;
}

export function renderInConsole(ui: ReactElement, store = makeStore()) {
    return {
        store,
        ...render(
            <Provider store={store}>
                <IntlProvider
                    locale='en'
                    messages={en}
                >
                    {ui}
                </IntlProvider>
            </Provider>,
        ),
    };
}

export interface FakeAnswer {
    status?: number;
    body?: unknown;

    /** Raw body text; wins over `body`. */
    text?: string;
}

/** Replaces global fetch; each call takes the next answer (the last one repeats). */
export function mockFetch(...answers: Array<FakeAnswer | Error>) {
    let call = 0;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- fetch's parameters, so fn.mock.calls is typed as fetch's calls.
    const fn = jest.fn(async (_url: string, _init?: RequestInit) => {
        const answer = answers[Math.min(call, answers.length - 1)];
        call++;
        if (answer instanceof Error) {
            throw answer;
        }
        const status = answer.status ?? 200;
        const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
        return {
            ok: status >= 200 && status < 300,
            status,
            statusText: '',
            text: async () => text,
        } as unknown as Response;
    });
    global.fetch = fn as unknown as typeof fetch;
    return fn;
}

/** A fetch whose answers the test releases; `answer(a, i)` settles the i-th still-pending request (oldest first). */
export function deferredFetch() {
    const pending: Array<(a: FakeAnswer) => void> = [];
    const fn = jest.fn(() => new Promise<Response>((resolve) => {
        pending.push((answer) => {
            const status = answer.status ?? 200;
            const text = answer.text ?? JSON.stringify(answer.body);
            resolve({ok: status < 300, status, statusText: '', text: async () => text} as unknown as Response);
        });
    }));
    global.fetch = fn as unknown as typeof fetch;
    return {fn, answer: (a: FakeAnswer, index = 0) => pending.splice(index, 1)[0](a)};
}

export function statusFixture(overrides: Partial<Status> = {}): Status {
    return {
        plugin_id: manifest.id,
        plugin_version: manifest.version,
        server_version: '10.11.3',
        node_id: 'k3j5x8c1n4b7z9q2w6e0r5t8yu',
        license: {licensed: true, sku: 'enterprise', is_trial: false, expires_at: Date.UTC(2031, 5, 30), users: 2500},
        host: {pool_idle: 3, pool_busy: 1, pool_max: 64, vms_created: 5, vms_discarded: 2, calls_served: 1234, calls_failed: 7},
        ...overrides,
    };
}

/** What a routed fake answers: a fixed answer, a list taken in turn (the last repeats), or a function of the request. */
export type RouteAnswer = FakeAnswer | FakeAnswer[] | ((body: any, call: number) => FakeAnswer);

export interface RecordedCall {
    method: string;

    /** Path after `/plugins/<id>`, with the query string. */
    path: string;
    url: string;
    body: any;
}

/**
 * Replaces global fetch with answers chosen by `METHOD /path` (the path after the plugin base, with
 * its query string). Unrouted requests answer 404. `calls(method, path)` lists the matching requests.
 */
export function routeFetch(routes: Record<string, RouteAnswer>) {
    const counts: Record<string, number> = {};
    const recorded: RecordedCall[] = [];
    const base = `/plugins/${manifest.id}`;
    const fn = jest.fn(async (url: string, init?: RequestInit) => {
        const method = String(init?.method ?? 'GET').toUpperCase();
        const at = url.indexOf(base);
        const path = at >= 0 ? url.slice(at + base.length) : url;
        const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
        recorded.push({method, path, url, body});
        const key = `${method} ${path}`;
        const route = routes[key];
        const call = counts[key] ?? 0;
        counts[key] = call + 1;
        let answer: FakeAnswer;
        if (route === undefined) {
            answer = {status: 404, body: {error: {id: 'cockpit.route.not_found', message: `no fake for ${key}`}}};
        } else if (typeof route === 'function') {
            answer = route(body, call);
        } else if (Array.isArray(route)) {
            answer = route[Math.min(call, route.length - 1)];
        } else {
            answer = route;
        }
        const status = answer.status ?? 200;
        const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
        return {ok: status >= 200 && status < 300, status, statusText: '', text: async () => text} as unknown as Response;
    });
    global.fetch = fn as unknown as typeof fetch;
    return {
        fn,
        calls: (method: string, path: string) => recorded.filter((c) => c.method === method && c.path === path),
        all: recorded,
    };
}

/** A 26-character Mattermost user id made from a name. */
export function userId(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(26, '0').slice(0, 26);
}

/** A user profile as the REST API returns it (only the fields the cockpit reads matter). */
export function userProfile(name: string, first = '', last = '') {
    return {id: userId(name), username: name, first_name: first, last_name: last, nickname: '', email: `${name}@example.com`} as any;
}

/**
 * A variable chip of a template's textarea (useInsertVariable): with the caret at the start, clicking
 * `chip` puts `token` there and leaves the focus and caret right after it at once; a field focused
 * straight after (`next`, as someone quick or a test driver does) still has the focus a few frames later.
 */
export async function expectChipKeepsTheNextFieldFocused(field: HTMLElement, chip: HTMLElement, token: string, next: HTMLElement) {
    const textarea = field as HTMLTextAreaElement;
    textarea.setSelectionRange(0, 0);
    fireEvent.click(chip);
    expect(textarea.value.startsWith(token)).toBe(true);
    expect(textarea).toHaveFocus();
    expect([textarea.selectionStart, textarea.selectionEnd]).toEqual([token.length, token.length]);
    next.focus();
    await act(() => new Promise((resolve) => {
        setTimeout(resolve, 100);
    }));
    expect(next).toHaveFocus();
}
