import {isEnvironmentSpecific} from 'contract/configsnapshot';
import type {ConfigSnapshot, SettingDifference} from 'contract/plan_api';

import type {ServerConfig} from '../mattermost/api';

// A config snapshot: the settings that matter for a roll-out, flattened to `Section.Setting` → value,
// so two environments (staging, production) can be compared. Built from the SANITIZED config, and
// masked again here: a snapshot is a file that travels, so it must never carry a secret.

/** The config sections a snapshot covers. Left out: CacheSettings, CloudSettings, FeatureFlags and the like. */
export const SNAPSHOT_SECTIONS = [
    'ServiceSettings', 'TeamSettings', 'ClientRequirements', 'SqlSettings', 'LogSettings', 'PasswordSettings', 'FileSettings',
    'EmailSettings', 'RateLimitSettings', 'PrivacySettings', 'SupportSettings', 'AnnouncementSettings', 'ThemeSettings',
    'GitLabSettings', 'GoogleSettings', 'Office365Settings', 'OpenIdSettings', 'LdapSettings', 'ComplianceSettings',
    'LocalizationSettings', 'SamlSettings', 'NativeAppSettings', 'ClusterSettings', 'MetricsSettings', 'AnalyticsSettings',
    'ElasticsearchSettings', 'BleveSettings', 'DataRetentionSettings', 'MessageExportSettings', 'JobSettings', 'PluginSettings',
    'DisplaySettings', 'GuestAccountsSettings', 'ImageProxySettings', 'ImportSettings', 'ExportSettings',
] as const;

export const MASK = '********';

/**
 * Setting names that hold (or may hold) a secret. Matched against every part of the key after the
 * section, so `PasswordSettings.MinimumLength` stays visible while `EmailSettings.SMTPPassword` does not.
 * Beyond the obvious words: RemoteImageProxyOptions carries the image proxy's key, and
 * AdvancedLoggingJSON may carry log targets' credentials.
 */
const secretName =
    /password|secret|salt|key|token|datasource|dsn|credential|privatekey|publiccertificate|remoteimageproxyoptions|advancedlogging/i;

/** Whether a flattened `Section.Setting[.Sub…]` key names a secret. */
export function isSecretKey(key: string): boolean {
    return key.split('.').slice(1).some((part) => secretName.test(part));
}

/** Settings left out entirely, not even masked: the database connection strings. */
function omitted(section: string, name: string): boolean {
    return (section === 'SqlSettings' && (/datasource/i).test(name)) || (section === 'PluginSettings' && name === 'Plugins');
}

/** `scheme://user:password@host` → `scheme://********@host`, wherever a URL sits in a string. */
function scrubUrlCredentials(text: string): string {
    return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${MASK}@`);
}

/**
 * A secret's value as the snapshot shows it. A boolean is a switch, not a secret
 * (ServiceSettings.EnableUserAccessTokens), and an empty value only says "not configured", which is
 * worth comparing; anything else is masked.
 */
function maskedSecret(value: unknown): unknown {
    if (
        typeof value === 'boolean' ||
        value === null ||
        value === undefined ||
        value === '' ||
        (Array.isArray(value) && value.length === 0)
    ) {
        return value ?? null;
    }
    return MASK;
}

/** Inside arrays (e.g. SqlSettings.ReplicaLagSettings) objects are not flattened, but their secrets are masked too. */
function scrubbed(value: unknown): unknown {
    if (typeof value === 'string') {
        return scrubUrlCredentials(value);
    }
    if (Array.isArray(value)) {
        return value.map(scrubbed);
    }
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(
            Object.entries(value).map(([name, inner]) => [name, secretName.test(name) ? maskedSecret(inner) : scrubbed(inner)]),
        );
    }
    return value;
}

function flattenInto(out: Record<string, unknown>, prefix: string, value: unknown): void {
    if (isEnvironmentSpecific(prefix)) {
        // Where this environment's server, database, file store and cluster are: never in a snapshot.
        return;
    }
    if (isSecretKey(prefix)) {
        // A secret object (or list) is masked as a whole, never descended into.
        out[prefix] = maskedSecret(value);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [name, inner] of Object.entries(value)) {
            flattenInto(out, `${prefix}.${name}`, inner);
        }
    } else {
        out[prefix] = scrubbed(value);
    }
}

/** `Section.Setting` → value for the roll-out sections, secrets masked, environment-specific settings left out. */
export function flattenSettings(config: ServerConfig): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const section of SNAPSHOT_SECTIONS) {
        const values = config[section];
        if (typeof values !== 'object' || values === null) {
            continue;
        }
        for (const [name, value] of Object.entries(values)) {
            if (!omitted(section, name)) {
                flattenInto(settings, `${section}.${name}`, value);
            }
        }
    }
    return settings;
}

export function buildSnapshot(config: ServerConfig, serverVersion: string, now: number): ConfigSnapshot {
    const siteUrl = config.ServiceSettings?.SiteURL;
    return {
        schema_version: 1,
        taken_at: now,
        server_version: serverVersion,
        site_url: typeof siteUrl === 'string' ? scrubUrlCredentials(siteUrl) : '',
        settings: flattenSettings(config),
    };
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(',')}]`;
    }
    if (typeof value === 'object' && value !== null) {
        return `{${Object.keys(value).
            sort().
            map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).
            join(',')}}`;
    }
    return value === undefined ? 'undefined' : JSON.stringify(value);
}

/**
 * Every key present in either snapshot whose values differ (a key missing on one side shows null
 * there), sorted by key. For secrets only the fact that they differ is reported: both values null.
 * Environment-specific settings (SiteURL and the like) are in neither snapshot, so never listed.
 */
export function compareSettings(here: Record<string, unknown>, there: Record<string, unknown>): SettingDifference[] {
    const keys = [...new Set([...Object.keys(here), ...Object.keys(there)])].sort();
    const differences: SettingDifference[] = [];
    for (const key of keys) {
        const [mine, theirs] = [here[key], there[key]];
        if (canonical(mine) === canonical(theirs)) {
            continue;
        }
        differences.push(
            isSecretKey(key) ?
                {key, here: null, there: null, secret: true} :
                {key, here: mine ?? null, there: theirs ?? null, secret: false},
        );
    }
    return differences;
}
