import {z} from 'zod';

import {lazySchema} from './lazy';
import {CompareRequestSchema} from './plan_api';
import {ExpectedVersionSchema} from './versioned';

// Staging → production: differences picked from another environment's snapshot become one config
// patch (nested `{Section: {Setting: value}}`, the body of PUT /api/v4/config/patch and the file
// `mmctl config patch <file>` reads: mmctl unmarshals the file onto the server's config and patches it,
// server/cmd/mmctl/commands/config.go configPatchCmdF). Applied as the admin, read back, audited,
// and rolled back to the exact values it replaced.

/**
 * Settings that belong to one environment and are never in a snapshot nor a patch: where the server
 * is reached, its database, its file store, its cluster, and the endpoints of the services it talks
 * to. A key is excluded when it equals an entry or starts with an entry followed by a dot (an entry
 * ending in `*`: starts with what precedes it, e.g. every FileSettings.AmazonS3… setting). Secrets are
 * excluded besides (their values are masked in a snapshot, so there is nothing to copy).
 */
export const ENVIRONMENT_SPECIFIC_SETTINGS: ReadonlyArray<{readonly key: string; readonly why: string}> = [
    {key: 'ServiceSettings.SiteURL', why: 'where this server is reached'},
    {key: 'ServiceSettings.WebsocketURL', why: 'where this server is reached'},
    {key: 'ServiceSettings.ListenAddress', why: 'this machine\'s port'},
    {key: 'ServiceSettings.ConnectionSecurity', why: 'this machine\'s TLS set-up'},
    {key: 'ServiceSettings.TLSCertFile', why: 'this machine\'s TLS set-up'},
    {key: 'ServiceSettings.TLSKeyFile', why: 'this machine\'s TLS set-up'},
    {key: 'ServiceSettings.UseLetsEncrypt', why: 'this machine\'s TLS set-up'},
    {key: 'ServiceSettings.LetsEncryptCertificateCacheFile', why: 'this machine\'s TLS set-up'},
    {key: 'ServiceSettings.AllowCorsFrom', why: 'the origins of this environment'},
    {key: 'ServiceSettings.LicenseFileLocation', why: 'this machine\'s files'},
    {key: 'SqlSettings', why: 'the database'},
    {key: 'FileSettings.DriverName', why: 'the file store'},
    {key: 'FileSettings.Directory', why: 'the file store'},
    {key: 'FileSettings.AmazonS3*', why: 'the file store'},
    {key: 'FileSettings.ExportDriverName', why: 'the file store'},
    {key: 'FileSettings.ExportDirectory', why: 'the file store'},
    {key: 'FileSettings.ExportAmazonS3*', why: 'the file store'},
    {key: 'ClusterSettings', why: 'the cluster'},
    {key: 'MetricsSettings.ListenAddress', why: 'this machine\'s port'},
    {key: 'EmailSettings.SMTPServer', why: 'this environment\'s mail server'},
    {key: 'EmailSettings.SMTPPort', why: 'this environment\'s mail server'},
    {key: 'EmailSettings.SMTPUsername', why: 'this environment\'s mail server'},
    {key: 'LdapSettings.LdapServer', why: 'this environment\'s directory'},
    {key: 'LdapSettings.LdapPort', why: 'this environment\'s directory'},
    {key: 'LdapSettings.BindUsername', why: 'this environment\'s directory'},
    {key: 'ElasticsearchSettings.ConnectionURL', why: 'this environment\'s search cluster'},
    {key: 'ElasticsearchSettings.Username', why: 'this environment\'s search cluster'},
    {key: 'ImageProxySettings.RemoteImageProxyURL', why: 'this environment\'s image proxy'},
    {key: 'PluginSettings.Directory', why: 'this machine\'s files'},
    {key: 'PluginSettings.ClientDirectory', why: 'this machine\'s files'},
    {key: 'PluginSettings.PluginStates', why: 'the plugins installed on this server'},
    {key: 'LogSettings.FileLocation', why: 'this machine\'s files'},
    {key: 'ComplianceSettings.Directory', why: 'this machine\'s files'},
];

/** Whether a flattened `Section.Setting[.Sub…]` key is environment-specific (see the list above). */
export function isEnvironmentSpecific(key: string): boolean {
    return ENVIRONMENT_SPECIFIC_SETTINGS.some(({key: entry}) => (entry.endsWith('*') ?
        key.startsWith(entry.slice(0, -1)) :
        key === entry || key.startsWith(`${entry}.`)));
}

/** A config patch: sections of settings, as PUT /api/v4/config/patch and `mmctl config patch` take it. */
export const ConfigPatchSchema = lazySchema(() => z.record(z.string(), z.record(z.string(), z.unknown())));
export type ConfigPatch = z.infer<typeof ConfigPatchSchema>;

/** One setting a patch changes: its value here before and the value the patch sets. */
export const SettingChangeSchema = lazySchema(() => z.strictObject({key: z.string(), before: z.unknown(), after: z.unknown()}));
export type SettingChange = z.infer<typeof SettingChangeSchema>;

/** Why a picked key is not in the patch. */
export const RefusedSettingSchema = lazySchema(() => z.strictObject({
    key: z.string(),
    reason: z.enum(['environment', 'secret', 'unchanged', 'unknown']),
}));
export type RefusedSetting = z.infer<typeof RefusedSettingSchema>;

/** At most this many settings in one patch: a promotion is reviewed setting by setting. */
export const MAX_PATCH_KEYS = 500;

/** POST /api/v1/config/patch/preview: the picked keys of another environment's snapshot. */
export const ConfigPatchRequestSchema = lazySchema(() => z.strictObject({
    snapshot: CompareRequestSchema.shape.snapshot,
    keys: z.array(z.string().min(1).max(300)).min(1).max(MAX_PATCH_KEYS),
}));

/** The exact patch, what it changes, and the picked keys left out (with why). */
export const ConfigPatchPreviewSchema = lazySchema(() => z.object({
    patch: ConfigPatchSchema,
    changes: z.array(SettingChangeSchema),
    refused: z.array(RefusedSettingSchema),
}));
export type ConfigPatchPreview = z.infer<typeof ConfigPatchPreviewSchema>;

/** POST /api/v1/config/apply: the preview's request with the history's version it is based on. */
export const ConfigApplyRequestSchema = lazySchema(() => ConfigPatchRequestSchema.extend({expected_version: ExpectedVersionSchema}));

/** POST /api/v1/config/rollback: undo one applied change (restores the values it replaced). */
export const ConfigRollbackRequestSchema = lazySchema(() =>
    z.strictObject({expected_version: ExpectedVersionSchema, seq: z.number().int().min(1)}));

/** One applied change (an apply or a rollback), as stored: written once. */
export const ConfigApplySchema = lazySchema(() => z.strictObject({
    seq: z.number().int().min(1),
    at: z.number(),
    user_id: z.string(),
    kind: z.enum(['apply', 'rollback']),

    /** A rollback: the change it undid. */
    rolled_back_from: z.number().int().optional(),

    /** An apply: the snapshot the values came from. */
    source: z.strictObject({site_url: z.string(), server_version: z.string(), taken_at: z.number()}).optional(),
    patch: ConfigPatchSchema,
    changes: z.array(SettingChangeSchema),

    /** Keys the read-back found without the patch's value (e.g. pinned by an environment variable). */
    not_applied: z.array(z.string()),
}));
export type ConfigApply = z.infer<typeof ConfigApplySchema>;

/** GET /api/v1/config/applies: newest first, with the version the next apply or rollback names. */
export const ConfigApplyHistorySchema = lazySchema(() => z.object({version: z.number().int().min(0), changes: z.array(ConfigApplySchema)}));
export type ConfigApplyHistory = z.infer<typeof ConfigApplyHistorySchema>;
