import type {LogFields} from '../host/log';
import type {MattermostApi} from '../mattermost/api';
import {bindingEntries} from '../mattermost/hostApi';

// Where an engine run spends its time, by API method: every call through the returned API is timed
// and counted, and `fields()` gives the totals for the run's log line ("ms.channels.addMembers": 812,
// "n.channels.addMembers": 3, …). The engine's speed is measured from these numbers, not guessed.

export interface ProfiledApi {
    api: MattermostApi;

    /** Milliseconds and call counts per method, the slowest first, plus `ms.js`: the run's time outside API calls. */
    fields(totalMs: number): LogFields;
}

export function profiledApi(api: MattermostApi, now: () => number): ProfiledApi {
    const totals = new Map<string, {ms: number; calls: number}>();
    const wrapped: Record<string, Record<string, unknown>> = {};
    for (const {namespace, method} of bindingEntries()) {
        const key = `${namespace}.${method}`;
        wrapped[namespace] ??= {};

        // Looked up at call time, on the original namespace object (its `this`).
        wrapped[namespace][method] = (...args: unknown[]) => {
            const target = api[namespace] as unknown as Record<string, (...a: unknown[]) => unknown>;
            const started = now();
            try {
                return target[method](...args);
            } finally {
                const entry = totals.get(key) ?? {ms: 0, calls: 0};
                entry.ms += now() - started;
                entry.calls += 1;
                totals.set(key, entry);
            }
        };
    }
    return {
        api: wrapped as unknown as MattermostApi,
        fields(totalMs) {
            const fields: LogFields = {};
            let inCalls = 0;
            [...totals.entries()].
                sort((a, b) => b[1].ms - a[1].ms).
                forEach(([key, entry]) => {
                    fields[`ms.${key}`] = entry.ms;
                    fields[`n.${key}`] = entry.calls;
                    inCalls += entry.ms;
                });
            fields['ms.js'] = totalMs - inCalls;
            return fields;
        },
    };
}
