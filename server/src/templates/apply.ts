import type {ChannelMembership} from '@mattermost/types/channels';

import type {ChannelSettings, TemplateDefinition} from 'contract/templates';
import type {StoredItem} from 'contract/templates_stored';

import {patchModeration, readModeration} from './credential';
import {blockedRules, intendedAdmins, moderationPatch, moderationRules, restorePatch, touchesModeration, verifyApplied} from './settings';

import {recordAudit, type AuditContext} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {isHostError} from '../host/errors';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// Applying a template to one channel, and rolling it back. Runs in the team admin's request (or the
// DM button's), with the plugin's own API and the moderation credential: no system admin needs to be
// online. Every apply is read back and verified; a failed apply undoes what it did, so a channel is
// never left half-applied; every apply and rollback is audited.

type ReadApi = Pick<ReadOnlyMattermostApi, 'channels' | 'system' | 'rest' | 'groups' | 'teams'>;

const membersPerPage = 200;

/** Channels larger than this many members are read in part (channel admins beyond are not listed). */
const maxMemberPages = 50;

/** Group members resolved per group (contract: at most 500 users per group). */
const maxGroupMembers = 500;

export function channelAdminIds(api: Pick<ReadOnlyMattermostApi, 'channels'>, channelId: string): string[] {
    const admins: string[] = [];
    for (let page = 0; page < maxMemberPages; page++) {
        const members: ChannelMembership[] = api.channels.members(channelId, page, membersPerPage);
        members.filter((member) => member.scheme_admin).forEach((member) => admins.push(member.user_id));
        if (members.length < membersPerPage) {
            break;
        }
    }
    return admins.sort();
}

/** The channel's settings as far as templates touch them. With `store`, the credential's use is recorded. */
export function readSettings(api: ReadApi, kv: KvReader, channelId: string, store?: KvStore): ChannelSettings {
    const channel = api.channels.get(channelId);
    const moderation = readModeration(api, kv, channelId, store);
    return {
        moderation: moderation.ok ? moderation.moderation : null,
        moderation_unavailable: moderation.ok ? null : moderation.unavailable,
        channel_admin_user_ids: channelAdminIds(api, channelId),
        header: channel.header ?? '',
        purpose: channel.purpose ?? '',
    };
}

export function groupMemberIds(api: Pick<ReadOnlyMattermostApi, 'groups'>, definition: TemplateDefinition): string[] {
    const ids: string[] = [];
    for (const groupId of definition.channel_admins.group_ids) {
        try {
            api.groups.
                members(groupId, 0, maxGroupMembers).
                filter((user) => user.delete_at === 0 && !user.is_bot).
                forEach((user) => ids.push(user.id));
        } catch (error) {
            // A deleted group names nobody.
            if (!(isHostError(error) && error.status_code === 404)) {
                throw error;
            }
        }
    }
    return ids;
}

/** Team memberships already looked up in this request (`teamId:userId` → member), for many channels of one team. */
export type TeamMemberCache = Map<string, boolean>;

/** Whether the user is a (current) member of the team: the server adds nobody to a channel of a team they are not in. */
function inTeam(api: Pick<ReadOnlyMattermostApi, 'teams'>, teamId: string, userId: string, cache: TeamMemberCache): boolean {
    const key = `${teamId}:${userId}`;
    const known = cache.get(key);
    if (known !== undefined) {
        return known;
    }
    let member: boolean;
    try {
        member = api.teams.getMember(teamId, userId).delete_at === 0;
    } catch (error) {
        if (!(isHostError(error) && (error.status_code === 404 || error.status_code === 400))) {
            throw error;
        }
        member = false;
    }
    cache.set(key, member);
    return member;
}

/**
 * The admins a template names for this channel (named users, group members, the creator), split into
 * those it makes channel admin and those it skips because they are not members of the channel's team
 * (a named user or group member from elsewhere, a creator who left): one such person must not fail the
 * whole channel. Both sorted.
 */
export function adminsFor(
    api: Pick<ReadOnlyMattermostApi, 'groups' | 'channels' | 'teams'>,
    definition: TemplateDefinition,
    channelId: string,
    cache: TeamMemberCache = new Map(),
): {admins: string[]; skipped: string[]} {
    const named = definition.channel_admins;
    if (named.user_ids.length === 0 && named.group_ids.length === 0 && !named.channel_creator) {
        return {admins: [], skipped: []};
    }
    const channel = api.channels.get(channelId);
    const creator = named.channel_creator ? (channel.creator_id ?? '') : '';
    const admins: string[] = [];
    const skipped: string[] = [];
    for (const userId of intendedAdmins(definition, creator, groupMemberIds(api, definition))) {
        (channel.team_id && !inTeam(api, channel.team_id, userId, cache) ? skipped : admins).push(userId);
    }
    return {admins, skipped};
}

export interface ApplyContext extends AuditContext {
    api: MattermostApi;
    kv: KvStore;
}

export type ApplyOutcome = Pick<StoredItem, 'status' | 'reason' | 'before' | 'promoted' | 'applied_at' | 'skipped_admin_user_ids'>;

function errorText(error: unknown): string {
    if (isHostError(error)) {
        return `${error.message} (${error.status_code})`;
    }
    return error instanceof Error ? error.message : String(error);
}

/*
 * Channel roles by name. UpdateChannelMemberRoles accepts only the role names of the channel's OWN scheme
 * (app/channel.go UpdateChannelMemberRoles): `channel_admin` while neither the channel nor its team has a
 * scheme, but a generated name once the channel has a channel scheme (the first moderation patch creates
 * one), else 400 "managed by a Scheme". The plugin API does not expose schemes, so the names are read off
 * the members: `roles` is the explicit roles followed by the scheme-implied ones in the order guest, user,
 * admin (store/sqlstore/channel_store.go getChannelRoles), and `explicit_roles` names the explicit ones.
 */

function lastOf<T>(list: readonly T[]): T | undefined {
    return list.length > 0 ? list[list.length - 1] : undefined;
}

/** The member's scheme-implied roles (guest, user, admin: those it has), in the server's order. */
function schemeRolesOf(member: ChannelMembership): string[] {
    const explicit = new Set(((member as {explicit_roles?: string}).explicit_roles ?? '').split(' ').filter(Boolean));
    return member.roles.split(' ').filter((role) => role !== '' && !explicit.has(role));
}

/** The channel's admin role name, read off a current channel admin; `channel_admin` when there is none. */
function channelAdminRole(api: Pick<MattermostApi, 'channels'>, channelId: string): string {
    for (let page = 0; page < maxMemberPages; page++) {
        const members: ChannelMembership[] = api.channels.members(channelId, page, membersPerPage);
        const admin = members.find((member) => member.scheme_admin);
        if (admin) {
            return lastOf(schemeRolesOf(admin)) ?? 'channel_admin';
        }
        if (members.length < membersPerPage) {
            break;
        }
    }
    return 'channel_admin';
}

/** The member's roles without its channel admin role (the last scheme-implied one when it is admin). */
function rolesWithoutAdmin(member: ChannelMembership): string {
    const admin = member.scheme_admin ? lastOf(schemeRolesOf(member)) : undefined;
    return member.roles.split(' ').filter((role) => role !== '' && role !== admin && role !== 'channel_admin').join(' ');
}

/** Makes each user channel admin (adding them to the channel first when needed); returns who was promoted. */
function promote(
    context: ApplyContext,
    channelId: string,
    userIds: readonly string[],
    alreadyAdmins: readonly string[],
): {promoted: string[]; problems: string[]} {
    const {api, kv} = context;
    const promoted: string[] = [];
    const problems: string[] = [];
    let adminRole: string | null = null;
    for (const userId of userIds) {
        if (alreadyAdmins.includes(userId)) {
            continue;
        }
        try {
            adminRole ??= channelAdminRole(api, channelId);
            let member: ChannelMembership;
            try {
                member = api.channels.getMember(channelId, userId);
            } catch (error) {
                if (!(isHostError(error) && error.status_code === 404)) {
                    throw error;
                }
                member = api.channels.addMember(channelId, userId, botUserId(kv));
            }

            // Made admin by someone else since this apply read the admins: not this template's to demote.
            if (!member.scheme_admin) {
                api.channels.updateMemberRoles(
                    channelId,
                    userId,
                    [...new Set([...member.roles.split(' ').filter(Boolean), adminRole])].join(' '),
                );
                promoted.push(userId);
            }
        } catch (error) {
            problems.push(`could not make ${userId} channel admin: ${errorText(error)}`);
        }
    }
    return {promoted, problems};
}

function demote(api: MattermostApi, channelId: string, userIds: readonly string[]): string[] {
    const problems: string[] = [];
    for (const userId of userIds) {
        try {
            const member = api.channels.getMember(channelId, userId);
            if (member.scheme_admin) {
                api.channels.updateMemberRoles(channelId, userId, rolesWithoutAdmin(member));
            }
        } catch (error) {
            // Left the channel since: nothing to demote.
            if (!(isHostError(error) && error.status_code === 404)) {
                problems.push(`could not demote ${userId}: ${errorText(error)}`);
            }
        }
    }
    return problems;
}

function setProperties(api: MattermostApi, channelId: string, properties: {header?: string; purpose?: string}): void {
    if (properties.header === undefined && properties.purpose === undefined) {
        return;
    }
    const channel = api.channels.get(channelId);
    api.channels.update({
        ...channel,
        ...(properties.header === undefined ? {} : {header: properties.header}),
        ...(properties.purpose === undefined ? {} : {purpose: properties.purpose}),
    });
}

/** Puts back what `before` recorded, for what the template touched. Returns the problems ([] = restored). */
function restore(
    context: ApplyContext,
    definition: TemplateDefinition,
    channelId: string,
    before: ChannelSettings,
    promoted: readonly string[],
): string[] {
    const {api, kv} = context;
    const problems: string[] = [];
    if (touchesModeration(definition) && before.moderation) {
        const result = patchModeration(api, kv, channelId, restorePatch(definition, before.moderation));
        if (!result.ok) {
            problems.push(`moderation not restored: ${result.reason}`);
        }
    }
    problems.push(...demote(api, channelId, promoted));
    try {
        setProperties(api, channelId, {
            header: definition.properties.header === undefined ? undefined : before.header,
            purpose: definition.properties.purpose === undefined ? undefined : before.purpose,
        });
    } catch (error) {
        problems.push(`header/purpose not restored: ${errorText(error)}`);
    }
    return problems;
}

/** What the audit entry keeps of the settings: no secrets exist in them, but keep it short. */
export function auditView(settings: ChannelSettings | null) {
    if (!settings) {
        return null;
    }
    const moderation = settings.moderation === null ? null : Object.fromEntries(Object.entries(settings.moderation).map(([name, state]) =>
        [name, {members: state.members.value, ...(state.guests ? {guests: state.guests.value} : {})}]));
    return {moderation, channel_admins: settings.channel_admin_user_ids, header: settings.header, purpose: settings.purpose};
}

/** What an apply step ends in: the item's final fields, and the audit entry that goes with them. */
export interface ApplyResult {
    outcome: ApplyOutcome;

    /** Null when the channel was not changed (e.g. no license for moderation): nothing to audit. */
    audit: {action: string; before: unknown; after: unknown} | null;
}

/**
 * Step 1 of applying: reads the channel's settings (what a rollback restores) and checks the template
 * can be applied at all. Changes nothing. `ok: false` is a final outcome (nothing was changed).
 */
export function prepareApply(
    context: ApplyContext,
    definition: TemplateDefinition,
    channelId: string,
): {ok: true; before: ChannelSettings} | {ok: false; outcome: ApplyOutcome} {
    const {api, kv} = context;
    const refused = (status: ApplyOutcome['status'], reason: string) => ({
        ok: false as const,
        outcome: {status, reason, before: null, promoted: [], applied_at: null, skipped_admin_user_ids: []},
    });
    let before: ChannelSettings;
    try {
        before = readSettings(api, kv, channelId, kv);
    } catch (error) {
        return refused('failed', `The channel could not be read: ${errorText(error)}`);
    }
    if (touchesModeration(definition) && before.moderation === null) {
        const read = readModeration(api, kv, channelId);
        const reason = read.ok ? 'The moderation could not be read.' : read.reason;
        return refused(before.moderation_unavailable === 'needs_license' ? 'needs_license' : 'failed', reason);
    }
    const blocked = before.moderation ? blockedRules(before.moderation, definition) : [];
    if (blocked.length > 0) {
        return refused(
            'failed',
            `The team or system permission scheme does not allow ${blocked.join(', ')}: a channel can only narrow those. ` +
            'Nothing was changed.',
        );
    }
    return {ok: true, before};
}

/**
 * Step 2: applies the template to the channel whose settings before the FIRST attempt are `before`
 * (recorded on the item first), reads it back and verifies it. Idempotent: every change sets an
 * absolute value (moderation patch, header, purpose) or is skipped when already made (channel admin),
 * so running it again after a crash mid-way converges to the same channel; `promoted` counts the admins
 * an earlier, interrupted attempt made too. A failure undoes everything against `before`. Never throws
 * for a problem of the channel: one bad channel does not stop the others. Writes nothing to KV but the
 * credential's usage: the caller records the outcome and its audit entry.
 */
export function applyWithBefore(
    context: ApplyContext,
    definition: TemplateDefinition,
    channelId: string,
    before: ChannelSettings,
    proposalId: string,
    now: number = Date.now(),
): ApplyResult {
    const {api, kv} = context;
    const failed = (status: ApplyOutcome['status'], reason: string, problems: string[], undone: boolean, changed = true): ApplyResult => ({
        outcome: {status, reason, before: null, promoted: [], applied_at: null, skipped_admin_user_ids: []},
        audit: changed ?
            {
                action: 'templates.channel.apply_failed',
                before: auditView(before),
                after: {proposal_id: proposalId, problems, undone},
            } :
            null,
    });
    let admins: string[];
    let skipped: string[];
    let currentAdmins: string[];
    try {
        ({admins, skipped} = adminsFor(api, definition, channelId));
        currentAdmins = channelAdminIds(api, channelId);
    } catch (error) {
        // Nothing changed in this attempt; an earlier interrupted one is undone below on the next try.
        const reason = `The channel could not be read: ${errorText(error)}`;
        return failed('failed', reason, [reason], false, false);
    }

    // Admins the template made in an earlier, interrupted attempt: theirs to demote on a rollback.
    const earlier = admins.filter((id) => currentAdmins.includes(id) && !before.channel_admin_user_ids.includes(id));
    const undo = (promoted: readonly string[], moderationChanged: boolean) =>
        restore(context, moderationChanged ? definition : {...definition, moderation: {}}, channelId, before, promoted);

    // Channel admins first: while the channel has no channel scheme of its own, `channel_admin` is its
    // admin role even when nobody is admin yet (e.g. Town Square); the moderation patch may create one.
    const problems: string[] = [];
    const promotion = promote(context, channelId, admins, currentAdmins);
    const promoted = [...new Set([...earlier, ...promotion.promoted])];
    problems.push(...promotion.problems);
    if (problems.length === 0 && touchesModeration(definition)) {
        const patched = patchModeration(api, kv, channelId, moderationPatch(definition), now);
        if (!patched.ok) {
            const undoProblems = undo(promoted, false);
            const status = patched.unavailable === 'needs_license' ? 'needs_license' : 'failed';
            let undone = 'Nothing was changed.';
            if (undoProblems.length > 0) {
                undone = `Undoing the channel admins failed: ${undoProblems.join('; ')}.`;
            } else if (promoted.length > 0) {
                undone = 'The channel admins made were undone.';
            }
            return failed(status, `${patched.reason} ${undone}`, [patched.reason], undoProblems.length === 0, promoted.length > 0);
        }
    }
    if (problems.length === 0) {
        try {
            setProperties(api, channelId, definition.properties);
        } catch (error) {
            problems.push(`header/purpose not saved: ${errorText(error)}`);
        }
    }

    let after: ChannelSettings | null = null;
    if (problems.length === 0) {
        try {
            after = readSettings(api, kv, channelId, kv);
            problems.push(...verifyApplied(after, definition, admins));
        } catch (error) {
            problems.push(`could not read back: ${errorText(error)}`);
        }
    }
    if (problems.length > 0) {
        // Restores the moderation too (this or an earlier, interrupted attempt may have patched it; putting
        // back the recorded values is harmless when it did not).
        const undoProblems = undo(promoted, true);
        const undone = undoProblems.length === 0 ? 'The changes were undone.' : `Undoing also failed: ${undoProblems.join('; ')}.`;
        return failed('failed', `${problems.join('; ')}. ${undone}`, problems, undoProblems.length === 0);
    }
    return {
        outcome: {status: 'applied', reason: '', before, promoted, applied_at: now, skipped_admin_user_ids: skipped},
        audit: {action: 'templates.channel.apply',
            before: auditView(before),
            after: {proposal_id: proposalId,
                ...auditView(after),
                ...(skipped.length > 0 ? {skipped_admins_not_in_team: skipped} : {})}},
    };
}

/** Restores the settings recorded before the apply; read back and verified. */
export function rollbackChannel(
    context: ApplyContext,
    definition: TemplateDefinition,
    item: StoredItem,
    proposalId: string,
    now: number = Date.now(),
): {ok: boolean; reason: string} {
    const {api, kv} = context;
    if (!item.before) {
        return {ok: false, reason: 'No settings were recorded before this channel was applied.'};
    }
    const before = item.before;
    let current: ChannelSettings | null = null;
    try {
        current = readSettings(api, kv, item.channel_id, kv);
    } catch (error) {
        return {ok: false, reason: `The channel could not be read: ${errorText(error)}`};
    }
    const problems = restore(context, definition, item.channel_id, before, item.promoted);
    if (problems.length === 0) {
        const readBack = readSettings(api, kv, item.channel_id, kv);
        for (const [permission, role] of moderationRules(definition)) {
            const want = before.moderation?.[permission]?.[role]?.value;
            const got = readBack.moderation?.[permission]?.[role]?.value;
            if (want !== undefined && got !== want) {
                problems.push(`${permission} for ${role} reads ${String(got)} after the rollback, expected ${String(want)}`);
            }
        }
        const stillAdmin = item.promoted.filter(
            (id) => readBack.channel_admin_user_ids.includes(id) && !before.channel_admin_user_ids.includes(id),
        );
        if (stillAdmin.length > 0) {
            problems.push(`still channel admin: ${stillAdmin.join(', ')}`);
        }
    }
    recordAudit(context, {
        action: problems.length === 0 ? 'templates.channel.rollback' : 'templates.channel.rollback_failed',
        target: `channel:${item.channel_id}`,
        before: auditView(current),
        after: {proposal_id: proposalId, restored: auditView(before), problems},
    }, now);
    return {ok: problems.length === 0, reason: problems.join('; ')};
}
