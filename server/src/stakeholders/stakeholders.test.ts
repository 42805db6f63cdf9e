import {ErrorIds} from 'contract/errors';
import {AdoptionRoutes, StakeholderRoutes, WaveRoutes} from 'contract/routes';
import {StakeholderAccessResponseSchema, StakeholderPageAccessSchema, StakeholderStatusSchema} from 'contract/stakeholders';

import {mayReadStatus} from './access';

import {ADOPTION_JOB_ID} from '../adoption/adoption';
import {HostError} from '../host/errors';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 1, 10, 9, 0);

// A roll-out in progress: an admin, a project manager listed by name, a help-desk group with one
// member, a member nobody listed, a cohort of 6 people (with emails) moved by a wave, another wave
// scheduled, one drafted; adoption measured by the job, with a target.
async function setup() {
    const now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const harness = testApp({now: () => now});
    const {api} = harness;
    const admin = api.addSystemAdmin('root.admin');
    const manager = api.addUser({username: 'pm.alice', email: 'alice.pm@corp.example', last_activity_at: NOW - 1000});
    const helpdesk = api.addUser({username: 'helpdesk.bob', email: 'bob.helpdesk@corp.example'});
    const outsider = api.addUser({username: 'plain.carol', email: 'carol@corp.example'});
    const group = api.addGroup('helpdesk', 'Help desk');
    api.addGroupMember(group.id, helpdesk.id);
    const source = api.addTeam('cohort-source');
    const target = api.addTeam('rollout');
    const cohort = Array.from({length: 6}, (_, i) => {
        const user = api.addUser({username: `cohort.member${i}`, email: `member${i}@corp.example`, last_activity_at: NOW - (i * DAY)});
        api.addTeamMember(source.id, user.id);
        return user;
    });
    await harness.app.dispatch('onActivate', 'null');
    const as = (userId: string) => ({
        get: (path: string) => harness.request('GET', path, {userId}),
        put: (path: string, body: unknown) => harness.request('PUT', path, {userId, body}),
        post: (path: string, body: unknown = {}) => harness.request('POST', path, {userId, body}),
    });
    const adminClient = as(admin.id);
    const createWave = async (name: string) => {
        const response = await adminClient.post(WaveRoutes.waves, {
            name,
            cohort: {team_ids: [source.id]},
            targets: {teams: [{team_id: target.id}]},
        });
        expect(response.status).toBe(201);
        return response.json as {id: string; version: number};
    };
    const running = await createWave('Pilot: finance');
    expect((await adminClient.post(WaveRoutes.start(running.id), {expected_version: running.version, start_at: null})).status).toBe(200);
    const scheduled = await createWave('Wave 2: sales');
    expect((await adminClient.post(WaveRoutes.start(scheduled.id), {
        expected_version: scheduled.version, start_at: NOW + (3 * DAY),
    })).status).toBe(200);
    await createWave('Wave 3: everyone else');
    await harness.app.dispatch('runJob', JSON.stringify({jobId: ADOPTION_JOB_ID}));
    expect((await adminClient.put(AdoptionRoutes.targets, {expected_version: 0,
        targets: [
            {id: 'mau', label: 'MAU 80 % by March', metric: 'monthly_active', kind: 'percent', threshold: 80, due: '2026-03-01'},
        ]})).status).toBe(200);
    return {...harness, admin, manager, helpdesk, outsider, group, cohort, as, adminClient, kv: new KvStore(api.kv)};
}

afterEach(() => jest.restoreAllMocks());

describe('who may read the status page', () => {
    test('nobody listed yet: system admins only', async () => {
        const {as, admin, manager, outsider} = await setup();
        expect((await as(admin.id).get(StakeholderRoutes.status)).status).toBe(200);
        for (const user of [manager, outsider]) {
            const response = await as(user.id).get(StakeholderRoutes.status);
            expect(response.status).toBe(403);
            expect(response.json.error.id).toBe(ErrorIds.forbidden);
        }
        expect((await as('').get(StakeholderRoutes.status)).status).toBe(401);
    });

    test('a listed user and a listed group\'s member get 200; a member nobody listed gets 403', async () => {
        const {as, adminClient, manager, helpdesk, outsider} = await setup();
        const saved = await adminClient.put(StakeholderRoutes.access, {
            expected_version: 0,
            usernames: ['pm.alice'],
            group_names: ['helpdesk'],
        });
        expect(saved.status).toBe(200);
        expect((await as(manager.id).get(StakeholderRoutes.status)).status).toBe(200);
        expect((await as(helpdesk.id).get(StakeholderRoutes.status)).status).toBe(200);
        expect((await as(outsider.id).get(StakeholderRoutes.status)).status).toBe(403);
    });

    test('GET allowed: each caller learns only whether they may open the page, matching the status route', async () => {
        const {as, adminClient, admin, manager, helpdesk, outsider} = await setup();
        const allowed = async (userId: string) => {
            const response = await as(userId).get(StakeholderRoutes.allowed);
            expect(response.status).toBe(200);
            expect(StakeholderPageAccessSchema.parse(response.json)).toEqual(response.json);
            return response.json.allowed as boolean;
        };
        expect(await allowed(admin.id)).toBe(true);
        expect(await allowed(manager.id)).toBe(false);
        expect(await allowed(outsider.id)).toBe(false);

        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: ['helpdesk']});
        for (const user of [admin, manager, helpdesk, outsider]) {
            const status = (await as(user.id).get(StakeholderRoutes.status)).status;
            expect(await allowed(user.id)).toBe(status === 200);
        }
        expect(await allowed(outsider.id)).toBe(false);
        expect(await allowed(manager.id)).toBe(true);
        expect((await as('').get(StakeholderRoutes.allowed)).status).toBe(401);
    });

    test('removing a user from the list or from the group takes their access away', async () => {
        const {as, adminClient, manager, helpdesk, group, api} = await setup();
        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: ['helpdesk']});
        await adminClient.put(StakeholderRoutes.access, {expected_version: 1, usernames: [], group_names: ['helpdesk']});
        expect((await as(manager.id).get(StakeholderRoutes.status)).status).toBe(403);
        api.groupMembers.set(group.id, []);
        expect((await as(helpdesk.id).get(StakeholderRoutes.status)).status).toBe(403);
    });

    test('a server without group support: listed users still pass, group members do not, nobody gets a 500', () => {
        const noGroups = {
            permissions: {hasSystemPermission: () => false, hasTeamPermission: () => false, hasChannelPermission: () => false},
            groups: {
                members: () => [],
                get: () => {
                    throw new HostError(501, 'api.license.feature_unavailable', 'groups need a licence');
                },
                getByName: () => {
                    throw new HostError(501, 'api.license.feature_unavailable', 'groups need a licence');
                },
                idsForUser: () => {
                    throw new HostError(501, 'api.license.feature_unavailable', 'groups need a licence');
                },
                linkedTo: () => {
                    throw new HostError(501, 'api.license.feature_unavailable', 'groups need a licence');
                },
            },
        };
        const access = {user_ids: ['listed'], group_ids: ['helpdesk']};
        expect(mayReadStatus(noGroups, access, 'listed')).toBe(true);
        expect(mayReadStatus(noGroups, access, 'in-the-group')).toBe(false);

        // Anything but a host error is a bug, not a refusal: it surfaces as a 500.
        noGroups.groups.idsForUser = () => {
            throw new TypeError('bug');
        };
        expect(() => mayReadStatus(noGroups, access, 'in-the-group')).toThrow('bug');
    });

    test('the access routes are for system admins only, even for listed stakeholders', async () => {
        const {as, adminClient, manager, api} = await setup();
        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: []});
        const before = kvDump(api.kv);
        expect((await as(manager.id).get(StakeholderRoutes.access)).status).toBe(403);
        expect((await as(manager.id).put(StakeholderRoutes.access, {
            expected_version: 1,
            usernames: ['pm.alice', 'plain.carol'],
            group_names: [],
        })).status).toBe(403);
        expect((await as('').get(StakeholderRoutes.access)).status).toBe(401);
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe('the access list', () => {
    test('saved by name as ids, versioned (409 when stale), audited, read back with names', async () => {
        const {adminClient, kv, admin, manager, group} = await setup();
        const saved = await adminClient.put(StakeholderRoutes.access, {
            expected_version: 0,
            usernames: ['PM.Alice'],
            group_names: ['helpdesk'],
        });
        expect(StakeholderAccessResponseSchema.parse(saved.json)).toEqual({
            version: 1,
            updated_at: NOW,
            users: [{id: manager.id, username: 'pm.alice', missing: false}],
            groups: [{id: group.id, name: 'helpdesk', display_name: 'Help desk', missing: false}],
        });
        expect(kv.readVersioned(KvKeys.stakeholdersAccess).value).toEqual({
            user_ids: [manager.id],
            group_ids: [group.id],
            updated_at: NOW,
            updated_by: admin.id,
        });
        expect((await adminClient.get(StakeholderRoutes.access)).json).toEqual(saved.json);
        const stale = await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: [], group_names: []});
        expect(stale.status).toBe(409);
        expect(stale.json.error.id).toBe(ErrorIds.conflict);
        const entries = Array.from({length: 20}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value);
        expect(entries.filter((entry) => entry?.action === 'stakeholders.access.update')).toEqual([expect.objectContaining({
            user_id: admin.id,
            target: 'stakeholders:access',
            before: null,
            after: {user_ids: [manager.id], group_ids: [group.id], usernames: ['pm.alice'], group_names: ['helpdesk']},
        })]);
    });

    test('a user removed since shows as missing', async () => {
        const {adminClient, manager, api} = await setup();
        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: []});
        api.directory.users.delete(manager.id);
        expect((await adminClient.get(StakeholderRoutes.access)).json.users).toEqual([{id: manager.id, username: '', missing: true}]);
    });

    test.each([
        ['an unknown user', {usernames: ['nobody.here'], group_names: []}, 'no user @nobody.here'],
        ['an unknown group', {usernames: ['pm.alice'], group_names: ['ghosts']}, 'no group @ghosts'],
        ['a deactivated user', {usernames: ['gone.dave'], group_names: []}, '@gone.dave is deactivated'],
        ['a name with spaces', {usernames: ['pm alice'], group_names: []}, 'username'],
        ['a user twice', {usernames: ['pm.alice', 'pm.alice'], group_names: []}, 'each user once'],
        ['an unknown field', {usernames: [], group_names: [], user_ids: []}, 'user_ids'],
    ])('%s → 400, nothing stored', async (_, lists, message) => {
        const {adminClient, api} = await setup();
        api.addUser({username: 'gone.dave', delete_at: NOW - DAY});
        const before = kvDump(api.kv);
        const response = await adminClient.put(StakeholderRoutes.access, {expected_version: 0, ...lists});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain(message);
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe('the status answer', () => {
    test('plan progress by phase, waves (upcoming first) with counts, adoption against targets', async () => {
        const {adminClient, manager} = await setup();
        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: []});
        const response = await adminClient.get(StakeholderRoutes.status);
        const status = StakeholderStatusSchema.parse(response.json);
        expect(status.plan.phases.length).toBeGreaterThan(0);
        expect(status.plan.phases.every((phase) => phase.completed <= phase.required)).toBe(true);

        // Upcoming first (scheduled, then drafts), finished last: the small pilot completed at its start.
        expect(status.waves.map(({name, state}) => [name, state])).toEqual([
            ['Wave 2: sales', 'scheduled'],
            ['Wave 3: everyone else', 'draft'],
            ['Pilot: finance', 'completed'],
        ]);
        const pilot = status.waves.find((wave) => wave.name === 'Pilot: finance')!;

        // The 6 cohort members were added to the team by the wave's first batches, run at start.
        expect(pilot).toMatchObject({total: 6, processed: 6, added: 6, failed: 0});
        expect(status.waves.find((wave) => wave.name === 'Wave 2: sales')?.start_at).toBe(NOW + (3 * DAY));

        // 10 people (bot left out); active in 30 days: pm.alice + cohort members 0–5; 80 % of 10 = 8.
        expect(status.adoption.numbers).toMatchObject({monthly_active: 7, total_users: 10});
        expect(status.adoption.measured_at).toBe(NOW);
        expect(status.adoption.targets).toEqual([
            expect.objectContaining({label: 'MAU 80 % by March', current: 7, goal: 8, status: 'on_track'}),
        ]);

        // Active in 24 h (inclusive): pm.alice, cohort members 0 and 1.
        expect(status.adoption.daily).toEqual([{day: '2026-02-10', daily_active: 3, weekly_active: 7, monthly_active: 7}]);
        expect(response.body).not.toContain(manager.id);
    });

    test('carries no per-user data: no user id, username or email appears anywhere in it', async () => {
        const {as, adminClient, manager, api} = await setup();
        await adminClient.put(StakeholderRoutes.access, {expected_version: 0, usernames: ['pm.alice'], group_names: ['helpdesk']});
        const body = (await as(manager.id).get(StakeholderRoutes.status)).body ?? '';
        const people = [...api.directory.users.values()];
        expect(people.length).toBeGreaterThan(10);
        for (const user of people) {
            for (const value of [user.id, user.username, user.email].filter((text) => text !== '')) {
                expect({user: user.username, found: body.includes(value)}).toEqual({user: user.username, found: false});
            }
        }

        // And nothing shaped like a Mattermost id (26 lowercase alphanumerics) or an email address.
        expect(body).not.toMatch(/"[a-z0-9]{26}"/);
        expect(body).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    });

    test('a GET writes nothing and does not measure (the job does)', async () => {
        const {adminClient, api} = await setup();
        api.system.activity = () => {
            throw new Error('the status page must not query the database');
        };
        const before = kvDump(api.kv);
        expect((await adminClient.get(StakeholderRoutes.status)).status).toBe(200);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('before any measurement: numbers null, targets unknown', async () => {
        const {adminClient, kv} = await setup();
        kv.delete(KvKeys.adoptionCurrent);
        const status = StakeholderStatusSchema.parse((await adminClient.get(StakeholderRoutes.status)).json);
        expect(status.adoption).toMatchObject({
            measured_at: null,
            numbers: null,
            targets: [expect.objectContaining({status: 'unknown', current: null})],
        });
    });
});
