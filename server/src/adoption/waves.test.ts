import {AdoptionResponseSchema} from 'contract/adoption';
import {AdoptionRoutes, WaveRoutes} from 'contract/routes';

import {ADOPTION_JOB_ID, refreshAdoption} from './adoption';
import {measureWaves, provisionedByWaves} from './waves';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';
import {memoryLogger} from '../testing/memoryLogger';
import {recordAnswer} from '../waves/feedback';
import {wavesJobId} from '../waves/waves';

// Per-wave adoption: the job measures each wave's funnel and feedback (through the waves capability's
// own exports) and stores it in the measurement and the day's snapshot; page views only read it.

const NOW = Date.UTC(2026, 1, 10, 9, 0);

async function setup() {
    let now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const harness = testApp({now: () => now});
    const {api, app} = harness;
    const admin = api.addSystemAdmin('admin');
    const team = api.addTeam('rollout');
    const source = api.addTeam('source');
    const info = api.addChannel(team.id, 'general-info');
    const users = Array.from({length: 4}, (_, i) => {
        const user = api.addUser({username: `user${i}`, email: `user${i}@corp.example`});
        api.addTeamMember(source.id, user.id);
        return user;
    });

    // Already a member of the target team: provisioned as already_member.
    api.addTeamMember(team.id, users[3].id);
    await app.dispatch('onActivate', 'null');
    const as = (method: string, path: string, body?: unknown, query?: Record<string, string[]>) =>
        harness.request(method, path, {userId: admin.id, body, query});
    const kv = new KvStore(api.kv);

    async function launch(name: string, cohortTeam = source.id) {
        const created = await as('POST', WaveRoutes.waves, {
            name,
            cohort: {team_ids: [cohortTeam]},
            targets: {teams: [{team_id: team.id}], channels: [{channel_id: info.id}]},
            welcome: {enabled: true, template: 'Hi {{first_name}}'},
        });
        expect(created.status).toBe(201);
        expect((await as('POST', WaveRoutes.start(created.json.id), {expected_version: created.json.version})).status).toBe(200);
        for (let i = 0; i < 20; i++) {
            await app.dispatch('runJob', JSON.stringify({jobId: wavesJobId}));
        }
        return created.json.id as string;
    }
    const runAdoptionJob = () => app.dispatch('runJob', JSON.stringify({jobId: ADOPTION_JOB_ID}));
    return {...harness,
        admin,
        team,
        source,
        info,
        users,
        as,
        kv,
        launch,
        runAdoptionJob,
        setNow: (ms: number) => {
            now = ms;
        }};
}

afterEach(() => jest.restoreAllMocks());

test('the job stores each wave\'s funnel and feedback and the users provisioned; the day\'s snapshot keeps them', async () => {
    const {api, kv, users, info, launch, runAdoptionJob, setNow} = await setup();
    const waveId = await launch('Pilot "=1+1"');
    setNow(NOW + 60_000);
    api.recordLogin(users[0].id, NOW + 60_000);
    api.recordLogin(users[1].id, NOW + 60_000);
    api.posts.create({channel_id: info.id, user_id: users[0].id, message: 'hello'});
    recordAnswer(kv, waveId, users[0].id, 'great', NOW + 60_000);
    recordAnswer(kv, waveId, users[1].id, 'help', NOW + 60_000);
    recordAnswer(kv, waveId, users[2].id, 'help', NOW + 60_000);
    setNow(NOW + 120_000);
    await runAdoptionJob();

    const current = kv.get(KvKeys.adoptionCurrent)!;
    expect(current.numbers.provisioned).toBe(4);
    expect(current.waves).toEqual({
        [waveId]: {
            name: 'Pilot "=1+1"',
            measured_at: NOW + 120_000,
            cohort: 4,
            invited: 0,
            account: 0,
            provisioned: 4,
            welcomed: 4,
            logged_in: 2,
            posted: 1,
            feedback: {great: 1, ok: 0, help: 2},
        },
    });

    // The day's snapshot was stored before this run measured the waves: it holds what the previous run measured (none here).
    expect(kv.readVersioned(KvKeys.adoptionDay('2026-02-10')).value?.waves).toEqual({});

    // The next day's first run: its snapshot holds the waves as last measured (with their measured_at), and the run measures again.
    const nextDay = NOW + (24 * 60 * 60 * 1000);
    setNow(nextDay);
    api.recordLogin(users[2].id, nextDay);
    await runAdoptionJob();
    const day2 = kv.readVersioned(KvKeys.adoptionDay('2026-02-11')).value!;
    expect(day2.waves).toEqual(current.waves);
    expect(kv.readVersioned(KvKeys.adoptionRecent).value?.days.map((day) => [day.day, day.waves?.[waveId]?.logged_in])).toEqual([
        ['2026-02-10', undefined],
        ['2026-02-11', 2],
    ]);
    expect(kv.get(KvKeys.adoptionCurrent)?.waves?.[waveId]).toMatchObject({measured_at: nextDay, logged_in: 3});
});

test('a failing wave measurement costs neither the numbers nor the day\'s snapshot', async () => {
    const {api, kv, launch, runAdoptionJob, log} = await setup();
    const waveId = await launch('Pilot');
    await runAdoptionJob();
    const before = kv.get(KvKeys.adoptionCurrent)!;
    const nextDay = NOW + (24 * 60 * 60 * 1000);
    jest.spyOn(Date, 'now').mockImplementation(() => nextDay);
    api.users.activity = () => {
        throw new Error('database down');
    };
    await runAdoptionJob();
    const after = kv.get(KvKeys.adoptionCurrent)!;
    expect(after.taken_at).toBe(nextDay);
    expect(after.waves).toEqual(before.waves);
    expect(kv.readVersioned(KvKeys.adoptionDay('2026-02-11')).value?.waves?.[waveId]).toEqual(before.waves![waveId]);
    expect(JSON.stringify(log.lines)).toContain('Wave activation not measured');
});

test('a page view reads the stored wave counts and never measures a wave', async () => {
    const {api, as, launch, runAdoptionJob} = await setup();
    const waveId = await launch('Pilot');

    // Before the job's first run: the numbers are measured for the answer, the waves are not.
    const first = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
    expect(first.cached).toBe(false);
    expect(first.current?.waves).toBeUndefined();
    expect(first.current?.numbers.provisioned).toBe(4);

    await runAdoptionJob();
    api.users.activity = () => {
        throw new Error('a page view must not read users\' activity');
    };
    const before = kvDump(api.kv);
    const body = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
    expect(body.current?.waves?.[waveId]).toMatchObject({cohort: 4, provisioned: 4, welcomed: 4});
    expect(body.daily[0].waves).toEqual({});
    for (const series of ['waves', 'waves_daily', 'current', 'targets']) {
        expect((await as('GET', AdoptionRoutes.export, undefined, {series: [series]})).status).toBe(200);
    }
    expect(kvDump(api.kv)).toEqual(before);
});

test('targets relative to provisioned users', async () => {
    const {as, launch, runAdoptionJob, users, api, setNow} = await setup();
    await launch('Pilot');
    setNow(NOW + 60_000);
    api.users.get(users[0].id).last_activity_at = NOW + 60_000;
    await runAdoptionJob();
    await as('PUT', AdoptionRoutes.targets, {expected_version: 0,
        targets: [
            {id: 'mau-prov', metric: 'monthly_active', kind: 'percent', threshold: 80, base: 'provisioned', due: '2026-03-01'},
            {id: 'mau-all', metric: 'monthly_active', kind: 'percent', threshold: 80, due: '2026-03-01'},
        ]});
    const body = AdoptionResponseSchema.parse((await as('GET', AdoptionRoutes.adoption)).json);
    const total = body.current!.numbers.total_users;
    expect(total).toBe(5);

    // 80 % of 4 provisioned = 3.2 → 4; 80 % of 5 users = 4.
    expect(body.progress.map((p) => [p.target.id, p.target.base, p.goal])).toEqual([
        ['mau-prov', 'provisioned', 4],
        ['mau-all', 'total_users', 4],
    ]);
    const csv = (await as('GET', AdoptionRoutes.export, undefined, {series: ['targets']})).body!.split('\r\n');
    expect(csv[0]).toBe('"id","label","metric","kind","threshold","base","due","current","goal","percent","status"');
    expect(csv[1]).toMatch(
        /^"mau-prov","","monthly_active","percent","80","provisioned","2026-03-01","\d+","4","[\d.]+","(on_track|met)"$/,
    );
});

test('wave CSVs: one row per wave (names formula-safe), and per day', async () => {
    const {as, launch, runAdoptionJob, setNow} = await setup();
    const waveId = await launch('=HYPERLINK("x")');
    await runAdoptionJob();
    const waves = await as('GET', AdoptionRoutes.export, undefined, {series: ['waves']});
    expect(waves.headers?.['Content-Disposition']).toContain('cockpit-adoption-waves-2026-02-10.csv');
    const lines = waves.body!.trim().split('\r\n');
    expect(lines[0]).toBe(
        '"wave_id","wave_name","cohort","provisioned","welcomed","logged_in","posted",' +
        '"feedback_great","feedback_ok","feedback_help","measured_at"',
    );
    expect(lines[1]).toBe(`"${waveId}","'=HYPERLINK(""x"")","4","4","4","0","0","0","0","0","${new Date(NOW).toISOString()}"`);
    setNow(NOW + (24 * 60 * 60 * 1000));
    await runAdoptionJob();
    const daily = (await as('GET', AdoptionRoutes.export, undefined, {series: ['waves_daily']})).body!.trim().split('\r\n');

    // The first day's snapshot predates the first wave measurement; the second holds it.
    expect(daily.map((line) => line.split(',')[0])).toEqual(['"day"', '"2026-02-11"']);
    const current = (await as('GET', AdoptionRoutes.export, undefined, {series: ['current']})).body!.trim().split('\r\n');
    expect(current).toContain(`"provisioned","4","${new Date(NOW + (24 * 60 * 60 * 1000)).toISOString()}"`);
});

describe('measureWaves', () => {
    test('past its time budget the remaining waves keep their previous counts; the longest unmeasured goes first next time', async () => {
        const {api, kv, launch, team} = await setup();
        const first = await launch('First');
        const second = await launch('Second', team.id);
        let clock = NOW;
        const tick = () => {
            clock += 6_000;
            return clock;
        };
        const log = memoryLogger();

        // 10 s budget, 6 s per clock read: the first wave measured, the second is not reached.
        const run1 = measureWaves(api, kv, {}, tick, log, 10_000);
        expect(Object.keys(run1)).toHaveLength(1);
        const measuredFirst = Object.keys(run1)[0];
        const run2 = measureWaves(api, kv, run1, tick, log, 10_000);

        // The wave never measured goes first; the other keeps its counts.
        expect(Object.keys(run2).sort()).toEqual([first, second].sort());
        expect(run2[measuredFirst]).toEqual(run1[measuredFirst]);
    });

    test('a wave whose measurement fails keeps its previous counts and is logged', async () => {
        const {api, kv, launch} = await setup();
        const waveId = await launch('Pilot');
        const log = memoryLogger();
        const before = measureWaves(api, kv, {}, Date.now, log);
        api.users.activity = () => {
            throw new Error('database down');
        };
        expect(measureWaves(api, kv, before, () => NOW + 1, log)).toEqual(before);
        expect(JSON.stringify(log.lines)).toContain(waveId);
        expect(provisionedByWaves(kv)).toBe(4);
    });
});

test('refreshAdoption without waves stores an empty map and provisioned 0', () => {
    const harness = testApp({now: () => NOW});
    const kv = new KvStore(harness.api.kv);
    const {snapshot} = refreshAdoption(harness.api, kv, NOW);
    expect(snapshot.waves).toEqual({});
    expect(snapshot.numbers.provisioned).toBe(0);
});
