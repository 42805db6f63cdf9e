import type {ProbeCall, ProbeId, ProbeResult} from 'contract/probes';

import {clusterProbe} from './cluster';
import {elasticsearchProbe} from './elasticsearch';
import {filestoreProbe} from './filestore';
import {jobsProbe} from './jobs';
import {ldapProbe} from './ldap';
import {licenseProbe} from './license';
import {pluginsProbe} from './plugins';
import type {ProbeDefinition, ProbeInput, RecordedAnswer} from './probe';
import {pushProbe} from './push';
import {smtpProbe} from './smtp';
import {versionProbe} from './version';

import {isHostError} from '../../host/errors';
import {KvKeys} from '../../kv/keys';
import type {KvReader, KvStore} from '../../kv/store';
import type {MattermostApi, ProbeRequest, ProbeResponse, SystemApi} from '../../mattermost/api';

// Runs the probes and caches each answer under its own key with its time and who ran it. An
// admin's run (POST /readiness/probes/run) makes every probe's REST calls as that admin; the
// scheduled job has no admin and runs only the probes the plugin API answers and the push probe
// (which asks the push proxy, not this server), leaving the others' last answers (and who ran them)
// as they are.

export const PROBES: ProbeDefinition[] = [
    ldapProbe, smtpProbe, filestoreProbe, elasticsearchProbe, clusterProbe, jobsProbe, pushProbe, pluginsProbe, licenseProbe, versionProbe,
];

/** What a caller shows of an answer: enough to read the server's error, never a whole job list. */
const ANSWER_CHARS = 600;

type ProbeSources = Pick<SystemApi, 'getLicense' | 'getServerVersion' | 'stats' | 'getPluginStates'>;

export function gatherProbeInput(config: Record<string, any>, system: ProbeSources, now: number): ProbeInput {
    return {
        config,
        license: system.getLicense(),
        serverVersion: system.getServerVersion(),
        activeUsers: system.stats().total_users,
        pluginStates: system.getPluginStates(),
        now,
    };
}

export interface Prober {
    userId: string;
    username: string;
    call(request: ProbeRequest): ProbeResponse;
}

/** The push proxy the config names (rest.probePushProxy): a GET of one of its routes. */
export type PushProxyCall = (route: string) => ProbeResponse;

/** Runs one probe: its calls (as the admin, or to the push proxy), then its interpreter. Pure apart from the calls. */
export function runProbe(
    definition: ProbeDefinition,
    input: ProbeInput,
    prober: Prober | null,
    pushProxy?: PushProxyCall,
): ProbeResult {
    const requests = definition.requests(input);
    const call = definition.target === 'push_proxy' ?
        pushProxy && ((request: ProbeRequest) => pushProxy(request.path)) :
        prober && ((request: ProbeRequest) => callSafely(prober, request));
    if (requests.length > 0 && !call) {
        const needs = definition.target === 'push_proxy' ? 'the push proxy call' : "an admin's request";
        throw new Error(`probe ${definition.id} needs ${needs}`);
    }
    const answers: RecordedAnswer[] = requests.map((request) => ({request, ...call!(request)}));
    const verdict = definition.interpret(input, answers);
    const calls: ProbeCall[] = answers.map((answer) => ({
        request: `${answer.request.method} ${answer.request.path}`,
        status: answer.status,
        answer: (answer.body || answer.error).slice(0, ANSWER_CHARS),
        duration_ms: answer.duration_ms,
    }));
    for (const name of definition.pluginApiCalls ?? []) {
        calls.push({request: `plugin API: ${name}`, status: 200, answer: '', duration_ms: 0});
    }
    return {
        id: definition.id,
        title: definition.title,
        ...verdict,
        calls,
        probed_at: input.now,
        probed_by: prober ? {user_id: prober.userId, username: prober.username} : null,
        needs_admin: definition.needsAdmin,
    };
}

/** The host refuses (403) a request that is no longer a system admin's: recorded as the server's own 403. */
function callSafely(prober: Prober, request: ProbeRequest): ProbeResponse {
    try {
        return prober.call(request);
    } catch (err) {
        if (isHostError(err)) {
            return {
                status: err.status_code,
                body: JSON.stringify({id: err.id, message: err.message}),
                error: '',
                timed_out: false,
                duration_ms: 0,
            };
        }
        throw err;
    }
}

/** Runs the chosen probes and caches each answer. Without a prober only the plugin-API probes run. */
export function runProbes(
    api: MattermostApi,
    kv: KvStore,
    prober: Prober | null,
    ids: readonly ProbeId[] | undefined,
    now: number,
): ProbeResult[] {
    const input = gatherProbeInput(api.config.getUnsanitized(), api.system, now);
    const chosen = PROBES.filter((p) => (!ids || ids.includes(p.id)) && (prober || !p.needsAdmin));
    const pushProxy = (route: string) => api.rest.probePushProxy(route);
    return chosen.map((definition) => {
        const result = runProbe(definition, input, prober, pushProxy);
        kv.set(KvKeys.readinessProbe(definition.id), result);
        return result;
    });
}

/** Every probe's cached answer, in PROBES order; probes never run are left out. */
export function cachedProbes(kv: KvReader): ProbeResult[] {
    return PROBES.map((p) => kv.get(KvKeys.readinessProbe(p.id))).filter((r): r is ProbeResult => r !== null && r !== undefined);
}
