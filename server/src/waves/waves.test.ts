import {ErrorIds} from 'contract/errors';
import {WaveRoutes} from 'contract/routes';

import {validateCsvRows} from './cohort';
import {runDueWaves, runWave, waveMutex} from './engine';

import {HostError} from '../host/errors';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {memoryLogger} from '../testing/memoryLogger';
import {Crash, crashingApi, runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';

async function startNow(fixture: WaveFixture, overrides: Record<string, unknown> = {}) {
    const wave = await fixture.createWave(overrides);
    const response = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
    expect(response.status).toBe(200);
    return {...wave, response};
}

function expectEveryoneOnboardedOnce(fixture: WaveFixture) {
    const dms = fixture.dmsByUser();
    for (const user of fixture.users) {
        expect(fixture.api.directory.teamMember(fixture.team.id, user.id)).toBeDefined();
        expect(fixture.api.directory.channelMember(fixture.info.id, user.id)).toBeDefined();
        expect(fixture.api.directory.channelMember(fixture.help.id, user.id)?.roles).toBe('channel_user channel_admin');
        expect(dms.get(user.id)).toBe(1);
    }
    expect(dms.size).toBe(fixture.users.length);
}

describe('CSV rows', () => {
    test('each bad row is reported with its line and reason; good rows are normalized', () => {
        const {valid, problems} = validateCsvRows([
            {line: 1, value: 'alice'},
            {line: 2, value: ' Bob@Corp.Example '},
            {line: 3, value: ''},
            {line: 4, value: 'not an email@'},
            {line: 5, value: 'ALICE'},
            {line: 6, value: 'bad name!'},
            {line: 7, value: '@carol'},
            {line: 8, value: 'x@nodot'},
        ]);
        expect(valid.map((row) => [row.line, row.value, row.kind])).toEqual([
            [1, 'alice', 'username'],
            [2, 'bob@corp.example', 'email'],
            [7, 'carol', 'username'],
        ]);
        expect(problems).toEqual([
            {line: 3, value: '', reason: 'empty value'},
            {line: 4, value: 'not an email@', reason: 'not a valid email address'},
            {line: 5, value: 'ALICE', reason: 'duplicate of line 1 (username)'},
            {line: 6, value: 'bad name!', reason: 'not a valid username or email'},
            {line: 8, value: 'x@nodot', reason: 'not a valid email address'},
        ]);
    });

    test('rows arrive in chunks (versioned, draft only); every bad row is reported by line; over 50,000 in total → 400', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await fixture.createWave({cohort: {csv: [{line: 2, value: 'user0'}]}});
        const first = await fixture.client.post(WaveRoutes.csv(wave.id), {
            expected_version: wave.version,
            rows: [
                {line: 3, value: 'user1'},
                {line: 4, value: 'bad name'},
            ],
        });
        expect(first.status).toBe(200);
        expect(first.json.definition.cohort.csv).toHaveLength(3);
        expect(first.json.csv_problems).toEqual([{line: 4, value: 'bad name', reason: 'not a valid username or email'}]);
        const stale = await fixture.client.post(WaveRoutes.csv(wave.id), {expected_version: wave.version, rows: []});
        expect(stale.status).toBe(409);
        const tooMany = Array.from({length: 10000}, (_, i) => ({line: i + 10, value: `u${i}`}));
        let version = first.json.version;
        for (let chunk = 0; chunk < 5; chunk++) {
            const response = await fixture.client.post(WaveRoutes.csv(wave.id), {expected_version: version, rows: tooMany});
            expect(response.status).toBe(chunk < 4 ? 200 : 400);
            version = response.json.version ?? version;
        }
        const replaced = await fixture.client.post(WaveRoutes.csv(wave.id), {
            expected_version: version,
            rows: [{line: 2, value: 'user1'}],
            replace: true,
        });
        expect(replaced.json.definition.cohort.csv).toEqual([{line: 2, value: 'user1'}]);
        const dry = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(dry.sources.csv).toBe(1);
    });

    test('more than 50,000 rows is refused with 400', async () => {
        const fixture = await waveFixture({users: 0});
        const csv = Array.from({length: 50001}, (_, i) => ({line: i + 1, value: `u${i}`}));
        const response = await fixture.client.post(WaveRoutes.waves, fixture.definition({cohort: {csv}}));
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
    });
});

describe('dry run', () => {
    test('resolves and de-duplicates every source, classifies users and targets, reports bad rows', async () => {
        const fixture = await waveFixture({users: 4});
        const {api, users} = fixture;

        // Deactivated: not listed by email domain (active users only), but still a member of the source team.
        const retired = api.addUser({username: 'retired', email: 'retired@corp.example', delete_at: 5});
        api.addTeamMember(fixture.source.id, retired.id);
        api.addUser({username: 'robot', email: 'robot@corp.example', is_bot: true});
        api.addUser({username: 'visitor', email: 'visitor@corp.example', roles: 'system_guest'});
        api.addUser({username: 'outsider', email: 'outsider@other.example'});
        api.addTeamMember(fixture.team.id, users[0].id);
        api.addChannelMember(fixture.info.id, users[0].id);
        api.addGroupMember('group1', users[1].id);
        api.addGroupMember('group1', users[2].id);

        const wave = await fixture.createWave({
            cohort: {
                csv: [
                    {line: 2, value: 'user0'},
                    {line: 3, value: 'USER1@corp.example'},
                    {line: 4, value: 'ghost'},
                    {line: 5, value: 'not valid!'},
                ],
                group_ids: ['group1'],
                team_ids: [fixture.source.id],
                email_domains: ['corp.example'],
            },
        });
        const response = await fixture.client.post(WaveRoutes.dryRun(wave.id));
        expect(response.status).toBe(200);
        const report = response.json;

        // 4 users + retired + robot + visitor match corp.example; the source team, group and CSV add nobody new.
        expect(report.cohort_size).toBe(7);
        expect(report.sources).toEqual({csv: 2, groups: 2, teams: 5, email_domains: 6});
        expect(report.duplicates).toBe(15 - 7);
        expect(report.csv_problems).toEqual([
            {line: 4, value: 'ghost', reason: 'no such user'},
            {line: 5, value: 'not valid!', reason: 'not a valid username or email'},
        ]);
        expect(report.cannot_add).toEqual({deactivated: 1, bot: 1, guest: 1, group_synced: 0});
        expect(report.membership_checked).toBe(4);
        expect(report.targets).toEqual([
            {kind: 'team', id: fixture.team.id, name: 'rollout', role: 'member', would_add: 3, already_member: 1, refused: 0},
            {kind: 'channel', id: fixture.info.id, name: 'general-info', role: 'member', would_add: 3, already_member: 1, refused: 0},
            {kind: 'channel', id: fixture.help.id, name: 'help', role: 'channel_admin', would_add: 4, already_member: 0, refused: 0},
        ]);
        expect(report.sample).toHaveLength(7);
        expect(report.sample.find((user: {username: string}) => user.username === 'retired').status).toBe('deactivated');
        expect(report.sample[0]).toEqual({
            user_id: users[0].id,
            username: 'user0',
            status: 'ok',
            would_join: ['help'],
            already_in: ['rollout', 'general-info'],
            refused_by: [],
        });

        // Nothing happened.
        expect(api.createdPosts).toHaveLength(0);
        expect(api.directory.teamMember(fixture.team.id, users[1].id)).toBeUndefined();
    });

    test('a large cohort reads each target\'s member list once, with the same counts as per-user lookups', async () => {
        const fixture = await waveFixture({users: 1250});
        const {api, users} = fixture;

        // 1,001 team members (more than one page of 1,000) and a left membership that must not count.
        for (const user of users.slice(0, 1001)) {
            api.addTeamMember(fixture.team.id, user.id);
        }
        api.addChannelMember(fixture.info.id, users[0].id);
        const wave = await fixture.createWave({cohort: {team_ids: [fixture.source.id]}});
        const perUser = jest.spyOn(api.teams, 'getMember');
        const pages = jest.spyOn(api.teams, 'members');
        const report = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(perUser).not.toHaveBeenCalled();
        expect(pages).toHaveBeenCalledTimes(2);
        expect(report.membership_checked).toBe(1250);
        expect(
            report.targets.map((target: {would_add: number; already_member: number}) => [target.would_add, target.already_member]),
        ).toEqual([
            [249, 1001],
            [1249, 1],
            [1250, 0],
        ]);
    });

    test('a channel outside the target teams is a target problem, and start refuses it', async () => {
        const fixture = await waveFixture({users: 1});
        const other = fixture.api.addChannel(fixture.source.id, 'elsewhere');
        const wave = await fixture.createWave({
            targets: {teams: [{team_id: fixture.team.id}], channels: [{channel_id: other.id}, {channel_id: 'missing'}]},
        });
        const report = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(report.target_problems).toEqual([
            'channel elsewhere: its team is not one of the target teams',
            'channel missing: not found',
        ]);
        const start = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(start.status).toBe(400);
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).json.state).toBe('draft');
    });
});

describe('a wave run', () => {
    test('start runs the first batches at once; the job finishes it; everyone is a member and has exactly one DM', async () => {
        const fixture = await waveFixture({users: 10, engine: {batchSize: 3, tickSeconds: 1}});
        const wave = await startNow(fixture, {throttle: {users_per_second: 4}});

        // Throttle: 4 users per second × 1 s tick = 4 users per run.
        expect(wave.response.json.progress).toMatchObject({state: 'running', total: 10, processed: 4});
        expect(fixture.api.nodeJobs.get('waves.tick')).toBe(1);
        for (let tick = 0; tick < 5; tick++) {
            await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        }
        const progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({
            state: 'completed',
            total: 10,
            processed: 10,
            counts: {added: 10, already_member: 0, skipped: 0, failed: 0, welcomed: 10},
        });
        expectEveryoneOnboardedOnce(fixture);
        const post = fixture.api.createdPosts[0];
        expect(post.message).toBe('Hi First0, welcome to rollout (general\\-info, help). <https://help.example/start>');
        expect(post.props).toMatchObject({cockpit_welcome: `${wave.id}:${fixture.users[0].id}`});

        // Running the job again changes nothing.
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        expect(fixture.api.createdPosts).toHaveLength(10);
    });

    test('results are paged and filtered; skipped users carry their reason', async () => {
        const fixture = await waveFixture({users: 5});
        const {api} = fixture;
        api.addTeamMember(fixture.team.id, fixture.users[0].id);
        api.addChannelMember(fixture.info.id, fixture.users[0].id);
        api.addChannelMember(fixture.help.id, fixture.users[0].id, 'channel_user channel_admin');
        const retired = api.addUser({username: 'retired', delete_at: 1});
        api.addTeamMember(fixture.source.id, retired.id);
        const wave = await startNow(fixture);
        runToEnd(fixture, wave.id);

        const page0 = (await fixture.client.get(WaveRoutes.results(wave.id), {per_page: ['4']})).json;
        expect(page0.total).toBe(6);
        expect(page0.results.map((result: {username: string}) => result.username)).toEqual(['user0', 'user1', 'user2', 'user3']);
        const page1 = (await fixture.client.get(WaveRoutes.results(wave.id), {per_page: ['4'], page: ['1']})).json;
        expect(page1.results.map((result: {username: string}) => result.username)).toEqual(['user4', 'retired']);
        const skipped = (await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['skipped']})).json;
        expect(skipped.total).toBe(1);
        expect(skipped.results[0]).toMatchObject({username: 'retired', outcome: 'skipped', reason: 'deactivated', welcome: 'not_sent'});
        const already = (await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['already_member']})).json;
        expect(already.results[0]).toMatchObject({username: 'user0', welcome: 'sent'});
        expect((await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['bogus']})).status).toBe(400);
        const progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress.counts).toEqual({added: 4, already_member: 1, created: 0, invited: 0, skipped: 1, failed: 0, welcomed: 5});
    });

    test('runs size their batches to the time budget from the measured pace, and checkpoint each batch', async () => {
        const fixture = await waveFixture({users: 12, engine: {batchSize: 3, timeBudgetMs: 2500}});
        const wave = await fixture.createWave();
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version, start_at: fixture.clock.now() + 1});
        fixture.clock.advance(1);

        // Every look at the clock costs 200 ms: a batch takes about a second, so a run has room for two or so.
        const ticking = {...fixture.engine, now: () => fixture.clock.advance(200)};
        const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
        const first = runWave(context, wave.id, ticking);
        expect(first.processed).toBeGreaterThan(0);
        expect(first.processed).toBeLessThan(12);
        const run = () => JSON.parse(fixture.api.kv.get(KvKeys.waveRun(wave.id).key)!).value;
        expect(JSON.parse(fixture.api.kv.get(KvKeys.waveShard(wave.id, 0, 0).key)!).value.pace_ms).toBeGreaterThan(0);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'running', processed: first.processed});
        let runs = 1;
        for (; runs < 30 && run().state === 'running'; runs++) {
            // Each run does at least one batch, and stops before the batch it has no time left for.
            const report = runWave(context, wave.id, ticking);
            expect(report.processed).toBeGreaterThan(0);
            expect(report.processed).toBeLessThan(12);
        }
        expect(runs).toBeGreaterThan(2);

        // The finish keeps the pace the shards measured in the run record.
        expect(run().pace_ms).toBeGreaterThan(0);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({
            state: 'completed',
            processed: 12,
            counts: {added: 12, welcomed: 12},
        });
        expectEveryoneOnboardedOnce(fixture);
    });

    test('a run ends rather than start a batch the time left would cut below 8 users; the next run takes the rest', async () => {
        const fixture = await waveFixture({users: 200, engine: {batchSize: 250, timeBudgetMs: 10_000, tickSeconds: 1000}});
        const wave = await fixture.createWave({throttle: {users_per_second: 500}});
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version, start_at: fixture.clock.now() + 1});
        fixture.clock.advance(1);

        // The server takes 100 ms per user: every batch reads its users once, and the clock moves then.
        const batches: number[] = [];
        const getMany = fixture.api.users.getMany.bind(fixture.api.users);
        jest.spyOn(fixture.api.users, 'getMany').mockImplementation((ids: string[]) => {
            batches.push(ids.length);
            fixture.clock.advance(100 * ids.length);
            return getMany(ids);
        });
        const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
        const run = () => JSON.parse(fixture.api.kv.get(KvKeys.waveRun(wave.id).key)!).value;
        const runs: number[] = [];
        while (['scheduled', 'running'].includes(run().state) && runs.length < 20) {
            runs.push(runWave(context, wave.id, fixture.engine).processed);
        }
        expect(run().state).toBe('completed');
        expect(runs.reduce((a, b) => a + b, 0)).toBe(200);

        // Without the floor the first run went 25, 45, 18, 7, 3, 1, …: batches too small to keep the host's 4 workers busy.
        expect(batches.slice(0, 3)).toEqual([25, 45, 18]);
        const last = batches.length - 1;
        batches.slice(0, last).forEach((size) => expect(size).toBeGreaterThanOrEqual(8));
        expect(runs.length).toBeGreaterThan(1);
    });

    test('tick while another run holds the wave lock → 503 busy; start still succeeds and leaves the run to the job', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await fixture.createWave();

        // Another run (the job, another node) holds the wave's lock for longer than a run waits.
        fixture.api.heldMutexes.add(waveMutex(wave.id));
        const start = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(start.status).toBe(200);
        expect(start.json.progress).toMatchObject({state: 'running', processed: 0});
        const tick = await fixture.client.post(WaveRoutes.tick(wave.id));
        expect(tick.status).toBe(503);
        expect(tick.json.error.id).toBe(ErrorIds.waveBusy);
        fixture.api.heldMutexes.delete(waveMutex(wave.id));
        expect((await fixture.client.post(WaveRoutes.tick(wave.id))).json).toMatchObject({state: 'completed', ran: 2});
    });

    test('the job leaves a wave that another run holds, without an error, and runs it once it is free', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await fixture.createWave();
        fixture.api.heldMutexes.add(waveMutex(wave.id));
        expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
        const log = memoryLogger();
        runDueWaves({api: fixture.api, kv: new KvStore(fixture.api.kv), log}, fixture.engine);
        expect(log.lines.filter((line) => line.level === 'error')).toEqual([]);
        expect(log.lines.map((line) => line.message)).toContain('Wave busy; the job leaves it to the run holding it');
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'running', processed: 0});
        fixture.api.heldMutexes.delete(waveMutex(wave.id));
        runDueWaves({api: fixture.api, kv: new KvStore(fixture.api.kv), log}, fixture.engine);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'completed', processed: 2});
    });

    test('team admin role is given', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await startNow(fixture, {targets: {teams: [{team_id: fixture.team.id, role: 'team_admin'}], channels: []}});
        runToEnd(fixture, wave.id);
        expect(fixture.api.directory.teamMember(fixture.team.id, fixture.users[1].id)?.roles).toBe('team_user team_admin');
    });
});

describe('state machine', () => {
    // [action, from-state set-up, expected status]
    const rows: Array<[string, string, number]> = [
        ['pause', 'draft', 409],
        ['resume', 'draft', 409],
        ['retry-failed', 'draft', 409],
        ['tick', 'draft', 409],
        ['cancel', 'draft', 200],
        ['resume', 'running', 409],
        ['pause', 'running', 200],
        ['cancel', 'running', 200],
        ['pause', 'paused', 409],
        ['resume', 'paused', 200],
        ['cancel', 'paused', 200],
        ['pause', 'completed', 409],
        ['resume', 'completed', 409],
        ['cancel', 'completed', 409],
        ['retry-failed', 'completed', 409],
        ['resume', 'cancelled', 409],
        ['pause', 'cancelled', 409],
    ];
    test.each(rows)('%s a %s wave → %d', async (action, from, status) => {
        const fixture = await waveFixture({users: 3, engine: {tickSeconds: 1}});
        const wave = await fixture.createWave({throttle: {users_per_second: 1}});
        if (from !== 'draft') {
            await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        }
        if (from === 'paused' || from === 'cancelled') {
            await fixture.client.post(`/api/v1/waves/${wave.id}/${from === 'paused' ? 'pause' : 'cancel'}`);
        }
        if (from === 'completed') {
            runToEnd(fixture, wave.id);
        }
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json.state).toBe(from);
        const response = await fixture.client.post(`/api/v1/waves/${wave.id}/${action}`);
        expect(response.status).toBe(status);
        if (status === 409) {
            expect(response.json.error.id).toBe(ErrorIds.waveBadTransition);
        }
    });

    test('edits are versioned (stale → 409) and only allowed on drafts', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave();
        const first = await fixture.client.patch(WaveRoutes.wave(wave.id), {expected_version: wave.version, changes: {name: 'Renamed'}});
        expect(first.status).toBe(200);
        expect(first.json).toMatchObject({version: wave.version + 1, definition: {name: 'Renamed'}});
        const stale = await fixture.client.patch(WaveRoutes.wave(wave.id), {expected_version: wave.version, changes: {name: 'Lost'}});
        expect(stale.status).toBe(409);
        expect(stale.json.error.id).toBe(ErrorIds.conflict);
        const staleStart = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(staleStart.status).toBe(409);
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version + 1});
        const running = await fixture.client.patch(WaveRoutes.wave(wave.id), {expected_version: wave.version + 1, changes: {name: 'Late'}});
        expect(running.status).toBe(409);
        expect(running.json.error.id).toBe(ErrorIds.waveBadTransition);
        expect((await fixture.client.delete(WaveRoutes.wave(wave.id), {expected_version: wave.version + 1})).status).toBe(200);
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).status).toBe(404);
        expect((await fixture.client.get(WaveRoutes.waves)).json).toEqual([]);
    });

    test('a scheduled wave starts when its time comes; paused waves do not move; resume continues', async () => {
        const fixture = await waveFixture({users: 6, engine: {tickSeconds: 1}});
        const wave = await fixture.createWave({throttle: {users_per_second: 2}});
        const start = await fixture.client.post(WaveRoutes.start(wave.id), {
            expected_version: wave.version,
            start_at: fixture.clock.now() + 60_000,
        });
        expect(start.json.state).toBe('scheduled');
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        expect(fixture.api.createdPosts).toHaveLength(0);
        fixture.clock.advance(60_000);
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'running', processed: 2});
        await fixture.client.post(WaveRoutes.pause(wave.id));
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'paused', processed: 2});
        const resumed = await fixture.client.post(WaveRoutes.resume(wave.id));
        expect(resumed.json).toMatchObject({state: 'running', processed: 4});
        await fixture.client.post(WaveRoutes.cancel(wave.id));
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'cancelled', processed: 4});
        expect(fixture.api.createdPosts).toHaveLength(4);
    });

    test('every change is audited', async () => {
        const fixture = await waveFixture({users: 1});
        await startNow(fixture);
        const audit = (await fixture.client.get('/api/v1/audit')).json;
        const actions = (audit.entries ?? audit).map((entry: {action: string}) => entry.action);
        expect(actions).toEqual(expect.arrayContaining(['waves.wave.create', 'waves.wave.start']));
    });
});

describe('retry of failed users', () => {
    test('only the failed users run again; the others are not touched and get no second DM', async () => {
        const fixture = await waveFixture({users: 4});
        const {api} = fixture;

        // Channel adds fail for user2 (e.g. a group-synced channel refusing them).
        const addMember = api.channels.addMember;
        let refuse = true;
        api.channels.addMember = (channelId, userId, asUserId) => {
            if (refuse && userId === fixture.users[2].id) {
                throw Object.assign(new Error('user is not in the synced group'), {
                    name: 'HostError',
                    status_code: 403,
                    id: 'api.channel.add_members.user_denied',
                });
            }
            return addMember(channelId, userId, asUserId);
        };
        const wave = await startNow(fixture);
        runToEnd(fixture, wave.id);
        let progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'completed_with_failures', counts: {added: 3, failed: 1, welcomed: 3}});
        const failed = (await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['failed']})).json.results;
        expect(failed).toHaveLength(1);
        expect(failed[0].reason).toContain('api.channel.add_members.user_denied');
        expect(failed[0].welcome).toBe('not_sent');

        refuse = false;
        const before = api.createdPosts.length;
        const retried = await fixture.client.post(WaveRoutes.retryFailed(wave.id));
        expect(retried.status).toBe(200);
        progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'completed', processed: 4, counts: {added: 4, failed: 0, welcomed: 4}});
        expect(api.createdPosts.length - before).toBe(1);
        const result = (await fixture.client.get(WaveRoutes.results(wave.id))).json.results[2];
        expect(result).toMatchObject({outcome: 'added', attempts: 2, welcome: 'sent'});
        expectEveryoneOnboardedOnce(fixture);
    });
});

describe.each([[undefined], [1]])('retry of failed users, crashing anywhere in the retry run (shard size %s)', (shardSize) => {
    async function failedWave() {
        const fixture = await waveFixture({users: 4, engine: {shardSize}});
        const {api} = fixture;
        const addMember = api.channels.addMember;
        const state = {refuse: true};
        api.channels.addMember = (channelId, userId, asUserId) => {
            if (state.refuse && (userId === fixture.users[1].id || userId === fixture.users[2].id) && channelId === fixture.help.id) {
                throw new HostError(403, 'api.channel.add_members.user_denied', 'denied');
            }
            return addMember(channelId, userId, asUserId);
        };
        const wave = await startNow(fixture);
        runToEnd(fixture, wave.id);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({
            state: 'completed_with_failures',
            counts: {added: 2, failed: 2},
        });
        state.refuse = false;

        // Queue the retry without running it: the route finds the lock taken and leaves the run to the job.
        api.heldMutexes.add(waveMutex(wave.id));
        expect((await fixture.client.post(WaveRoutes.retryFailed(wave.id))).json).toMatchObject({state: 'running', retrying: 2});
        api.heldMutexes.delete(waveMutex(wave.id));
        return {fixture, waveId: wave.id};
    }

    test.each([['before' as const], ['after' as const]])('crash %s each side effect', async (when) => {
        for (let crashAt = 1; ; crashAt++) {
            const {fixture, waveId} = await failedWave();
            const crashing = crashingApi(fixture.api, crashAt, when);
            try {
                runWave({api: crashing.api, kv: new KvStore(crashing.api.kv), log: memoryLogger()}, waveId, fixture.engine);
            } catch (error) {
                if (!(error instanceof Crash)) {
                    throw error;
                }
            }
            fixture.api.heldMutexes.clear();
            runToEnd(fixture, waveId);
            const progress = (await fixture.client.get(WaveRoutes.progress(waveId))).json;
            expect({crashAt, progress}).toMatchObject({
                crashAt,
                progress: {state: 'completed', processed: 4, retrying: 0, counts: {failed: 0, skipped: 0, welcomed: 4}},
            });

            // As in the main run: users of the batch in flight at the crash may show as already members.
            expect(progress.counts.added + progress.counts.already_member).toBe(4);
            expect(progress.counts.already_member).toBeLessThanOrEqual(fixture.engine.batchSize);
            expectEveryoneOnboardedOnce(fixture);
            if (!crashing.crashed()) {
                expect(crashAt).toBeGreaterThan(10);
                return;
            }
        }
    });
});

describe('rolling waves', () => {
    test('a new account in the email domain and a new member of the cohort team are onboarded after completion', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await startNow(fixture, {rolling: true, cohort: {team_ids: [fixture.source.id], email_domains: ['new.example']}});
        runToEnd(fixture, wave.id);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json.state).toBe('completed');

        const newcomer = fixture.api.addUser({username: 'newcomer', email: 'newcomer@new.example'});
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(newcomer));
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(newcomer)); // delivered twice: queued once
        const joiner = fixture.api.addUser({username: 'joiner', email: 'joiner@elsewhere.example'});
        fixture.api.addTeamMember(fixture.source.id, joiner.id);
        const member = fixture.api.directory.teamMember(fixture.source.id, joiner.id);
        await fixture.app.dispatch('userHasJoinedTeam', JSON.stringify({team_member: member, actor: null}));

        // Someone outside the cohort is ignored.
        const stranger = fixture.api.addUser({username: 'stranger', email: 'stranger@elsewhere.example'});
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(stranger));

        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'running', pending: 2});
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}));
        const progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'completed', total: 4, processed: 4, pending: 0, counts: {added: 4, welcomed: 4}});
        const dms = fixture.dmsByUser();
        expect(dms.get(newcomer.id)).toBe(1);
        expect(dms.get(joiner.id)).toBe(1);
        expect(dms.has(stranger.id)).toBe(false);
    });

    test('the hooks read nothing for the accounts and joins a wave made; its batch queues them into the other waves', async () => {
        const fixture = await waveFixture({users: 3});

        // B takes whoever joins A's target team later; the team has no members when B starts.
        const rolling = await startNow(fixture, {name: 'Wave B', rolling: true, cohort: {team_ids: [fixture.team.id]}});
        runToEnd(fixture, rolling.id);
        expect((await fixture.client.get(WaveRoutes.progress(rolling.id))).json).toMatchObject({state: 'completed', total: 0});

        const reads = jest.spyOn(fixture.api.kv, 'get');
        const bot = fixture.api.directory.users.get(fixture.botId)!;
        const member = {team_id: fixture.team.id, user_id: fixture.users[0].id};
        await fixture.app.dispatch('userHasJoinedTeam', JSON.stringify({team_member: member, actor: bot}));
        const made = fixture.api.addUser({username: 'made', email: 'made@corp.example'});
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify({...made, props: {cockpit_wave: 'any'}}));
        expect(reads).not.toHaveBeenCalled();

        // A person adding someone (the actor is not the bot) is still seen.
        await fixture.app.dispatch('userHasJoinedTeam', JSON.stringify({team_member: member, actor: fixture.admin}));
        expect(reads).toHaveBeenCalled();
        reads.mockRestore();
        expect((await fixture.client.get(WaveRoutes.progress(rolling.id))).json).toMatchObject({pending: 1});

        const wave = await startNow(fixture, {name: 'Wave A'});
        runToEnd(fixture, wave.id);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'completed', counts: {added: 3}});

        // A's batch queued its three joins into B, the one a person made already there: each once.
        expect((await fixture.client.get(WaveRoutes.progress(rolling.id))).json).toMatchObject({state: 'running', pending: 3});
        runToEnd(fixture, rolling.id);
        expect((await fixture.client.get(WaveRoutes.progress(rolling.id))).json).toMatchObject({
            state: 'completed',
            total: 3,
            counts: {already_member: 3, welcomed: 3},
        });
        const dms = fixture.dmsByUser();
        fixture.users.forEach((user) => expect(dms.get(user.id)).toBe(2));
    });

    test('a non-rolling wave ignores arrivals', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await startNow(fixture, {cohort: {email_domains: ['new.example']}});
        const newcomer = fixture.api.addUser({username: 'newcomer', email: 'newcomer@new.example'});
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(newcomer));
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json.pending).toBe(0);
    });
});

// One work shard (the default size), then a shard per batch: a crash can land in any shard's batch or checkpoint.
describe.each([[undefined], [2]])('crash anywhere, resume: every user exactly once, one DM each (shard size %s)', (shardSize) => {
    const users = 5;

    async function scheduledWave() {
        const fixture = await waveFixture({users, engine: {batchSize: 2, shardSize}});
        const wave = await fixture.createWave();
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version, start_at: fixture.clock.now() + 1000});
        fixture.clock.advance(1000);
        return {fixture, waveId: wave.id};
    }

    function crashRun(fixture: WaveFixture, waveId: string, crashAt: number, when: 'before' | 'after') {
        const crashing = crashingApi(fixture.api, crashAt, when);
        const context = {api: crashing.api, kv: new KvStore(crashing.api.kv), log: memoryLogger()};
        try {
            runWave(context, waveId, fixture.engine);
        } catch (error) {
            if (!(error instanceof Crash)) {
                throw error;
            }
        }

        // The process died: the cluster mutex is released with it.
        fixture.api.heldMutexes.clear();
        return crashing;
    }

    let cleanSteps = 0;
    beforeAll(async () => {
        const {fixture, waveId} = await scheduledWave();
        const crashing = crashRun(fixture, waveId, Number.MAX_SAFE_INTEGER, 'before');
        expect(crashing.crashed()).toBe(false);
        cleanSteps = crashing.steps();
        expect(cleanSteps).toBeGreaterThan(40);
    });

    test.each([['before' as const], ['after' as const]])('crash %s each side effect of the run', async (when) => {
        for (let crashAt = 1; crashAt <= cleanSteps; crashAt++) {
            const {fixture, waveId} = await scheduledWave();
            const crashing = crashRun(fixture, waveId, crashAt, when);
            expect(crashing.crashed()).toBe(true);
            runToEnd(fixture, waveId);

            const progress = (await fixture.client.get(WaveRoutes.progress(waveId))).json;
            expect({crashAt, progress}).toMatchObject({
                crashAt,
                progress: {state: 'completed', total: users, processed: users, counts: {failed: 0, skipped: 0, welcomed: users}},
            });

            // Users of the batch in flight when the process died may be reported as already members (the
            // crashed attempt added them but died before writing the batch's results); never more than one batch.
            expect(progress.counts.added + progress.counts.already_member).toBe(users);
            expect(progress.counts.already_member).toBeLessThanOrEqual(fixture.engine.batchSize);
            expectEveryoneOnboardedOnce(fixture);
            const results = (await fixture.client.get(WaveRoutes.results(waveId))).json.results;
            expect(results.map((result: {user_id: string}) => result.user_id)).toEqual(fixture.users.map((user) => user.id));
            expect(results.map((result: {welcome: string}) => result.welcome)).toEqual(
                fixture.users.map(() => expect.stringMatching(/^(sent|already_sent)$/)),
            );

            // Nothing is left announced as in flight, in the run record or any shard.
            expect(JSON.parse(fixture.api.kv.get(KvKeys.waveRun(waveId).key)!).value.welcoming ?? []).toEqual([]);
            const shardKeys = fixture.api.kv.listKeys(0, 10_000).filter((key) => key.startsWith(`wave:${waveId}:shard:`));
            expect(shardKeys.length).toBeGreaterThan(0);
            const welcoming = shardKeys.map((key) => JSON.parse(fixture.api.kv.get(key)!).value.welcoming);
            expect(welcoming).toEqual(shardKeys.map(() => []));
        }
    });
});

describe('access', () => {
    const routes: Array<[string, (id: string) => string, unknown]> = [
        ['GET', () => WaveRoutes.waves, undefined],
        ['POST', () => WaveRoutes.waves, {name: 'x', cohort: {}, targets: {}}],
        ['GET', WaveRoutes.wave, undefined],
        ['PATCH', WaveRoutes.wave, {expected_version: 1, changes: {name: 'y'}}],
        ['DELETE', WaveRoutes.wave, {expected_version: 1}],
        ['POST', WaveRoutes.csv, {expected_version: 1, rows: [{line: 1, value: 'x'}]}],
        ['POST', WaveRoutes.dryRun, {}],
        ['POST', WaveRoutes.start, {expected_version: 1}],
        ['POST', WaveRoutes.pause, {}],
        ['POST', WaveRoutes.resume, {}],
        ['POST', WaveRoutes.cancel, {}],
        ['POST', WaveRoutes.retryFailed, {}],
        ['POST', WaveRoutes.tick, {}],
        ['GET', WaveRoutes.progress, undefined],
        ['GET', WaveRoutes.results, undefined],
    ];
    test.each(routes)('%s %p: 403 for a member and a team admin, 401 anonymous; nothing changes', async (method, path, body) => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave();
        const member = fixture.api.addUser({username: 'member'});
        const teamAdmin = fixture.api.addUser({username: 'lead'});
        fixture.api.addTeamMember(fixture.team.id, teamAdmin.id, 'team_user team_admin');
        const before = JSON.stringify(fixture.api.kv.listKeys(0, 100000).map((key) => [key, fixture.api.kv.get(key)]));
        for (const [userId, status] of [[member.id, 403], [teamAdmin.id, 403], ['', 401]] as const) {
            const response = await fixture.request(method, path(wave.id), {userId, body});
            expect(response.status).toBe(status);
        }
        expect(JSON.stringify(fixture.api.kv.listKeys(0, 100000).map((key) => [key, fixture.api.kv.get(key)]))).toBe(before);
    });
});
