import {
    bannerFields,
    brandingFieldNames,
    defaultMaxFileSize,
    historyImageMaxBytes,
    type BrandImageState,
    type BrandingHistoryPage,
    type BrandingState,
    type BrandingValues,
    type BrandingVersion,
    type ImageAction,
    type ImageChange,
    type StoredBrandImage,
} from 'contract/branding';
import {base64ToBytes, sha256Hex} from 'contract/bytes';
import {ErrorIds} from 'contract/errors';

import {brandingPatch, changedFields, pick, readBrandingValues} from './config';

import {asActor, auditTotal, recordAuditOnce, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

type ReadApi = Pick<ReadOnlyMattermostApi, 'config' | 'system'>;

export function brandingHead(kv: KvReader): number {
    return kv.readVersioned(KvKeys.brandingHead).value?.count ?? 0;
}

export function readVersion(kv: KvReader, version: number): BrandingVersion | undefined {
    return version > 0 ? kv.readVersioned(KvKeys.brandingVersion(version)).value : undefined;
}

/** The image as the newest recorded version has it; `unknown` before the first apply. */
function currentImage(kv: KvReader, head: number): BrandImageState {
    // A number whose write failed has no record: fall back to the one before.
    for (let version = head; version > 0; version--) {
        const record = readVersion(kv, version);
        if (record) {
            return record.image;
        }
    }
    return {state: 'unknown'};
}

function hasAnnouncementLicense(api: ReadApi): boolean {
    return api.system.getLicense()?.features?.announcement === true;
}

export function readBrandingState(api: ReadApi, kv: KvReader): BrandingState {
    // Branding settings are not secrets: the sanitized config has them as they are.
    const config = api.config.get();
    const head = brandingHead(kv);
    const maxFileSize = config?.FileSettings?.MaxFileSize;
    return {
        values: readBrandingValues(config),
        version: head,
        image: currentImage(kv, head),
        license: {announcement: hasAnnouncementLicense(api)},
        site_url: typeof config?.ServiceSettings?.SiteURL === 'string' ? config.ServiceSettings.SiteURL : '',
        max_image_bytes: typeof maxFileSize === 'number' && maxFileSize > 0 ? maxFileSize : defaultMaxFileSize,
        history_image_max_bytes: historyImageMaxBytes,
    };
}

/** Newest first; `page` counts from 0. A number whose write failed leaves a hole, skipped. */
export function readHistoryPage(kv: KvReader, page: number, perPage: number): BrandingHistoryPage {
    const total = brandingHead(kv);
    const versions: BrandingVersion[] = [];
    const newest = total - (page * perPage);
    for (let version = newest; version >= Math.max(1, (newest - perPage) + 1); version--) {
        const record = readVersion(kv, version);
        if (record) {
            versions.push(record);
        }
    }
    return {versions, total};
}

export interface BrandingWriteContext extends AuditContext {
    api: MattermostApi;
}

function sameImage(a: BrandImageState, b: BrandImageState): boolean {
    if (a.state === 'set' && b.state === 'set') {
        return a.sha256 === b.sha256;
    }
    return a.state === b.state;
}

/** Checks an uploaded image's bytes against what the webapp says they are. */
function checkedImageData(change: Extract<ImageChange, {kind: 'uploaded'}>): string | undefined {
    if (change.data_base64 === undefined) {
        if (change.size <= historyImageMaxBytes) {
            throw ApiError.invalid(`An image of ${change.size} bytes must come with its data, to keep it for rollback.`);
        }
        return undefined;
    }
    let bytes: Uint8Array;
    try {
        bytes = base64ToBytes(change.data_base64);
    } catch {
        throw ApiError.invalid('The image data is not valid base64.');
    }
    if (bytes.length !== change.size || bytes.length > historyImageMaxBytes) {
        throw ApiError.invalid(
            `The image data has ${bytes.length} bytes, not the ${change.size} announced (at most ${historyImageMaxBytes} are kept).`,
        );
    }
    if (sha256Hex(bytes) !== change.sha256) {
        throw ApiError.invalid('The image data does not match its SHA-256.');
    }
    return change.data_base64;
}

interface WriteRequest {
    expectedVersion: number;
    values: BrandingValues;
    kind: 'apply' | 'rollback';
    rolledBackFrom?: number;

    /** The image as it will be after this write (the webapp changes it through the REST API). */
    image: (claimed: number, previous: BrandImageState) => BrandImageState;
    imageData?: StoredBrandImage;
    action: string;
}

type BrandingHeadValue = NonNullable<ReturnType<typeof readHead>['value']>;
type PendingWrite = NonNullable<BrandingHeadValue['pending']>;

function readHead(kv: KvReader) {
    return kv.readVersioned(KvKeys.brandingHead);
}

/**
 * How old a pending write must be before a later write repairs it. A younger one may still be in
 * flight on this node or another; after a crash the plugin's restart repairs it at once (onActivate).
 */
const stalePendingMs = 60_000;

/** The config side of a pending write happened: a changed setting holds the new value (one save sets all). */
function pendingWasSaved(pending: PendingWrite, values: BrandingValues): boolean {
    const fields = brandingFieldNames.filter((field) => pending.record.changed.includes(field));
    return fields.length === 0 || fields.some((field) => values[field] === pending.record.values[field]);
}

/**
 * The last steps of a write, after the config was saved: the version record, its audit entry, then the
 * pending mark goes. Each step can be repeated (the record is created once, the audit entry appended
 * once), so a write killed anywhere in here is finished by running it again.
 */
function finishPending(context: BrandingWriteContext, headVersion: number, pending: PendingWrite): BrandingVersion {
    const {api, kv} = context;

    // Read back: a setting pinned by an environment variable keeps the environment's value.
    const after = readBrandingValues(api.config.get());
    const configChanged = brandingFieldNames.some((field) => pending.record.changed.includes(field));
    const notApplied = configChanged ? brandingFieldNames.filter((field) => after[field] !== pending.record.values[field]) : [];
    const record: BrandingVersion = {...pending.record, not_applied: notApplied};
    const existing = readVersion(kv, record.version);
    if (!existing) {
        kv.writeVersioned(KvKeys.brandingVersion(record.version), record, 0);
    }
    recordAuditOnce(asActor(context, record.user_id), {
        action: pending.action,
        target: `branding:version:${record.version}`,
        before: pending.audit_before,
        after: {...(pending.audit_after as object), ...(notApplied.length > 0 ? {not_applied: notApplied} : {})},
    }, record.at, pending.audit_from);
    kv.writeVersioned(KvKeys.brandingHead, {count: record.version}, headVersion);
    return existing ?? record;
}

/** Gives a pending write's numbers back: its config was never saved, so nothing happened. */
function releasePending(kv: KvStore, headVersion: number, pending: PendingWrite): void {
    if (pending.record.image.state === 'set' && pending.record.image.stored_in === pending.record.version) {
        kv.delete(KvKeys.brandingImage(pending.record.version));
    }
    if (pending.baseline) {
        kv.delete(KvKeys.brandingVersion(1));
    }
    kv.writeVersioned(KvKeys.brandingHead, {count: pending.previous}, headVersion);
}

/**
 * Crash repair: a write that left its pending mark (the process died between the claim and the end)
 * is finished when the config has its values, or released when it does not. Runs in onActivate (any
 * age) and before each write (only when stale). Returns what it did, for the log and the tests.
 */
export function repairBranding(context: BrandingWriteContext, minAgeMs: number): 'none' | 'finished' | 'released' {
    const head = readHead(context.kv);
    const pending = head.value?.pending;
    if (!pending || Date.now() - pending.record.at < minAgeMs) {
        return 'none';
    }
    if (pendingWasSaved(pending, readBrandingValues(context.api.config.get()))) {
        finishPending(context, head.version, pending);
        context.log.warn('Finished a branding write interrupted after its config was saved', {version: pending.record.version});
        return 'finished';
    }
    releasePending(context.kv, head.version, pending);
    context.log.warn('Released a branding write interrupted before its config was saved', {version: pending.record.version});
    return 'released';
}

/**
 * One branding write (apply or rollback): version check → claim the next version by compare-and-set
 * on the head, the claim carrying the whole intended write (`pending`) → patch exactly the changed
 * branding settings, as the admin who asked (config.patchAs) → record the version → audit → clear
 * pending. The first write also records the values it replaced as version 1 (`baseline`), so the state before the cockpit
 * can be restored. KV and the config cannot change in one transaction: the pending mark is what lets
 * a write killed anywhere end fully applied or not at all (repairBranding).
 */
function writeBranding(context: BrandingWriteContext, request: WriteRequest): BrandingVersion | null {
    const {api, kv, userId} = context;
    repairBranding(context, stalePendingMs);
    const head = readHead(kv);
    const current = head.value?.count ?? 0;
    if (current !== request.expectedVersion || head.value?.pending) {
        // A pending write holds the head: another request is between its claim and its end.
        throw new ConflictError(KvKeys.brandingHead.key, request.expectedVersion, head.value?.pending?.previous ?? current);
    }
    const config = api.config.get();
    const before = readBrandingValues(config);
    const previousImage = currentImage(kv, current);
    const changed = changedFields(before, request.values);
    const needsBaseline = current === 0;

    // Checked before anything is written: the server drops banner settings without the feature.
    const bannerChanges = changed.filter((field) => bannerFields.includes(field));
    if (bannerChanges.length > 0 && !hasAnnouncementLicense(api)) {
        throw new ApiError(
            400,
            ErrorIds.brandingNeedsLicense,
            'The announcement banner needs a license with the "announcement" feature; this server\'s license does not have it ' +
            `(changed: ${bannerChanges.join(', ')}).`,
        );
    }

    const claimed = current + (needsBaseline ? 2 : 1);
    const image = request.image(claimed, previousImage);
    if (changed.length === 0 && sameImage(image, previousImage) && request.kind === 'apply') {
        return null;
    }

    const now = Date.now();
    const imageChanged = !sameImage(image, previousImage);
    const pending: PendingWrite = {
        previous: current,
        baseline: needsBaseline,
        record: {
            version: claimed,
            at: now,
            user_id: userId,
            kind: request.kind,
            ...(request.rolledBackFrom === undefined ? {} : {rolled_back_from: request.rolledBackFrom}),
            values: request.values,
            image,
            changed: [...changed, ...(imageChanged ? ['brand_image'] : [])],
            not_applied: [],
        },
        action: request.action,
        audit_before: {...pick(before, changed), ...(imageChanged ? {brand_image: imageSummary(previousImage)} : {})},
        audit_after: {
            ...pick(request.values, changed),
            ...(imageChanged ? {brand_image: imageSummary(image)} : {}),
            ...(request.rolledBackFrom === undefined ? {} : {rolled_back_from: request.rolledBackFrom}),
        },
        audit_from: auditTotal(kv),
    };

    // The claim: a concurrent writer with the same expected version loses here with a 409.
    const claim = kv.writeVersioned(KvKeys.brandingHead, {count: claimed, pending}, head.version);
    try {
        if (needsBaseline) {
            kv.writeVersioned(KvKeys.brandingVersion(1), {
                version: 1, at: now, user_id: userId, kind: 'baseline', values: before, image: previousImage, changed: [], not_applied: [],
            }, 0);
        }
        if (request.imageData) {
            kv.writeVersioned(KvKeys.brandingImage(claimed), request.imageData, 0);
        }
        if (changed.length > 0) {
            api.config.patchAs(userId, brandingPatch(request.values, changed));
        }
    } catch (error) {
        // Nothing was saved: give the claimed numbers back so the history has no hole and the next
        // apply (at the same expected version) can proceed. Best effort; the error is what matters
        // (if this fails too, the pending mark stays and repairBranding releases it later).
        try {
            if (request.imageData) {
                kv.delete(KvKeys.brandingImage(claimed));
            }
            if (needsBaseline) {
                kv.delete(KvKeys.brandingVersion(1));
            }
            kv.writeVersioned(KvKeys.brandingHead, {count: current}, claim.version);
        } catch (cleanup) {
            context.log.error('Could not release a branding version after a failed save', {
                claimed, error: cleanup instanceof Error ? cleanup.message : String(cleanup),
            });
        }
        throw error;
    }
    return finishPending(context, claim.version, pending);
}

function imageSummary(image: BrandImageState): unknown {
    return image.state === 'set' ? {sha256: image.sha256, size: image.size, content_type: image.content_type} : image.state;
}

export function applyBranding(
    context: BrandingWriteContext,
    body: {expected_version: number; values: BrandingValues; image?: ImageChange},
): BrandingVersion | null {
    const change = body.image ?? {kind: 'unchanged'};
    const data = change.kind === 'uploaded' ? checkedImageData(change) : undefined;
    return writeBranding(context, {
        expectedVersion: body.expected_version,
        values: body.values,
        kind: 'apply',
        action: 'branding.apply',
        imageData:
            change.kind === 'uploaded' && data !== undefined ?
                {sha256: change.sha256, content_type: change.content_type, data_base64: data} :
                undefined,
        image: (claimed, previous) => {
            switch (change.kind) {
            case 'unchanged':
                return previous;
            case 'deleted':
                return {state: 'none'};
            default:
                return {
                    state: 'set',
                    sha256: change.sha256,
                    content_type: change.content_type,
                    size: change.size,
                    ...(data === undefined ? {} : {stored_in: claimed}),
                };
            }
        },
    });
}

/** What the webapp has to do so the brand image matches `target`. */
export function imageActionFor(target: BrandImageState, current: BrandImageState): {action: ImageAction; version?: number} {
    if (target.state === 'unknown' || sameImage(target, current)) {
        return {action: 'none'};
    }
    if (target.state === 'none') {
        return {action: 'delete'};
    }
    return target.stored_in === undefined ? {action: 'unavailable'} : {action: 'upload', version: target.stored_in};
}

export function rollbackBranding(
    context: BrandingWriteContext,
    body: {expected_version: number; version: number},
): {applied: BrandingVersion; image: {action: ImageAction; version?: number}} {
    const target = readVersion(context.kv, body.version);
    if (!target) {
        throw ApiError.notFound(`Branding version ${body.version} does not exist.`);
    }
    const previous = currentImage(context.kv, brandingHead(context.kv));
    const image = imageActionFor(target.image, previous);
    const applied = writeBranding(context, {
        expectedVersion: body.expected_version,
        values: target.values,
        kind: 'rollback',
        rolledBackFrom: body.version,
        action: 'branding.rollback',

        // The webapp restores the image when it can; when it cannot, the current one stays.
        image: (_claimed, current) => (image.action === 'upload' || image.action === 'delete' ? target.image : current),
    });

    // A rollback always records a version (kind 'rollback' is never skipped), so applied is not null.
    return {applied: applied as BrandingVersion, image};
}
