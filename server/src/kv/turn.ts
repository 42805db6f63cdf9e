import {ConflictError} from './conflictError';
import type {ParsedRecords} from './store';

import type {Logger} from '../host/log';
import type {KvApi} from '../mattermost/api';

/**
 * One turn of several requests that write the same record (the host hands a batch of serialized requests
 * to one engine while it holds their lock): the record's writes stay in memory, each request sees the ones
 * before it, and `commit` stores the result with ONE compare-and-set against the value the turn first
 * read. What must happen only once the record is stored (audit entries, DMs) waits in `afterCommit`.
 *
 * Every other key passes straight through. The record may only be written by compare-and-set inside a
 * turn (versioned records are), so a plain write of it is a bug and throws.
 */
export class KvTurn {
    readonly kv: KvApi & ParsedRecords;

    /** When the turn began (ms): whatever the turn writes is stamped no earlier. */
    readonly startedAt = Date.now();
    private read: {original: string | null; value: string | null} | undefined;
    private waiting: Array<{what: string; run: () => void}> = [];

    /**
     * The record's current text and its parsed form: every request of the turn reads the record and writes
     * it back (a 436 KB plan of 300 tasks takes milliseconds to parse), so it is parsed at most once per
     * value, and the value a request writes is kept as written (not parsed back) for the next request.
     * Shared by the turn's requests: a reader must not change what it gets (the plan edits copy first).
     */
    private parsedValue: {raw: string; value: unknown} | undefined;
    private readonly locals = new Map<string, unknown>();

    constructor(private readonly real: KvApi, readonly key: string) {
        const held = (key: string) => key === this.key;
        const refuse = (operation: string) => {
            throw new Error(`${operation} of ${this.key} inside a turn: only compare-and-set is kept for the commit`);
        };
        this.kv = {
            get: (key) => (held(key) ? this.current().value : real.get(key)),
            set: (key, value) => (held(key) ? refuse('set') : real.set(key, value)),
            setWithOptions: (key, value, options) => (held(key) ? refuse('setWithOptions') : real.setWithOptions(key, value, options)),
            setWithExpiry: (key, value, seconds) => (held(key) ? refuse('setWithExpiry') : real.setWithExpiry(key, value, seconds)),
            compareAndSet: (key, oldValue, newValue) => {
                if (!held(key)) {
                    return real.compareAndSet(key, oldValue, newValue);
                }
                const current = this.current();
                if (current.value !== oldValue) {
                    return false;
                }
                current.value = newValue;
                return true;
            },
            createAll: (items) => (items.some((item) => held(item.key)) ? refuse('createAll') : real.createAll(items)),
            delete: (key) => (held(key) ? refuse('delete') : real.delete(key)),
            listKeys: (page, perPage) => real.listKeys(page, perPage),
            parsed: (key, raw) => {
                if (!held(key)) {
                    return JSON.parse(raw);
                }
                if (this.parsedValue?.raw !== raw) {
                    this.parsedValue = {raw, value: JSON.parse(raw)};
                }
                return this.parsedValue.value;
            },
            written: (key, raw, value) => {
                if (held(key) && this.read?.value === raw) {
                    this.parsedValue = {raw, value};
                }
            },
        };
    }

    private current(): {original: string | null; value: string | null} {
        if (!this.read) {
            const original = this.real.get(this.key);
            this.read = {original, value: original};
        }
        return this.read;
    }

    /** A value the requests of this turn share (made by `create` the first time `name` is asked for), gone with the turn. */
    local<T>(name: string, create: () => T): T {
        if (!this.locals.has(name)) {
            this.locals.set(name, create());
        }
        return this.locals.get(name) as T;
    }

    /** Runs `run` after the commit (or now, when `turn` is undefined: the request is not part of a turn). */
    static afterCommit(turn: KvTurn | undefined, what: string, run: () => void): void {
        if (turn) {
            turn.waiting.push({what, run});
        } else {
            run();
        }
    }

    /**
     * Stores the record with one compare-and-set (nothing to store: no write), then runs what waited for it,
     * in order; one failing is logged and the others still run (the record is stored: they are owed).
     * Throws ConflictError, having stored nothing and run nothing, when someone else wrote the record since
     * the turn read it: the caller runs the turn's requests again on a new turn.
     */
    commit(log: Logger): void {
        const read = this.read;
        if (read && read.value !== read.original) {
            if (read.value === null || !this.real.compareAndSet(this.key, read.original, read.value)) {
                throw new ConflictError(this.key, 0, 0);
            }
        }
        const waiting = this.waiting;
        this.waiting = [];
        for (const {what, run} of waiting) {
            try {
                run();
            } catch (error) {
                log.error('A step after a turn\'s write failed; the write stands', {
                    step: what,
                    key: this.key,
                    error: error instanceof Error ? error.message : String(error),
                });
            }
        }
    }
}
