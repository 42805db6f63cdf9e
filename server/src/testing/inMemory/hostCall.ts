import type {MattermostApi} from '../../mattermost/api';
import {bindingEntries} from '../../mattermost/hostApi';

/**
 * A `__host_call` backed by a MattermostApi, behaving like the Go host at the boundary: JSON text
 * in and out, void results as `null`, and HostErrors passed through unchanged. Lets a test run the
 * built bundle against the in-memory fake.
 */
export function hostCallBackedBy(api: MattermostApi): (name: string, argsJSON: string) => string {
    const byBinding = new Map(bindingEntries().map((entry) => [entry.binding as string, entry]));
    return (name, argsJSON) => {
        const entry = byBinding.get(name);
        if (!entry) {
            throw Object.assign(new Error(`unknown host function ${name}`), {
                name: 'HostError',
                status_code: 500,
                id: 'host.unknown_function',
            });
        }
        const target = api[entry.namespace] as unknown as Record<string, (...args: unknown[]) => unknown>;
        const result = target[entry.method](...(JSON.parse(argsJSON) as unknown[]));
        return JSON.stringify(result ?? null);
    };
}
