// Entry point of the bundle. webpack exposes this module's exports as the global `__plugin`,
// and the Go host calls `__plugin.dispatch(hook, argJSON)` for every hook (see host/abi.ts).
import {createApp} from './app/createApp';
import {capabilities} from './capabilities';
import type {HookName} from './host/abi';
import {consoleLogger} from './host/log';
import {createHostApi} from './mattermost/hostApi';

const app = createApp({api: createHostApi(), log: consoleLogger, capabilities});

/**
 * Returns a promise of the hook's JSON result. Host calls are synchronous, so the promise is already
 * settled when the host's call returns (goja drains its job queue); a rejection means the hook failed.
 */
export function dispatch(hook: HookName, argumentJSON: string): Promise<string> {
    return app.dispatch(hook, argumentJSON);
}
