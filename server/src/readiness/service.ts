import type {LoadTestVerdict} from 'contract/loadtest';
import type {ProbeResult} from 'contract/probes';
import type {ReadinessReport} from 'contract/readiness';

import {runChecks, score, type ReadinessInput} from './checks';

import type {SystemApi} from '../mattermost/api';

// Gathers what the checks read from the host and runs them. The config (unsanitized on the write
// paths) never leaves the server: only the check results do.

export interface ReadinessSources {
    /** The server config; see readiness.ts for which variant each caller passes. */
    config(): Record<string, any>;
    system: Pick<SystemApi, 'getLicense' | 'getServerVersion' | 'stats'>;

    /** The live probes' cached answers. */
    probes(): ProbeResult[];

    /** The load-test verdict (loadtest/store.ts), when the caller can read the KV store. */
    loadTest?: () => LoadTestVerdict;
}

export function gatherReadinessInput(sources: ReadinessSources, now: number = Date.now()): ReadinessInput {
    const stats = sources.system.stats();
    return {
        config: sources.config(),
        license: sources.system.getLicense(),
        serverVersion: sources.system.getServerVersion(),
        stats: {total_users: stats.total_users, total_posts: stats.total_posts},
        now,
        probes: sources.probes(),
        ...(sources.loadTest ? {loadTest: sources.loadTest()} : {}),
    };
}

export function buildReport(input: ReadinessInput): ReadinessReport {
    const results = runChecks(input);
    return {score: score(results), checked_at: input.now, results, probes: input.probes};
}

export function computeReport(sources: ReadinessSources, now?: number): ReadinessReport {
    return buildReport(gatherReadinessInput(sources, now));
}
