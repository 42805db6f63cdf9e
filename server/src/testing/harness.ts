import {InMemoryMattermostApi} from './inMemory/inMemoryMattermostApi';
import {memoryLogger} from './memoryLogger';

import type {Capability} from '../app/capability';
import {type App, createApp} from '../app/createApp';
import {capabilities as productCapabilities} from '../capabilities';
import type {HttpRequest, HttpResponse} from '../host/abi';

export interface TestResponse extends HttpResponse {
    /** The body, JSON-parsed (undefined when empty or not JSON, e.g. a CSV download). */
    json: any;
}

export function httpRequest(
    method: string,
    path: string,
    options: Partial<Pick<HttpRequest, 'userId' | 'query' | 'origin' | 'headers' | 'locks' | 'permissions'>> & {body?: unknown} = {},
): HttpRequest {
    let body = '';
    if (typeof options.body === 'string') {
        body = options.body;
    } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
    }
    const {query = {}, headers = {}, userId = '', origin, locks, permissions} = options;
    return {method, path, query, headers, body, userId, origin, locks, permissions};
}

/**
 * The app as the host runs it, against the in-memory fake, driven through `dispatch` with JSON
 * text exactly like the Go host does.
 */
export function testApp(options: {capabilities?: readonly Capability[]; now?: () => number} = {}) {
    const api = new InMemoryMattermostApi(options.now);
    const log = memoryLogger();

    // Every JSON answer is checked against its endpoint's declared schema (production skips that cost).
    const app: App = createApp({api, log, capabilities: options.capabilities ?? productCapabilities, routerOptions: {checkAnswers: true}});

    async function request(method: string, path: string, requestOptions?: Parameters<typeof httpRequest>[2]): Promise<TestResponse> {
        const logged = log.lines.length;
        const response: HttpResponse = JSON.parse(
            await app.dispatch('serveHTTP', JSON.stringify(httpRequest(method, path, requestOptions))),
        );
        const mismatch =
            response.status === 500 ?
                log.lines.
                    slice(logged).
                    map((line) => String(line.fields?.error ?? '')).
                    find((error) => error.includes('does not match its declared schema')) :
                undefined;
        if (mismatch) {
            throw new Error(mismatch);
        }
        const isJson = (response.headers?.['Content-Type'] ?? 'application/json').startsWith('application/json');
        return {...response, json: response.body && isJson ? JSON.parse(response.body) : undefined};
    }

    return {api, log, app, request};
}
