import {PlanEndpoints} from 'contract/endpoints/plan';
import {ErrorIds} from 'contract/errors';
import {PLAN_SCHEMA_VERSION, PlanContentSchema, type PlanContent} from 'contract/plan';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';
import {taskEditMutex} from './store';

import defaultPlanJson from '../../../assets/plan/default-plan.json';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

function setup() {
    const harness = testApp();
    const {api} = harness;
    const alice = api.addSystemAdmin('alice');
    const bob = api.addSystemAdmin('bob');
    const member = api.addUser({username: 'member'});
    const as = (user: {id: string}) => (method: string, path: string, body?: unknown) =>
        harness.request(method, path, {userId: user.id, body});
    const stored = () => new KvStore(api.kv).readVersioned(KvKeys.plan);
    const auditEntries = () => {
        const store = new KvStore(api.kv);
        const count = store.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => store.readVersioned(KvKeys.auditEntry(i + 1)).value);
    };
    return {...harness, alice, bob, member, asAlice: as(alice), asBob: as(bob), stored, auditEntries};
}

const firstPhase = () => defaultPlanContent().phases[0];
const firstTaskId = () => firstPhase().tasks[0].id;

function newTask(id: string, extra: Record<string, unknown> = {}) {
    return {id, title: `Task ${id}`, ...extra};
}

describe('the default plan', () => {
    test('assets/plan/default-plan.json is a valid plan of the current schema version', () => {
        const result = PlanContentSchema.safeParse(defaultPlanJson);
        expect(result.success ? [] : result.error.issues).toEqual([]);
        expect(defaultPlanJson.schema_version).toBe(PLAN_SCHEMA_VERSION);
        const content = defaultPlanContent();
        expect(content.phases.length).toBeGreaterThan(5);
        expect(content.phases.every((phase) => phase.tasks.every((task) => task.state === 'not_started'))).toBe(true);
    });

    test('every call gives a fresh copy (nothing shared to mutate)', () => {
        const a = defaultPlanContent();
        a.phases[0].tasks[0].title = 'changed';
        expect(defaultPlanContent().phases[0].tasks[0].title).not.toBe('changed');
    });
});

describe(`GET ${PlanRoutes.plan}`, () => {
    test('serves the default plan at version 0 and writes nothing', async () => {
        const {asAlice, api} = setup();
        const before = kvDump(api.kv);
        const response = await asAlice('GET', PlanRoutes.plan);
        expect(response.status).toBe(200);
        expect(response.json.plan).toEqual({...defaultPlanContent(), version: 0, updated_at: 0, updated_by: ''});
        expect(response.json.progress.percent).toBe(0);
        expect(response.json.progress.phases).toHaveLength(defaultPlanContent().phases.length);
        expect(kvDump(api.kv)).toEqual(before);
        expect(api.kv.get(KvKeys.plan.key)).toBeNull();
    });
});

describe('editing tasks', () => {
    test('the first edit creates the record at version 1, stamped with who and when', async () => {
        const {asAlice, alice, stored} = setup();
        const t0 = Date.now();
        const response = await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {
            expected_version: 0,
            changes: {state: 'in_progress', notes: 'kick-off on Monday'},
        });
        expect(response.status).toBe(200);
        expect(response.json.plan).toMatchObject({version: 1, updated_by: alice.id});
        expect(response.json.plan.updated_at).toBeGreaterThanOrEqual(t0);
        expect(response.json.plan.updated_at).toBeLessThanOrEqual(Date.now());
        expect(response.json.plan.phases[0].tasks[0]).toMatchObject({state: 'in_progress', notes: 'kick-off on Monday'});
        const record = stored();
        expect(record.version).toBe(1);
        expect(record.value?.content.phases[0].tasks[0].state).toBe('in_progress');

        // Everything else is still the default.
        expect(record.value?.content.phases.slice(1)).toEqual(defaultPlanContent().phases.slice(1));
    });

    test('two admins saving the same task from the same version: one 200, one 409, and the winner\'s change is stored', async () => {
        const {asAlice, asBob, alice, stored, auditEntries} = setup();
        const taskId = firstTaskId();
        const alicesSave = await asAlice('PATCH', PlanRoutes.task(taskId), {
            expected_version: 0,
            changes: {owner_id: alice.id, state: 'done'},
        });
        const bobsSave = await asBob('PATCH', PlanRoutes.task(taskId), {expected_version: 0, changes: {state: 'blocked', notes: 'bob'}});
        expect([alicesSave.status, bobsSave.status]).toEqual([200, 409]);
        expect(bobsSave.json.error.id).toBe(ErrorIds.planFieldConflict);
        expect(bobsSave.json.error.conflict).toMatchObject({
            task_id: taskId, field: 'state', by: alice.id, by_username: 'alice', value: 'done',
        });
        const task = stored().value?.content.phases[0].tasks[0];
        expect(task).toMatchObject({owner_id: alice.id, state: 'done', notes: ''});
        expect(stored().version).toBe(1);
        expect(auditEntries().map((entry) => entry?.user_id)).toEqual([alice.id]);
    });

    test('task edits take turns under one lock: while it is held elsewhere a save waits, then 503, the plan unchanged', async () => {
        const {asAlice, api, stored} = setup();
        api.heldMutexes.add(taskEditMutex);
        const save = await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {state: 'done'}});
        expect(save.status).toBe(503);
        expect(save.json.error.id).toBe(ErrorIds.planBusy);
        expect(stored().value).toBeUndefined();

        api.heldMutexes.delete(taskEditMutex);
        expect((await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {state: 'done'}})).status).toBe(200);
        expect(api.heldMutexes.size).toBe(0);
    });

    test('a save whose lock the host took for it (a serialized endpoint) runs in its turn and leaves the lock to the host', async () => {
        const {request, alice, api, stored} = setup();
        expect(PlanEndpoints.updateTask.serialized?.lock).toBe(taskEditMutex);

        // Held as the Go host holds it for the request: taking it again from JS would wait for itself (503 here).
        api.heldMutexes.add(taskEditMutex);
        const save = await request('PATCH', PlanRoutes.task(firstTaskId()), {
            userId: alice.id, body: {expected_version: 0, changes: {state: 'done'}}, locks: [taskEditMutex],
        });
        expect(save.status).toBe(200);
        expect(stored().value?.content.phases[0].tasks[0].state).toBe('done');
        expect([...api.heldMutexes]).toEqual([taskEditMutex]);
    });

    // The rival writes the record directly between our read and our compare-and-set, stamping the field it changed.
    function rivalBeforeOurWrite(t: ReturnType<typeof setup>, field: 'notes' | 'state', value: string) {
        const realCompareAndSet = t.api.kv.compareAndSet.bind(t.api.kv);
        let rivalDone = false;
        t.api.kv.compareAndSet = (key, oldValue, newValue) => {
            if (key === KvKeys.plan.key && !rivalDone) {
                rivalDone = true;
                const kv = new KvStore(t.api.kv);
                const current = kv.readVersioned(KvKeys.plan);
                const content = structuredClone(current.value!.content);
                Object.assign(content.phases[0].tasks[0], {[field]: value});
                const taskId = content.phases[0].tasks[0].id;
                const stamp = {version: current.version + 1, by: t.bob.id, at: 1};
                kv.writeVersioned(KvKeys.plan, {
                    content,
                    updated_at: 1,
                    updated_by: t.bob.id,
                    field_changes: {...current.value!.field_changes, [taskId]: {...current.value!.field_changes?.[taskId], [field]: stamp}},
                }, current.version);
            }
            return realCompareAndSet(key, oldValue, newValue);
        };
    }

    test('a rival write of another field between our read and our compare-and-set: ours is applied again on top, both kept', async () => {
        const t = setup();
        await t.asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {state: 'in_progress'}});
        rivalBeforeOurWrite(t, 'notes', 'rival');
        const response = await t.asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 1, changes: {state: 'done'}});
        expect(response.status).toBe(200);
        const record = t.stored();
        expect(record.version).toBe(3);
        expect(record.value?.content.phases[0].tasks[0]).toMatchObject({state: 'done', notes: 'rival'});
        expect(t.auditEntries().map((entry) => entry?.action)).toEqual(['plan.task.update', 'plan.task.update']);
    });

    test('a rival write of the same field between our read and our compare-and-set is a 409 naming it, nothing lost', async () => {
        const t = setup();
        await t.asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {state: 'in_progress'}});
        rivalBeforeOurWrite(t, 'state', 'blocked');
        const response = await t.asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 1, changes: {state: 'done'}});
        expect(response.status).toBe(409);
        expect(response.json.error).toMatchObject({
            id: ErrorIds.planFieldConflict,
            conflict: {field: 'state', by: t.bob.id, by_username: 'bob', value: 'blocked', version: 2},
        });
        const record = t.stored();
        expect(record.version).toBe(2);
        expect(record.value?.content.phases[0].tasks[0]).toMatchObject({state: 'blocked'});
        expect(t.auditEntries()).toHaveLength(1);
    });

    test('a change to nothing writes nothing', async () => {
        const {asAlice, api} = setup();
        const before = kvDump(api.kv);
        const response = await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {state: 'not_started'}});
        expect(response.status).toBe(200);
        expect(response.json.plan.version).toBe(0);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('a task skipped without a reason is allowed but does not complete its phase; with a reason it does', async () => {
        const {asAlice} = setup();
        const phase = firstPhase();
        const required = phase.tasks.filter((task) => !task.optional);
        let version = 0;
        let response;
        for (const task of required.slice(1)) {
            response = await asAlice('PATCH', PlanRoutes.task(task.id), {expected_version: version, changes: {state: 'done'}});
            version = response.json.plan.version;
        }
        response = await asAlice('PATCH', PlanRoutes.task(required[0].id), {expected_version: version, changes: {state: 'skipped'}});
        expect(response.status).toBe(200);
        expect(response.json.progress.phases[0]).toMatchObject({phase_id: phase.id, complete: false, completed: required.length - 1});
        response = await asAlice('PATCH', PlanRoutes.task(required[0].id), {
            expected_version: version + 1,
            changes: {skip_reason: 'Covered by the bank-wide project charter'},
        });
        expect(response.json.progress.phases[0]).toMatchObject({complete: true, percent: 100});
    });

    test.each([
        ['an unknown field in changes', {expected_version: 0, changes: {colour: 'red'}}, 'colour'],
        ['an unknown state', {expected_version: 0, changes: {state: 'finished'}}, 'body.changes.state'],
        ['an owner that is not a user id', {expected_version: 0, changes: {owner_id: 'bob'}}, 'body.changes.owner_id'],
        ['a bad due date', {expected_version: 0, changes: {due_date: '23/11/2026'}}, 'body.changes.due_date'],
        ['evidence that is not a link', {expected_version: 0, changes: {evidence: ['javascript:alert(1)']}}, 'body.changes.evidence.0'],
        ['a missing expected_version', {changes: {state: 'done'}}, 'body.expected_version'],
        ['malformed JSON', '{"expected_version": 0, "changes": {', 'not valid JSON'],
    ])('%s → 400 naming the problem, plan unchanged', async (_, body, mentioned) => {
        const {asAlice, api} = setup();
        const before = kvDump(api.kv);
        const response = await asAlice('PATCH', PlanRoutes.task(firstTaskId()), body);
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain(mentioned);
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe('adding, removing and reordering', () => {
    test('add a task (201), then delete it; unknown ids are 404 cockpit.plan.not_found', async () => {
        const {asAlice, stored} = setup();
        const phaseId = firstPhase().id;
        const added = await asAlice('POST', PlanRoutes.phaseTasks(phaseId), {
            expected_version: 0,
            task: newTask('planning.extra', {optional: true}),
        });
        expect(added.status).toBe(201);
        const tasks = added.json.plan.phases[0].tasks;
        expect(tasks[tasks.length - 1]).toMatchObject({id: 'planning.extra', optional: true, state: 'not_started', evidence: []});

        const removed = await asAlice('DELETE', PlanRoutes.task('planning.extra'), {expected_version: 1});
        expect(removed.status).toBe(200);
        expect(removed.json.plan.version).toBe(2);
        expect(stored().value?.content).toEqual(defaultPlanContent());

        for (const [method, path, body] of [
            ['DELETE', PlanRoutes.task('planning.extra'), {expected_version: 2}],
            ['PATCH', PlanRoutes.task('nope'), {expected_version: 2, changes: {state: 'done'}}],
            ['POST', PlanRoutes.phaseTasks('nope'), {expected_version: 2, task: newTask('x')}],
            ['PATCH', PlanRoutes.phase('nope'), {expected_version: 2, changes: {title: 'x'}}],
            ['DELETE', PlanRoutes.phase('nope'), {expected_version: 2}],
        ] as const) {
            const response = await asAlice(method, path, body);
            expect([method, path, response.status, response.json.error.id]).toEqual([method, path, 404, ErrorIds.planNotFound]);
        }
        expect(stored().version).toBe(2);
    });

    test.each([
        [
            'a task id already used by a task',
            () => ({path: PlanRoutes.phaseTasks(firstPhase().id), body: {expected_version: 0, task: newTask(firstTaskId())}}),
            'already used',
        ],
        [
            'a task id already used by a phase',
            () => ({
                path: PlanRoutes.phaseTasks(firstPhase().id),
                body: {expected_version: 0, task: newTask(defaultPlanContent().phases[1].id)},
            }),
            'already used',
        ],
        [
            'a phase id already used',
            () => ({path: PlanRoutes.phases, body: {expected_version: 0, phase: {id: firstPhase().id, title: 'Again', tasks: []}}}),
            'already used',
        ],
        [
            'a new phase whose task id is taken',
            () => ({
                path: PlanRoutes.phases,
                body: {expected_version: 0, phase: {id: 'new-phase', title: 'New', tasks: [newTask(firstTaskId())]}},
            }),
            'already used',
        ],
        [
            'a new phase with the same task twice',
            () => ({
                path: PlanRoutes.phases,
                body: {expected_version: 0, phase: {id: 'new-phase', title: 'New', tasks: [newTask('dup'), newTask('dup')]}},
            }),
            '"dup" is used twice',
        ],
    ])('duplicate ids → 400: %s', async (_, make, mentioned) => {
        const {asAlice, api} = setup();
        const before = kvDump(api.kv);
        const {path, body} = make();
        const response = await asAlice('POST', path, body);
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
        expect(response.json.error.message).toContain(mentioned);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('add, rename and delete a phase', async () => {
        const {asAlice} = setup();
        const count = defaultPlanContent().phases.length;
        const added = await asAlice('POST', PlanRoutes.phases, {
            expected_version: 0,
            phase: {id: 'hypercare', title: 'Hypercare', tasks: [newTask('hypercare.desk')]},
        });
        expect(added.status).toBe(201);
        expect(added.json.plan.phases).toHaveLength(count + 1);
        expect(added.json.plan.phases[count]).toMatchObject({
            id: 'hypercare',
            description: '',
            tasks: [{id: 'hypercare.desk', state: 'not_started'}],
        });

        const renamed = await asAlice('PATCH', PlanRoutes.phase('hypercare'), {
            expected_version: 1,
            changes: {title: 'Hypercare (4 weeks)'},
        });
        expect(renamed.json.plan.phases[count].title).toBe('Hypercare (4 weeks)');

        const deleted = await asAlice('DELETE', PlanRoutes.phase('hypercare'), {expected_version: 2});
        expect(deleted.status).toBe(200);
        expect(deleted.json.plan.phases.map((phase: {id: string}) => phase.id)).toEqual(
            defaultPlanContent().phases.map((phase) => phase.id),
        );
    });

    test('reorder phases and move a task to another phase', async () => {
        const {asAlice} = setup();
        const content = defaultPlanContent();
        const [p0, p1] = content.phases;
        const phaseOrder = [p1.id, p0.id, ...content.phases.slice(2).map((phase) => phase.id)];
        const taskOrder = Object.fromEntries(content.phases.map((phase) => [phase.id, phase.tasks.map((task) => task.id)]));
        const moved = taskOrder[p0.id].shift() as string;
        taskOrder[p1.id].unshift(moved);
        taskOrder[p0.id].reverse();

        const response = await asAlice('POST', PlanRoutes.reorder, {expected_version: 0, phase_order: phaseOrder, task_order: taskOrder});
        expect(response.status).toBe(200);
        const phases = response.json.plan.phases as PlanContent['phases'];
        expect(phases.map((phase) => phase.id)).toEqual(phaseOrder);
        expect(phases[0].tasks.map((task) => task.id)).toEqual(taskOrder[p1.id]);
        expect(phases[1].tasks.map((task) => task.id)).toEqual(taskOrder[p0.id]);

        // Tasks keep their content when they move.
        expect(phases[0].tasks[0]).toEqual(p0.tasks[0]);
    });

    const order = () => {
        const content = defaultPlanContent();
        return {
            phase_order: content.phases.map((phase) => phase.id),
            task_order: Object.fromEntries(content.phases.map((phase) => [phase.id, phase.tasks.map((task) => task.id)])),
        };
    };
    test.each([
        ['a phase left out', () => ({...order(), phase_order: order().phase_order.slice(1)}), 'missing'],
        ['a phase listed twice', () => ({...order(), phase_order: [...order().phase_order, order().phase_order[0]]}), 'twice'],
        ['an unknown phase', () => ({...order(), phase_order: [...order().phase_order, 'nope']}), 'unknown id "nope"'],
        ['a task left out', () => {
            const o = order();
            o.task_order[o.phase_order[0]].pop();
            return o;
        }, 'missing'],
        ['a task in two phases', () => {
            const o = order();
            o.task_order[o.phase_order[1]].push(o.task_order[o.phase_order[0]][0]);
            return o;
        }, 'twice'],
        ['a phase without its task list', () => {
            const o = order();
            delete o.task_order[o.phase_order[0]];
            return o;
        }, 'missing'],
    ])('reorder with %s → 400, nothing changes', async (_, make, mentioned) => {
        const {asAlice, api} = setup();
        const before = kvDump(api.kv);
        const response = await asAlice('POST', PlanRoutes.reorder, {expected_version: 0, ...make()});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain(mentioned);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('update task from a stale version, the same field → 409 naming it and nothing changes', async () => {
        const {asAlice, api} = setup();
        await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {notes: 'v1'}});
        const before = kvDump(api.kv);
        const response = await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {notes: 'v0 + mine'}});
        expect(response.status).toBe(409);
        expect(response.json.error).toMatchObject({id: ErrorIds.planFieldConflict, conflict: {field: 'notes', value: 'v1', version: 1}});
        expect(kvDump(api.kv)).toEqual(before);
    });

    test.each([
        ['delete task', 'DELETE', () => PlanRoutes.task(firstTaskId()), {}],
        ['add task', 'POST', () => PlanRoutes.phaseTasks(firstPhase().id), {task: newTask('late')}],
        ['add phase', 'POST', () => PlanRoutes.phases, {phase: {id: 'late', title: 'Late', tasks: []}}],
        ['update phase', 'PATCH', () => PlanRoutes.phase(firstPhase().id), {changes: {title: 'Late'}}],
        ['delete phase', 'DELETE', () => PlanRoutes.phase(firstPhase().id), {}],
        ['reorder', 'POST', () => PlanRoutes.reorder, order()],
        ['import', 'POST', () => PlanRoutes.importPlan, {plan: defaultPlanContent()}],
    ])('%s from a stale version → 409 and nothing changes', async (_, method, path, body) => {
        const {asAlice, api} = setup();
        await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {notes: 'v1'}});
        const before = kvDump(api.kv);
        const response = await asAlice(method, path(), {expected_version: 0, ...body});
        expect(response.status).toBe(409);
        expect(response.json.error.id).toBe(ErrorIds.conflict);
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe('export and import', () => {
    async function editedPlan(asAlice: ReturnType<typeof setup>['asAlice']) {
        await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {
            expected_version: 0,
            changes: {state: 'done', evidence: ['https://wiki.bank.example/charter'], due_date: '2026-12-01'},
        });
        await asAlice('POST', PlanRoutes.phases, {
            expected_version: 1,
            phase: {id: 'hypercare', title: 'Hypercare', description: 'Four weeks', tasks: [newTask('hypercare.desk')]},
        });
        return asAlice('GET', PlanRoutes.exportPlan);
    }

    test('export is the content only, as a JSON attachment', async () => {
        const {asAlice} = setup();
        const exported = await editedPlan(asAlice);
        expect(exported.status).toBe(200);
        expect(exported.headers?.['Content-Type']).toBe('application/json');
        expect(exported.headers?.['Content-Disposition']).toMatch(/^attachment; filename="cockpit-plan-\d{4}-\d{2}-\d{2}\.json"$/);
        expect(Object.keys(exported.json)).toEqual(['schema_version', 'title', 'phases']);
        expect(PlanContentSchema.parse(exported.json)).toEqual(exported.json);
    });

    test('export → import on a fresh store reproduces the content exactly', async () => {
        const source = setup();
        const exported = await editedPlan(source.asAlice);

        const target = setup();
        const imported = await target.asAlice('POST', PlanRoutes.importPlan, {plan: JSON.parse(exported.body ?? '')});
        expect(imported.status).toBe(200);
        expect(imported.json.plan).toMatchObject({version: 1, updated_by: target.alice.id});
        const reExported = await target.asAlice('GET', PlanRoutes.exportPlan);
        expect(reExported.body).toBe(exported.body);
        expect(target.stored().value?.content).toEqual(source.stored().value?.content);
    });

    test('preview lists what an import would change, and changes nothing', async () => {
        const {asAlice, api} = setup();
        const plan = defaultPlanContent();
        const [p0, p1] = plan.phases;
        const removedTask = p0.tasks.pop()!;
        p0.tasks[0].state = 'done';
        const movedTask = p1.tasks.shift()!;
        p0.tasks.push(movedTask);
        plan.phases.splice(2, 1);
        const removedPhase = defaultPlanContent().phases[2];
        plan.phases.push({
            id: 'hypercare',
            title: 'Hypercare',
            description: '',
            tasks: [
                {
                    ...PlanContentSchema.parse({
                        schema_version: 1,
                        title: 'x',
                        phases: [{id: 'p', title: 'p', tasks: [newTask('hypercare.desk')]}],
                    }).phases[0].tasks[0],
                },
            ],
        });

        const before = kvDump(api.kv);
        const response = await asAlice('POST', PlanRoutes.importPreview, {plan});
        expect(response.status).toBe(200);
        expect(response.json).toEqual({
            added_phases: ['hypercare'],
            removed_phases: [removedPhase.id],
            added_tasks: ['hypercare.desk'],
            removed_tasks: [removedTask.id, ...removedPhase.tasks.map((task) => task.id)],
            changed_tasks: [p0.tasks[0].id, movedTask.id],
            task_count: plan.phases.reduce((n, phase) => n + phase.tasks.length, 0),
        });
        expect(kvDump(api.kv)).toEqual(before);
    });

    function planWithTasks(count: number) {
        const perPhase = Math.ceil(count / 50);
        return {
            schema_version: 1,
            title: 'Huge',
            phases: Array.from({length: 50}, (_, p) => ({
                id: `p${p}`,
                title: `Phase ${p}`,
                tasks: Array.from({length: perPhase}, (_entry, t) => ({id: `p${p}.t${t}`, title: `Task ${t}`})),
            })),
        };
    }

    test.each<[string, () => unknown, string, string]>([
        ['malformed JSON', () => '{"plan": {"schema_version": 1,', ErrorIds.badJson, 'JSON'],
        ['an unknown top-level field', () => ({plan: defaultPlanContent(), replace: true}), ErrorIds.invalid, 'replace'],
        ['an unknown task field', () => {
            const plan: any = defaultPlanContent();
            plan.phases[0].tasks[0].colour = 'red';
            return {plan};
        }, ErrorIds.invalid, 'body.plan.phases.0.tasks.0'],
        ['10,000 tasks', () => ({plan: planWithTasks(10_000)}), ErrorIds.invalid, 'at most 2000 tasks'],
        [
            'a newer schema_version (with fields this version does not know)',
            () => ({plan: {...defaultPlanContent(), schema_version: PLAN_SCHEMA_VERSION + 1, locale: 'de'}}),
            ErrorIds.invalid,
            'upgrade the plugin',
        ],
        [
            'duplicate ids',
            () => {
                const plan = defaultPlanContent();
                plan.phases[1].tasks[0].id = plan.phases[0].tasks[0].id;
                return {plan};
            },
            ErrorIds.invalid,
            'used twice',
        ],
        ['no plan at all', () => ({}), ErrorIds.invalid, 'body.plan'],
    ])('%s → 400 on preview and import, and the stored plan is unchanged', async (_, body, errorId, mentioned) => {
        const {asAlice, api} = setup();
        await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {notes: 'keep me'}});
        const before = kvDump(api.kv);
        for (const path of [PlanRoutes.importPreview, PlanRoutes.importPlan]) {
            const response = await asAlice('POST', path, body());
            expect([path, response.status, response.json.error.id]).toEqual([path, 400, errorId]);
            expect(response.json.error.message).toContain(mentioned);
        }
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('import with the current expected_version replaces the plan in one write; a stale one is 409', async () => {
        const {asAlice, stored} = setup();
        const plan = {schema_version: 1, title: 'Small bank', phases: [{id: 'only', title: 'Only', tasks: [newTask('only.one')]}]};
        expect((await asAlice('POST', PlanRoutes.importPlan, {expected_version: 3, plan})).status).toBe(409);
        const response = await asAlice('POST', PlanRoutes.importPlan, {expected_version: 0, plan});
        expect(response.status).toBe(200);
        expect(response.json.plan).toMatchObject({version: 1, title: 'Small bank'});
        expect(response.json.progress).toEqual({
            percent: 0,
            phases: [{phase_id: 'only', required: 1, completed: 0, percent: 0, complete: false}],
        });
        expect(stored().value?.content.phases).toHaveLength(1);
    });

    test('import without expected_version replaces whatever is there', async () => {
        const {asAlice, stored} = setup();
        await asAlice('PATCH', PlanRoutes.task(firstTaskId()), {expected_version: 0, changes: {notes: 'old'}});
        const response = await asAlice('POST', PlanRoutes.importPlan, {plan: {schema_version: 1, title: 'Replaced', phases: []}});
        expect(response.status).toBe(200);
        expect(stored()).toMatchObject({version: 2, value: {content: {title: 'Replaced', phases: []}}});
    });
});
