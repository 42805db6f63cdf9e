// Entry point of the bundle. webpack exposes this module's exports as the global `__plugin`,
// and the Go host calls `__plugin.dispatch(hook, argJSON)` for every hook (see host/abi.ts).
import type {CockpitLocale} from 'contract/locales';

import {createApp} from './app/createApp';
import {capabilities} from './capabilities';
import type {HookName} from './host/abi';
import {consoleLogger} from './host/log';
import {formatMessage as formatBotMessage, type MessageId} from './i18n/messages';
import {createHostApi} from './mattermost/hostApi';

const app = createApp({api: createHostApi(), log: consoleLogger, capabilities});

/**
 * Returns a promise of the hook's JSON result. Host calls are synchronous, so the promise is already
 * settled when the host's call returns (goja drains its job queue); a rejection means the hook failed.
 */
export function dispatch(hook: HookName, argumentJSON: string): Promise<string> {
    return app.dispatch(hook, argumentJSON);
}

/**
 * The bot's message formatter, for the host's test that runs it in goja on the host's Intl (server/main_test.go):
 * `formatMessage(locale, id, valuesJSON)`.
 */
export function formatMessage(locale: CockpitLocale, id: MessageId, valuesJSON: string): string {
    return formatBotMessage(locale, id, JSON.parse(valuesJSON));
}
