import type {Bundle, BundleApply, BundlePart, PartPreview} from 'contract/bundle';

import type {HookContext} from '../app/capability';
import type {VersionedRecord} from '../kv/records';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// What every part of a bundle does, in one shape: export it from this server, and plan its import
// (what would change, what stops it) with the writes that carry the plan out.

/** What reading needs (export and preview change nothing). */
export interface PartReadContext {
    api: ReadOnlyMattermostApi;
    kv: KvReader;
}

/** A change made for the admin applying the bundle (the audit names them). */
export type PartWriteContext = HookContext & {userId: string};

/** What the webapp still has to do after a part applied (the brand image, which the plugin API cannot set). */
export type PartFollowUp = Pick<BundleApply, 'image_action' | 'image_version'>;

/** The import of one part on this server, planned from what this server holds now. */
export interface PartPlan {
    preview: PartPreview;

    /**
     * Writes the part, each record by compare-and-set on the version the plan read (a write made since
     * is a 409), and records its audit entry. Throws when any write fails, after taking back the ones
     * already made: the part is applied entirely or not at all.
     */
    apply(context: PartWriteContext): PartFollowUp | undefined;
}

export interface BundlePartHandler<P extends BundlePart> {
    export(context: PartReadContext, options: {includePeople: boolean}): NonNullable<Bundle['parts'][P]>;
    plan(context: PartReadContext, value: NonNullable<Bundle['parts'][P]>, bundle: Bundle): PartPlan;
}

export function emptyPreview(part: BundlePart): PartPreview {
    return {part, added: [], changed: [], removed: [], unchanged: 0, problems: [], notes: []};
}

export function hasChanges(preview: PartPreview): boolean {
    return preview.added.length + preview.changed.length + preview.removed.length > 0;
}

/** A write and how to take it back. */
export interface UndoableWrite {
    run(context: PartWriteContext): void;
    undo(context: PartWriteContext): void;
}

/**
 * Runs the writes in order; when one fails, takes back the ones made (newest first) and rethrows. A
 * failed take-back is logged: the error that stopped the part is what the admin sees.
 */
export function runAll(context: PartWriteContext, part: BundlePart, writes: readonly UndoableWrite[]): void {
    const done: UndoableWrite[] = [];
    try {
        for (const write of writes) {
            write.run(context);
            done.push(write);
        }
    } catch (error) {
        for (const write of done.reverse()) {
            try {
                write.undo(context);
            } catch (undoError) {
                context.log.error('Could not take back a write of a bundle part that failed', {
                    part, error: undoError instanceof Error ? undoError.message : String(undoError),
                });
            }
        }
        throw error;
    }
}

/** Canonical JSON for "is it the same": object keys sorted, so the order a file lists them in does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, inner: unknown) => {
        if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
            return inner;
        }
        return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    });
}

/** Adds ids to an index record (`{ids}`, compare-and-set with retries); taking it back removes them again. */
export function indexAdds(index: VersionedRecord<{ids: string[]}>, added: readonly string[]): UndoableWrite {
    return {
        run: ({kv}) => {
            kv.updateWithRetry(index, (current) => {
                const known = current?.ids ?? [];
                return {ids: [...known, ...added.filter((id) => !known.includes(id))]};
            }, 10);
        },
        undo: ({kv}) => {
            kv.updateWithRetry(index, (current) => ({ids: (current?.ids ?? []).filter((id) => !added.includes(id))}), 10);
        },
    };
}
