import {HostError, isHostError} from '../../host/errors';
import type {KVCreateResult, KVItem, KvApi, KVSetOptions} from '../../mattermost/api';

/** model.KeyValueKeyMaxRunes: the server rejects longer keys. */
const maxKeyLength = 150;

interface Entry {
    value: string;

    /** Unix ms; undefined = never expires. */
    expiresAt?: number;
}

/**
 * The plugin KV store with the server's semantics: compare-and-set compares the stored bytes,
 * `null` as the old value means "must not exist", a null new value deletes, and expired keys
 * behave as missing everywhere (get, list, compare-and-set).
 */
export class InMemoryKv implements KvApi {
    private readonly entries = new Map<string, Entry>();

    constructor(private readonly now: () => number) {}

    get(key: string): string | null {
        return this.live(key)?.value ?? null;
    }

    set(key: string, value: string): void {
        this.write(key, value, 0);
    }

    setWithOptions(key: string, value: string | null, options: KVSetOptions): boolean {
        if (options.atomic && this.get(key) !== (options.old_value ?? null)) {
            return false;
        }
        this.write(key, value, options.expire_in_seconds ?? 0);
        return true;
    }

    setWithExpiry(key: string, value: string, expireInSeconds: number): void {
        this.write(key, value, expireInSeconds);
    }

    compareAndSet(key: string, oldValue: string | null, newValue: string): boolean {
        return this.setWithOptions(key, newValue, {atomic: true, old_value: oldValue});
    }

    /**
     * One item after the other through compareAndSet, as separate writes: the host writes them in parallel,
     * so a crash may land between any two (crashPoints.ts counts each).
     */
    createAll(items: KVItem[]): KVCreateResult[] {
        return items.map(({key, value}) => {
            try {
                return {created: this.compareAndSet(key, null, value)};
            } catch (error) {
                if (!isHostError(error)) {
                    throw error;
                }
                return {created: false, error: {status_code: error.status_code, id: error.id, message: error.message}};
            }
        });
    }

    delete(key: string): void {
        this.write(key, null, 0);
    }

    /** Keys in ascending order, like the server's `ORDER BY PKey`. */
    listKeys(page: number, perPage: number): string[] {
        const live = [...this.entries.keys()].filter((key) => this.live(key)).sort();
        return live.slice(page * perPage, (page + 1) * perPage);
    }

    private live(key: string): Entry | undefined {
        const entry = this.entries.get(key);
        if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
            this.entries.delete(key);
            return undefined;
        }
        return entry;
    }

    private write(key: string, value: string | null, expireInSeconds: number): void {
        if (key === '' || [...key].length > maxKeyLength) {
            throw new HostError(400, 'model.plugin_key_value.is_valid.key.app_error', `invalid key "${key}"`);
        }
        if (value === null) {
            this.entries.delete(key);
            return;
        }
        const expiresAt = expireInSeconds > 0 ? this.now() + (expireInSeconds * 1000) : undefined;
        this.entries.set(key, {value, expiresAt});
    }
}
