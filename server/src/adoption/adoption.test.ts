import {AdoptionResponseSchema} from 'contract/adoption';
import {ErrorIds} from 'contract/errors';
import {AdoptionRoutes} from 'contract/routes';

import {ADOPTION_JOB_ID, ADOPTION_REFRESH_MINUTES, LOAD_HOURS_KEPT, refreshAdoption} from './adoption';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 1, 10, 9, 0);

// Fixture: 6 people (one deactivated) and a bot with activity spread over the windows; posts in and out of the last day.
function setup() {
    let now = NOW;
    const harness = testApp({now: () => now});
    const {api} = harness;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const admin = api.addSystemAdmin('admin');
    api.addUser({username: 'today', last_activity_at: NOW - 1000});
    api.addUser({username: 'yesterday', last_activity_at: NOW - DAY - 1000});
    api.addUser({username: 'lastweek', last_activity_at: NOW - (8 * DAY)});
    api.addUser({username: 'longago', last_activity_at: NOW - (40 * DAY)});
    api.addUser({username: 'gone', last_activity_at: NOW - 1000, delete_at: NOW - DAY});
    api.addUser({username: 'robot', last_activity_at: NOW - 1000, is_bot: true});
    api.directory.users.get(admin.id)!.last_activity_at = NOW - 500;
    const team = api.addTeam('sales');
    const town = api.addChannel(team.id, 'town-square');
    const quiet = api.addChannel(team.id, 'quiet');
    const secret = api.addChannel(team.id, 'secret', 'P');
    api.addChannel(team.id, 'dm', 'D');
    now = NOW - (10 * DAY);
    api.posts.create({channel_id: quiet.id, user_id: admin.id, message: 'old'});
    now = NOW - (2 * DAY);
    api.posts.create({channel_id: secret.id, user_id: admin.id, message: 'two days ago'});
    now = NOW - 60_000;
    api.posts.create({channel_id: town.id, user_id: admin.id, message: 'hi'});
    api.posts.create({channel_id: town.id, user_id: admin.id, message: 'again'});
    api.posts.create({channel_id: town.id, user_id: admin.id, message: 'joined', type: 'system_join_channel' as never});
    now = NOW;
    const member = api.addUser({username: 'member'});
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    const runJob = () => harness.app.dispatch('runJob', JSON.stringify({jobId: ADOPTION_JOB_ID}));
    const kv = new KvStore(api.kv);
    return {...harness,
        admin,
        member,
        as,
        runJob,
        kv,
        setNow: (ms: number) => {
            now = ms;
        }};
}

afterEach(() => jest.restoreAllMocks());

test('the in-memory system.activity counts like the host queries: bots and deactivated left out, windows, ' +
    'system posts, channel types', () => {
    const {api} = setup();

    // admin, today (24 h); + yesterday (7 d); + lastweek (30 d); member has never been active; 6 people (gone and robot left out).
    expect(api.system.activity(NOW)).toEqual({
        daily_active: 2,
        weekly_active: 3,
        monthly_active: 4,
        posts_last_day: 2,
        active_channels: 2,
        total_users: 6,
    });
    expect(() => api.system.activity(0)).toThrow('now must be a positive time');
});

test('activation schedules the job', async () => {
    const {app, api} = setup();
    await app.dispatch('onActivate', 'null');
    expect(api.scheduledJobs.get(ADOPTION_JOB_ID)).toBe(ADOPTION_REFRESH_MINUTES * 60);
});

describe('the daily job', () => {
    test('stores the current numbers and one snapshot for the UTC day', async () => {
        const {runJob, kv} = setup();
        await runJob();
        const current = kv.get(KvKeys.adoptionCurrent);
        expect(current).toMatchObject({day: '2026-02-10', taken_at: NOW, numbers: {daily_active: 2, monthly_active: 4}});
        expect(kv.readVersioned(KvKeys.adoptionDay('2026-02-10'))).toEqual({version: 1, value: current});
        expect(kv.readVersioned(KvKeys.adoptionRecent).value?.days).toEqual([current]);
    });

    test('two runs the same day → one snapshot (the first); current follows the latest run', async () => {
        const {runJob, kv, api, setNow} = setup();
        await runJob();
        const first = kv.get(KvKeys.adoptionCurrent);
        setNow(NOW + (15 * 60 * 1000));
        api.addUser({username: 'late', last_activity_at: NOW + 1000});
        await runJob();
        expect(kv.readVersioned(KvKeys.adoptionDay('2026-02-10'))).toEqual({version: 1, value: first});
        expect(kv.readVersioned(KvKeys.adoptionRecent)).toEqual({version: 1, value: {days: [first]}});
        expect(kv.get(KvKeys.adoptionCurrent)?.numbers.daily_active).toBe(3);
        expect(api.kv.listKeys(0, 1000).filter((key) => key.startsWith('adoption:day:'))).toEqual(['adoption:day:2026-02-10']);
    });

    test('a racing node that already created the day keeps its snapshot; the index is repaired', () => {
        const {api, kv} = setup();
        const other = {
            day: '2026-02-10',
            taken_at: NOW - 5,
            numbers: {daily_active: 1, weekly_active: 1, monthly_active: 1, posts_last_day: 1, active_channels: 1, total_users: 1},
        };
        kv.writeVersioned(KvKeys.adoptionDay('2026-02-10'), other, 0);
        const {createdDay} = refreshAdoption(api, kv, NOW);
        expect(createdDay).toBe(false);
        expect(kv.readVersioned(KvKeys.adoptionDay('2026-02-10')).value).toEqual(other);
        expect(kv.readVersioned(KvKeys.adoptionRecent).value?.days).toEqual([other]);
    });

    test('next day → a second snapshot', async () => {
        const {runJob, kv, setNow} = setup();
        await runJob();
        setNow(NOW + DAY);
        await runJob();
        expect(kv.readVersioned(KvKeys.adoptionRecent).value?.days.map((s) => s.day)).toEqual(['2026-02-10', '2026-02-11']);
    });
});

describe(`GET ${AdoptionRoutes.adoption}`, () => {
    test('before any measurement: measures for the answer, writes nothing', async () => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const response = await as('GET', AdoptionRoutes.adoption);
        expect(response.status).toBe(200);
        const body = AdoptionResponseSchema.parse(response.json);
        expect(body).toMatchObject({cached: false, daily: [], targets_version: 0, progress: []});
        expect(body.current?.numbers.monthly_active).toBe(4);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('after the job: serves the cached measurement without querying, plus the days and target progress', async () => {
        const {as, api, runJob} = setup();
        await runJob();
        await as('PUT', AdoptionRoutes.targets, {expected_version: 0,
            targets: [
                {id: 'mau', label: 'MAU 80 %', metric: 'monthly_active', kind: 'percent', threshold: 80, due: '2026-03-01'},
                {id: 'posts', metric: 'posts_last_day', kind: 'count', threshold: 2, due: '2026-01-01'},
            ]});
        api.system.activity = () => {
            throw new Error('a page view must not query the database');
        };
        const before = kvDump(api.kv);
        const body = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
        expect(body.cached).toBe(true);
        expect(body.daily.map((s) => s.day)).toEqual(['2026-02-10']);
        expect(body.targets_version).toBe(1);

        // 80 % of 6 users = 4.8 → 5 (rounded up); 4 monthly active.
        expect(body.progress.map(({target, current, goal, status}) => [target.id, current, goal, status])).toEqual([
            ['mau', 4, 5, 'on_track'],
            ['posts', 2, 2, 'met'],
        ]);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('at most the last 90 days', async () => {
        const {as, kv} = setup();
        const days = Array.from({length: 100}, (_, i) => ({
            day: new Date(NOW - ((100 - i) * DAY)).toISOString().slice(0, 10),
            taken_at: NOW - ((100 - i) * DAY),
            numbers: {daily_active: i, weekly_active: 0, monthly_active: 0, posts_last_day: 0, active_channels: 0, total_users: 0},
        }));
        kv.writeVersioned(KvKeys.adoptionRecent, {days}, 0);
        const body = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
        expect(body.daily).toHaveLength(90);
        expect(body.daily[89].numbers.daily_active).toBe(99);
    });
});

describe(`PUT ${AdoptionRoutes.targets}`, () => {
    const mau = {id: 'mau', metric: 'monthly_active', kind: 'percent', threshold: 80, due: '2026-03-01'};

    test('saves versioned, audits, 409 on a stale version', async () => {
        const {as, kv, admin} = setup();
        const saved = await as('PUT', AdoptionRoutes.targets, {expected_version: 0, targets: [mau]});
        expect(saved.status).toBe(200);
        expect(saved.json).toEqual({version: 1, targets: [{...mau, label: '', base: 'total_users'}]});
        const stale = await as('PUT', AdoptionRoutes.targets, {expected_version: 0, targets: []});
        expect(stale.status).toBe(409);
        expect(stale.json.error.id).toBe(ErrorIds.conflict);
        expect(kv.readVersioned(KvKeys.adoptionTargets).version).toBe(1);
        const audit = kv.readVersioned(KvKeys.auditEntry(1)).value;
        expect(audit).toMatchObject({
            action: 'adoption.targets.update',
            target: 'adoption:targets',
            user_id: admin.id,
            before: [],
            after: [{id: 'mau'}],
        });
        expect((await as('PUT', AdoptionRoutes.targets, {expected_version: 1, targets: []})).json).toEqual({version: 2, targets: []});
    });

    test.each([
        ['unknown field', {expected_version: 0, targets: [], extra: 1}],
        ['unknown metric', {expected_version: 0, targets: [{...mau, metric: 'emails'}]}],
        ['percent over 100', {expected_version: 0, targets: [{...mau, threshold: 120}]}],
        ['bad due date', {expected_version: 0, targets: [{...mau, due: '1 March'}]}],
        ['duplicate ids', {expected_version: 0, targets: [mau, mau]}],
    ])('%s → 400, nothing stored', async (_, body) => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        expect((await as('PUT', AdoptionRoutes.targets, body)).status).toBe(400);
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe(`GET ${AdoptionRoutes.export}`, () => {
    test('daily series as CSV, formula-safe', async () => {
        const {as, kv} = setup();
        const numbers = {daily_active: 3, weekly_active: 4, monthly_active: 5, posts_last_day: 6, active_channels: 7, total_users: 8};
        kv.writeVersioned(KvKeys.adoptionRecent, {days: [{day: '2026-02-09', taken_at: Date.UTC(2026, 1, 9, 0, 5), numbers}]}, 0);
        const response = await as('GET', `${AdoptionRoutes.export}`);
        expect(response.status).toBe(200);
        expect(response.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
        expect(response.headers?.['Content-Disposition']).toContain('cockpit-adoption-daily-2026-02-10.csv');
        expect(response.body).toBe(
            '"day","taken_at","daily_active","weekly_active","monthly_active","posts_last_day","active_channels",' +
            '"total_users","provisioned"\r\n' +
            '"2026-02-09","2026-02-09T00:05:00.000Z","3","4","5","6","7","8",""\r\n',
        );
    });

    test('an unknown series → 400', async () => {
        const {request, admin} = setup();
        expect((await request('GET', AdoptionRoutes.export, {userId: admin.id, query: {series: ['users']}})).status).toBe(400);
    });
});

// Every route is for system admins only; a valid request, so a refusal can only come from the guard.
const routes: Array<[method: string, path: string, body: unknown]> = [
    ['GET', AdoptionRoutes.adoption, undefined],
    ['PUT', AdoptionRoutes.targets, {expected_version: 0, targets: []}],
    ['GET', AdoptionRoutes.export, undefined],
];
describe.each([
    ['anonymous', 401, ErrorIds.unauthenticated],
    ['member', 403, ErrorIds.forbidden],
] as const)('%s', (who, status, errorId) => {
    test.each(routes)(`%s %s → ${status}, nothing stored`, async (method, path, body) => {
        const harness = setup();
        const before = kvDump(harness.api.kv);
        const response = await harness.request(method, path, {userId: who === 'anonymous' ? '' : harness.member.id, body});
        expect(response.status).toBe(status);
        expect(response.json.error.id).toBe(errorId);
        expect(kvDump(harness.api.kv)).toEqual(before);
    });
});

describe('server load samples', () => {
    const load = {active_sessions: 12, db_connections: 20, db_max_connections: 100};

    test('every job run appends a sample; samples older than 72 hours are dropped; GET and the CSV serve them', async () => {
        const {runJob, kv, api, as, setNow, request, admin} = setup();
        api.systemLoad = load;
        await runJob();
        setNow(NOW + (15 * 60 * 1000));
        api.systemLoad = {...load, active_sessions: 15};
        await runJob();
        expect(kv.readVersioned(KvKeys.adoptionLoad).value?.samples).toEqual([
            {taken_at: NOW, ...load},
            {taken_at: NOW + (15 * 60 * 1000), ...load, active_sessions: 15},
        ]);
        setNow(NOW + (LOAD_HOURS_KEPT * 60 * 60 * 1000) + 1);
        await runJob();
        const body = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
        expect(body.load.map((s) => [s.taken_at - NOW, s.active_sessions])).toEqual([
            [15 * 60 * 1000, 15],
            [(LOAD_HOURS_KEPT * 60 * 60 * 1000) + 1, 15],
        ]);
        const csv = await request('GET', AdoptionRoutes.export, {userId: admin.id, query: {series: ['load']}});
        expect(csv.headers?.['Content-Disposition']).toContain('cockpit-adoption-load-');
        expect(csv.body?.split('\r\n')[0]).toBe('"taken_at","active_sessions","db_connections","db_max_connections"');
        expect(csv.body?.split('\r\n')[1]).toBe(`"${new Date(NOW + (15 * 60 * 1000)).toISOString()}","15","20","100"`);
    });

    test('a failing load sample is logged and costs nothing else: the adoption numbers are still stored', async () => {
        const {runJob, kv, api, log} = setup();
        api.system.load = () => {
            throw new Error('permission denied for pg_stat_activity');
        };
        await runJob();
        expect(kv.get(KvKeys.adoptionCurrent)?.taken_at).toBe(NOW);
        expect(kv.readVersioned(KvKeys.adoptionLoad).value).toBeUndefined();
        expect(JSON.stringify(log.lines)).toContain('Server load sample failed');
    });
});
