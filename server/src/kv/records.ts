import type {z} from 'zod';

// A record descriptor names one KV key and the schema of its value. Storage is typed through these:
// nothing reads or writes a raw key. Plain records hold the JSON value itself; versioned records hold
// `{"version": n, "value": …}` and are only written by compare-and-set on the version.

/** model.KeyValueKeyMaxRunes */
const maxKeyLength = 150;

export interface PlainRecord<T> {
    readonly kind: 'plain';
    readonly key: string;
    readonly schema: z.ZodType<T>;
}

export interface VersionedRecord<T> {
    readonly kind: 'versioned';
    readonly key: string;
    readonly schema: z.ZodType<T>;

    /**
     * Whether reads re-validate the value. Writes always do. Large records turn it off: they only
     * ever get in through writeVersioned, and re-validating them in goja dominates every read.
     */
    readonly checkOnRead: boolean;
}

function checkedKey(key: string): string {
    // Keys are built as `<namespace>:<part>[:<part>…]`; an empty part means an id was missing.
    if (key.length > maxKeyLength || key.split(':').some((part) => part === '')) {
        throw new Error(`invalid KV key "${key}"`);
    }
    return key;
}

export function plainRecord<T>(key: string, schema: z.ZodType<T>): PlainRecord<T> {
    return {kind: 'plain', key: checkedKey(key), schema};
}

export function versionedRecord<T>(key: string, schema: z.ZodType<T>, options: {checkOnRead?: boolean} = {}): VersionedRecord<T> {
    return {kind: 'versioned', key: checkedKey(key), schema, checkOnRead: options.checkOnRead ?? true};
}
