import {ErrorIds} from 'contract/errors';
import {MODERATION_BOT_ROLE, MODERATION_BOT_USERNAME, type CredentialStatus, type ModerationState} from 'contract/templates';

import {licenseAllows} from './catalog';
import {moderationFromServer, type ServerModeration} from './settings';

import {recordAudit, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi, RestResponse} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The credential for channel moderation, which the plugin API cannot change: a DEDICATED bot (not the
// cockpit bot that DMs people) holding only `system_user_manager` (it includes
// sysconsole_write_user_management_channels, what PUT /channels/{id}/moderations/patch checks), and an
// access token created only when a system admin grants it. The token lives in ONE KV key and is read
// only here, to be handed to the host's rest binding; it is never returned, logged, exported or audited.
// Bots may use access tokens even when ServiceSettings.EnableUserAccessTokens is off
// (app/session.go: `!EnableUserAccessTokens && !user.IsBot`), so that setting is not a prerequisite.

export const moderationBot = {
    username: MODERATION_BOT_USERNAME,
    display_name: 'Onboarding Cockpit moderation',
    description: 'Applies approved role templates (channel moderation). Holds only the system_user_manager role; revoke it in the cockpit.',
};

const tokenDescription = 'Onboarding Cockpit: channel moderation for approved role templates';

type ReadApi = Pick<ReadOnlyMattermostApi, 'system' | 'rest'>;

export function credentialStatus(api: Pick<ReadOnlyMattermostApi, 'system'>, kv: KvReader): CredentialStatus {
    const stored = kv.get(KvKeys.moderationCredential);
    const usage = kv.get(KvKeys.moderationCredentialUsage);
    const problems: CredentialStatus['problems'] = [];
    if (api.system.getLicense() === null) {
        problems.push('no_license');
    }
    if (!stored) {
        problems.push('not_granted');
    } else if (usage?.last_status === 401) {
        problems.push('token_rejected');
    }

    // Built field by field, so nothing else of the stored record (the token) can slip into the answer.
    return {
        granted: stored !== undefined,
        bot_user_id: stored?.bot_user_id ?? null,
        bot_username: moderationBot.username,
        role: MODERATION_BOT_ROLE,
        granted_by: stored?.granted_by ?? null,
        granted_at: stored?.granted_at ?? null,
        last_used_at: stored ? (usage?.last_used_at ?? null) : null,
        last_status: stored ? (usage?.last_status ?? 0) : 0,
        problems,
    };
}

function systemRolesWith(roles: string, add: string[], remove: string[]): string {
    const set = new Set(roles.split(' ').filter(Boolean));
    remove.forEach((role) => set.delete(role));
    add.forEach((role) => set.add(role));
    return [...set].join(' ');
}

function revokeQuietly(api: MattermostApi, tokenId: string): void {
    try {
        api.admin.revokeAccessToken(tokenId);
    } catch (error) {
        // Already gone (revoked in the System Console, bot deleted): nothing left to revoke.
        if (!(isHostError(error) && error.status_code === 404)) {
            throw error;
        }
    }
}

export interface CredentialContext extends AuditContext {
    api: MattermostApi;
}

/**
 * Creates (or reuses) the bot, gives it the role, replaces any earlier token with a new one. Audited
 * without the token. 400 `cockpit.templates.needs_license` on a server whose license does not allow
 * channel moderation (none): nothing is created.
 */
export function grantCredential(context: CredentialContext, now: number = Date.now()): CredentialStatus {
    const {api, kv} = context;

    // The role and token exist only for channel moderation; without a license the server refuses every
    // moderation call (api4/channel.go: 403 license.error), so granting would hand the bot
    // system_user_manager for nothing. Refused before anything is created.
    if (!licenseAllows(api).channel_moderation) {
        throw new ApiError(
            400,
            ErrorIds.templatesNeedsLicense,
            'This server has no license, and channel moderation needs one: the credential is not granted (no bot role, no ' +
            'token). Add a license, then grant it.',
        );
    }
    const previous = kv.get(KvKeys.moderationCredential);
    let botUserId: string;
    try {
        botUserId = api.admin.createBot(moderationBot);
    } catch (error) {
        if (isHostError(error) && error.status_code === 409) {
            throw ApiError.invalid(`A user (not a bot) already has the username ${moderationBot.username}: rename that account first.`);
        }
        throw error;
    }
    const bot = api.users.get(botUserId);
    api.admin.updateUserRoles(botUserId, systemRolesWith(bot.roles, ['system_user', MODERATION_BOT_ROLE], []));
    const token = api.admin.createAccessToken(botUserId, tokenDescription);
    kv.set(KvKeys.moderationCredential, {
        bot_user_id: botUserId,
        token_id: token.id,
        token: token.token,
        granted_by: context.userId,
        granted_at: now,
    });
    kv.delete(KvKeys.moderationCredentialUsage);
    if (previous) {
        revokeQuietly(api, previous.token_id);
    }
    recordAudit(context, {
        action: 'templates.credential.grant',
        target: `bot:${botUserId}`,
        before: {granted: previous !== undefined},
        after: {granted: true, bot_user_id: botUserId, role: MODERATION_BOT_ROLE},
    }, now);
    return credentialStatus(api, kv);
}

/** Revokes the token and takes the role away from the bot. Audited. */
export function revokeCredential(context: CredentialContext, now: number = Date.now()): CredentialStatus {
    const {api, kv} = context;
    const stored = kv.get(KvKeys.moderationCredential);
    if (stored) {
        revokeQuietly(api, stored.token_id);
        try {
            const bot = api.users.get(stored.bot_user_id);
            api.admin.updateUserRoles(stored.bot_user_id, systemRolesWith(bot.roles, [], [MODERATION_BOT_ROLE]));
        } catch (error) {
            if (!(isHostError(error) && error.status_code === 404)) {
                throw error;
            }
        }
        kv.delete(KvKeys.moderationCredential);
        kv.delete(KvKeys.moderationCredentialUsage);
        recordAudit(context, {
            action: 'templates.credential.revoke',
            target: `bot:${stored.bot_user_id}`,
            before: {granted: true, bot_user_id: stored.bot_user_id, role: MODERATION_BOT_ROLE},
            after: {granted: false},
        }, now);
    }
    return credentialStatus(api, kv);
}

export type ModerationRead =
    | {ok: true; moderation: Record<string, ModerationState>}
    | {ok: false; unavailable: 'needs_license' | 'no_credential' | 'error'; reason: string};

function errorIdOf(response: RestResponse): string {
    try {
        const parsed = JSON.parse(response.body) as {id?: unknown};
        return typeof parsed.id === 'string' ? parsed.id : '';
    } catch {
        return '';
    }
}

/**
 * What an unsuccessful moderation call means. The server answers a missing license with 403 and
 * `api.channel.*_channel_moderations.license.error` (501 on older servers: any id with "license").
 * A 501 for another reason is NOT a licence problem: e.g. the first patch of a channel creates a
 * channel scheme, refused with 501 `app.schemes.is_phase_2_migration_completed.not_completed.app_error`
 * until the server's permissions migration has run.
 */
function failure(response: RestResponse): Extract<ModerationRead, {ok: false}> {
    const id = errorIdOf(response);
    if ((response.status === 403 || response.status === 501) && id.includes('license')) {
        return {ok: false, unavailable: 'needs_license', reason: 'The server has no license: channel moderation needs one.'};
    }
    if (id === 'app.schemes.is_phase_2_migration_completed.not_completed.app_error') {
        return {
            ok: false,
            unavailable: 'error',
            reason: 'The server has not finished its permissions migration yet, so channel schemes cannot be created; retry later.',
        };
    }
    if (response.status === 0) {
        return {ok: false, unavailable: 'error', reason: `The server's REST API could not be reached: ${response.error}`};
    }
    if (response.status === 401) {
        return {ok: false, unavailable: 'error', reason: 'The moderation credential was rejected (revoked elsewhere?): grant it again.'};
    }
    return {ok: false, unavailable: 'error', reason: `The server answered ${response.status}${id ? ` (${id})` : ''}.`};
}

function noCredential(api: Pick<ReadOnlyMattermostApi, 'system'>): Extract<ModerationRead, {ok: false}> {
    return api.system.getLicense() === null ?
        {ok: false, unavailable: 'needs_license', reason: 'The server has no license: channel moderation needs one.'} :
        {ok: false, unavailable: 'no_credential', reason: 'A system admin has not granted the moderation credential yet.'};
}

function channelPath(channelId: string, suffix: string): string {
    return `/api/v4/channels/${encodeURIComponent(channelId)}/moderations${suffix}`;
}

function noteUsage(kv: KvStore | undefined, response: RestResponse, now: number): void {
    kv?.set(KvKeys.moderationCredentialUsage, {last_used_at: now, last_status: response.status});
}

/** Reads a channel's moderation with the credential. `kv` as a KvStore also records the use. */
export function readModeration(api: ReadApi, kv: KvReader, channelId: string, store?: KvStore, now: number = Date.now()): ModerationRead {
    const stored = kv.get(KvKeys.moderationCredential);
    if (!stored) {
        return noCredential(api);
    }
    const response = api.rest.get(channelPath(channelId, ''), stored.token);
    noteUsage(store, response, now);
    if (response.status !== 200) {
        return failure(response);
    }
    return {ok: true, moderation: moderationFromServer(JSON.parse(response.body) as ServerModeration[])};
}

/** Patches a channel's moderation with the credential; answers the server's moderation after the patch. */
export function patchModeration(
    api: Pick<MattermostApi, 'system' | 'rest'>,
    kv: KvStore,
    channelId: string,
    patch: Array<{name: string; roles: {members?: boolean; guests?: boolean}}>,
    now: number = Date.now(),
): ModerationRead {
    const stored = kv.get(KvKeys.moderationCredential);
    if (!stored) {
        return noCredential(api);
    }
    const response = api.rest.request({
        method: 'PUT',
        path: channelPath(channelId, '/patch'),
        body: JSON.stringify(patch),
        token: stored.token,
    });
    noteUsage(kv, response, now);
    if (response.status !== 200) {
        return failure(response);
    }
    return {ok: true, moderation: moderationFromServer(JSON.parse(response.body) as ServerModeration[])};
}
