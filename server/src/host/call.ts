import type {HostBindings} from './bindings.gen';

export type HostFunctionName = keyof HostBindings;

/**
 * Calls a host binding. Arguments and result cross the boundary as JSON text, so the result is a
 * plain object in the REST API's snake_case shape, never a host object.
 */
export function callHost<N extends HostFunctionName>(name: N, ...args: Parameters<HostBindings[N]>): ReturnType<HostBindings[N]> {
    return JSON.parse(__host_call(name, JSON.stringify(args)));
}
