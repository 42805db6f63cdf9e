import {TaskEditTurns} from 'contract/endpoints/plan';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';

import {createApp} from '../app/createApp';
import {capabilities} from '../capabilities';
import {KvKeys} from '../kv/keys';
import {httpRequest, testApp} from '../testing/harness';
import {InMemoryPermissions} from '../testing/inMemory/permissions';
import {taskFixture} from '../testing/taskFixture';

// What one task edit costs alone and in a turn of 50 (serveHTTPBatch), on the default plan and on a
// 300-task plan: KV calls and permission checks per edit (each a round trip to the server in production)
// and the plan's writes.
// The times are logged for the README, not asserted (they depend on the machine).

function planOf(tasks: number) {
    const content = defaultPlanContent();
    if (tasks > 0) {
        content.phases = [{...content.phases[0],
            tasks: Array.from({length: tasks}, (_, i) =>
                taskFixture(`t${i}`, {description: 'x'.repeat(200), notes: 'n'.repeat(100)}))}];
    }
    return content;
}

/**
 * `hostAsked`: the requests carry the caller's permission as the host asks it before they queue
 * (server/host/serialized.go); without, the guard asks the server inside the turn.
 */
async function measure(tasks: number, turn: number, hostAsked = true) {
    // Spied before the app binds the API's methods: every permission check the server would answer.
    const permissionChecks = jest.spyOn(InMemoryPermissions.prototype, 'hasSystemPermission');
    const harness = testApp();
    const app = createApp({api: harness.api, log: harness.log, capabilities});
    const admin = harness.api.addSystemAdmin('admin');
    const content = planOf(tasks);
    await harness.request('POST', PlanRoutes.importPlan, {userId: admin.id, body: {expected_version: 0, plan: content}});
    const ids = content.phases.flatMap((phase) => phase.tasks.map((task) => task.id));
    const calls = {get: 0, compareAndSet: 0, set: 0, planWrites: 0, createAll: 0, writesInCreateAll: 0};
    const kv = harness.api.kv;
    const {get, compareAndSet, set, createAll} = {
        get: kv.get.bind(kv), compareAndSet: kv.compareAndSet.bind(kv), set: kv.set.bind(kv), createAll: kv.createAll.bind(kv),
    };

    // The in-memory store's writes read the key themselves: those reads are not round trips, not counted.
    let writing = false;
    const write = <T>(run: () => T): T => {
        writing = true;
        try {
            return run();
        } finally {
            writing = false;
        }
    };
    kv.get = (key) => {
        calls.get += writing ? 0 : 1;
        return get(key);
    };
    kv.set = (key, value) => {
        calls.set++;
        write(() => set(key, value));
    };

    // One round trip for all its items; the writes on the server's side are counted as writes.
    let inCreateAll = false;
    kv.createAll = (items) => {
        calls.createAll++;
        inCreateAll = true;
        try {
            return createAll(items);
        } finally {
            inCreateAll = false;
        }
    };
    kv.compareAndSet = (key, oldValue, newValue) => {
        calls.compareAndSet++;
        calls.writesInCreateAll += inCreateAll ? 1 : 0;
        calls.planWrites += key === KvKeys.plan.key ? 1 : 0;
        return write(() => compareAndSet(key, oldValue, newValue));
    };

    // Parses of the stored plan record (the envelope the KV holds): the turn keeps what it parsed and wrote.
    let planParses = 0;
    const parse = JSON.parse;
    JSON.parse = (text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
        if (typeof text === 'string' && text.startsWith('{"version":') && text.slice(0, 100).includes('"content"')) {
            planParses++;
        }
        return parse(text, reviver);
    };
    const edits = 50;
    let version = 1;
    permissionChecks.mockClear();
    const started = process.hrtime.bigint();
    for (let i = 0; i < edits; i += turn) {
        const based = version;
        const requests = Array.from({length: turn}, (_, k) => httpRequest('PATCH', PlanRoutes.task(ids[(i + k) % ids.length]), {
            userId: admin.id,
            body: {expected_version: based, changes: {notes: `edit ${i + k}`}},
            locks: [TaskEditTurns.lock],
            permissions: hostAsked ? {manage_system: true} : undefined,
        }));
        const answers: Array<{status: number; body: string}> = JSON.parse(await app.dispatch('serveHTTPBatch', JSON.stringify(requests)));
        expect(answers.map((answer) => answer.status)).toEqual(requests.map(() => 200));
        version = JSON.parse(answers[answers.length - 1].body).plan.version;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / edits;
    JSON.parse = parse;
    const checks = permissionChecks.mock.calls.length;
    permissionChecks.mockRestore();
    const perEdit = (n: number) => n / edits;
    return {
        tasks: ids.length,
        turn,
        msPerEdit: ms,
        getsPerEdit: perEdit(calls.get),
        writesPerEdit: perEdit(calls.compareAndSet + calls.set),
        planWrites: calls.planWrites,
        planParsesPerEdit: perEdit(planParses),
        permissionChecksPerEdit: perEdit(checks),

        // Calls to the server: each KV call, a createAll as one, and each permission check.
        roundTripsPerEdit: perEdit(calls.get + calls.set + (calls.compareAndSet - calls.writesInCreateAll) + calls.createAll + checks),
    };
}

test.each([[0], [300]])('a task edit alone and in a turn of 50 (plan of %s extra tasks)', async (tasks) => {
    const alone = await measure(tasks, 1);
    const together = await measure(tasks, 50);
    const askedInTheTurn = await measure(tasks, 50, false);
    console.log(JSON.stringify({alone, together, askedInTheTurn}));
    expect(alone.planWrites).toBe(50);
    expect(together.planWrites).toBe(1);
    expect(together.getsPerEdit).toBeLessThan(alone.getsPerEdit);
    expect(together.writesPerEdit).toBeLessThan(alone.writesPerEdit);

    // A turn reads the plan once and the audit counter once; then per edit only its entry is written, and
    // the plan is parsed once for the whole turn (each edit's write is kept as written, not parsed back).
    expect(together.getsPerEdit).toBeLessThan(0.5);
    expect(together.writesPerEdit).toBeLessThan(1.5);
    expect(together.planParsesPerEdit).toBeLessThanOrEqual(1 / 50);
    expect(alone.planParsesPerEdit).toBeGreaterThanOrEqual(1);

    // The caller's permission, asked by the host before the request queued, costs the turn no call;
    // asked by the guard inside the turn, one per edit.
    expect(together.permissionChecksPerEdit).toBe(0);
    expect(askedInTheTurn.permissionChecksPerEdit).toBe(1);

    // The turn's audit entries go to the host in one call (written there in parallel): a handful of round
    // trips for the whole turn, not one or more per edit.
    expect(together.roundTripsPerEdit).toBeLessThan(0.25);
    expect(askedInTheTurn.roundTripsPerEdit).toBeGreaterThan(1);
});
