import {manifest} from 'contract/manifest';

import type {Capability, HookContext} from './capability';
import type {CommandArgs, EventHookName, HookArguments} from './hooks';

import {ApiError} from '../errors/apiError';
import type {HookName, HttpRequest, HttpResponse, RunJobArgs} from '../host/abi';
import type {Logger} from '../host/log';
import {type RequestEnvironment, Router, type RouterOptions} from '../http/router';
import {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {readOnlyView} from '../mattermost/readOnly';

export interface App {
    /** The bundle's entry point for the host: the hook's result as JSON text ("null" for void hooks). */
    dispatch(hook: HookName, argumentJSON: string): Promise<string>;
    readonly router: Router;
}

const eventHooks: ReadonlySet<string> = new Set<EventHookName>([
    'onActivate',
    'onDeactivate',
    'onConfigurationChange',
    'userHasBeenCreated',
    'userHasJoinedTeam',
    'userHasLoggedIn',
    'userHasBeenDeactivated',
    'channelHasBeenCreated',
]);

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Wires the capabilities into one router and one hook table. Built once per VM when the bundle
 * loads; holds no per-request state, so any pooled VM can serve any call.
 */
export function createApp(options: {
    api: MattermostApi;
    log: Logger;
    capabilities: readonly Capability[];
    routerOptions?: RouterOptions;
}): App {
    const {api, log, capabilities} = options;
    const router = new Router(options.routerOptions);
    capabilities.forEach((capability) => capability.routes?.(router));
    const jobs = collectJobs(capabilities);
    const turnRecords = collectTurnRecords(capabilities);
    const environment: RequestEnvironment = {api, readOnlyApi: readOnlyView(api), log};
    const hookContext = (): HookContext => ({api, kv: new KvStore(api.kv), log});

    async function runEventHook<Hook extends EventHookName>(hook: Hook, argument: HookArguments[Hook]): Promise<void> {
        const failures: string[] = [];
        for (const capability of capabilities) {
            const handler = capability.hooks?.[hook];
            if (!handler) {
                continue;
            }

            // One capability's failure must not keep the others from seeing the event.
            try {
                // eslint-disable-next-line no-await-in-loop -- capabilities see an event one after another, in their order.
                await handler(argument, hookContext());
            } catch (error) {
                log.error(`${hook} failed`, {capability: capability.name, error: errorText(error)});
                failures.push(`${capability.name}: ${errorText(error)}`);
            }
        }
        if (failures.length > 0) {
            throw new Error(`${hook} failed in ${failures.join('; ')}`);
        }
        if (hook === 'onActivate') {
            log.info('Onboarding Cockpit activated', {version: manifest.version, routes: router.describe().join(', ')});
        }
    }

    async function runJob({jobId}: RunJobArgs): Promise<void> {
        const job = jobs.get(jobId);
        if (!job) {
            log.warn('runJob called for an unknown job', {jobId});
            return;
        }
        await job(hookContext());
    }

    async function executeCommand(args: CommandArgs) {
        for (const capability of capabilities) {
            // eslint-disable-next-line no-await-in-loop -- the first capability that answers the command wins; later ones must not run.
            const response = await capability.executeCommand?.(args, hookContext());
            if (response) {
                return response;
            }
        }
        return null;
    }

    /**
     * Serialized requests the host hands over together under their lock: one turn on the record the lock's
     * capability declares. Without a declared record they are served one after another, each on its own.
     */
    async function serveBatch(requests: HttpRequest[]): Promise<HttpResponse[]> {
        const lock = requests[0]?.locks?.[0] ?? '';
        const key = turnRecords.get(lock);
        const declared = router.endpoints().find((endpoint) => endpoint.serialized?.lock === lock)?.serialized;
        const sameLock = requests.every((request) => request.locks?.length === 1 && request.locks[0] === lock);
        if (key === undefined || !declared || !sameLock) {
            const responses: HttpResponse[] = [];
            for (const request of requests) {
                // eslint-disable-next-line no-await-in-loop -- the host holds the lock for all of them: one after another.
                responses.push(await router.serve(request, environment));
            }
            return responses;
        }
        return router.serveTurn(requests, environment, key, new ApiError(503, declared.busy.id, declared.busy.message));
    }

    async function dispatch(hook: HookName, argumentJSON: string): Promise<string> {
        const argument = argumentJSON === '' ? null : JSON.parse(argumentJSON);
        if (hook === 'serveHTTP') {
            return JSON.stringify(await router.serve(argument as HttpRequest, environment));
        }
        if (hook === 'serveHTTPBatch') {
            return JSON.stringify(await serveBatch(argument as HttpRequest[]));
        }
        if (hook === 'runJob') {
            await runJob(argument as RunJobArgs);
            return 'null';
        }
        if (hook === 'executeCommand') {
            return JSON.stringify(await executeCommand(argument as CommandArgs));
        }
        if (eventHooks.has(hook)) {
            await runEventHook(hook as EventHookName, argument);
            return 'null';
        }
        log.warn('dispatch called for a hook the bundle does not know', {hook});
        return 'null';
    }

    return {dispatch, router};
}

function collectTurnRecords(capabilities: readonly Capability[]): Map<string, string> {
    const records = new Map<string, string>();
    for (const capability of capabilities) {
        for (const [lock, record] of Object.entries(capability.turnRecords ?? {})) {
            if (records.has(lock)) {
                throw new Error(`the turns of lock ${lock} are declared by two capabilities`);
            }
            records.set(lock, record.key);
        }
    }
    return records;
}

function collectJobs(capabilities: readonly Capability[]): Map<string, (context: HookContext) => unknown> {
    const jobs = new Map<string, (context: HookContext) => unknown>();
    for (const capability of capabilities) {
        for (const [jobId, job] of Object.entries(capability.jobs ?? {})) {
            if (jobs.has(jobId)) {
                throw new Error(`job ${jobId} is declared by two capabilities`);
            }
            jobs.set(jobId, job);
        }
    }
    return jobs;
}
