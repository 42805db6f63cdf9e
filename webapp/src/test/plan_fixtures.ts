// A small plan and readiness report for the Plan, Readiness and import tests.
import {PhaseSchema, planProgress, type Phase, type PlanContent} from 'contract/plan';
import type {PlanResponse} from 'contract/plan_api';
import type {ProbeResult} from 'contract/probes';
import type {CheckResult, ReadinessReport} from 'contract/readiness';

import {userId} from './helpers';

export const me = userId('admin');
export const colleague = userId('bob');

export function planFixture(): PlanContent {
    const phases: Phase[] = [
        PhaseSchema.parse({
            id: 'pilot',
            title: 'Pilot with staging and production',
            description: 'Run a pilot.',
            tasks: [
                {
                    id: 'pilot.deploy',
                    title: 'Deploy the pilot',
                    checks: ['site.url', 'site.https'],
                    owner_id: me,
                    due_date: '2020-01-15',
                    state: 'in_progress',
                },
                {id: 'pilot.load-test', title: 'Run a load test', state: 'blocked', owner_id: colleague},
                {id: 'pilot.roadmap', title: 'Try the roadmap feature', optional: true, roadmap: true, checks: ['ldap.group-sync']},
            ],
        }),
        PhaseSchema.parse({
            id: 'rollout',
            title: 'Roll-out announcement',
            tasks: [
                {
                    id: 'rollout.mail',
                    title: 'Send the announcement',
                    description: 'Line one <script>window.__pwned = 1</script>\n<b>not bold</b>',
                    checks: ['email.smtp'],
                    due_date: '2999-12-31',
                    owner_id: me,
                },
                {id: 'rollout.done', title: 'Book the launch room', state: 'done', due_date: '2020-02-01'},
            ],
        }),
    ];
    return {schema_version: 1, title: 'Enterprise roll-out', phases};
}

export function planResponse(content: PlanContent = planFixture(), version = 7): PlanResponse {
    return {
        plan: {...content, version, updated_at: Date.UTC(2026, 10, 20, 9, 30), updated_by: me},
        progress: planProgress(content),
    };
}

/** `content` with one task changed. */
export function withTask(content: PlanContent, taskId: string, changes: Record<string, unknown>): PlanContent {
    return {
        ...content,
        phases: content.phases.map((p) => ({...p, tasks: p.tasks.map((t) => (t.id === taskId ? {...t, ...changes} : t))})),
    };
}

export function check(id: string, phase: string, status: CheckResult['status'], overrides: Partial<CheckResult> = {}): CheckResult {
    return {
        id,
        phase,
        title: `Check ${id}`,
        status,
        explanation: `Explanation of ${id}.`,
        console_path: '/admin_console/environment/web_server',
        impact: 10,
        verification: 'configured',
        probe: null,
        ...overrides,
    };
}

/** A live probe's cached answer. */
export function probeFixture(id: ProbeResult['id'], state: ProbeResult['state'], overrides: Partial<ProbeResult> = {}): ProbeResult {
    return {
        id,
        title: `Probe ${id}`,
        state,
        summary: `Summary of ${id}.`,
        facts: [],
        calls: [],
        checks: [],
        probed_at: Date.UTC(2026, 10, 21, 7, 30),
        probed_by: {user_id: 'a'.repeat(26), username: 'alice'},
        needs_admin: true,
        ...overrides,
    };
}

export function readinessFixture(): ReadinessReport {
    return {
        score: 72.4,
        checked_at: Date.UTC(2026, 10, 21, 8, 0),
        results: [
            check('site.url', 'pilot', 'ok', {title: 'Site URL is set'}),
            check('site.https', 'pilot', 'ok', {title: 'Site is served over HTTPS'}),
            check('ldap.group-sync', 'directory', 'needs_license', {
                title: 'AD/LDAP group sync',
                explanation: 'Group sync needs an Enterprise license.',
                console_path: '/admin_console/user_management/groups',
            }),
            check('email.smtp', 'rollout', 'error', {
                title: 'SMTP server configured',
                explanation: 'Live probe: The SMTP test through smtp.bank.example:25 failed: Connection unsuccessful',
                console_path: '/admin_console/environment/smtp',
                verification: 'probe',
                probe: {id: 'smtp', state: 'failed', probed_at: Date.UTC(2026, 10, 21, 7, 30), probed_by: 'alice'},
            }),
            check('email.notifications', 'rollout', 'warning', {
                title: 'Email notifications on',
                console_path: '/admin_console/site_config/notifications',
            }),
        ],
        probes: [
            probeFixture('smtp', 'failed', {
                title: 'SMTP connection',
                summary: 'The SMTP test through smtp.bank.example:25 failed: Connection unsuccessful',
                facts: [{name: 'SMTP server', value: 'smtp.bank.example:25'}, {name: 'error id', value: 'app.admin.test_email.failure'}],
                calls: [{
                    request: 'POST /api/v4/email/test',
                    status: 500,
                    answer: '{"id":"app.admin.test_email.failure"}',
                    duration_ms: 31,
                }],
                checks: ['email.smtp'],
            }),
            probeFixture('license', 'passed', {
                title: 'Licence',
                summary: 'The licence is valid for 200 more days.',
                probed_by: null,
                needs_admin: false,
            }),
        ],
    };
}
