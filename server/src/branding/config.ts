import {BrandingFields, brandingFieldNames, defaultBrandingValues, type BrandingField, type BrandingValues} from 'contract/branding';

import type {ServerConfig} from '../mattermost/api';

// Pure functions between the server config and the branding values. Nothing here saves anything.

/**
 * The branding fields as the config has them. A missing setting reads as false or '': the config
 * crosses the plugin RPC as gob, which sends false and '' as nothing, so "missing" means exactly that
 * (reading the server's default instead showed a saved AllowBannerDismissal=false as true).
 */
export function readBrandingValues(config: ServerConfig): BrandingValues {
    const values = {} as Record<BrandingField, string | boolean>;
    for (const field of brandingFieldNames) {
        const [section, key] = BrandingFields[field];
        const raw = config?.[section]?.[key];
        const zero = typeof defaultBrandingValues[field] === 'boolean' ? false : '';
        values[field] = typeof raw === typeof zero ? raw : zero;
    }
    return values as BrandingValues;
}

/** The fields whose values differ, in field order. */
export function changedFields(before: BrandingValues, after: BrandingValues): BrandingField[] {
    return brandingFieldNames.filter((field) => before[field] !== after[field]);
}

/** The config patch that sets `fields` to their `values`: those settings, by section, and nothing else. */
export function brandingPatch(values: BrandingValues, fields: readonly BrandingField[]): ServerConfig {
    const patch: ServerConfig = {};
    for (const field of fields) {
        const [section, key] = BrandingFields[field];
        patch[section] = {...patch[section], [key]: values[field]};
    }
    return patch;
}

/** The subset of `values` for `fields` (audit before/after: only what changed). */
export function pick(values: BrandingValues, fields: readonly BrandingField[]): Partial<BrandingValues> {
    return Object.fromEntries(fields.map((field) => [field, values[field]])) as Partial<BrandingValues>;
}
