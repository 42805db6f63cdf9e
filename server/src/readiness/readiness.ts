import {ReadinessEndpoints} from 'contract/endpoints/readiness';
import type {ReadinessReport} from 'contract/readiness';

import {cachedProbes, runProbes} from './probes/runner';
import {computeReport, type ReadinessSources} from './service';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import {currentLoadTestVerdict} from '../loadtest/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

export const READINESS_JOB_ID = 'readiness.refresh';
export const READINESS_INTERVAL_SECONDS = 15 * 60;

/**
 * The report the readiness route answers with: the cached one, or without one a report computed on the
 * sanitized config and NOT cached (a GET never writes; the checks read no secret, and readiness.test.ts
 * proves both configs give the same results). The roll-out summary reads it through here too.
 */
export function currentReadiness(api: Pick<ReadOnlyMattermostApi, 'config' | 'system'>, kv: KvReader): ReadinessReport {
    return kv.get(KvKeys.readinessReport) ?? computeReport(readinessSources(() => api.config.get(), api, kv));
}

/** What the checks read besides the config: the server's facts, the probes' and the load test's last answers. */
function readinessSources(config: () => Record<string, any>, api: Pick<ReadOnlyMattermostApi, 'system'>, kv: KvReader): ReadinessSources {
    return {config, system: api.system, probes: () => cachedProbes(kv), loadTest: () => currentLoadTestVerdict(kv)};
}

/** Runs the checks on the unsanitized config and caches the report. POST /readiness/run and the job. */
export function refreshReadiness(api: MattermostApi, kv: KvStore) {
    const report = computeReport(readinessSources(() => api.config.getUnsanitized(), api, kv));
    kv.set(KvKeys.readinessReport, report);
    return report;
}

export const readinessCapability: Capability = {
    name: 'readiness',
    routes(routes) {
        // The cached report. Without one it computes a report and returns it WITHOUT caching it (a GET
        // must not change state). A GET sees only the sanitized config (readOnly.ts leaves
        // getUnsanitized out); the checks read no secret, and readiness.test.ts proves both configs
        // give the same results.
        routes.handle(ReadinessEndpoints.readiness, ({kv, api}) => currentReadiness(api, kv));

        // The checks, after the probes the plugin API answers (the admin-only ones keep their last answer).
        routes.handle(ReadinessEndpoints.readinessRun, (context) => {
            const previous = context.kv.get(KvKeys.readinessReport);
            runProbes(context.api, context.kv, null, undefined, Date.now());
            const report = refreshReadiness(context.api, context.kv);
            recordAudit(context, {
                action: 'readiness.run',
                target: 'readiness',
                before: previous ? {score: previous.score, checked_at: previous.checked_at} : null,
                after: {score: report.score, checked_at: report.checked_at},
            });
            return report;
        });

        // Every probe (or the listed ones) as the calling admin, in a session the host makes for each call.
        routes.handle(ReadinessEndpoints.readinessProbesRun, (context) => {
            const {api, kv, userId, body} = context;
            const admin = api.users.get(userId);
            const prober = {
                userId,
                username: admin.username,
                call: (request: Parameters<typeof api.rest.probeAsAdmin>[1]) => api.rest.probeAsAdmin(userId, request),
            };
            const results = runProbes(api, kv, prober, body.probes, Date.now());
            const report = refreshReadiness(api, kv);
            recordAudit(context, {
                action: 'readiness.probes.run',
                target: 'readiness',
                before: null,
                after: {probes: results.map((r) => ({id: r.id, state: r.state}))},
            });
            return report;
        });
    },
    hooks: {
        // jobs.schedule is cluster-wide: the host runs the job on one node per interval.
        onActivate: (_, {api}) => api.jobs.schedule(READINESS_JOB_ID, READINESS_INTERVAL_SECONDS),
    },
    jobs: {
        // No admin here: only the plugin-API probes run; the others show who last ran them, and when.
        [READINESS_JOB_ID]: ({api, kv, log}) => {
            runProbes(api, kv, null, undefined, Date.now());
            const previous = kv.get(KvKeys.readinessReport);
            const report = refreshReadiness(api, kv);
            log.debug('Readiness report refreshed', {score: report.score});

            // A score the server's config moved (not a person's click) still belongs in the plan's timeline.
            if (previous && previous.score !== report.score) {
                recordAudit({kv, log, userId: '', api}, {
                    action: 'readiness.change',
                    target: 'readiness',
                    before: {score: previous.score, checked_at: previous.checked_at},
                    after: {score: report.score, checked_at: report.checked_at},
                });
            }
        },
    },
};
