import {TASKS_CHECKS_CANNOT_PROVE, taskVerification} from './plan_api';
import type {CheckResult} from './readiness';

import defaultPlan from '../assets/plan/default-plan.json';

const result = (id: string, status: CheckResult['status'], verification: CheckResult['verification'] = 'configured'): CheckResult => ({
    id, phase: 'p', title: id, status, explanation: '', console_path: '/admin_console/x', impact: 1, verification, probe: null,
});

const noEvidence = {state: 'none', valid_days: null, valid_until: null, expired_on: null} as const;

describe('task badges', () => {
    const task = {id: 'pilot.deploy', checks: ['site.url', 'site.https']};

    test('verified only when live probes back every check; configured when the settings alone say ok', () => {
        const probed = [result('site.url', 'ok', 'probe'), result('site.https', 'ok', 'probe')];
        expect(taskVerification(task, probed, noEvidence)).toBe('verified');
        expect(taskVerification(task, [result('site.url', 'ok', 'probe'), result('site.https', 'ok')], noEvidence)).toBe('configured');
        expect(taskVerification(task, [result('site.url', 'ok'), result('site.https', 'ok')], noEvidence)).toBe('configured');
    });

    test('a failing check (a failing probe makes its check an error) never passes the task', () => {
        const failed = [result('site.url', 'ok', 'probe'), result('site.https', 'error', 'probe')];
        expect(taskVerification(task, failed, noEvidence)).toBe('failing');
        expect(taskVerification(task, [result('site.url', 'ok'), result('site.https', 'warning')], noEvidence)).toBe('failing');
        expect(taskVerification(task, [result('site.url', 'ok'), result('site.https', 'needs_license')], noEvidence)).toBe('unverified');
        expect(taskVerification({id: 'x', checks: []}, [], noEvidence)).toBe('none');
        expect(taskVerification(task, [], noEvidence)).toBe('unverified');
    });

    test('a task its checks cannot prove is never shown verified, but still shows a failing check', () => {
        const pentest = {id: 'security.pentest', checks: ['security.rate-limit']};
        expect(taskVerification(pentest, [result('security.rate-limit', 'ok', 'probe')], noEvidence)).toBe('unverified');
        expect(taskVerification(pentest, [result('security.rate-limit', 'warning')], noEvidence)).toBe('failing');
    });

    test('a measured check (the load test against the sizing) verifies its task as evidence', () => {
        const loadTest = {id: 'security.load-test', checks: ['scale.load-test']};
        expect(taskVerification(loadTest, [result('scale.load-test', 'ok', 'evidence')], noEvidence)).toBe('evidence');
        expect(taskVerification(loadTest, [result('scale.load-test', 'error', 'evidence')], noEvidence)).toBe('failing');
    });

    test('the list names tasks of the default plan that list checks', () => {
        type SeedTask = {id: string; checks?: string[]};
        const all: SeedTask[] = defaultPlan.phases.flatMap((p) => p.tasks as SeedTask[]);
        const withChecks = new Set(all.filter((t) => (t.checks ?? []).length > 0).map((t) => t.id));
        const tasks = new Set(all.map((t) => t.id));
        for (const id of TASKS_CHECKS_CANNOT_PROVE) {
            expect(tasks.has(id) ? id : `${id} is not a task of the default plan`).toBe(id);
            expect(withChecks.has(id) ? id : `${id} lists no checks`).toBe(id);
        }
    });
});
