import type {UserProfile} from '@mattermost/types/users';
import type {Post} from '@mattermost/types/posts';

import {WelcomePreviewRequestSchema, type WaveDefinition, type WelcomePreviewRequest, type WelcomePreviewResponse, type WelcomeTestSendResponse} from 'contract/waves';

import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import type {RouteRegistry} from '../http/router';
import {requireSystemAdmin} from '../http/guards';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {renderWelcome} from '../welcome/template';

import {resolveTargets} from './dryRun';
import {loadWave} from './store';

// The welcome editor's live preview and test-send. Both render the template being edited (or the
// saved one) with the calling admin as the sample user and the wave's targets, through the same
// renderWelcome the engine uses, so what the admin previews is what users receive.

const welcomePath = '/api/v1/waves/:waveId/welcome';

/** Marks a test-send post, so it is never mistaken for a wave's real welcome (that prop is `cockpit_welcome`). */
export const welcomeTestProp = 'cockpit_welcome_test';

/** The welcome `user` would get from a wave with `saved`'s definition, with the edited template, help link, name and targets where given. */
export function renderWelcomeFor(api: ReadOnlyMattermostApi, saved: WaveDefinition, user: UserProfile, edits: WelcomePreviewRequest): string {
    const definition = {...saved, name: edits.name ?? saved.name, targets: edits.targets ?? saved.targets};
    // Targets that cannot be used (missing, outside the target teams) are left out here; launching names them.
    const {targets} = resolveTargets(api, definition);
    const names = (kind: 'team' | 'channel') => targets.filter((target) => target.kind === kind).map((target) => target.name).join(', ');
    // The same variables as the engine's processUser (engine.ts), with the same target names (display name, else name).
    return renderWelcome(edits.template ?? definition.welcome.template, {
        first_name: user.first_name || user.username,
        username: user.username,
        team: names('team'),
        channels: names('channel'),
        help_link: edits.help_link ?? definition.welcome.help_link,
        wave: definition.name,
    });
}

/** Registers the preview and test-send routes (system admins only); called from the waves capability. */
export function registerWelcomePreviewRoutes(routes: RouteRegistry): void {
    routes.post(`${welcomePath}/preview`, requireSystemAdmin, WelcomePreviewRequestSchema, ({api, kv, body, params, userId}): WelcomePreviewResponse => {
        const {definition} = loadWave(kv, params.waveId).def.value;
        return {markdown: renderWelcomeFor(api, definition, api.users.get(userId), body)};
    });

    routes.post(`${welcomePath}/test-send`, requireSystemAdmin, WelcomePreviewRequestSchema, (context): WelcomeTestSendResponse => {
        const {api, kv, body, params, userId} = context;
        const {definition} = loadWave(kv, params.waveId).def.value;
        const markdown = renderWelcomeFor(api, definition, api.users.get(userId), body);
        const botId = botUserId(kv);
        const channel = api.channels.getDirect(botId, userId);
        // No welcome marker is touched: the caller is not counted as welcomed by the wave.
        const post = api.posts.create({channel_id: channel.id, user_id: botId, message: markdown, props: {[welcomeTestProp]: params.waveId, from_bot: 'true'}} as Partial<Post>);
        recordAudit(context, {action: 'waves.welcome.test_send', target: `wave:${params.waveId}`, before: null, after: {post_id: post.id}});
        return {markdown, post_id: post.id, channel_id: channel.id};
    });
}
