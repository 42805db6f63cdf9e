import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';
import {changedSince, stampFieldChanges} from './fieldChanges';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';

// The merge rule of task edits, for every pair of edits made from the same plan version: different
// tasks and different fields of one task both succeed with nothing lost; the same field of the same
// task is one 200 and one 409 naming the field, the other person and their value. Structure changes
// keep the plan-wide check.

function setup() {
    const harness = testApp();
    const alice = harness.api.addSystemAdmin('alice');
    const bob = harness.api.addSystemAdmin('bob');
    const as = (user: {id: string}) => (method: string, path: string, body?: unknown) =>
        harness.request(method, path, {userId: user.id, body});
    const stored = () => new KvStore(harness.api.kv).readVersioned(KvKeys.plan);
    const task = (taskId: string) => stored().value!.content.phases.flatMap((phase) => phase.tasks).find((t) => t.id === taskId)!;
    return {...harness, alice, bob, asAlice: as(alice), asBob: as(bob), stored, task};
}

const [taskA, taskB] = defaultPlanContent().phases[0].tasks.map((t) => t.id);
const values: Record<string, [unknown, unknown]> = {
    title: ['Alice title', 'Bob title'],
    description: ['alice description', 'bob description'],
    optional: [true, true],
    due_date: ['2027-01-01', '2027-02-02'],
    state: ['done', 'blocked'],
    skip_reason: ['alice reason', 'bob reason'],
    notes: ['alice notes', 'bob notes'],

    // The server stamps who added evidence and when: compared by what the request names.
    evidence: [[{url: 'https://a.example/x', dated: '2026-01-01'}], [{url: 'https://b.example/y', dated: null}]],
};
const fields = Object.keys(values);

describe('two edits from the same version', () => {
    test.each(fields.flatMap((aliceField) => fields.map((bobField) => [aliceField, bobField])))(
        'different tasks (alice %s of one, bob %s of another): both 200, both kept',
        async (aliceField, bobField) => {
            const t = setup();
            await t.asAlice('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {notes: 'start'}});
            const aliceChange = {[aliceField]: values[aliceField][0]};
            const bobChange = {[bobField]: values[bobField][1]};
            const first = await t.asAlice('PATCH', PlanRoutes.task(taskA), {expected_version: 1, changes: aliceChange});
            const second = await t.asBob('PATCH', PlanRoutes.task(taskB), {expected_version: 1, changes: bobChange});
            expect([first.status, second.status]).toEqual([200, 200]);
            expect(t.task(taskA)).toMatchObject({[aliceField]: values[aliceField][0]});
            expect(t.task(taskB)).toMatchObject({[bobField]: values[bobField][1]});
            expect(t.stored().version).toBe(3);
        },
    );

    test.each(fields.flatMap((aliceField) => fields.filter((f) => f !== aliceField).map((bobField) => [aliceField, bobField])))(
        'different fields of one task (alice %s, bob %s): both 200, both kept',
        async (aliceField, bobField) => {
            const t = setup();
            const aliceChange = {[aliceField]: values[aliceField][0]};
            const bobChange = {[bobField]: values[bobField][1]};
            const first = await t.asAlice('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: aliceChange});
            const second = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: bobChange});
            expect([first.status, second.status]).toEqual([200, 200]);
            expect(t.task(taskA)).toMatchObject({[aliceField]: values[aliceField][0], [bobField]: values[bobField][1]});
            expect(second.json.plan.version).toBe(2);
        },
    );

    test.each(fields.filter((field) => field !== 'optional'))(
        'the same field of one task (%s): one 200, one 409 naming the field, alice and her value; hers is kept',
        async (field) => {
            const t = setup();
            const first = await t.asAlice('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {[field]: values[field][0]}});
            const second = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {[field]: values[field][1]}});
            expect([first.status, second.status]).toEqual([200, 409]);
            expect(second.json.error).toMatchObject({
                id: ErrorIds.planFieldConflict,
                conflict: {task_id: taskA, field, by: t.alice.id, by_username: 'alice', value: values[field][0], version: 1},
            });
            expect(second.json.error.message).toContain('@alice');
            expect(t.task(taskA)).toMatchObject({[field]: values[field][0]});
            expect(t.stored().version).toBe(1);

            // "Overwrite": the same change from the version the 409 named succeeds.
            const again = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 1, changes: {[field]: values[field][1]}});
            expect(again.status).toBe(200);
            expect(t.task(taskA)).toMatchObject({[field]: values[field][1]});
        },
    );

    test('the same field set to the same value by both: no conflict, one write', async () => {
        const t = setup();
        const first = await t.asAlice('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {state: 'done'}});
        const second = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {state: 'done'}});
        expect([first.status, second.status]).toEqual([200, 200]);
        expect(t.stored().version).toBe(1);
    });

    test('a task edit from before a reorder still succeeds; a structure change from before an edit is a 409', async () => {
        const t = setup();
        const plan = defaultPlanContent();
        const order = {
            phase_order: plan.phases.map((p) => p.id).reverse(),
            task_order: Object.fromEntries(plan.phases.map((p) => [p.id, p.tasks.map((tk) => tk.id)])),
        };
        expect((await t.asAlice('POST', PlanRoutes.reorder, {expected_version: 0, ...order})).status).toBe(200);
        expect((await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {notes: 'x'}})).status).toBe(200);
        const back = {...order, phase_order: [...order.phase_order].reverse()};
        const stale = await t.asAlice('POST', PlanRoutes.reorder, {expected_version: 1, ...back});
        expect(stale.status).toBe(409);
        expect(stale.json.error.id).toBe(ErrorIds.conflict);
    });

    test('an import stamps what it changed: an edit from before it conflicts on those fields only', async () => {
        const t = setup();
        const content = defaultPlanContent();
        content.phases[0].tasks[0].notes = 'imported';
        expect((await t.asAlice('POST', PlanRoutes.importPlan, {expected_version: 0, plan: content})).status).toBe(200);
        const notes = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {notes: 'mine'}});
        expect(notes.status).toBe(409);
        expect(notes.json.error.conflict).toMatchObject({field: 'notes', value: 'imported'});
        expect((await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {state: 'done'}})).status).toBe(200);
    });

    test('a task deleted and added again under its id: an edit from before conflicts on every field', async () => {
        const t = setup();
        const original = defaultPlanContent().phases[0].tasks[0];
        expect((await t.asAlice('DELETE', PlanRoutes.task(taskA), {expected_version: 0})).status).toBe(200);
        const phaseId = defaultPlanContent().phases[0].id;
        const added = await t.asAlice('POST', PlanRoutes.phaseTasks(phaseId), {expected_version: 1, task: {...original, notes: 'new'}});
        expect(added.status).toBe(201);
        const stale = await t.asBob('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {state: 'done'}});
        expect(stale.status).toBe(409);
        expect(stale.json.error.conflict).toMatchObject({field: 'state', by: t.alice.id});
    });
});

describe('stampFieldChanges', () => {
    const stamp = (version: number) => ({version, by: 'u', at: version});

    test('stamps exactly the changed fields, keeps older stamps and drops removed tasks', () => {
        const previous = defaultPlanContent();
        const next = defaultPlanContent();
        next.phases[0].tasks[0].notes = 'n';
        next.phases[0].tasks.splice(1, 1);
        const removed = previous.phases[0].tasks[1].id;
        const stamps = stampFieldChanges(previous, next, {[taskA]: {state: stamp(1)}, [removed]: {notes: stamp(1)}}, stamp(2));
        expect(stamps).toEqual({[taskA]: {state: stamp(1), notes: stamp(2)}});
        expect(changedSince(stamps, taskA, ['state'], 1)).toBeNull();
        expect(changedSince(stamps, taskA, ['state', 'notes'], 1)).toEqual({field: 'notes', stamp: stamp(2)});
        expect(changedSince(stamps, taskA, ['notes'], 2)).toBeNull();
    });
});
