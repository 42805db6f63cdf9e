import {jobsOf, jobsRequest} from './jobs_common';
import {DAY_MS, failedCall, type ProbeDefinition, type ProbeVerdict} from './probe';

/** The job types whose failures matter to a roll-out, and the readiness check each failure fails. */
export const WATCHED_JOB_TYPES: Array<{type: string; label: string; check: string}> = [
    {type: 'data_retention', label: 'data retention', check: 'compliance.data-retention'},
    {type: 'message_export', label: 'message export', check: 'compliance.export'},
    {type: 'ldap_sync', label: 'AD/LDAP sync', check: 'ldap.sync'},
    {type: 'elasticsearch_post_indexing', label: 'indexing', check: 'search.elasticsearch'},
];

const WINDOW_DAYS = 7;
const PER_TYPE = 100;

// Jobs: the failed runs of the last 7 days by type, from the newest jobs of each watched type.
export const jobsProbe: ProbeDefinition = {
    id: 'jobs',
    title: 'Failed jobs (last 7 days)',
    needsAdmin: true,
    requests: () => WATCHED_JOB_TYPES.map((w) => jobsRequest(w.type, PER_TYPE)),
    interpret: ({now}, answers) => {
        const since = now - (WINDOW_DAYS * DAY_MS);
        const facts: ProbeVerdict['facts'] = [];
        const failing: string[] = [];
        const unread: ProbeVerdict[] = [];
        WATCHED_JOB_TYPES.forEach((watched, i) => {
            const refused = failedCall(answers[i], `Reading the ${watched.label} jobs`, []);
            if (refused) {
                unread.push(refused);
                facts.push({name: watched.label, value: `not read (${refused.state})`});
                return;
            }
            const failed = jobsOf(answers[i]).filter((job) => job.status === 'error' && job.create_at >= since);
            facts.push({name: watched.label, value: `${failed.length} failed`});
            if (failed.length > 0) {
                failing.push(watched.check);
                const message = failed[0].data?.error;
                if (typeof message === 'string' && message) {
                    facts.push({name: `${watched.label} last error`, value: message.slice(0, 300)});
                }
            }
        });
        if (failing.length > 0) {
            const labels = WATCHED_JOB_TYPES.filter((w) => failing.includes(w.check)).map((w) => w.label);
            return {state: 'failed', summary: `Jobs failed in the last ${WINDOW_DAYS} days: ${labels.join(', ')}.`, facts, checks: failing};
        }
        if (unread.length === WATCHED_JOB_TYPES.length) {
            return {...unread[0], facts};
        }
        return {state: 'passed', summary: `No watched job failed in the last ${WINDOW_DAYS} days.`, facts, checks: []};
    },
};
