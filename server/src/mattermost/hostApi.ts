
import type {MattermostApi} from './api';
import {bindingEntries} from './bindingTable';

import {callHost} from '../host/call';

type Call = (name: string, ...args: unknown[]) => unknown;

/** The facade over the Go host: every method forwards to its binding (see bindingTable.ts). */
export function createHostApi(call: Call = callHost as Call): MattermostApi {
    const api: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
    for (const {namespace, method, binding} of bindingEntries()) {
        api[namespace] ??= {};

        // A binding's `null` result becomes the facade's `undefined` for void methods; harmless either way.
        api[namespace][method] = (...args) => call(binding, ...args);
    }
    return api as unknown as MattermostApi;
}
