import type {ProbeFact, ProbeId, ProbeState} from 'contract/probes';

import type {PluginState, ProbeRequest, ProbeResponse, ServerLicense} from '../../mattermost/api';

// What every probe is: the calls it makes (none for the plugin-API probes) and a pure interpreter
// over the answers, so each interpretation is tested on recorded answers (probes.test.ts).

/** What a probe may read besides its answers: the unsanitized config stays on the server. */
export interface ProbeInput {
    config: Record<string, any>;
    license: ServerLicense | null;
    serverVersion: string;

    /** Active, non-bot accounts. */
    activeUsers: number;
    pluginStates: PluginState[];
    now: number;
}

/** One call and what came back. */
export interface RecordedAnswer extends ProbeResponse {
    request: ProbeRequest;
}

export interface ProbeVerdict {
    state: ProbeState;
    summary: string;
    facts: ProbeFact[];

    /** The readiness checks the verdict passes or fails. */
    checks: string[];
}

export interface ProbeDefinition {
    id: ProbeId;
    title: string;

    /** Only an admin's request can run it (REST as the admin); the scheduled job leaves it as it was. */
    needsAdmin: boolean;

    /**
     * Where its requests go: this server's REST API as the admin (the default), or the push proxy the
     * config names (rest.probePushProxy: only the path is the bundle's, the host takes the address).
     */
    target?: 'push_proxy';

    /** The REST calls to make for this config (empty: the probe needs no call, or nothing is configured). */
    requests(input: ProbeInput): ProbeRequest[];

    /** The verdict, from the input and the answers to requests(input), in the same order. */
    interpret(input: ProbeInput, answers: RecordedAnswer[]): ProbeVerdict;

    /** For the plugin-API probes: the plugin API calls it read, shown as its raw facts. */
    pluginApiCalls?: string[];
}

export function setting(config: Record<string, any>, path: string): any {
    return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), config as any);
}

export const isOn = (config: Record<string, any>, path: string) => setting(config, path) === true;

export function text(config: Record<string, any>, path: string): string {
    const value = setting(config, path);
    return typeof value === 'string' ? value.trim() : '';
}

/** The server's error answer (model.AppError), when the body is one. */
export interface ServerError {
    id: string;
    message: string;
    detailed_error: string;
}

export function serverError(answer: RecordedAnswer): ServerError | null {
    try {
        const parsed = JSON.parse(answer.body);
        if (parsed && typeof parsed.id === 'string' && parsed.id !== '') {
            return {id: parsed.id, message: String(parsed.message ?? ''), detailed_error: String(parsed.detailed_error ?? '')};
        }
    } catch {
        // not JSON: the caller reports the status alone
    }
    return null;
}

export function parseBody<T>(answer: RecordedAnswer): T | null {
    try {
        return JSON.parse(answer.body) as T;
    } catch {
        return null;
    }
}

/**
 * The verdict every probe gives for an answer that is not a success: no answer in time, none at
 * all, a refusal of the admin's session, a licence or build without the feature (501), or the
 * server's own error. Null for a 2xx answer, which the probe reads itself.
 */
export function failedCall(answer: RecordedAnswer, what: string, checks: string[]): ProbeVerdict | null {
    const facts: ProbeFact[] = [{name: 'request', value: `${answer.request.method} ${answer.request.path}`}];
    if (answer.timed_out) {
        return {
            state: 'timeout',
            summary: `${what}: no answer within ${Math.round(answer.duration_ms / 1000)} s.`,
            facts: [...facts, {name: 'error', value: answer.error}],
            checks: [],
        };
    }
    if (answer.status === 0) {
        return {
            state: 'unknown',
            summary: `${what}: the server could not be asked (${answer.error}).`,
            facts: [...facts, {name: 'error', value: answer.error}],
            checks: [],
        };
    }
    if (answer.status >= 200 && answer.status < 300) {
        return null;
    }
    const appError = serverError(answer);
    const withError = appError ?
        [
            ...facts,
            {name: 'status', value: String(answer.status)},
            {name: 'error id', value: appError.id},
            {name: 'message', value: appError.message},
            ...(appError.detailed_error ? [{name: 'detail', value: appError.detailed_error}] : []),
        ] :
        [...facts, {name: 'status', value: String(answer.status)}];
    if (answer.status === 401 || answer.status === 403) {
        return {
            state: 'forbidden',
            summary: `${what}: the server refused the admin's request (${answer.status}).`,
            facts: withError,
            checks: [],
        };
    }
    if (answer.status === 501) {
        const licence = appError?.id.includes('license') ?? false;
        return licence ?
            {state: 'not_licensed', summary: `${what}: the server's licence does not include this feature.`, facts: withError, checks: []} :
            {
                state: 'unavailable',
                summary: `${what}: this server has no such component or it is switched off (501).`,
                facts: withError,
                checks: [],
            };
    }
    return {
        state: 'failed',
        summary: `${what} failed: ${appError?.message || `the server answered ${answer.status}`}`,
        facts: withError,
        checks,
    };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function isoTime(ms: number): string {
    return ms > 0 ? new Date(ms).toISOString() : 'never';
}
