import {readFileSync} from 'fs';
import {join} from 'path';

import {LoadTestEndpoints} from 'contract/endpoints/loadtest';
import {SizingEndpoints} from 'contract/endpoints/sizing';
import {ErrorIds} from 'contract/errors';
import {LOAD_TEST_FILE_MAX_BYTES, type LoadTestOverview} from 'contract/loadtest';
import {taskEvidenceStatus, taskVerification, type PlanResponse} from 'contract/plan_api';
import type {ReadinessReport} from 'contract/readiness';

import {parseLoadTestResult, parseGoTime} from './parse';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';
import {taskFixture} from '../testing/taskFixture';

// The fixtures are the tool's own output formats (testdata/README.md says how they were made).
const fixture = (name: string) => readFileSync(join(__dirname, 'testdata', name), 'utf8');

const uploadPath = LoadTestEndpoints.upload.toPath();
const sizingPath = SizingEndpoints.save.toPath();
const overviewPath = LoadTestEndpoints.overview.toPath();

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');
    const member = harness.api.addUser({username: 'member'});
    const as = (method: string, path: string, body?: unknown, userId = admin.id) => harness.request(method, path, {userId, body});
    const kv = new KvStore(harness.api.kv);
    const auditActions = () => {
        const count = kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value?.action);
    };
    return {...harness, admin, member, as, auditActions};
}

describe('parseLoadTestResult', () => {
    test('the coordinator API\'s status answer of a finished run', () => {
        expect(parseLoadTestResult(fixture('coordinator-status-done.json'))).toEqual([{
            format: 'coordinator_status',
            supported_users: 2150,
            started_at: Date.UTC(2026, 10, 30, 9, 0, 0),
            stopped_at: Date.UTC(2026, 10, 30, 12, 12, 0),
            num_errors: 42,
            label: null,
        }]);
    });

    test('a bare coordinator.Status and the text of "ltctl loadtest status" read the same', () => {
        const [fromJson] = parseLoadTestResult(fixture('coordinator-status-done.json'));
        expect(parseLoadTestResult(fixture('coordinator-status-bare.json'))).toEqual([fromJson]);
        expect(parseLoadTestResult(fixture('ltctl-status-done.txt'))).toEqual([{...fromJson, format: 'ltctl_status'}]);
    });

    test('a comparison gives its unbounded runs, base first', () => {
        expect(parseLoadTestResult(fixture('comparison.json')).map((run) => [run.label, run.supported_users, run.format])).toEqual([
            ['base', 1900, 'comparison'],
            ['new', 2050, 'comparison'],
        ]);
    });

    test.each([
        ['coordinator-status-running.json', /"running", not done/],
        ['comparison-bounded.json', /no completed unbounded load test/],
        ['malformed-truncated.json', /not valid JSON/],
    ])('%s is malformed', (name, message) => {
        expect(() => parseLoadTestResult(fixture(name))).toThrow(expect.objectContaining({status: 400, id: ErrorIds.loadTestMalformed}));
        expect(() => parseLoadTestResult(fixture(name))).toThrow(message);
    });

    test.each([
        ['a k6 summary', fixture('foreign-k6-summary.json')],
        ['a CSV', fixture('foreign.csv')],
        ['a JSON array', '[1, 2, 3]'],
        ['binary data', '\u0089PNG\r\n\u001a\n\u0000\u0000'],
        ['an empty file', ''],
    ])('%s is foreign', (_, text) => {
        expect(() => parseLoadTestResult(text)).toThrow(expect.objectContaining({status: 400, id: ErrorIds.loadTestForeign}));
    });

    test.each([
        ['a negative count', {State: 'done', SupportedUsers: -1}],
        ['a fractional count', {State: 'done', SupportedUsers: 1.5}],
        ['a string count', {status: {State: 'done', SupportedUsers: '2000'}}],
        ['the coordinator\'s error answer', {error: 'coordinator not found'}],
    ])('%s is malformed', (_, value) => {
        expect(() => parseLoadTestResult(JSON.stringify(value))).toThrow(
            expect.objectContaining({status: 400, id: ErrorIds.loadTestMalformed}),
        );
    });

    test('Go times: RFC 3339 with nanoseconds and offsets; the zero time is unknown', () => {
        expect(parseGoTime('2026-11-30T10:00:00.123456789+01:00')).toBe(Date.UTC(2026, 10, 30, 9, 0, 0, 123));
        expect(parseGoTime('0001-01-01T00:00:00Z')).toBeNull();
        expect(parseGoTime('yesterday')).toBeNull();
    });
});

describe(`POST ${uploadPath}`, () => {
    const loadTestCheck = (report: ReadinessReport) => report.results.find((result) => result.id === 'scale.load-test');

    test('verifies the load-test task only when the supported users reach the planned concurrent users', async () => {
        const {as, auditActions} = setup();
        let overview = (await as('GET', overviewPath)).json as LoadTestOverview;
        expect(overview.verdict.state).toBe('no_target');

        // The plan's saved sizing is the target.
        const sizing = {total_users: 8000, concurrent_users: 2100, architecture_users: 15000};
        expect((await as('PUT', sizingPath, {expected_version: 0, sizing})).status).toBe(200);
        overview = (await as('GET', overviewPath)).json as LoadTestOverview;
        expect(overview).toMatchObject({target: sizing, verdict: {state: 'no_run'}});

        // 1,900 then 2,050: below 2,100.
        const below = await as('POST', uploadPath, {file_name: 'comparison.json', content: fixture('comparison.json')});
        expect(below.status).toBe(201);
        expect(below.json).toMatchObject({
            run: {seq: 2, label: 'new', supported_users: 2050, target_at_upload: 2100, file_name: 'comparison.json'},
            overview: {verdict: {state: 'below', supported_users: 2050, concurrent_users: 2100, run_seq: 2}, total_runs: 2},
        });
        let report = (await as('GET', '/api/v1/readiness')).json as ReadinessReport;
        expect(loadTestCheck(report)?.status).toBe('error');

        const reached = await as('POST', uploadPath, {file_name: 'status.txt', content: fixture('ltctl-status-done.txt')});
        expect(reached.json).toMatchObject({run: {seq: 3, supported_users: 2150}, overview: {verdict: {state: 'reached'}}});
        report = (await as('GET', '/api/v1/readiness')).json as ReadinessReport;
        expect(loadTestCheck(report)).toMatchObject({status: 'ok', explanation: expect.stringContaining('2150')});

        // The plan's load-test task is verified by that check alone.
        const plan = (await as('GET', '/api/v1/plan')).json as PlanResponse;
        const task = plan.plan.phases.flatMap((phase) => phase.tasks).find((t) => t.id === 'security.load-test');
        expect(task?.checks).toEqual(['scale.load-test']);
        const today = new Date().toISOString().slice(0, 10);
        const evidence = taskEvidenceStatus(task ?? taskFixture('none'), report.results, today);
        expect(evidence).toMatchObject({state: 'valid', valid_days: 180});
        expect(taskVerification(task ?? {id: '', checks: []}, report.results, evidence)).toBe('evidence');

        // History: newest first.
        overview = (await as('GET', overviewPath)).json as LoadTestOverview;
        expect(overview.runs.map((run) => [run.seq, run.supported_users])).toEqual([[3, 2150], [2, 2050], [1, 1900]]);
        expect(auditActions()).toEqual(['sizing.update', 'loadtest.run.upload', 'loadtest.run.upload']);

        // A higher planned load turns it back.
        await as('PUT', sizingPath, {expected_version: 1, sizing: {total_users: 20000, concurrent_users: 5000, architecture_users: null}});
        report = (await as('GET', '/api/v1/readiness')).json as ReadinessReport;
        expect(loadTestCheck(report)?.status).toBe('error');
    });

    test.each([
        ['malformed', 'malformed-truncated.json', ErrorIds.loadTestMalformed],
        ['not done', 'coordinator-status-running.json', ErrorIds.loadTestMalformed],
        ['foreign', 'foreign-k6-summary.json', ErrorIds.loadTestForeign],
    ])('a %s file: 400 with its id, nothing stored', async (_, name, id) => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const response = await as('POST', uploadPath, {file_name: name, content: fixture(name)});
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({error: {id, message: expect.any(String)}});
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('a file over the size limit: 400, nothing stored', async () => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const content = fixture('coordinator-status-done.json').replace('{', `{"padding": "${'é'.repeat(LOAD_TEST_FILE_MAX_BYTES / 2)}",`);
        const response = await as('POST', uploadPath, {file_name: 'big.json', content});
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({error: {id: ErrorIds.loadTestTooLarge}});
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('only system admins upload', async () => {
        const {as, member} = setup();
        const upload = await as('POST', uploadPath, {file_name: 'x.json', content: fixture('coordinator-status-done.json')}, member.id);
        expect(upload.status).toBe(403);
    });
});
