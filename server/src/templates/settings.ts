import {
    MODERATED_PERMISSIONS,
    MEMBERS_ONLY_PERMISSIONS,
    type ChannelSettings,
    type DiffEntry,
    type ModeratedPermission,
    type ModerationRule,
    type ModerationState,
    type TemplateDefinition,
} from 'contract/templates';

// Pure functions over channel settings: what a template would make of a channel, the reviewer's diff,
// the REST moderation patch, and the read-back check. No I/O here (apply.ts does it).

type Role = 'members' | 'guests';

/** One entry of the server's `GET /api/v4/channels/{id}/moderations` answer (model.ChannelModeration). */
export interface ServerModeration {
    name: string;
    roles: {members?: {value: boolean; enabled: boolean}; guests?: {value: boolean; enabled: boolean}};
}

/** The server's answer as the contract's record, keeping only the permissions the contract knows. */
export function moderationFromServer(entries: ServerModeration[]): Record<string, ModerationState> {
    const out: Record<string, ModerationState> = {};
    for (const entry of entries) {
        if (!(MODERATED_PERMISSIONS as readonly string[]).includes(entry.name) || !entry.roles.members) {
            continue;
        }
        out[entry.name] = {
            members: {value: entry.roles.members.value, enabled: entry.roles.members.enabled},
            ...(entry.roles.guests ? {guests: {value: entry.roles.guests.value, enabled: entry.roles.guests.enabled}} : {}),
        };
    }
    return out;
}

/** The template's rules as [permission, role, value] triples, in a stable order. */
export function moderationRules(definition: TemplateDefinition): Array<[ModeratedPermission, Role, boolean]> {
    const rules: Array<[ModeratedPermission, Role, boolean]> = [];
    for (const permission of MODERATED_PERMISSIONS) {
        const rule = definition.moderation[permission] as ModerationRule | undefined;
        if (rule?.members !== undefined) {
            rules.push([permission, 'members', rule.members]);
        }
        if (rule?.guests !== undefined && !MEMBERS_ONLY_PERMISSIONS.includes(permission)) {
            rules.push([permission, 'guests', rule.guests]);
        }
    }
    return rules;
}

export function touchesModeration(definition: TemplateDefinition): boolean {
    return moderationRules(definition).length > 0;
}

/** The body of `PUT /api/v4/channels/{id}/moderations/patch` that sets the template's rules. */
export function moderationPatch(definition: TemplateDefinition): Array<{name: string; roles: {members?: boolean; guests?: boolean}}> {
    const byName = new Map<string, {members?: boolean; guests?: boolean}>();
    for (const [permission, role, value] of moderationRules(definition)) {
        byName.set(permission, {...byName.get(permission), [role]: value});
    }
    return [...byName].map(([name, roles]) => ({name, roles}));
}

/** The patch that puts back the values recorded before, for the permissions the template touched. */
export function restorePatch(
    definition: TemplateDefinition,
    before: Record<string, ModerationState>,
): Array<{name: string; roles: {members?: boolean; guests?: boolean}}> {
    const byName = new Map<string, {members?: boolean; guests?: boolean}>();
    for (const [permission, role] of moderationRules(definition)) {
        const recorded = before[permission]?.[role];
        if (recorded) {
            byName.set(permission, {...byName.get(permission), [role]: recorded.value});
        }
    }
    return [...byName].map(([name, roles]) => ({name, roles}));
}

/**
 * The users the template makes channel admin in this channel: named users, group members (resolved by
 * the caller) and the creator. Sorted and without duplicates.
 */
export function intendedAdmins(definition: TemplateDefinition, channelCreatorId: string, groupMemberIds: readonly string[]): string[] {
    const ids = new Set<string>(definition.channel_admins.user_ids);
    groupMemberIds.forEach((id) => ids.add(id));
    if (definition.channel_admins.channel_creator && channelCreatorId !== '') {
        ids.add(channelCreatorId);
    }
    return [...ids].sort();
}

/** What the channel looks like once the template is applied (admins are only ever added). */
export function proposedSettings(current: ChannelSettings, definition: TemplateDefinition, admins: readonly string[]): ChannelSettings {
    let moderation = current.moderation;
    if (moderation !== null) {
        moderation = JSON.parse(JSON.stringify(moderation)) as Record<string, ModerationState>;
        for (const [permission, role, value] of moderationRules(definition)) {
            const state = moderation[permission];
            const roleState = state?.[role];
            if (state && roleState) {
                state[role] = {...roleState, value};
            }
        }
    }
    return {
        moderation,
        moderation_unavailable: current.moderation_unavailable,
        channel_admin_user_ids: [...new Set([...current.channel_admin_user_ids, ...admins])].sort(),
        header: definition.properties.header ?? current.header,
        purpose: definition.properties.purpose ?? current.purpose,
    };
}

/**
 * The reviewer's diff: one entry per thing the template sets. Moderation values the server cannot
 * report yet are `current: null` (the UI shows "unknown").
 */
export function diffSettings(current: ChannelSettings, definition: TemplateDefinition, admins: readonly string[]): DiffEntry[] {
    const entries: DiffEntry[] = [];
    for (const [permission, role, value] of moderationRules(definition)) {
        const now = current.moderation?.[permission]?.[role]?.value;
        entries.push({field: `moderation.${permission}.${role}`, current: now ?? null, proposed: value, changed: now !== value});
    }
    if (admins.length > 0) {
        const currentAdmins = [...current.channel_admin_user_ids].sort();
        const after = [...new Set([...currentAdmins, ...admins])].sort();
        entries.push({field: 'channel_admins', current: currentAdmins, proposed: after, changed: after.length !== currentAdmins.length});
    }
    if (definition.properties.header !== undefined) {
        entries.push({
            field: 'header',
            current: current.header,
            proposed: definition.properties.header,
            changed: current.header !== definition.properties.header,
        });
    }
    if (definition.properties.purpose !== undefined) {
        entries.push({
            field: 'purpose',
            current: current.purpose,
            proposed: definition.properties.purpose,
            changed: current.purpose !== definition.properties.purpose,
        });
    }
    return entries;
}

/**
 * Rules the server cannot honour in this channel: the permission is switched off for the role by the
 * team or system scheme (`enabled: false`), so the channel can only narrow, never grant it.
 */
export function blockedRules(current: Record<string, ModerationState>, definition: TemplateDefinition): string[] {
    return moderationRules(definition).
        filter(([permission, role, value]) => value && current[permission]?.[role]?.enabled === false).
        map(([permission, role]) => `${permission} for ${role}`);
}

/** What differs between the read-back settings and the intended ones; [] = verified. */
export function verifyApplied(readBack: ChannelSettings, definition: TemplateDefinition, admins: readonly string[]): string[] {
    const problems: string[] = [];
    for (const [permission, role, value] of moderationRules(definition)) {
        const got = readBack.moderation?.[permission]?.[role]?.value;
        if (got !== value) {
            problems.push(`${permission} for ${role} reads ${got === undefined ? 'unknown' : String(got)}, expected ${String(value)}`);
        }
    }
    const missing = admins.filter((id) => !readBack.channel_admin_user_ids.includes(id));
    if (missing.length > 0) {
        problems.push(`not channel admin: ${missing.join(', ')}`);
    }
    if (definition.properties.header !== undefined && readBack.header !== definition.properties.header) {
        problems.push('the header reads differently');
    }
    if (definition.properties.purpose !== undefined && readBack.purpose !== definition.properties.purpose) {
        problems.push('the purpose reads differently');
    }
    return problems;
}

/** `*` = any run of characters; everything else literal. Patterns are [a-z0-9_*-] (contract), so no escaping surprises. */
export function nameMatches(pattern: string, name: string): boolean {
    if (pattern === '') {
        return false;
    }
    const source = pattern.split('*').map((part) => part.replace(/[-]/g, '\\-')).join('.*');
    return new RegExp(`^${source}$`).test(name);
}
