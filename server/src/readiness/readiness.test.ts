import {PlanRoutes} from 'contract/routes';

import {CHECKS, runChecks} from './checks';
import {READINESS_INTERVAL_SECONDS, READINESS_JOB_ID} from './readiness';
import {gatherReadinessInput} from './service';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {fixtureSecrets, sanitizedLikeServer, unsanitizedConfig} from '../testing/configFixture';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');
    harness.api.serverConfig = unsanitizedConfig();
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    const cached = () => new KvStore(harness.api.kv).get(KvKeys.readinessReport);
    const status = (report: {results: Array<{id: string; status: string}>}, id: string) =>
        report.results.find((result) => result.id === id)?.status;
    return {...harness, admin, as, cached, status};
}

afterEach(() => jest.restoreAllMocks());

describe(`GET ${PlanRoutes.readiness}`, () => {
    test('without a cached report: computes one, returns it, and writes nothing', async () => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const response = await as('GET', PlanRoutes.readiness);
        expect(response.status).toBe(200);
        expect(response.json.results.map((result: {id: string}) => result.id)).toEqual(CHECKS.map((check) => check.id));
        expect(response.json.score).toEqual(expect.any(Number));
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('with a cached report: returns it as cached, even after the config changed', async () => {
        const {as, api} = setup();
        jest.spyOn(Date, 'now').mockReturnValue(1_000);
        const run = await as('POST', PlanRoutes.readinessRun);
        api.serverConfig.ServiceSettings.SiteURL = '';
        jest.spyOn(Date, 'now').mockReturnValue(2_000);
        const response = await as('GET', PlanRoutes.readiness);
        expect(response.json).toEqual(run.json);
        expect(response.json.checked_at).toBe(1_000);
    });

    test('answers carry check results only, never config values that are secrets', async () => {
        const {as} = setup();
        for (const response of [await as('GET', PlanRoutes.readiness), await as('POST', PlanRoutes.readinessRun)]) {
            expect(fixtureSecrets().filter((secret) => response.body?.includes(secret))).toEqual([]);
        }
    });
});

describe(`POST ${PlanRoutes.readinessRun}`, () => {
    test('computes from the unsanitized config, caches the report, and leaves an audit entry', async () => {
        const {as, api, cached, status, admin} = setup();

        // If the run read the sanitized config it would see no Site URL.
        api.config.get = () => ({...unsanitizedConfig(), ServiceSettings: {SiteURL: ''}});
        expect(cached()).toBeUndefined();
        const response = await as('POST', PlanRoutes.readinessRun);
        expect(response.status).toBe(200);
        expect(status(response.json, 'site.url')).toBe('ok');
        expect(cached()).toEqual(response.json);
        const audit = new KvStore(api.kv).readVersioned(KvKeys.auditEntry(1)).value;
        expect(audit).toMatchObject({action: 'readiness.run', user_id: admin.id, before: null, after: {score: response.json.score}});
    });

    test('a body with fields → 400', async () => {
        const {as} = setup();
        expect((await as('POST', PlanRoutes.readinessRun, {force: true})).status).toBe(400);
    });

    test('uses the host statistics: many users without a read replica is a warning, few is info', async () => {
        const {as, api, status} = setup();
        api.serverConfig.SqlSettings.DataSourceReplicas = [];
        api.system.stats = () => ({total_users: 5000, total_posts: 10});
        expect(status((await as('POST', PlanRoutes.readinessRun)).json, 'db.read-replicas')).toBe('warning');
        api.system.stats = () => ({total_users: 50, total_posts: 10});
        expect(status((await as('POST', PlanRoutes.readinessRun)).json, 'db.read-replicas')).toBe('info');
    });
});

describe('the readiness job', () => {
    test('is scheduled on activation, every 15 minutes', async () => {
        const {app, api} = setup();
        await app.dispatch('onActivate', 'null');
        expect(api.scheduledJobs.get(READINESS_JOB_ID)).toBe(READINESS_INTERVAL_SECONDS);
        expect(READINESS_INTERVAL_SECONDS).toBe(900);
    });

    test('refreshes the cached report', async () => {
        const {app, api, cached, status} = setup();
        api.serverConfig.ServiceSettings.SiteURL = 'http://chat.bank.example';
        await app.dispatch('runJob', JSON.stringify({jobId: READINESS_JOB_ID}));
        expect(status(cached()!, 'site.https')).toBe('error');
        api.serverConfig.ServiceSettings.SiteURL = 'https://chat.bank.example';
        await app.dispatch('runJob', JSON.stringify({jobId: READINESS_JOB_ID}));
        expect(status(cached()!, 'site.https')).toBe('ok');
    });
});

describe('readiness input', () => {
    test('the in-memory host counts active people (not bots, not deactivated) and created posts', () => {
        const {api} = setup();
        api.addUser({username: 'ann'});
        api.addUser({username: 'gone', delete_at: 5});
        api.addUser({username: 'robot', is_bot: true});
        const team = api.addTeam('t');
        const channel = api.addChannel(team.id, 'town-square');
        api.posts.create({channel_id: channel.id, message: 'hi'});
        api.posts.create({channel_id: channel.id, message: 'again'});

        // admin (from setup) + ann
        expect(api.system.stats()).toEqual({total_users: 2, total_posts: 2});
    });

    test('the checks give the same results on the sanitized config as on the unsanitized one (so GET may use config.get)', () => {
        const {api} = setup();
        const sources = (config: Record<string, any>) => ({config: () => config, system: api.system, probes: () => []});
        const unsanitized = runChecks(gatherReadinessInput(sources(unsanitizedConfig()), 1));
        const sanitized = runChecks(gatherReadinessInput(sources(sanitizedLikeServer(unsanitizedConfig())), 1));
        expect(sanitized).toEqual(unsanitized);
    });
});

describe(`POST ${PlanRoutes.readinessProbesRun}`, () => {
    const answer = (status: number, body: unknown) => ({status, body: JSON.stringify(body), error: '', timed_out: false, duration_ms: 5});

    test('runs every probe as the calling admin, caches each with its time and who ran it, and the checks rest on them', async () => {
        const {as, api, admin, status} = setup();
        api.serverConfig.EmailSettings = {...api.serverConfig.EmailSettings, SMTPServer: 'smtp.bank.example', SMTPPort: '25'};
        api.probeAnswers.set('POST /api/v4/email/test', answer(500, {
            id: 'app.admin.test_email.failure',
            message: 'Connection unsuccessful',
        }));
        api.probeAnswers.set('GET /api/v4/cluster/status', answer(200, []));
        jest.spyOn(Date, 'now').mockReturnValue(7_000);

        const response = await as('POST', PlanRoutes.readinessProbesRun, {});
        expect(response.status).toBe(200);
        expect(api.probeCalls).toEqual(
            expect.arrayContaining(['POST /api/v4/email/test', 'GET /api/v4/cluster/status', 'GET /api/v4/latest_version']),
        );
        const smtp = response.json.probes.find((p: {id: string}) => p.id === 'smtp');
        expect(smtp).toMatchObject({state: 'failed', probed_at: 7_000, probed_by: {user_id: admin.id, username: 'admin'}});
        expect(status(response.json, 'email.smtp')).toBe('error');
        expect(new KvStore(api.kv).get(KvKeys.readinessProbe('smtp'))).toEqual(smtp);
        const audit = new KvStore(api.kv).readVersioned(KvKeys.auditEntry(1)).value;
        expect(audit).toMatchObject({action: 'readiness.probes.run', user_id: admin.id});
    });

    test('only the listed probes; an unknown probe id → 400 and nothing runs', async () => {
        const {as, api} = setup();
        const only = await as('POST', PlanRoutes.readinessProbesRun, {probes: ['cluster']});
        expect(only.json.probes.map((p: {id: string}) => p.id)).toEqual(['cluster']);
        expect(api.probeCalls).toEqual(['GET /api/v4/cluster/status']);
        expect((await as('POST', PlanRoutes.readinessProbesRun, {probes: ['dns']})).status).toBe(400);
        expect(api.probeCalls).toHaveLength(1);
    });

    test('a system admin only: a member gets 403 and no probe runs', async () => {
        const {api, request} = setup();
        const member = api.addUser({username: 'member'});
        expect((await request('POST', PlanRoutes.readinessProbesRun, {userId: member.id, body: {}})).status).toBe(403);
        expect(api.probeCalls).toEqual([]);
    });

    test('the job has no admin: it runs the plugin-API and push probes, and keeps the admin-run answers with who ran them', async () => {
        const {as, app, api, cached} = setup();
        api.serverConfig.EmailSettings = {SendPushNotifications: true, PushNotificationServer: 'https://push.bank.example'};
        api.probeAnswers.set('GET /api/v4/cluster/status', answer(200, []));
        jest.spyOn(Date, 'now').mockReturnValue(1_000);
        await as('POST', PlanRoutes.readinessProbesRun, {});
        const calls = api.probeCalls.length;
        api.pluginStateList = [{id: 'broken', name: 'Broken', version: '1.0.0', state: 3}];
        jest.spyOn(Date, 'now').mockReturnValue(9_000);
        await app.dispatch('runJob', JSON.stringify({jobId: READINESS_JOB_ID}));
        expect(api.probeCalls).toHaveLength(calls);
        expect(api.pushProxyCalls).toEqual(['/version', '/', '/version', '/']);
        const probes = cached()!.probes;
        expect(probes.find((p) => p.id === 'push')).toMatchObject({state: 'failed', probed_at: 9_000, probed_by: null});
        expect(probes.find((p) => p.id === 'plugins')).toMatchObject({state: 'failed', probed_at: 9_000, probed_by: null});
        expect(probes.find((p) => p.id === 'cluster')).toMatchObject({probed_at: 1_000, probed_by: {username: 'admin'}});
    });
});
