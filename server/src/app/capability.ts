import type {CommandArgs, CommandResponse, EventHookName, HookArguments} from './hooks';

import type {Logger} from '../host/log';
import type {Awaitable, RouteRegistry} from '../http/router';
import type {VersionedRecord} from '../kv/records';
import type {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';

/** What a hook handler or job gets: full API access (hooks are not HTTP GETs) and typed KV. */
export interface HookContext {
    api: MattermostApi;
    kv: KvStore;
    log: Logger;
}

export type EventHandlers = {
    [Hook in EventHookName]?: (argument: HookArguments[Hook], context: HookContext) => Awaitable<void>;
};

/**
 * One product capability (plan, readiness, waves…), declared in its own folder as
 * `export const wavesCapability: Capability = {…}` and listed once in ../capabilities.ts.
 * Everything is optional; the app wires what is present. Keep no state in module scope:
 * each pooled VM has its own globals, so state lives in the KV store.
 */
export interface Capability {
    /** Folder name; appears in logs when a handler fails. */
    readonly name: string;

    /** Registers HTTP routes, each with its guard (see ../http/router.ts). */
    routes?(routes: RouteRegistry): void;

    /** Notification hooks: every capability's handler runs. */
    hooks?: EventHandlers;

    /**
     * Slash commands: the first capability returning a response (not null) answers. Commands must be
     * registered with the server by the host (the bundle has no command binding yet).
     */
    executeCommand?(args: CommandArgs, context: HookContext): Awaitable<CommandResponse | null>;

    /**
     * Recurring jobs by job id (unique across capabilities). The capability schedules them itself,
     * usually in onActivate with `api.jobs.schedule(jobId, seconds)`; the host then calls runJob.
     */
    jobs?: Record<string, (context: HookContext) => Awaitable<void>>;

    /**
     * By lock name (an endpoint's `serialized`): the one versioned record its requests write. The host hands
     * the requests waiting for that lock over together; they are served in one turn that stores the record
     * once (../kv/turn.ts). Every write of that record by those requests must be a compare-and-set.
     */
    turnRecords?: Record<string, VersionedRecord<unknown>>;
}
