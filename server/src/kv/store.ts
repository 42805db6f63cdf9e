import {z} from 'zod';

import {lazySchema} from 'contract/lazy';

import {ConflictError} from './conflictError';
import type {PlainRecord, VersionedRecord} from './records';

import {HostError} from '../host/errors';
import type {KvApi} from '../mattermost/api';

/** A versioned record's value and the version to pass back when writing it. Version 0 = does not exist. */
export type Versioned<T> = {value: T; version: number} | {value: undefined; version: 0};

/**
 * A KV source that keeps records parsed (a turn, kv/turn.ts): `parsed` is JSON.parse(raw), kept while the
 * text stays the same; `written` tells it that `raw` was just stored as the JSON of `value`. Callers must
 * treat what they get as shared and never change it.
 */
export interface ParsedRecords {
    parsed(key: string, raw: string): unknown;
    written(key: string, raw: string, value: unknown): void;
}

function keepsParsed(source: object): source is ParsedRecords {
    return 'parsed' in source && 'written' in source;
}

const envelopeSchema = lazySchema(() => z.object({version: z.number().int().positive(), value: z.unknown().optional()}));

function validated<T>(key: string, schema: z.ZodType<T>, stored: unknown): T {
    const result = schema.safeParse(stored);
    if (!result.success) {
        // Stored data that no longer matches its schema is a bug (or a missing migration), not a client error.
        throw new Error(`KV record ${key} does not match its schema: ${result.error.message}`);
    }
    return result.data;
}

/** Typed reads. GET handlers get only this, so they cannot write. */
export class KvReader {
    constructor(private readonly source: Pick<KvApi, 'get'>) {}

    get<T>(record: PlainRecord<T>): T | undefined {
        const raw = this.source.get(record.key);
        return raw === null ? undefined : validated(record.key, record.schema, JSON.parse(raw));
    }

    readVersioned<T>(record: VersionedRecord<T>): Versioned<T> {
        return this.readEnvelope(record).versioned;
    }

    protected readEnvelope<T>(record: VersionedRecord<T>): {raw: string | null; versioned: Versioned<T>} {
        const raw = this.source.get(record.key);
        if (raw === null) {
            return {raw, versioned: {value: undefined, version: 0}};
        }
        const parsed = keepsParsed(this.source) ? this.source.parsed(record.key, raw) : JSON.parse(raw);
        const envelope = validated(record.key, envelopeSchema, parsed);
        const value = record.checkOnRead ? validated(record.key, record.schema, envelope.value) : envelope.value as T;
        return {raw, versioned: {value, version: envelope.version}};
    }
}

/** Typed reads and writes. Every read-modify-write goes through writeVersioned or updateWithRetry. */
export class KvStore extends KvReader {
    constructor(private readonly kv: KvApi) {
        super(kv);
    }

    /** For values with a single writer (or where last-write-wins is right). Use a versioned record otherwise. */
    set<T>(record: PlainRecord<T>, value: T): void {
        this.kv.set(record.key, JSON.stringify(record.schema.parse(value)));
    }

    delete(record: PlainRecord<unknown> | VersionedRecord<unknown>): void {
        this.kv.delete(record.key);
    }

    /**
     * Writes `value` if the record is still at `expectedVersion` (0 = create). Throws ConflictError
     * (HTTP 409) when someone else wrote in between, so no update is ever silently lost. `validated`:
     * the caller has checked every part of `value` that differs from the stored record, so the whole
     * value is not parsed again (for large records written often, e.g. one task of the plan).
     */
    writeVersioned<T>(
        record: VersionedRecord<T>,
        value: T,
        expectedVersion: number,
        options: {validated?: boolean} = {},
    ): {value: T; version: number} {
        const {raw, versioned: current} = this.readEnvelope(record);
        if (current.version !== expectedVersion) {
            throw new ConflictError(record.key, expectedVersion, current.version);
        }
        const next = {version: expectedVersion + 1, value: options.validated ? value : record.schema.parse(value)};

        // The version only grows, so equal bytes mean nobody wrote since our read.
        const text = JSON.stringify(next);
        if (!this.kv.compareAndSet(record.key, raw, text)) {
            throw new ConflictError(record.key, expectedVersion, this.readVersioned(record).version);
        }
        if (keepsParsed(this.kv)) {
            this.kv.written(record.key, text, next);
        }
        return next;
    }

    /**
     * Writes version 1 of a record that must not exist yet, without reading it first (a key nobody else
     * writes, e.g. an audit entry under its reserved number). Throws ConflictError when it exists.
     */
    create<T>(record: VersionedRecord<T>, value: T): {value: T; version: number} {
        const next = {version: 1, value: record.schema.parse(value)};
        if (!this.kv.compareAndSet(record.key, null, JSON.stringify(next))) {
            throw new ConflictError(record.key, 0, this.readVersioned(record).version);
        }
        return next;
    }

    /**
     * `create` for many records at once: one call to the host, which writes them in parallel. Per item, in
     * order: undefined when written, a ConflictError when it existed, or the server's error. Some may be
     * written and others not.
     */
    createAll<T>(items: ReadonlyArray<{record: VersionedRecord<T>; value: T}>): Array<Error | undefined> {
        if (items.length === 0) {
            return [];
        }
        const texts = items.map(({record, value}) => ({
            key: record.key,
            value: JSON.stringify({version: 1, value: record.schema.parse(value)}),
        }));
        return this.kv.createAll(texts).map((result, i) => {
            if (result.error) {
                return new HostError(result.error.status_code, result.error.id, result.error.message);
            }
            return result.created ? undefined : new ConflictError(items[i].record.key, 0, 1);
        });
    }

    /**
     * Read-modify-write for internal updates with no human in the loop (counters, lists): on a
     * conflict it re-reads and re-applies `update`, up to `attempts` times, then gives up with the conflict.
     */
    updateWithRetry<T>(record: VersionedRecord<T>, update: (current: T | undefined) => T, attempts = 5): {value: T; version: number} {
        for (let attempt = 1; ; attempt++) {
            const current = this.readVersioned(record);
            try {
                return this.writeVersioned(record, update(current.value), current.version);
            } catch (error) {
                if (!(error instanceof ConflictError) || attempt >= attempts) {
                    throw error;
                }
            }
        }
    }
}
