import {TaskEditTurns} from 'contract/endpoints/plan';
import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';

import type {HttpRequest, HttpResponse} from '../host/abi';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {crashAtSideEffect} from '../testing/crashPoints';
import {httpRequest, testApp} from '../testing/harness';

// Task edits the host hands over together (serveHTTPBatch, while it holds their lock) are saved in one
// turn: one read and ONE write of the plan for all of them, each with its own answer, its own audit entry
// and its own 409 when its field changed. Killed anywhere in the turn, an edit is all in (content and
// exactly one entry) or all out; an answered one is never lost.

const tasks = defaultPlanContent().phases.flatMap((phase) => phase.tasks.map((task) => task.id));
const origin = (n: number) => ({sessionId: `session-${n}`, ipAddress: `10.0.0.${n}`, userAgent: `agent-${n}`});

async function setup(admins = 6) {
    const harness = testApp();
    const {api} = harness;
    const users = Array.from({length: admins}, (_, i) => api.addSystemAdmin(`admin${i}`));
    const owner = api.addUser({username: 'owner'});
    await harness.app.dispatch('onActivate', 'null');
    const kv = new KvStore(api.kv);
    const stored = () => kv.readVersioned(KvKeys.plan);
    const task = (taskId: string) => stored().value!.content.phases.flatMap((phase) => phase.tasks).find((t) => t.id === taskId)!;
    const entries = () =>
        Array.from(
            {length: kv.readVersioned(KvKeys.auditHead).value?.count ?? 0},
            (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value,
        ).filter((entry) => entry?.action.startsWith('plan.task'));
    const edit = (n: number, taskId: string, version: number, changes: Record<string, unknown>): HttpRequest =>
        httpRequest('PATCH', PlanRoutes.task(taskId), {
            userId: users[n].id,
            body: {expected_version: version, changes},
            origin: origin(n),
            locks: [TaskEditTurns.lock],
        });
    const turn = async (requests: HttpRequest[]) => {
        const answers: HttpResponse[] = JSON.parse(await harness.app.dispatch('serveHTTPBatch', JSON.stringify(requests)));
        return answers.map((answer) => ({status: answer.status, json: JSON.parse(answer.body ?? 'null')}));
    };

    // Counts the plan's writes (compare-and-sets of its key) from here on.
    let planWrites = 0;
    const compareAndSet = api.kv.compareAndSet.bind(api.kv);
    api.kv.compareAndSet = (key, oldValue, newValue) => {
        planWrites += key === KvKeys.plan.key ? 1 : 0;
        return compareAndSet(key, oldValue, newValue);
    };

    // Version 1: a plan exists.
    const [first] = await turn([edit(0, tasks[0], 0, {notes: 'start'})]);
    expect(first.status).toBe(200);
    planWrites = 0;
    return {...harness, users, owner, kv, stored, task, entries, edit, turn, writes: () => planWrites};
}

describe('edits saved together in one turn', () => {
    test('different tasks from one version: all 200, one plan write, each its own version, entry and origin', async () => {
        const t = await setup();
        const answers = await t.turn(t.users.map((_, n) => t.edit(n, tasks[n + 1], 1, {notes: `notes ${n}`})));
        expect(answers.map((answer) => answer.status)).toEqual(t.users.map(() => 200));
        expect(answers.map((answer) => answer.json.plan.version)).toEqual(t.users.map((_, n) => n + 2));
        expect(t.writes()).toBe(1);
        expect(t.stored().version).toBe(t.users.length + 1);
        t.users.forEach((_, n) => expect(t.task(tasks[n + 1]).notes).toBe(`notes ${n}`));

        const entries = t.entries().slice(1);
        expect(entries.map((entry) => [entry?.user_id, entry?.target, entry?.after, entry?.session_id, entry?.user_agent])).toEqual(
            t.users.map((user, n) => [user.id, `task:${tasks[n + 1]}`, {notes: `notes ${n}`}, `session-${n}`, `agent-${n}`]));

        // Marked audited: a later write repairs nothing, and a restart adds nothing.
        expect(t.kv.get(KvKeys.planAudited)).toEqual({version: t.stored().version, at: t.stored().value?.last_changes?.at(-1)?.at});
        await t.app.dispatch('onActivate', 'null');
        expect(t.entries()).toHaveLength(t.users.length + 1);
    });

    test('different fields of one task: both kept; the same field: the later one is a 409 naming the first', async () => {
        const t = await setup();
        const answers = await t.turn([
            t.edit(1, tasks[1], 1, {state: 'done'}),
            t.edit(2, tasks[1], 1, {notes: 'two'}),
            t.edit(3, tasks[1], 1, {state: 'blocked'}),
        ]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 409]);
        expect(answers[2].json.error.id).toBe(ErrorIds.planFieldConflict);
        expect(answers[2].json.error.conflict).toMatchObject({
            task_id: tasks[1], field: 'state', by: t.users[1].id, by_username: 'admin1', value: 'done',
        });
        expect(t.task(tasks[1])).toMatchObject({state: 'done', notes: 'two'});
        expect(t.writes()).toBe(1);
        expect(t.stored().version).toBe(3);
        expect(t.entries()).toHaveLength(3);
    });

    test('a refused edit in the middle changes nothing; the others are saved', async () => {
        const t = await setup();
        const answers = await t.turn([
            t.edit(1, tasks[1], 1, {notes: 'one'}),
            t.edit(2, tasks[2], 1, {due_date: 'not a date'}),
            t.edit(3, 'no-such-task', 1, {notes: 'x'}),
            t.edit(4, tasks[4], 1, {notes: 'four'}),
        ]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 400, 404, 200]);
        expect(t.task(tasks[2]).due_date).toBeNull();
        expect(t.stored().version).toBe(3);
        expect(t.entries().map((entry) => entry?.user_id)).toEqual([t.users[0].id, t.users[1].id, t.users[4].id]);
    });

    test('assignment DMs go out once the turn is stored, once', async () => {
        const t = await setup();
        const dms = () => t.api.createdPosts.filter((post) => post.props?.cockpit_task_assignment);
        const answers = await t.turn([t.edit(1, tasks[1], 1, {owner_id: t.owner.id}), t.edit(2, tasks[2], 1, {owner_id: t.owner.id})]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        expect(dms()).toHaveLength(2);
    });

    test('a turn that loses its one write to a writer outside the lock runs again: nothing lost, nothing twice', async () => {
        const t = await setup();
        const dms = () => t.api.createdPosts.filter((post) => post.props?.cockpit_task_assignment);

        // A structure edit lands between the turn's read and its write (once).
        const {compareAndSet} = t.api.kv;
        let interfered = false;
        t.api.kv.compareAndSet = (key, oldValue, newValue) => {
            if (key === KvKeys.plan.key && !interfered) {
                interfered = true;
                const current = t.kv.readVersioned(KvKeys.plan);
                const value = {...current.value!, content: {...current.value!.content, title: 'Renamed outside the turn'}};
                t.kv.writeVersioned(KvKeys.plan, value, current.version);
            }
            return compareAndSet(key, oldValue, newValue);
        };
        const answers = await t.turn([t.edit(1, tasks[1], 1, {owner_id: t.owner.id}), t.edit(2, tasks[2], 1, {notes: 'two'})]);
        expect(interfered).toBe(true);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        expect(answers.map((answer) => answer.json.plan.version)).toEqual([3, 4]);
        expect(t.stored().value?.content.title).toBe('Renamed outside the turn');
        expect(t.task(tasks[1]).owner_id).toBe(t.owner.id);
        expect(t.task(tasks[2]).notes).toBe('two');
        expect(t.entries().map((entry) => entry?.user_id)).toEqual([t.users[0].id, t.users[1].id, t.users[2].id]);
        expect(dms()).toHaveLength(1);
    });
});

describe('a turn killed after each of its side effects', () => {
    test.each([['before' as const], ['after' as const]])('crash %s each: every edit all in or all out after the restart', async (when) => {
        const outcomes = new Set<string>();
        const partlyWritten = new Set<number>();
        for (let crashAt = 1; ; crashAt++) {
            const t = await setup(4);
            const crashing = crashAtSideEffect(t.api, crashAt, when);
            let answered: Array<{status: number}> = [];
            try {
                answered = await t.turn([1, 2, 3].map((n) => t.edit(n, tasks[n], 1, {notes: `notes ${n}`})));
            } catch {
                // Killed before the answers were made.
            }
            crashing.restart();
            const done = !crashing.crashed();
            const entriesAtTheCrash = t.entries().length - 1;
            await t.app.dispatch('onActivate', 'null');

            const saved = [1, 2, 3].filter((n) => t.task(tasks[n]).notes === `notes ${n}`);
            if (entriesAtTheCrash > 0 && entriesAtTheCrash < saved.length) {
                // The host writes a turn's entries at once: killed between two of them, the rest is repaired.
                partlyWritten.add(entriesAtTheCrash);
            }
            expect(saved.length === 0 || saved.length === 3).toBe(true);
            const entries = t.entries().slice(1);
            expect(entries.map((entry) => [entry?.user_id, entry?.target])).toEqual(
                saved.map((n) => [t.users[n].id, `task:${tasks[n]}`]));
            expect(t.stored().version).toBe(1 + saved.length);
            outcomes.add(saved.length === 0 ? 'none' : 'all');

            // Another restart adds nothing.
            await t.app.dispatch('onActivate', 'null');
            expect(t.entries()).toHaveLength(1 + saved.length);

            // The fake dies by throwing, and the steps after the plan's write log failures and go on, so a
            // killed turn may still make answers a real crash never sends: every 200 made is saved anyway.
            if (answered.some((answer) => answer.status === 200)) {
                expect(saved).toHaveLength(3);
            }
            if (done) {
                expect(answered.map((answer) => answer.status)).toEqual([200, 200, 200]);
                break;
            }
        }

        // Killed before the plan's one write, nothing of the turn stands; after it, all of it.
        expect([...outcomes].sort()).toEqual(when === 'before' ? ['all', 'none'] : ['all']);
        expect([...partlyWritten].sort()).toEqual([1, 2]);
    });
});
