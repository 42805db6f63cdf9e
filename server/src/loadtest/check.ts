import type {LoadTestVerdict} from 'contract/loadtest';
import type {CheckResult} from 'contract/readiness';

// The readiness check of the plan's load-test task (security.load-test): verified only by a measured run
// of Mattermost's load-test tool whose supported users reach the planned concurrent users, never by a
// setting. The readiness checks call it with the verdict the loadtest store computed.

export const LOAD_TEST_CHECK = {
    id: 'scale.load-test',
    phase: 'scale-security',
    title: 'Load test reaches the planned concurrent users',
    console_path: '/admin_console/plugins/plugin_onboarding-cockpit',
    impact: 15,
    measured: true,
} as const;

/** A run that reached the target is evidence of its day (`measured_on`): the load-test task's evidence expires from then. */
export function loadTestCheckVerdict(verdict: LoadTestVerdict | undefined): Pick<CheckResult, 'status' | 'explanation' | 'measured_on'> {
    switch (verdict?.state) {
    case 'reached':
        return {
            status: 'ok',
            explanation: `The newest load test supported ${verdict.supported_users} concurrent users; ` +
                `the plan needs ${verdict.concurrent_users}.`,
            ...(verdict.measured_on ? {measured_on: verdict.measured_on} : {}),
        };
    case 'below':
        return {
            status: 'error',
            explanation: `The newest load test supported ${verdict.supported_users} concurrent users, ` +
                `fewer than the ${verdict.concurrent_users} planned: scale up and test again.`,
        };
    case 'no_run':
        return {
            status: 'warning',
            explanation: 'No load-test result yet: upload the coordinator\'s result for ' +
                `${verdict.concurrent_users} planned concurrent users.`,
        };
    default:
        return {status: 'info', explanation: 'Set the planned concurrent users in the Readiness tab to measure a load test against them.'};
    }
}
