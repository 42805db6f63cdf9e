import type {AuditEntry} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {asActor, recordAudit, recordAuditsOnce} from './audit';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {defaultPlanContent} from '../plan/defaultPlan';
import {testApp} from '../testing/harness';

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('alice');
    const kv = new KvStore(harness.api.kv);
    const as = (method: string, path: string, body?: unknown, query?: Record<string, string[]>) =>
        harness.request(method, path, {userId: admin.id, body, query});
    const page = async (pageNumber: number, perPage: number) =>
        (await as('GET', PlanRoutes.audit, undefined, {page: [String(pageNumber)], per_page: [String(perPage)]})).json as {
            entries: AuditEntry[];
            total: number;
        };
    return {...harness, admin, kv, as, page};
}

const plan = defaultPlanContent();
const [phase] = plan.phases;
const task = phase.tasks[0];

describe('every plan write leaves an audit entry: who, when, what, before → after', () => {
    test.each([
        [
            'plan.task.update',
            'PATCH',
            PlanRoutes.task(task.id),
            {expected_version: 0, changes: {title: task.title, state: 'done', notes: 'signed'}},
            `task:${task.id}`,
            {state: 'not_started', notes: ''},
            {state: 'done', notes: 'signed'},
        ],
        [
            'plan.task.add',
            'POST',
            PlanRoutes.phaseTasks(phase.id),
            {expected_version: 0, task: {id: 'extra', title: 'Extra'}},
            'task:extra',
            null,
            {phase_id: phase.id, task: expect.objectContaining({id: 'extra', title: 'Extra', state: 'not_started'})},
        ],
        [
            'plan.task.delete',
            'DELETE',
            PlanRoutes.task(task.id),
            {expected_version: 0},
            `task:${task.id}`,
            {phase_id: phase.id, task},
            null,
        ],
        [
            'plan.phase.add',
            'POST',
            PlanRoutes.phases,
            {expected_version: 0, phase: {id: 'hypercare', title: 'Hypercare', tasks: []}},
            'phase:hypercare',
            null,
            {id: 'hypercare', title: 'Hypercare', description: '', tasks: []},
        ],
        [
            'plan.phase.update',
            'PATCH',
            PlanRoutes.phase(phase.id),
            {expected_version: 0, changes: {title: 'Planning', description: phase.description}},
            `phase:${phase.id}`,
            {title: phase.title},
            {title: 'Planning'},
        ],
        ['plan.phase.delete', 'DELETE', PlanRoutes.phase(phase.id), {expected_version: 0}, `phase:${phase.id}`, phase, null],
        [
            'plan.reorder',
            'POST',
            PlanRoutes.reorder,
            {
                expected_version: 0,
                phase_order: [...plan.phases].reverse().map((p) => p.id),
                task_order: Object.fromEntries(plan.phases.map((p) => [p.id, p.tasks.map((t) => t.id)])),
            },
            'plan',
            expect.objectContaining({phase_order: plan.phases.map((p) => p.id)}),
            expect.objectContaining({phase_order: [...plan.phases].reverse().map((p) => p.id)}),
        ],
        [
            'plan.import',
            'POST',
            PlanRoutes.importPlan,
            {plan: {schema_version: 1, title: 'Small', phases: [{id: 'only', title: 'Only', tasks: []}]}},
            'plan',
            {
                version: 0,
                title: plan.title,
                phase_count: plan.phases.length,
                task_count: plan.phases.reduce((n, p) => n + p.tasks.length, 0),
            },
            expect.objectContaining({
                version: 1,
                title: 'Small',
                phase_count: 1,
                task_count: 0,
                changes: expect.objectContaining({added_phases: ['only']}),
            }),
        ],
    ])('%s', async (action, method, path, body, target, before, after) => {
        const {as, admin, page} = setup();
        const t0 = Date.now();
        const response = await as(method, path, body);
        expect(response.status).toBeLessThan(300);
        const {entries, total} = await page(0, 10);
        expect(total).toBe(1);
        expect(entries).toEqual([{id: '1', at: expect.any(Number), user_id: admin.id, action, target, before, after}]);
        expect(entries[0].at).toBeGreaterThanOrEqual(t0);
        expect(entries[0].at).toBeLessThanOrEqual(Date.now());
    });

    test('refused writes (409, 400, 404) and no-op edits leave no entry', async () => {
        const {as, page} = setup();
        await as('PATCH', PlanRoutes.task(task.id), {expected_version: 5, changes: {state: 'done'}});
        await as('PATCH', PlanRoutes.task(task.id), {expected_version: 0, changes: {state: 'nope'}});
        await as('PATCH', PlanRoutes.task('missing'), {expected_version: 0, changes: {state: 'done'}});
        await as('PATCH', PlanRoutes.task(task.id), {expected_version: 0, changes: {state: 'not_started'}});
        await as('POST', PlanRoutes.importPreview, {plan});
        expect(await page(0, 10)).toEqual({entries: [], total: 0});
    });
});

describe('storage and paging', () => {
    test('one write-once key per entry plus a counter; pages are newest first', async () => {
        const {kv, api, admin, page} = setup();
        for (let i = 1; i <= 5; i++) {
            recordAudit(
                {kv, log: {debug() {}, info() {}, warn() {}, error() {}}, userId: admin.id},
                {action: 'test.step', target: `step:${i}`, before: i - 1, after: i},
                1000 + i,
            );
        }
        expect(api.kv.listKeys(0, 100).filter((key) => key.startsWith('audit:')).sort()).toEqual(
            ['audit:entry:1', 'audit:entry:2', 'audit:entry:3', 'audit:entry:4', 'audit:entry:5', 'audit:head'],
        );
        const targets = async (p: number, n: number) => (await page(p, n)).entries.map((entry) => entry.target);
        expect(await targets(0, 2)).toEqual(['step:5', 'step:4']);
        expect(await targets(1, 2)).toEqual(['step:3', 'step:2']);
        expect(await targets(2, 2)).toEqual(['step:1']);
        expect(await targets(3, 2)).toEqual([]);
        expect(await targets(0, 200)).toEqual(['step:5', 'step:4', 'step:3', 'step:2', 'step:1']);
        expect((await page(0, 2)).total).toBe(5);
        expect((await page(0, 2)).entries[0]).toMatchObject({id: '5', at: 1005, before: 4, after: 5});
    });

    test.each([
        ['per_page', '201'],
        ['per_page', '0'],
        ['per_page', 'ten'],
        ['page', '-1'],
        ['page', '1.5'],
    ])('?%s=%s → 400', async (name, value) => {
        const {as} = setup();
        const response = await as('GET', PlanRoutes.audit, undefined, {[name]: [value]});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain(`query.${name}`);
    });

    test('an entry is never overwritten: a reserved number whose key exists makes the append fail, not replace', () => {
        const {kv, admin, api} = setup();
        const log = {lines: [] as string[],
            debug() {},
            info() {},
            warn() {},
            error(message: string) {
                log.lines.push(message);
            }};
        recordAudit({kv, log, userId: admin.id}, {action: 'a', target: 't', before: null, after: 1});

        // Simulate a counter that went back (restored backup): number 1 is handed out again.
        api.kv.set(KvKeys.auditHead.key, JSON.stringify({version: 9, value: {count: 0}}));
        expect(recordAudit({kv, log, userId: admin.id}, {action: 'b', target: 't', before: null, after: 2})).toBeUndefined();
        expect(kv.readVersioned(KvKeys.auditEntry(1)).value).toMatchObject({action: 'a'});
        expect(log.lines).toHaveLength(1);
    });

    test('several entries go to the host in ONE call; one that cannot be stored is logged, the others are written', () => {
        const {kv, admin, api, log} = setup();
        const calls: number[] = [];
        const createAll = api.kv.createAll.bind(api.kv);
        api.kv.createAll = (items) => {
            calls.push(items.length);
            return createAll(items);
        };

        // Number 2 is taken already (a counter that went back): that entry fails, 1 and 3 are written.
        const taken = {id: '2', at: 1, user_id: 'x', action: 'old', target: 't'};
        api.kv.set(KvKeys.auditEntry(2).key, JSON.stringify({version: 1, value: taken}));
        const context = {kv, log, userId: admin.id};
        const change = (n: number) => ({context, change: {action: `a${n}`, target: 't', before: null, after: n}, at: 1000 + n, from: 0});
        expect(recordAuditsOnce([change(1), change(2), change(3)])).toBe(false);
        expect(calls).toEqual([3]);
        expect([1, 2, 3].map((seq) => kv.readVersioned(KvKeys.auditEntry(seq)).value?.action)).toEqual(['a1', 'old', 'a3']);
        expect(log.lines).toContainEqual(expect.objectContaining({level: 'error', fields: expect.objectContaining({action: 'a2'})}));
    });

    test('when the audit write fails, the change stands, the request succeeds, and the entry goes to the error log', async () => {
        const {as, api, log, kv} = setup();
        const realCompareAndSet = api.kv.compareAndSet.bind(api.kv);
        api.kv.compareAndSet = (key, oldValue, newValue) => {
            if (key.startsWith('audit:')) {
                throw Object.assign(new Error('database is read-only'), {name: 'HostError', status_code: 500, id: 'x'});
            }
            return realCompareAndSet(key, oldValue, newValue);
        };
        const response = await as('PATCH', PlanRoutes.task(task.id), {expected_version: 0, changes: {state: 'done'}});
        expect(response.status).toBe(200);
        expect(kv.readVersioned(KvKeys.plan).value?.content.phases[0].tasks[0].state).toBe('done');
        expect(log.lines).toContainEqual(
            expect.objectContaining({
                level: 'error',
                fields: expect.objectContaining({
                    action: 'plan.task.update',
                    target: `task:${task.id}`,
                    before: '{"state":"not_started"}',
                    after: '{"state":"done"}',
                    error: 'database is read-only',
                }),
            }),
        );
    });
});

describe(`GET ${PlanRoutes.auditExport}`, () => {
    function seeded() {
        const harness = setup();
        const {kv, admin} = harness;
        const context = {kv, log: harness.log, userId: admin.id};
        recordAudit(
            context,
            {
                action: 'plan.phase.update',
                target: '=HYPERLINK("http://evil.example","x")',
                before: {title: 'Old, "quoted"'},
                after: {title: 'New'},
            },
            Date.UTC(2026, 10, 23, 10),
        );
        recordAudit(context, {action: 'plan.task.update', target: '-1+1', before: -5, after: '@here'}, Date.UTC(2026, 10, 23, 11));
        return harness;
    }

    test('CSV: header, newest first, every cell quoted, formulas neutralised, usernames resolved', async () => {
        const {as, admin} = seeded();
        const response = await as('GET', PlanRoutes.auditExport, undefined, {format: ['csv']});
        expect(response.status).toBe(200);
        expect(response.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
        expect(response.headers?.['Content-Disposition']).toMatch(/^attachment; filename="cockpit-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
        expect(response.body?.split('\r\n')).toEqual([
            '"id","at","user_id","username","action","target","before","after","session_id","ip_address","user_agent"',
            `"2","2026-11-23T11:00:00.000Z","${admin.id}","alice","plan.task.update","'-1+1","'-5","""@here""","","",""`,
            `"1","2026-11-23T10:00:00.000Z","${admin.id}","alice","plan.phase.update",` +
            '"\'=HYPERLINK(""http://evil.example"",""x"")","{""title"":""Old, \\""quoted\\""""}","{""title"":""New""}","","",""',
            '',
        ]);
    });

    test('JSON: every entry, newest first', async () => {
        const {as} = seeded();
        const response = await as('GET', PlanRoutes.auditExport, undefined, {format: ['json']});
        expect(response.headers?.['Content-Disposition']).toMatch(/\.json"$/);
        expect(response.json.total).toBe(2);
        expect(response.json.entries.map((entry: AuditEntry) => entry.id)).toEqual(['2', '1']);
        expect(response.json.entries[1].before).toEqual({title: 'Old, "quoted"'});
    });

    test('an unknown format → 400', async () => {
        const {as} = seeded();
        expect((await as('GET', PlanRoutes.auditExport, undefined, {format: ['xlsx']})).status).toBe(400);
    });
});

describe("every entry also goes to the server's own audit log", () => {
    const origin = {sessionId: 'sess1', ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 Cockpit test'};

    test('a route change: the actor, their session, address, user agent, the event and before → after', async () => {
        const {request, api, admin, kv} = setup();
        const response = await request('PATCH', PlanRoutes.task(task.id), {
            userId: admin.id,
            body: {expected_version: 0, changes: {state: 'done'}},
            origin,
            headers: {'X-Forwarded-For': '198.51.100.1'},
        });
        expect(response.status).toBe(200);

        const entry = kv.readVersioned(KvKeys.auditEntry(1)).value as AuditEntry;
        expect(entry).toMatchObject({session_id: 'sess1', ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0 Cockpit test'});
        expect(api.serverAuditRecords).toEqual([{
            event_name: 'plan.task.update',
            status: 'success',
            user_id: admin.id,
            session_id: 'sess1',
            ip_address: '203.0.113.7',
            x_forwarded_for: '198.51.100.1',
            client: 'Mozilla/5.0 Cockpit test',
            object_type: 'plan',
            parameters: {target: `task:${task.id}`, cockpit_audit_id: '1'},
            prior_state: {state: 'not_started'},
            resulting_state: {state: 'done'},
            meta: {api_path: PlanRoutes.task(task.id)},
        }]);
    });

    test('a job has no request: the record names no session; scalars and arrays are kept under "value"', () => {
        const {api, kv, log} = setup();
        recordAudit({kv, log, userId: '', api}, {action: 'readiness.change', target: 'readiness', before: null, after: [1, 2]});
        expect(api.serverAuditRecords).toEqual([expect.objectContaining({
            user_id: '',
            session_id: '',
            ip_address: '',
            object_type: 'readiness',
            resulting_state: {value: [1, 2]},
            meta: {},
        })]);
        expect(api.serverAuditRecords[0]).not.toHaveProperty('prior_state');
    });

    test("someone else's change appended on their behalf does not carry this request's origin", () => {
        const {api, kv, log, admin} = setup();
        const context = {kv, log, userId: admin.id, api, request: {origin, path: '/x', headers: {}}};
        recordAudit(asActor(context, 'someone-else'), {action: 'plan.task.update', target: 't', before: null, after: null});
        const entry = kv.readVersioned(KvKeys.auditEntry(1)).value as AuditEntry;
        expect(entry.user_id).toBe('someone-else');
        expect(entry.session_id).toBeUndefined();
        expect(api.serverAuditRecords[0]).toMatchObject({user_id: 'someone-else', session_id: '', ip_address: ''});
        expect(asActor(context, admin.id)).toBe(context);
    });

    test("when the server's audit log refuses, the cockpit's entry stands and the failure is logged", () => {
        const {api, kv, log, admin} = setup();
        api.audit.logServer = () => {
            throw new Error('audit queue full');
        };
        const entry = recordAudit({kv, log, userId: admin.id, api}, {action: 'a.b', target: 't', before: null, after: 1});
        expect(entry?.id).toBe('1');
        expect(kv.readVersioned(KvKeys.auditEntry(1)).value).toEqual(entry);
        expect(log.lines).toContainEqual(
            expect.objectContaining({level: 'error', fields: expect.objectContaining({action: 'a.b', error: 'audit queue full'})}),
        );
    });
});
