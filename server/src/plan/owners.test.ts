import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';
import {ownerErrorText} from './owners';

import {ApiError} from '../errors/apiError';
import {speakerFor} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

// Owners who are not admins: who sees which tasks, who may change what (owner vs admin vs anyone else),
// the assignment DM and its buttons, and `/onboarding tasks`.

const phase = defaultPlanContent().phases[0];
const [taskA, taskB, taskC] = phase.tasks.map((task) => task.id);

async function setup() {
    const harness = testApp();
    const {api} = harness;
    const admin = api.addSystemAdmin('admin');
    const owner = api.addUser({username: 'owner'});
    const other = api.addUser({username: 'other'});
    await harness.app.dispatch('onActivate', 'null');
    const as = (user: {id: string}) => (method: string, path: string, body?: unknown) =>
        harness.request(method, path, {userId: user.id, body});
    const asAdmin = as(admin);
    const version = async () => (await asAdmin('GET', PlanRoutes.plan)).json.plan.version as number;
    const assign = async (taskId: string, ownerId: string | null) =>
        asAdmin('PATCH', PlanRoutes.task(taskId), {expected_version: await version(), changes: {owner_id: ownerId}});
    const task = (taskId: string) =>
        new KvStore(api.kv).readVersioned(KvKeys.plan).value!.content.phases.flatMap((p) => p.tasks).find((t) => t.id === taskId)!;
    const dms = () => api.createdPosts.filter((post) => post.props?.cockpit_task_assignment);
    return {...harness, admin, owner, other, asAdmin, asOwner: as(owner), asOther: as(other), version, assign, task, dms};
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function withTwoTasks(t: Setup) {
    expect((await t.assign(taskA, t.owner.id)).status).toBe(200);
    expect((await t.assign(taskC, t.owner.id)).status).toBe(200);
    expect((await t.assign(taskB, t.other.id)).status).toBe(200);
}

describe('GET my tasks', () => {
    test('an owner who is not an admin sees exactly their tasks, in plan order, with phase and checks; others see theirs', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const mine = await t.asOwner('GET', PlanRoutes.myTasks);
        expect(mine.status).toBe(200);
        expect(mine.json.tasks.map((entry: {task: {id: string}}) => entry.task.id)).toEqual([taskA, taskC]);
        expect(mine.json.tasks[0]).toMatchObject({phase_id: phase.id, phase_title: phase.title, task: {owner_id: t.owner.id}});
        expect(mine.json.tasks[0].checks.map((check: {id: string}) => check.id)).toEqual(phase.tasks[0].checks);
        expect(mine.json.version).toBe(await t.version());
        const theirs = await t.asOther('GET', PlanRoutes.myTasks);
        expect(theirs.json.tasks.map((entry: {task: {id: string}}) => entry.task.id)).toEqual([taskB]);
        expect((await t.asAdmin('GET', PlanRoutes.myTasks)).json.tasks).toEqual([]);
    });

    test('members get no plan-wide route: the plan itself stays for admins', async () => {
        const t = await setup();
        await withTwoTasks(t);
        expect((await t.asOwner('GET', PlanRoutes.plan)).status).toBe(403);
        expect((await t.asOwner('PATCH', PlanRoutes.task(taskA), {expected_version: await t.version(), changes: {state: 'done'}})).status).
            toBe(403);
    });
});

describe('PATCH my task', () => {
    test('the owner changes state, notes and evidence; the answer is their tasks; the audit names them', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const changes = {state: 'done', notes: 'switched over', evidence: ['https://wiki.example/proof']};
        const response = await t.asOwner('PATCH', PlanRoutes.myTask(taskA), {expected_version: await t.version(), changes});
        expect(response.status).toBe(200);

        // A bare link is read as an undated item, stamped as the owner's and not accepted.
        const stored = {state: 'done',
            notes: 'switched over',
            evidence: [{
                url: 'https://wiki.example/proof', dated: null, added_by: t.owner.id, accepted_by: null, accepted_at: null,
            }]};
        expect(response.json.tasks[0].task).toMatchObject(stored);
        expect(t.task(taskA)).toMatchObject({...stored, owner_id: t.owner.id});
        const audit = await t.asAdmin('GET', PlanRoutes.audit);
        expect(audit.json.entries[0]).toMatchObject({user_id: t.owner.id, action: 'plan.task.owner_update', target: `task:${taskA}`});
    });

    test.each([
        ['title', {title: 'Mine now'}],
        ['owner_id', {owner_id: null}],
        ['due_date', {due_date: '2030-01-01'}],
        ['description', {description: 'x'}],
        ['skip_reason', {skip_reason: 'x'}],
        ['a mix', {state: 'done', optional: true}],
    ])('the owner may not change %s: 403, nothing changes', async (_, changes) => {
        const t = await setup();
        await withTwoTasks(t);
        const before = kvDump(t.api.kv);
        const response = await t.asOwner('PATCH', PlanRoutes.myTask(taskA), {expected_version: await t.version(), changes});
        expect(response.status).toBe(403);
        expect(response.json.error.id).toBe(ErrorIds.forbidden);
        expect(kvDump(t.api.kv)).toEqual(before);
    });

    test('anyone else is refused with 403 before the body is read: another owner, an admin, unknown tasks', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const before = kvDump(t.api.kv);
        const body = {expected_version: await t.version(), changes: {state: 'done'}};
        expect((await t.asOther('PATCH', PlanRoutes.myTask(taskA), body)).status).toBe(403);
        expect((await t.asAdmin('PATCH', PlanRoutes.myTask(taskA), body)).status).toBe(403);
        expect((await t.asOwner('PATCH', PlanRoutes.myTask('no-such-task'), body)).status).toBe(403);
        expect((await t.asOther('PATCH', PlanRoutes.myTask(taskA), 'not json')).status).toBe(403);
        expect((await t.request('PATCH', PlanRoutes.myTask(taskA), {body})).status).toBe(401);
        expect(kvDump(t.api.kv)).toEqual(before);
    });

    test('an owner and an admin at once on different fields both succeed; the same field is a 409 for the later one', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const v = await t.version();
        const due = await t.asAdmin('PATCH', PlanRoutes.task(taskA), {expected_version: v, changes: {due_date: '2027-03-01'}});
        expect(due.status).toBe(200);
        expect((await t.asOwner('PATCH', PlanRoutes.myTask(taskA), {expected_version: v, changes: {notes: 'n'}})).status).toBe(200);
        expect((await t.asAdmin('PATCH', PlanRoutes.task(taskA), {expected_version: v, changes: {state: 'blocked'}})).status).toBe(200);
        const same = await t.asOwner('PATCH', PlanRoutes.myTask(taskA), {expected_version: v, changes: {state: 'done'}});
        expect(same.status).toBe(409);
        expect(same.json.error.conflict).toMatchObject({field: 'state', by: t.admin.id, by_username: 'admin', value: 'blocked'});
        expect(t.task(taskA)).toMatchObject({due_date: '2027-03-01', notes: 'n', state: 'blocked'});
    });

    test('an owner re-assigned away between reading and writing is refused', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const v = await t.version();
        await t.assign(taskA, t.other.id);
        expect((await t.asOwner('PATCH', PlanRoutes.myTask(taskA), {expected_version: v, changes: {notes: 'late'}})).status).toBe(403);
        expect(t.task(taskA).notes).toBe('');
    });
});

describe('assignment', () => {
    test('any active person can own a task; bots, deactivated and unknown accounts cannot (400)', async () => {
        const t = await setup();
        const bot = t.api.addUser({username: 'robot', is_bot: true});
        const gone = t.api.addUser({username: 'gone', delete_at: 1});
        for (const id of [bot.id, gone.id, 'x'.repeat(26)]) {
            const response = await t.assign(taskA, id);
            expect(response.status).toBe(400);
            expect(response.json.error.message).toContain('owner_id');
        }
        expect((await t.assign(taskA, t.other.id)).status).toBe(200);
    });

    test('the bot DMs the new owner the task, its due date and four state buttons; a re-assignment DMs the next owner', async () => {
        const t = await setup();
        await t.asAdmin('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {due_date: '2027-05-01'}});
        await t.assign(taskA, t.owner.id);
        expect(t.dms()).toHaveLength(1);
        const [dm] = t.dms();
        expect(dm.channel_id).toBe(t.api.channels.getDirect(dm.user_id, t.owner.id).id);
        expect(dm.message).toContain(phase.tasks[0].title);
        expect(dm.message).toContain('2027-05-01');
        type Action = {name: string; integration: {url: string; context: unknown}};
        const actions = (dm.props.attachments as Array<{actions: Action[]}>)[0].actions;
        expect(actions.map((action) => action.name)).toEqual(['Start', 'Done', 'Blocked', 'Open']);
        expect(actions[1].integration).toEqual({
            url: `/plugins/onboarding-cockpit${PlanRoutes.taskAction}`,
            context: {task_id: taskA, state: 'done'},
        });

        // Another edit of the task tells nobody; a new owner is told.
        await t.asAdmin('PATCH', PlanRoutes.task(taskA), {expected_version: await t.version(), changes: {notes: 'x'}});
        expect(t.dms()).toHaveLength(1);
        await t.assign(taskA, t.other.id);
        expect(t.dms()).toHaveLength(2);
        expect(t.dms()[1].channel_id).toBe(t.api.channels.getDirect(dm.user_id, t.other.id).id);
    });

    test('a title cannot render or mention: it is quoted as code in the DM', async () => {
        const t = await setup();
        await t.asAdmin('PATCH', PlanRoutes.task(taskA), {expected_version: 0, changes: {title: '@all **now** `x`'}});
        await t.assign(taskA, t.owner.id);
        expect(t.dms()[0].message).toContain("`@all **now** 'x'`");
    });
});

describe('the DM buttons', () => {
    const click = (t: Setup, user: {id: string}, state: string, taskId = taskA, bodyUser = user.id) =>
        t.request('POST', PlanRoutes.taskAction, {
            userId: user.id,
            body: {user_id: bodyUser, post_id: 'p', channel_id: 'dm', context: {task_id: taskId, state}},
        });

    test('Start, Blocked, Done and Open set the state for the owner', async () => {
        const t = await setup();
        await withTwoTasks(t);
        for (const state of ['in_progress', 'blocked', 'done', 'not_started']) {
            const response = await click(t, t.owner, state);
            expect(response.status).toBe(200);
            expect(t.task(taskA).state).toBe(state);
        }
        expect((await click(t, t.owner, 'done')).json.ephemeral_text).toContain('is now done');

        // The clicking owner's language.
        t.api.directory.users.get(t.owner.id)!.locale = 'de';
        expect((await click(t, t.owner, 'blocked')).json.ephemeral_text).toMatch(/^„.*“ ist jetzt blockiert\.$/);
    });

    test('a refused click is told in the owner\'s language, never the server\'s English error text', () => {
        const {t} = speakerFor('de');
        const said = [
            new ApiError(403, ErrorIds.forbidden, 'Only the owner of this task can do this.'),
            new ApiError(409, ErrorIds.planFieldConflict, 'state was changed by someone else.'),
            new ApiError(503, ErrorIds.planBusy, 'The plan is busy.'),
        ].map((error) => ownerErrorText(error, t));
        expect(said).toEqual([t('assignment.notOwner'), t('assignment.conflict'), t('assignment.tryAgain')]);
        expect(new Set(said).size).toBe(3);
        said.forEach((text) => expect(text).not.toMatch(/owner|changed|busy/));
    });

    test('anyone else, an admin included, is refused (403, told in an ephemeral post) and nothing changes', async () => {
        const t = await setup();
        await withTwoTasks(t);
        const before = kvDump(t.api.kv);
        expect((await click(t, t.other, 'done')).status).toBe(403);
        expect((await click(t, t.admin, 'done')).status).toBe(403);
        expect((await click(t, t.other, 'done', taskA, t.owner.id)).status).toBe(403);
        expect(kvDump(t.api.kv)).toEqual(before);
        expect(t.api.ephemeralPosts.map((post) => post.userId)).toEqual([t.other.id, t.admin.id]);
    });
});

describe('/onboarding tasks', () => {
    const run = async (t: Setup, userId: string, command = '/onboarding tasks') =>
        JSON.parse(await t.app.dispatch('executeCommand', JSON.stringify({
            user_id: userId, team_id: '', channel_id: 'c', root_id: '', trigger_id: '', command, site_url: '',
        })));

    test('lists the caller\'s tasks only, with state and due date', async () => {
        const t = await setup();
        await withTwoTasks(t);
        await t.asOwner('PATCH', PlanRoutes.myTask(taskC), {expected_version: await t.version(), changes: {state: 'blocked'}});
        const mine = await run(t, t.owner.id);
        expect(mine.response_type).toBe('ephemeral');
        expect(mine.text).toContain('Your roll-out tasks (2)');
        expect(mine.text).toContain(phase.tasks[0].title);
        expect(mine.text).toContain(`\`${phase.tasks[2].title}\` (\`${phase.title}\`): blocked`);
        expect(mine.text).not.toContain(phase.tasks[1].title);
        expect((await run(t, t.admin.id)).text).toBe('You own no roll-out task.');
    });

    test('leaves the other subcommands to the role templates', async () => {
        const t = await setup();
        expect((await run(t, t.owner.id, '/onboarding help')).text).toContain('/onboarding tasks');
    });
});
