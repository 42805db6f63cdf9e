import {
    isEnvironmentSpecific,
    type ConfigApply,
    type ConfigApplyHistory,
    type ConfigPatch,
    type ConfigPatchPreview,
    type RefusedSetting,
    type SettingChange,
} from 'contract/configsnapshot';
import {ErrorIds} from 'contract/errors';
import type {ConfigSnapshot} from 'contract/plan_api';

import {SNAPSHOT_SECTIONS, canonical, flattenSettings, isSecretKey} from './snapshot';

import {recordAudit, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';

// Staging → production: the differences an admin picked from another environment's snapshot, as one
// config patch, applied through the server's own patch route as that admin (config.patchAs, the branding
// studio's path), read back, recorded with the values it replaced, audited; a rollback patches those
// values back.

/**
 * The plugin API's config crosses the RPC as gob, which sends false, 0, '' and empty lists as nothing: a
 * null in a snapshot is that setting's zero value. Its type is read from the other side's value.
 */
function zeroLike(value: unknown): unknown {
    if (typeof value === 'boolean') {
        return false;
    }
    if (typeof value === 'number') {
        return 0;
    }
    if (typeof value === 'string') {
        return '';
    }
    if (Array.isArray(value)) {
        return [];
    }
    return typeof value === 'object' && value !== null ? {} : null;
}

function orZero(value: unknown, other: unknown): unknown {
    return value === null || value === undefined ? zeroLike(other) : value;
}

/** The flattened key's path inside the config: `Section.Setting[.Sub…]`, the section one a snapshot covers. */
function pathOf(key: string): string[] | null {
    const parts = key.split('.');
    return parts.length >= 2 && (SNAPSHOT_SECTIONS as readonly string[]).includes(parts[0]) && parts.every((part) => part !== '') ?
        parts :
        null;
}

/** Sets each change's value at its path: `{Section: {Setting: value}}`, sub-sections nested the same way. */
export function patchOf(entries: ReadonlyArray<{key: string; value: unknown}>): ConfigPatch {
    type Node = Record<string, unknown>;
    const patch: Node = {};
    for (const {key, value} of entries) {
        const parts = key.split('.');
        let node = patch;
        for (const part of parts.slice(0, -1)) {
            node[part] = node[part] ?? {};
            node = node[part] as Node;
        }
        node[parts[parts.length - 1]] = value;
    }
    return patch as ConfigPatch;
}

/**
 * The patch that makes this server's `keys` equal the other snapshot's. Environment-specific settings
 * and secrets are refused whatever the snapshot holds (an older or hand-made file may carry them);
 * unknown and unchanged keys are listed too, so the admin sees every picked key's fate.
 */
export function buildPatch(here: Record<string, unknown>, there: Record<string, unknown>, keys: readonly string[]): ConfigPatchPreview {
    const changes: SettingChange[] = [];
    const refused: RefusedSetting[] = [];
    for (const key of [...new Set(keys)].sort()) {
        if (isEnvironmentSpecific(key)) {
            refused.push({key, reason: 'environment'});
        } else if (isSecretKey(key)) {
            refused.push({key, reason: 'secret'});
        } else if (pathOf(key) === null || !(key in there) || (there[key] === null && (here[key] === null || here[key] === undefined))) {
            refused.push({key, reason: 'unknown'});
        } else {
            const after = orZero(there[key], here[key]);
            const before = orZero(here[key], after);
            if (canonical(before) === canonical(after)) {
                refused.push({key, reason: 'unchanged'});
            } else {
                changes.push({key, before, after});
            }
        }
    }
    return {patch: patchOf(changes.map(({key, after}) => ({key, value: after}))), changes, refused};
}

function history(kv: KvReader) {
    return kv.readVersioned(KvKeys.configApplyHead);
}

export function readApplyHistory(kv: KvReader, limit = 50): ConfigApplyHistory {
    const count = history(kv).value?.count ?? 0;
    const changes: ConfigApply[] = [];
    for (let seq = count; seq > 0 && changes.length < limit; seq--) {
        const change = kv.readVersioned(KvKeys.configApply(seq)).value;
        if (change) {
            changes.push(change);
        }
    }
    return {version: count, changes};
}

export interface PromoteContext extends AuditContext {
    api: MattermostApi;
    kv: KvStore;
}

interface WriteRequest {
    expectedVersion: number;
    kind: ConfigApply['kind'];
    changes: SettingChange[];
    source?: ConfigApply['source'];
    rolledBackFrom?: number;
}

/**
 * Claim the next number → record the change with every key unconfirmed → patch as the admin → read back
 * → record what the server kept → audit. The record is written before the patch, so a process killed in
 * between leaves the change listed (unconfirmed) and its rollback possible; a refused patch takes the
 * record and the number back.
 */
function writeChange(context: PromoteContext, request: WriteRequest): ConfigApply {
    const {api, kv, userId} = context;
    const head = history(kv);
    const count = head.value?.count ?? 0;
    if (count !== request.expectedVersion) {
        throw new ConflictError(KvKeys.configApplyHead.key, request.expectedVersion, count);
    }
    const patch = patchOf(request.changes.map(({key, after}) => ({key, value: after})));
    const claim = kv.writeVersioned(KvKeys.configApplyHead, {count: count + 1}, head.version);
    const unconfirmed: ConfigApply = {
        seq: count + 1,
        at: Date.now(),
        user_id: userId,
        kind: request.kind,
        ...(request.rolledBackFrom === undefined ? {} : {rolled_back_from: request.rolledBackFrom}),
        ...(request.source ? {source: request.source} : {}),
        patch,
        changes: request.changes,
        not_applied: request.changes.map(({key}) => key),
    };
    const written = kv.writeVersioned(KvKeys.configApply(unconfirmed.seq), unconfirmed, 0);
    try {
        api.config.patchAs(userId, patch);
    } catch (error) {
        kv.delete(KvKeys.configApply(unconfirmed.seq));
        kv.writeVersioned(KvKeys.configApplyHead, {count}, claim.version);
        throw error;
    }

    // Read back: a setting pinned by an environment variable (or refused by the server) keeps its value.
    const now = flattenSettings(api.config.get());
    const notApplied = request.changes.
        filter(({key, after}) => canonical(orZero(now[key], after)) !== canonical(after)).
        map(({key}) => key);
    const record: ConfigApply = {...unconfirmed, not_applied: notApplied};
    kv.writeVersioned(KvKeys.configApply(record.seq), record, written.version);
    recordAudit(context, {
        action: `config.${request.kind}`,
        target: `config:change:${record.seq}`,
        before: Object.fromEntries(request.changes.map(({key, before}) => [key, before])),
        after: {
            ...Object.fromEntries(request.changes.map(({key, after}) => [key, after])),
            ...(request.rolledBackFrom === undefined ? {} : {rolled_back_from: request.rolledBackFrom}),
            ...(notApplied.length > 0 ? {not_applied: notApplied} : {}),
        },
    }, record.at);
    return record;
}

export function previewPatch(api: Pick<MattermostApi, 'config'>, snapshot: ConfigSnapshot, keys: readonly string[]): ConfigPatchPreview {
    return buildPatch(flattenSettings(api.config.get()), snapshot.settings, keys);
}

export function applySnapshot(
    context: PromoteContext,
    body: {expected_version: number; snapshot: ConfigSnapshot; keys: string[]},
): ConfigApply {
    const preview = previewPatch(context.api, body.snapshot, body.keys);
    const notPromotable = preview.refused.filter(({reason}) => reason === 'environment' || reason === 'secret');
    if (notPromotable.length > 0) {
        throw new ApiError(
            400,
            ErrorIds.configNotPromotable,
            'These settings belong to one environment or are secrets and are never copied: ' +
            `${notPromotable.map(({key}) => key).join(', ')}.`,
        );
    }
    if (preview.changes.length === 0) {
        throw ApiError.invalid('None of the picked settings differs from this server: there is nothing to apply.');
    }
    const {site_url: siteUrl, server_version: serverVersion, taken_at: takenAt} = body.snapshot;
    return writeChange(context, {
        expectedVersion: body.expected_version,
        kind: 'apply',
        changes: preview.changes,
        source: {site_url: siteUrl, server_version: serverVersion, taken_at: takenAt},
    });
}

/** Patches back the values a change replaced (a rollback of a rollback re-applies). */
export function rollbackChange(context: PromoteContext, body: {expected_version: number; seq: number}): ConfigApply {
    const target = context.kv.readVersioned(KvKeys.configApply(body.seq)).value;
    if (!target) {
        throw ApiError.notFound(`There is no applied config change ${body.seq}.`);
    }
    return writeChange(context, {
        expectedVersion: body.expected_version,
        kind: 'rollback',
        rolledBackFrom: body.seq,
        changes: target.changes.map(({key, before, after}) => ({key, before: after, after: before})),
    });
}
