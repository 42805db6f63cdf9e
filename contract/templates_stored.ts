import {z} from 'zod';

import {lazySchema} from './lazy';
import {ChannelSettingsSchema, ChannelStatusSchema, DelegatedRoleSchema, TemplateDefinitionSchema} from './templates';

// The shapes role templates keep in KV (the keys are in server/src/kv/keys.ts): the server's only, never
// an answer's. The credential's token is in StoredCredentialSchema ONLY: no other record, no answer, no
// log line and no audit entry carries it.

/** A template; its version is the record's version. */
export const StoredTemplateSchema = lazySchema(() => z.strictObject({
    id: z.string(),
    definition: TemplateDefinitionSchema,
    starter: z.string().nullable(),
    created_at: z.number(),
    created_by: z.string(),
    updated_at: z.number(),
    updated_by: z.string(),
}));
export type StoredTemplate = z.infer<typeof StoredTemplateSchema>;

/** A proposal: a copy of the template as it was proposed, and the teams it went to. */
export const StoredProposalSchema = lazySchema(() => z.strictObject({
    id: z.string(),
    template_id: z.string(),
    template_version: z.number().int(),
    definition: TemplateDefinitionSchema,
    note: z.string(),
    created_at: z.number(),
    created_by: z.string(),
    team_ids: z.array(z.string()),
}));
export type StoredProposal = z.infer<typeof StoredProposalSchema>;

export const StoredItemSchema = lazySchema(() => z.strictObject({
    channel_id: z.string(),
    status: ChannelStatusSchema,
    reason: z.string(),
    comment: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.number().nullable(),
    applied_at: z.number().nullable(),

    /** Channel settings read just before applying: what a rollback restores. */
    before: ChannelSettingsSchema.nullable(),

    /** Users this proposal made channel admin (a rollback demotes exactly these). */
    promoted: z.array(z.string()),

    /**
     * Users the channel-admin rule named but the apply skipped: not members of the channel's team.
     * Set by the apply; absent before it (and in records written before it existed).
     */
    skipped_admin_user_ids: z.array(z.string()).optional(),

    /**
     * The audit entry number reserved for this apply's outcome, set in the same compare-and-set as the
     * final status; the entry is written at exactly that number, so a crash between the two is repaired
     * by writing it there (never a second entry). Absent in records written before it existed.
     */
    audit_seq: z.number().int().min(1).nullable().optional(),

    /** When `before` was recorded for the current attempt (the apply began changing the channel). */
    apply_started_at: z.number().nullable().optional(),
}));
export type StoredItem = z.infer<typeof StoredItemSchema>;

/** One team's part of a proposal (versioned: every decision is a compare-and-set). */
export const StoredTeamPartSchema = lazySchema(() => z.strictObject({
    proposal_id: z.string(),
    team_id: z.string(),
    name_pattern: z.string(),
    new_channels: z.boolean(),
    items: z.array(StoredItemSchema),
}));
export type StoredTeamPart = z.infer<typeof StoredTeamPartSchema>;

/** The moderation credential. SECRET: `token` never leaves the server component. */
export const StoredCredentialSchema = lazySchema(() => z.strictObject({
    bot_user_id: z.string(),
    token_id: z.string(),
    token: z.string(),
    granted_by: z.string(),
    granted_at: z.number(),
}));
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

export const CredentialUsageSchema = lazySchema(() => z.strictObject({last_used_at: z.number(), last_status: z.number().int()}));

/** Users the cockpit gave delegated admin roles to (the roles themselves live on the users). */
export const StoredDelegationSchema = lazySchema(() => z.strictObject({admins: z.record(z.string(), z.array(DelegatedRoleSchema))}));
