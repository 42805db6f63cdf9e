import {
    addDays,
    EVIDENCE_VALID_DAYS_DEFAULTS,
    evidenceFromLink,
    evidenceRunsOut,
    evidenceStatus,
    type EvidenceItem,
    type EvidenceTask,
} from './evidence';
import {PlanContentSchema, TaskSchema} from './plan';
import {taskVerification} from './plan_api';
import type {CheckResult} from './readiness';

import defaultPlan from '../assets/plan/default-plan.json';

const ADMIN = 'a'.repeat(26);
const accepted = (dated: string | null, url = `https://wiki.example/${dated}`): EvidenceItem =>
    ({...evidenceFromLink(url), dated, accepted_by: ADMIN, accepted_at: 1});
const pending = (dated: string | null): EvidenceItem => ({...evidenceFromLink(`https://wiki.example/p${dated}`), dated});
const drill = (evidence: EvidenceItem[], days: number | null = null): EvidenceTask =>
    ({id: 'security.dr-drill', evidence, evidence_valid_days: days});

describe('evidence expiry', () => {
    test('evidence dated D and valid for N days is valid through D + N − 1 and expired on D + N', () => {
        const task = drill([accepted('2026-01-01')]);
        expect(evidenceStatus(task, '2026-01-01')).toEqual({state: 'valid', valid_days: 90, valid_until: '2026-03-31', expired_on: null});
        expect(evidenceStatus(task, '2026-03-31')).toMatchObject({state: 'valid', valid_until: '2026-03-31'});
        expect(evidenceStatus(task, '2026-04-01')).toEqual({state: 'expired', valid_days: 90, valid_until: null, expired_on: '2026-04-01'});
    });

    test('the defaults per task, and an admin\'s number on the task instead', () => {
        const on = (id: string) =>
            evidenceStatus({id, evidence: [accepted('2025-01-01')], evidence_valid_days: null}, '2025-01-01').valid_days;
        const ids = ['security.dr-drill', 'security.backup-restore', 'security.pentest', 'security.load-test'];
        expect(ids.map(on)).toEqual([90, 90, 365, 180]);
        expect(evidenceStatus(drill([accepted('2026-01-01')], 10), '2026-01-11')).
            toMatchObject({state: 'expired', expired_on: '2026-01-11'});
        expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
        expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    });

    test('the newest accepted evidence counts; unaccepted or undated evidence never makes it valid', () => {
        expect(evidenceStatus(drill([accepted('2025-01-01'), accepted('2026-01-01')]), '2026-02-01')).toMatchObject({state: 'valid'});
        expect(evidenceStatus(drill([]), '2026-02-01').state).toBe('needs_evidence');
        expect(evidenceStatus(drill([pending('2026-01-30')]), '2026-02-01').state).toBe('awaiting_acceptance');
        expect(evidenceStatus(drill([accepted(null)]), '2026-02-01').state).toBe('needs_evidence');
        expect(evidenceStatus(drill([accepted('2025-01-01'), pending('2026-01-30')]), '2026-02-01')).
            toMatchObject({state: 'awaiting_acceptance', expired_on: '2025-04-01'});
    });

    test('a task whose evidence does not expire: accepted evidence is valid with no end; none asked, none shown', () => {
        const plain = (evidence: EvidenceItem[]) => ({id: 'pilot.deploy', evidence, evidence_valid_days: null});
        expect(evidenceStatus(plain([]), '2026-01-01').state).toBe('none');
        expect(evidenceStatus(plain([pending(null)]), '2026-01-01').state).toBe('awaiting_acceptance');
        expect(evidenceStatus(plain([accepted(null)]), '2026-01-01')).
            toEqual({state: 'valid', valid_days: null, valid_until: null, expired_on: null});
    });

    test('a measured day (an accepted load-test upload) counts as accepted evidence of that day', () => {
        const loadTest = {id: 'security.load-test', evidence: [], evidence_valid_days: null};
        expect(evidenceStatus(loadTest, '2026-12-05', ['2026-11-30'])).toMatchObject({state: 'valid', valid_until: '2027-05-28'});
        expect(evidenceStatus(loadTest, '2027-05-29', ['2026-11-30'])).toMatchObject({state: 'expired', expired_on: '2027-05-29'});
    });

    test('runs out: expired, or the last valid day within the window', () => {
        const task = drill([accepted('2026-01-01')]);
        expect(evidenceRunsOut(evidenceStatus(task, '2026-03-23'), '2026-03-23', 7)).toBe(false);
        expect(evidenceRunsOut(evidenceStatus(task, '2026-03-24'), '2026-03-24', 7)).toBe(true);
        expect(evidenceRunsOut(evidenceStatus(task, '2026-04-02'), '2026-04-02', 7)).toBe(true);
        expect(evidenceRunsOut(evidenceStatus(drill([]), '2026-04-02'), '2026-04-02', 7)).toBe(false);
    });
});

describe('evidence shapes', () => {
    const base = {id: 'security.dr-drill', title: 'Drill'};

    test('a bare link (plans from before dated evidence) reads as an undated, unaccepted item', () => {
        const task = TaskSchema.parse({...base, evidence: ['https://wiki.example/drill']});
        expect(task.evidence).toEqual([evidenceFromLink('https://wiki.example/drill')]);
        expect(task.evidence_valid_days).toBeNull();
    });

    test('items keep their date and acceptance; bad items are refused', () => {
        const item = accepted('2026-01-01');
        expect(TaskSchema.parse({...base, evidence: [item]}).evidence).toEqual([item]);
        expect(TaskSchema.safeParse({...base, evidence: ['javascript:alert(1)']}).success).toBe(false);
        expect(TaskSchema.safeParse({...base, evidence: [{dated: '2026-01-01'}]}).success).toBe(false);
        expect(TaskSchema.safeParse({...base, evidence: [{...item, dated: '1 Jan'}]}).success).toBe(false);
        expect(TaskSchema.safeParse({...base, evidence: [{...item, accepted_by: 'root'}]}).success).toBe(false);
        expect(TaskSchema.safeParse({...base, evidence_valid_days: 0}).success).toBe(false);
    });

    test('the default plan has the tasks whose evidence expires, and a plan exported in the old shape imports', () => {
        const ids = defaultPlan.phases.flatMap((p) => p.tasks.map((t) => t.id));
        expect(ids).toEqual(expect.arrayContaining(Object.keys(EVIDENCE_VALID_DAYS_DEFAULTS)));
        const old = {...defaultPlan, phases: [{id: 'p', title: 'P', tasks: [{...base, evidence: ['https://a.example/x']}]}]};
        expect(PlanContentSchema.parse(old).phases[0].tasks[0].evidence[0]).toMatchObject({url: 'https://a.example/x', accepted_by: null});
    });
});

describe('evidence badges', () => {
    const check = (status: CheckResult['status'], verification: CheckResult['verification'] = 'configured'): CheckResult => ({
        id: 'c', phase: 'p', title: 'c', status, explanation: '', console_path: '/x', impact: 1, verification, probe: null,
    });
    const at = '2026-06-01';

    test('valid accepted evidence shows the evidence badge, even for a task its checks cannot prove', () => {
        const pentest = {id: 'security.pentest', checks: ['c'], evidence: [accepted('2026-05-01')], evidence_valid_days: null};
        expect(taskVerification(pentest, [check('ok', 'probe')], evidenceStatus(pentest, at))).toBe('evidence');
        const noChecks = {...drill([accepted('2026-05-01')]), checks: []};
        expect(taskVerification(noChecks, [], evidenceStatus(noChecks, at))).toBe('evidence');
    });

    test('expired, missing or unaccepted evidence is never verified, whatever the checks say', () => {
        for (const evidence of [[accepted('2025-01-01')], [], [pending('2026-05-01')]]) {
            const task = {id: 'security.backup-restore', checks: ['c'], evidence, evidence_valid_days: null};
            expect(taskVerification(task, [check('ok', 'probe')], evidenceStatus(task, at))).toBe('unverified');
        }
        const noChecks = {...drill([accepted('2025-01-01')]), checks: []};
        expect(taskVerification(noChecks, [], evidenceStatus(noChecks, at))).toBe('none');
    });

    test('a failing check still fails a task with valid evidence', () => {
        const task = {id: 'security.pentest', checks: ['c'], evidence: [accepted('2026-05-01')], evidence_valid_days: null};
        expect(taskVerification(task, [check('error')], evidenceStatus(task, at))).toBe('failing');
    });

    test('a pending link on a task whose evidence does not expire leaves its probe verdict alone', () => {
        const task = {id: 'pilot.deploy', checks: ['c'], evidence: [pending(null)], evidence_valid_days: null};
        expect(taskVerification(task, [check('ok', 'probe')], evidenceStatus(task, at))).toBe('verified');
    });
});
