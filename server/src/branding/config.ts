import {BrandingFields, brandingFieldNames, defaultBrandingValues, type BrandingField, type BrandingValues} from 'contract/branding';

import type {ServerConfig} from '../mattermost/api';

// Pure functions between the server config and the branding values. Nothing here saves anything.

/** The branding fields as the config has them; a missing or mistyped setting reads as its default. */
export function readBrandingValues(config: ServerConfig): BrandingValues {
    const values = {...defaultBrandingValues} as Record<BrandingField, string | boolean>;
    for (const field of brandingFieldNames) {
        const [section, key] = BrandingFields[field];
        const raw = config?.[section]?.[key];
        if (typeof raw === typeof defaultBrandingValues[field]) {
            values[field] = raw;
        }
    }
    return values as BrandingValues;
}

/** The fields whose values differ, in field order. */
export function changedFields(before: BrandingValues, after: BrandingValues): BrandingField[] {
    return brandingFieldNames.filter((field) => before[field] !== after[field]);
}

/**
 * A copy of `config` with exactly the branding settings set to `values` and every other key (secrets
 * included) as it was. Pass the UNSANITIZED config: the sanitized one has its secrets masked, and
 * saving it would replace them with the mask.
 */
export function patchConfig(config: ServerConfig, values: BrandingValues): ServerConfig {
    const next: ServerConfig = JSON.parse(JSON.stringify(config));
    for (const field of brandingFieldNames) {
        const [section, key] = BrandingFields[field];
        if (typeof next[section] !== 'object' || next[section] === null) {
            next[section] = {};
        }
        next[section][key] = values[field];
    }
    return next;
}

/** The subset of `values` for `fields` (audit before/after: only what changed). */
export function pick(values: BrandingValues, fields: readonly BrandingField[]): Partial<BrandingValues> {
    return Object.fromEntries(fields.map((field) => [field, values[field]])) as Partial<BrandingValues>;
}
