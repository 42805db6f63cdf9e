import type {Capability} from '../app/capability';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {BotSpec} from '../mattermost/api';

export const cockpitBot: BotSpec = {
    username: 'cockpit',
    display_name: 'Onboarding Cockpit',
    description: 'Sends roll-out welcome messages and role-template proposals.',
};

/**
 * Ensures the plugin bot on every activation (bot.ensure is idempotent) and stores its user id, so
 * other capabilities read it from KV instead of calling the server each time.
 */
export const botCapability: Capability = {
    name: 'bot',
    hooks: {
        onActivate(_, {api, kv, log}) {
            const botUserId = api.bot.ensure(cockpitBot);
            kv.set(KvKeys.botUserId, botUserId);
            log.info('Cockpit bot ready', {username: cockpitBot.username, botUserId});
        },
    },
};

/** The bot's user id; present once the plugin has been activated. */
export function botUserId(kv: KvReader): string {
    const id = kv.get(KvKeys.botUserId);
    if (id === undefined) {
        throw new Error('the cockpit bot id is missing from KV: was onActivate run?');
    }
    return id;
}
