import type {Post} from '@mattermost/types/posts';

import type {Target} from './batch';

import type {HookContext} from '../app/capability';
import {isHostError} from '../host/errors';

// Channel welcomes (as Welcomebot offers): a target channel's short message, shown to each person the
// wave's batch has just added to it, as an ephemeral post from the bot in that channel. Only the people
// that batch call added (not those already in the channel, nor people joining by other means) get it.
// An ephemeral reaches the person's open clients only and is never stored, so it is not sent exactly
// once: a person not connected at that moment does not see it; the welcome DM stays the lasting message.

/** Sends each channel's welcome to the people this batch added to it; a failed send is logged and skipped. */
export function sendChannelWelcomes(
    context: Pick<HookContext, 'api' | 'log'>,
    channels: readonly Target[],
    botId: string,
    joins: ReadonlyMap<string, readonly string[]>,
    render: (template: string, userId: string) => string | null,
): number {
    let sent = 0;
    for (const channel of channels) {
        if (channel.welcome.trim() === '') {
            continue;
        }
        for (const userId of joins.get(channel.id) ?? []) {
            const message = render(channel.welcome, userId);
            if (message === null) {
                continue;
            }
            try {
                const post = {channel_id: channel.id, user_id: botId, message, props: {from_bot: 'true'}};
                context.api.posts.sendEphemeral(userId, post as Partial<Post>);
                sent++;
            } catch (error) {
                if (!isHostError(error)) {
                    throw error;
                }
                context.log.warn('Channel welcome not shown', {channelId: channel.id, userId, error: error.message});
            }
        }
    }
    return sent;
}
