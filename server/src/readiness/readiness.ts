import {ReadinessEndpoints} from 'contract/endpoints/readiness';

import {computeReport} from './service';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {KvKeys} from '../kv/keys';
import type {KvStore} from '../kv/store';
import {currentLoadTestVerdict} from '../loadtest/store';
import type {MattermostApi} from '../mattermost/api';

export const READINESS_JOB_ID = 'readiness.refresh';
export const READINESS_INTERVAL_SECONDS = 15 * 60;

/** Runs the checks on the unsanitized config and caches the report. POST /readiness/run and the job. */
export function refreshReadiness(api: MattermostApi, kv: KvStore) {
    const report = computeReport({
        config: () => api.config.getUnsanitized(),
        system: api.system,
        loadTest: () => currentLoadTestVerdict(kv),
    });
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
        routes.handle(ReadinessEndpoints.readiness, ({kv, api}) =>
            kv.get(KvKeys.readinessReport) ??
                computeReport({config: () => api.config.get(), system: api.system, loadTest: () => currentLoadTestVerdict(kv)}),
        );

        routes.handle(ReadinessEndpoints.readinessRun, (context) => {
            const previous = context.kv.get(KvKeys.readinessReport);
            const report = refreshReadiness(context.api, context.kv);
            recordAudit(context, {
                action: 'readiness.run',
                target: 'readiness',
                before: previous ? {score: previous.score, checked_at: previous.checked_at} : null,
                after: {score: report.score, checked_at: report.checked_at},
            });
            return report;
        });
    },
    hooks: {
        // jobs.schedule is cluster-wide: the host runs the job on one node per interval.
        onActivate: (_, {api}) => api.jobs.schedule(READINESS_JOB_ID, READINESS_INTERVAL_SECONDS),
    },
    jobs: {
        [READINESS_JOB_ID]: ({api, kv, log}) => {
            const report = refreshReadiness(api, kv);
            log.debug('Readiness report refreshed', {score: report.score});
        },
    },
};
