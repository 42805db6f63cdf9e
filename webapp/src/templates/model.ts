// Pure helpers of the Templates tab and the review panel: the editor's draft ⇄ definition, the name
// pattern preview, status counts and progress, and how a diff field reads.
import {
    MEMBERS_ONLY_PERMISSIONS,
    MODERATED_PERMISSIONS,
    TemplateDefinitionSchema,
    type ChannelStatus,
    type ModeratedPermission,
    type StatusCounts,
    type TemplateDefinition,
} from 'contract/templates';

/** A moderation cell of the editor: leave the channel's value, allow, or deny. */
export type RuleChoice = 'keep' | 'allow' | 'deny';
export type Audience = 'members' | 'guests';

export interface TemplateDraft {
    name: string;
    description: string;
    moderation: Record<ModeratedPermission, Record<Audience, RuleChoice>>;
    adminUserIds: string[];
    adminGroupIds: string[];
    channelCreator: boolean;
    setHeader: boolean;
    header: string;
    setPurpose: boolean;
    purpose: string;
}

/** `manage_members` and `manage_bookmarks` have no guest setting on the server: the editor does not offer it. */
export function audienceApplies(permission: ModeratedPermission, audience: Audience): boolean {
    return audience === 'members' || !MEMBERS_ONLY_PERMISSIONS.includes(permission);
}

/** The rule's value for one audience (members-only rules have no `guests`). */
export function ruleValue(rule: {members?: boolean; guests?: boolean} | undefined, audience: Audience): boolean | undefined {
    return rule?.[audience];
}

function choice(value: boolean | undefined): RuleChoice {
    if (value === undefined) {
        return 'keep';
    }
    return value ? 'allow' : 'deny';
}

export function draftFrom(definition: TemplateDefinition | null): TemplateDraft {
    const moderation = Object.fromEntries(MODERATED_PERMISSIONS.map((p) => {
        const rule = definition?.moderation[p];
        return [p, {members: choice(ruleValue(rule, 'members')), guests: choice(ruleValue(rule, 'guests'))}];
    })) as TemplateDraft['moderation'];
    return {
        name: definition?.name ?? '',
        description: definition?.description ?? '',
        moderation,
        adminUserIds: [...(definition?.channel_admins.user_ids ?? [])],
        adminGroupIds: [...(definition?.channel_admins.group_ids ?? [])],
        channelCreator: definition?.channel_admins.channel_creator ?? false,
        setHeader: definition?.properties.header !== undefined,
        header: definition?.properties.header ?? '',
        setPurpose: definition?.properties.purpose !== undefined,
        purpose: definition?.properties.purpose ?? '',
    };
}

/** The definition a draft stands for, validated by the contract's schema (the server runs the same one). */
export function definitionFrom(draft: TemplateDraft): {definition: TemplateDefinition} | {problems: string[]} {
    const moderation: Record<string, {members?: boolean; guests?: boolean}> = {};
    for (const p of MODERATED_PERMISSIONS) {
        const rule: {members?: boolean; guests?: boolean} = {};
        for (const audience of ['members', 'guests'] as const) {
            const c = draft.moderation[p][audience];
            if (c !== 'keep' && audienceApplies(p, audience)) {
                rule[audience] = c === 'allow';
            }
        }
        if (Object.keys(rule).length > 0) {
            moderation[p] = rule;
        }
    }
    const properties: {header?: string; purpose?: string} = {};
    if (draft.setHeader) {
        properties.header = draft.header;
    }
    if (draft.setPurpose) {
        properties.purpose = draft.purpose;
    }
    const result = TemplateDefinitionSchema.safeParse({
        name: draft.name,
        description: draft.description,
        moderation,
        channel_admins: {user_ids: draft.adminUserIds, group_ids: draft.adminGroupIds, channel_creator: draft.channelCreator},
        properties,
    });
    if (result.success) {
        return {definition: result.data};
    }
    return {
        problems: result.error.issues.map((issue) =>
            (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message),
        ),
    };
}

/**
 * The contract's name pattern (ProposalTeamTargetSchema.name_pattern): `*` is any run of characters,
 * everything else literal, matched against the whole channel name. '' matches nothing.
 */
export function patternMatcher(pattern: string): (name: string) => boolean {
    if (pattern === '') {
        return () => false;
    }
    const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    const re = new RegExp(`^${escaped}$`);
    return (name) => re.test(name);
}

export const statusOrder: readonly ChannelStatus[] = [
    'pending',
    'approved',
    'applied',
    'rejected',
    'failed',
    'needs_license',
    'rolled_back',
];

export function countOf(counts: StatusCounts, status: ChannelStatus): number {
    return counts[status] ?? 0;
}

export function totalOf(counts: StatusCounts): number {
    return statusOrder.reduce((sum, s) => sum + countOf(counts, s), 0);
}

/** Channels no longer waiting for a decision or an apply, out of all. */
export function settledOf(counts: StatusCounts): number {
    return totalOf(counts) - countOf(counts, 'pending') - countOf(counts, 'approved');
}

export type Tone = 'ok' | 'info' | 'warning' | 'error' | 'neutral';

export const statusTone: Record<ChannelStatus, Tone> = {
    pending: 'info',
    approved: 'info',
    applied: 'ok',
    rejected: 'neutral',
    failed: 'error',
    needs_license: 'warning',
    rolled_back: 'neutral',
};

/** A diff field (`moderation.<permission>.<audience>`, `channel_admins`, `header`, `purpose`) split into its parts. */
export type DiffField =
    | {kind: 'moderation'; permission: ModeratedPermission; audience: Audience}
    | {kind: 'channel_admins'}
    | {kind: 'header'}
    | {kind: 'purpose'}
    | {kind: 'other'; field: string};

export function parseDiffField(field: string): DiffField {
    const parts = field.split('.');
    if (parts.length === 3 && parts[0] === 'moderation' && (MODERATED_PERMISSIONS as readonly string[]).includes(parts[1]) &&
        (parts[2] === 'members' || parts[2] === 'guests')) {
        return {kind: 'moderation', permission: parts[1] as ModeratedPermission, audience: parts[2]};
    }
    if (field === 'channel_admins' || field === 'header' || field === 'purpose') {
        return {kind: field};
    }
    return {kind: 'other', field};
}
