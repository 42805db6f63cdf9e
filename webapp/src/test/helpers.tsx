// Test helpers: a host-like redux store, the providers the System Console gives a plugin, and a fetch mock.
import {render} from '@testing-library/react';
import React, {type ReactElement} from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';
import {combineReducers, legacy_createStore as createStore, type Reducer} from 'redux';

import {manifest} from 'contract/manifest';
import type {Status} from 'contract/status';

import en from '../i18n/en.json';
import {pluginStateKey, reducer} from '../reducer';

export function makeStore({siteURL = 'http://localhost:8065', withPluginReducer = true} = {}) {
    const entities: Reducer = (state = {general: {config: {SiteURL: siteURL}}}) => state;
    const reducers: Record<string, Reducer> = {entities};
    if (withPluginReducer) {
        reducers[pluginStateKey] = reducer;
    }
    return createStore(combineReducers(reducers));
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
        license: {licensed: true, sku: 'enterprise', is_trial: false, expires_at: Date.UTC(2031, 5, 30), users: 2500},
        host: {pool_idle: 3, pool_busy: 1, pool_max: 64, vms_created: 5, vms_discarded: 2, calls_served: 1234, calls_failed: 7},
        ...overrides,
    };
}
