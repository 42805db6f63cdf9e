import type {HostBindings} from './bindings.gen';

export type HostFunctionName = keyof HostBindings;

/** Time spent in host calls by this engine so far (ms) and how many: a turn reports its share (Server-Timing). */
const spent = {ms: 0, calls: 0};

/**
 * Calls a host binding. Arguments and result cross the boundary as JSON text, so the result is a
 * plain object in the REST API's snake_case shape, never a host object.
 */
export function callHost<N extends HostFunctionName>(name: N, ...args: Parameters<HostBindings[N]>): ReturnType<HostBindings[N]> {
    const started = Date.now();
    try {
        return JSON.parse(__host_call(name, JSON.stringify(args)));
    } finally {
        spent.ms += Date.now() - started;
        spent.calls++;
    }
}

export function hostCallsSoFar(): {ms: number; calls: number} {
    return {...spent};
}
