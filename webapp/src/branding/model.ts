// Pure helpers of the branding studio: form validation, env-pinned fields, the brand image checks.
import type {IntlShape} from 'react-intl';

import {
    BrandingFields,
    brandingFieldNames,
    BrandingValuesSchema,
    brandImageTypes,
    historyImageMaxBytes,
    type BrandingField,
    type BrandingValues,
    type ImageChange,
} from 'contract/branding';
import {bytesToBase64, sha256Hex} from 'contract/bytes';

export type FieldErrors = Partial<Record<BrandingField, string>>;

/** The contract's rules, per field (the same schema the server validates the apply with). */
export function validateValues(values: BrandingValues): FieldErrors {
    const result = BrandingValuesSchema.safeParse(values);
    if (result.success) {
        return {};
    }
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
        const field = issue.path[0] as BrandingField;
        if (brandingFieldNames.includes(field) && errors[field] === undefined) {
            errors[field] = issue.message;
        }
    }
    return errors;
}

/**
 * The fields the server takes from environment variables: GET /api/v4/config/environment answers the
 * overridden settings as a config-shaped object of `true` flags.
 */
export function pinnedFields(environment: unknown): Set<BrandingField> {
    const pinned = new Set<BrandingField>();
    if (typeof environment !== 'object' || environment === null) {
        return pinned;
    }
    const env = environment as Record<string, Record<string, unknown> | undefined>;
    for (const field of brandingFieldNames) {
        const [section, key] = BrandingFields[field];
        if (env[section]?.[key] === true) {
            pinned.add(field);
        }
    }
    return pinned;
}

export type BrandImageType = typeof brandImageTypes[number];

/** The type from the first bytes (what the server's decoder goes by), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): BrandImageType | null {
    const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
    if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
        return 'image/png';
    }
    if (starts(0xff, 0xd8, 0xff)) {
        return 'image/jpeg';
    }
    if (starts(0x47, 0x49, 0x46, 0x38)) {
        return 'image/gif';
    }
    return null;
}

export type ImageProblem =
    | {kind: 'empty'}
    | {kind: 'tooLarge'; size: number; max: number}
    | {kind: 'notImage'; type: string};

/** A chosen brand image, checked and ready: what the preview shows and the apply sends. */
export interface PreparedImage {
    file: File;
    type: BrandImageType;
    size: number;
    sha256: string;

    /** Base64 of the bytes (the preview's data URL and, up to 1 MB, the copy kept for rollback). */
    base64: string;

    /** False when the image is larger than history keeps: a rollback cannot restore it. */
    keptForRollback: boolean;
}

export function readBytes(file: Blob): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
        reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
        reader.readAsArrayBuffer(file);
    });
}

/**
 * Checks a chosen file BEFORE anything is uploaded: not empty, not larger than the server takes
 * (FileSettings.MaxFileSize), and a PNG, JPEG or GIF by its content, not only its name or type.
 */
export async function prepareImage(file: File, maxBytes: number): Promise<{image: PreparedImage} | {problem: ImageProblem}> {
    if (file.size === 0) {
        return {problem: {kind: 'empty'}};
    }
    if (file.size > maxBytes) {
        return {problem: {kind: 'tooLarge', size: file.size, max: maxBytes}};
    }
    const bytes = await readBytes(file);
    const type = sniffImageType(bytes);
    if (!type || !(brandImageTypes as readonly string[]).includes(file.type || type)) {
        return {problem: {kind: 'notImage', type: file.type || file.name}};
    }
    return {
        image: {
            file,
            type,
            size: bytes.length,
            sha256: sha256Hex(bytes),
            base64: bytesToBase64(bytes),
            keptForRollback: bytes.length <= historyImageMaxBytes,
        },
    };
}

export function imageChangeFor(image: PreparedImage | 'delete' | null): ImageChange | undefined {
    if (image === null) {
        return undefined;
    }
    if (image === 'delete') {
        return {kind: 'deleted'};
    }
    return {
        kind: 'uploaded',
        sha256: image.sha256,
        content_type: image.type,
        size: image.size,
        ...(image.keptForRollback ? {data_base64: image.base64} : {}),
    };
}

/** Bytes as `1.5 MB`, `820 kB` in the admin's locale (`1,5 MB` in German). */
export function formatBytes(n: number, intl: Pick<IntlShape, 'formatNumber'>): string {
    if (n >= 1024 * 1024) {
        const maximumFractionDigits = n % (1024 * 1024) === 0 ? 0 : 1;
        return intl.formatNumber(n / (1024 * 1024), {style: 'unit', unit: 'megabyte', maximumFractionDigits});
    }
    return intl.formatNumber(Math.ceil(n / 1024), {style: 'unit', unit: 'kilobyte'});
}
