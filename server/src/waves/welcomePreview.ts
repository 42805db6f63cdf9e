import type {Post} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {WaveEndpoints} from 'contract/endpoints/waves';
import {type WaveDefinition, welcomeTemplateFor, type WelcomePreviewRequest} from 'contract/waves';

import {resolveTargets} from './dryRun';
import {loadWave} from './store';
import {
    appLinks,
    gettingStartedFor,
    listChannelIds,
    usesGettingStarted,
    waveStart,
    type WelcomeTargets,
    welcomeVariables,
} from './welcomeVariables';

import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {isHostError} from '../host/errors';
import type {RouteRegistry} from '../http/router';
import {speakerForUser} from '../i18n/messages';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {renderWelcome} from '../welcome/template';

// The welcome editor's live preview and test-send. Both render the template being edited (or the
// saved one) with the calling admin as the sample user and the wave's targets, through the same
// renderWelcome the engine uses, so what the admin previews is what users receive.

/** Marks a test-send post, so it is never mistaken for a wave's real welcome (that prop is `cockpit_welcome`). */
export const welcomeTestProp = 'cockpit_welcome_test';

/** The user's activity for the list, or none known when it cannot be read (as the engine does: the list shows it unticked). */
function appSessionsOf(api: ReadOnlyMattermostApi, userId: string, now: number, targets: WelcomeTargets) {
    try {
        return api.users.activity([userId], now, listChannelIds(targets))[userId];
    } catch (error) {
        if (isHostError(error)) {
            return undefined;
        }
        throw error;
    }
}

/** The wave's targets as the welcome names them (the same names as the engine's: display name, else name). */
export function welcomeTargetsOf(api: ReadOnlyMattermostApi, definition: WaveDefinition): WelcomeTargets {
    // Targets that cannot be used (missing, outside the target teams) are left out here; launching names them.
    return welcomeTargetsFrom(resolveTargets(api, definition).targets);
}

/** The welcome's names of resolved targets. */
export function welcomeTargetsFrom(
    targets: ReadonlyArray<{kind: 'team' | 'channel'; id: string; name: string; urlName: string}>,
): WelcomeTargets {
    return {
        teams: targets.filter((target) => target.kind === 'team').map((target) => target.name),
        channels: targets.filter((target) => target.kind === 'channel').
            map((target) => ({id: target.id, name: target.urlName, display: target.name})),
    };
}

/**
 * The welcome `user` would get from a wave with `saved`'s definition, with the edited template, help link,
 * name and targets where given; `startAt` is the wave's start (waveStart), `now` the day it is rendered.
 */
export function renderWelcomeFor(
    api: ReadOnlyMattermostApi,
    saved: WaveDefinition,
    user: UserProfile,
    edits: WelcomePreviewRequest,
    startAt: number,
    now: number,
): string {
    const template = edits.template ?? (edits.locale ? welcomeTemplateFor(saved.welcome, edits.locale) : saved.welcome.template);
    const definition = {
        ...saved,
        name: edits.name ?? saved.name,
        targets: edits.targets ?? saved.targets,
        welcome: {...saved.welcome, help_link: edits.help_link ?? saved.welcome.help_link},
    };

    const welcomeTargets = welcomeTargetsOf(api, definition);
    const config = api.config.get();

    // The list in the previewed language, else in the language of the person it is rendered for.
    const locale = edits.locale ?? speakerForUser(user, config).locale;
    const gettingStarted = usesGettingStarted(template) ?
        gettingStartedFor(user, appSessionsOf(api, user.id, now, welcomeTargets), appLinks(config), welcomeTargets, locale) :
        undefined;
    return renderWelcome(template, welcomeVariables(user, definition, welcomeTargets, startAt, now), gettingStarted);
}

/** Registers the preview and test-send routes (system admins only); called from the waves capability. */
export function registerWelcomePreviewRoutes(routes: RouteRegistry): void {
    routes.handle(WaveEndpoints.welcomePreview, ({api, kv, body, params, userId}) => {
        const wave = loadWave(kv, params.waveId);
        const now = Date.now();

        // The dates are the wave's: its start (else its schedule, else today) and today.
        return {
            markdown: renderWelcomeFor(
                api,
                wave.def.value.definition,
                api.users.get(userId),
                body,
                waveStart(wave.run.value, now),
                now,
            ),
        };
    });

    routes.handle(WaveEndpoints.welcomeTestSend, (context) => {
        const {api, kv, body, params, userId} = context;
        const wave = loadWave(kv, params.waveId);
        const now = Date.now();
        const markdown = renderWelcomeFor(api, wave.def.value.definition, api.users.get(userId), body, waveStart(wave.run.value, now), now);
        const botId = botUserId(kv);
        const channel = api.channels.getDirect(botId, userId);

        // No welcome marker is touched: the caller is not counted as welcomed by the wave.
        const post = api.posts.create({
            channel_id: channel.id,
            user_id: botId,
            message: markdown,
            props: {[welcomeTestProp]: params.waveId, from_bot: 'true'},
        } as Partial<Post>);
        recordAudit(context, {action: 'waves.welcome.test_send', target: `wave:${params.waveId}`, before: null, after: {post_id: post.id}});
        return {markdown, post_id: post.id, channel_id: channel.id};
    });
}
