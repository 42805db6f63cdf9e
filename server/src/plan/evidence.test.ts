import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

// Evidence through the routes: owners add it (stamped by the server, never accepted), only system admins
// accept it, an expiring task's evidence needs its date, and the owners' answer shows the derived state.

const DRILL = 'security.dr-drill';
const TODAY = '2026-12-05';
const NOW = Date.parse(`${TODAY}T10:00:00Z`);

afterEach(() => jest.restoreAllMocks());

async function setup() {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const harness = testApp({now: () => NOW});
    const {api} = harness;
    const admin = api.addSystemAdmin('admin');
    const owner = api.addUser({username: 'owner'});
    const member = api.addUser({username: 'member'});
    await harness.app.dispatch('onActivate', 'null');
    const as = (user: {id: string}) => (method: string, path: string, body?: unknown) =>
        harness.request(method, path, {userId: user.id, body});
    const asAdmin = as(admin);
    const version = async () => (await asAdmin('GET', PlanRoutes.plan)).json.plan.version as number;
    const task = () =>
        new KvStore(api.kv).readVersioned(KvKeys.plan).value!.content.phases.flatMap((p) => p.tasks).find((x) => x.id === DRILL)!;
    expect((await asAdmin('PATCH', PlanRoutes.task(DRILL), {expected_version: 0, changes: {owner_id: owner.id}})).status).toBe(200);
    return {...harness, admin, owner, member, asAdmin, asOwner: as(owner), asMember: as(member), version, task};
}

const forged = {url: 'https://wiki.example/drill', dated: '2026-11-20', accepted_by: 'f'.repeat(26), accepted_at: 1, added_by: 'f'.repeat(26)};

describe('evidence', () => {
    test('the owner adds dated evidence: stamped as theirs, unaccepted whatever they send; the task awaits acceptance', async () => {
        const t = await setup();
        const body = {expected_version: await t.version(), changes: {evidence: [forged]}};
        const response = await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), body);
        expect(response.status).toBe(200);
        expect(t.task().evidence).toEqual([{
            url: forged.url,
            load_test_run: null,
            dated: '2026-11-20',
            added_by: t.owner.id,
            added_at: NOW,
            accepted_by: null,
            accepted_at: null,
        }]);
        expect(response.json.tasks[0]).
            toMatchObject({evidence_status: {state: 'awaiting_acceptance', valid_days: 90}, verification: 'none'});
    });

    test('a member who does not own the task gets 403, and so does an owner who tries to accept', async () => {
        const t = await setup();
        const before = kvDump(t.api.kv);
        const body = {expected_version: await t.version(), changes: {evidence: [forged]}};
        expect((await t.asMember('PATCH', PlanRoutes.myTask(DRILL), body)).status).toBe(403);
        const accept = {expected_version: await t.version(), index: 0};
        expect((await t.asOwner('POST', PlanRoutes.acceptEvidence(DRILL), accept)).status).toBe(403);
        expect(kvDump(t.api.kv)).toEqual(before);
    });

    test('an admin accepts: valid until date + 89 days, evidence badge; the acceptance is audited', async () => {
        const t = await setup();
        await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), {expected_version: await t.version(), changes: {evidence: [forged]}});
        const accepted = await t.asAdmin('POST', PlanRoutes.acceptEvidence(DRILL), {expected_version: await t.version(), index: 0});
        expect(accepted.status).toBe(200);
        expect(t.task().evidence[0]).toMatchObject({accepted_by: t.admin.id, accepted_at: NOW, added_by: t.owner.id});
        const mine = await t.asOwner('GET', PlanRoutes.myTasks);
        expect(mine.json.tasks[0]).toMatchObject({
            evidence_status: {state: 'valid', valid_until: '2027-02-17', expired_on: null},
            verification: 'evidence',
        });
        const audit = await t.asAdmin('GET', PlanRoutes.audit);
        expect(audit.json.entries[0]).toMatchObject({user_id: t.admin.id, action: 'plan.task.evidence_accept', target: `task:${DRILL}`});

        // The owner re-sends the list (e.g. adds a second link): the accepted item keeps its acceptance.
        const again = await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), {
            expected_version: await t.version(),
            changes: {evidence: [{url: forged.url, dated: forged.dated}, {url: 'https://wiki.example/more', dated: null}]},
        });
        expect(again.status).toBe(200);
        expect(t.task().evidence.map((item) => item.accepted_by)).toEqual([t.admin.id, null]);
    });

    test('evidence dated long ago is expired: the task needs evidence again', async () => {
        const t = await setup();
        const old = {...forged, dated: '2026-01-01'};
        await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), {expected_version: await t.version(), changes: {evidence: [old]}});
        await t.asAdmin('POST', PlanRoutes.acceptEvidence(DRILL), {expected_version: await t.version(), index: 0});
        const mine = await t.asOwner('GET', PlanRoutes.myTasks);
        expect(mine.json.tasks[0]).toMatchObject({evidence_status: {state: 'expired', expired_on: '2026-04-01'}, verification: 'none'});
    });

    test('an expiring task\'s undated evidence cannot be accepted (400); an unknown item is a 400; a stale version a 409', async () => {
        const t = await setup();
        await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), {expected_version: await t.version(), changes: {evidence: ['https://wiki.example/x']}});
        const version = await t.version();
        const before = kvDump(t.api.kv);
        const undated = await t.asAdmin('POST', PlanRoutes.acceptEvidence(DRILL), {expected_version: version, index: 0});
        expect([undated.status, undated.json.error.id]).toEqual([400, ErrorIds.invalid]);
        expect(undated.json.error.message).toContain('date');
        expect((await t.asAdmin('POST', PlanRoutes.acceptEvidence(DRILL), {expected_version: version, index: 3})).status).toBe(400);
        expect((await t.asAdmin('POST', PlanRoutes.acceptEvidence(DRILL), {expected_version: version + 1, index: 0})).status).toBe(409);
        expect(kvDump(t.api.kv)).toEqual(before);
    });

    test('an admin sets the task\'s validity; an owner may not (403)', async () => {
        const t = await setup();
        const body = async () => ({expected_version: await t.version(), changes: {evidence_valid_days: 30}});
        const denied = await t.asOwner('PATCH', PlanRoutes.myTask(DRILL), await body());
        expect(denied.status).toBe(403);
        const set = await t.asAdmin('PATCH', PlanRoutes.task(DRILL), await body());
        expect(set.status).toBe(200);
        expect(t.task().evidence_valid_days).toBe(30);
    });

    test('a plan stored with bare links (before dated evidence) reads as unaccepted items and can be accepted once dated', async () => {
        const t = await setup();
        const envelope = JSON.parse(t.api.kv.get(KvKeys.plan.key)!);
        for (const phase of envelope.value.content.phases) {
            for (const task of phase.tasks) {
                delete task.evidence_valid_days;
                if (task.id === DRILL) {
                    task.evidence = ['https://wiki.example/legacy'];
                }
            }
        }
        t.api.kv.set(KvKeys.plan.key, JSON.stringify(envelope));
        const plan = await t.asAdmin('GET', PlanRoutes.plan);
        expect(plan.status).toBe(200);
        const drill = plan.json.plan.phases.flatMap((p: {tasks: unknown[]}) => p.tasks).find((x: {id: string}) => x.id === DRILL);
        expect(drill).toMatchObject({evidence: [{url: 'https://wiki.example/legacy', dated: null, accepted_by: null}], evidence_valid_days: null});
    });
});
