import type {ProbeState} from 'contract/probes';

import {clusterProbe} from './cluster';
import {elasticsearchProbe} from './elasticsearch';
import {filestoreProbe} from './filestore';
import {jobsProbe} from './jobs';
import {ldapProbe} from './ldap';
import {licenseProbe} from './license';
import {pluginsProbe} from './plugins';
import type {ProbeDefinition, ProbeInput, RecordedAnswer} from './probe';
import {PUSH_PROXY_PAGE_MARK, pushProbe} from './push';
import {runProbe} from './runner';
import {smtpProbe} from './smtp';
import {versionProbe} from './version';

import {runChecks} from '../checks';

// Every probe's interpreter over recorded answers. The answers have the shapes of the real server's
// (model.AppError JSON from api4's handlers; e2e/cockpit/readiness_probes_test.go gets the same
// from a real server): success, the server's failure, no answer in time, the admin refused (403),
// and the feature not licensed or not built in (501).

const NOW = Date.UTC(2026, 11, 5);
const DAY = 24 * 60 * 60 * 1000;

function input(config: Record<string, any> = {}, overrides: Partial<ProbeInput> = {}): ProbeInput {
    return {config, license: null, serverVersion: '11.2.1', activeUsers: 40, pluginStates: [], now: NOW, ...overrides};
}

function appError(status: number, id: string, message: string, detail = '') {
    return {
        status,
        body: JSON.stringify({id, message, detailed_error: detail, request_id: 'r1', status_code: status}),
        error: '',
        timed_out: false,
        duration_ms: 12,
    };
}

const ok = (body: unknown = {status: 'OK'}) => ({status: 200, body: JSON.stringify(body), error: '', timed_out: false, duration_ms: 8});
const timeout = {status: 0, body: '', error: 'Post "http://127.0.0.1:8065/api/v4/ldap/test": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', timed_out: true, duration_ms: 15000};
const forbidden = appError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');

/** The answers, matched to the probe's requests in order. */
function interpret(probe: ProbeDefinition, probeInput: ProbeInput, ...responses: Array<Omit<RecordedAnswer, 'request'>>) {
    const requests = probe.requests(probeInput);
    expect(responses).toHaveLength(requests.length);
    return probe.interpret(probeInput, requests.map((request, i) => ({request, ...responses[i]})));
}

const stateOf = (probe: ProbeDefinition, probeInput: ProbeInput, ...responses: Array<Omit<RecordedAnswer, 'request'>>): ProbeState =>
    interpret(probe, probeInput, ...responses).state;

const job = (status: string, daysAgo: number, data: Record<string, unknown> = {}) =>
    ({
        id: `j${daysAgo}`,
        type: 't',
        status,
        create_at: NOW - (daysAgo * DAY),
        start_at: NOW - (daysAgo * DAY),
        last_activity_at: NOW - (daysAgo * DAY),
        data,
    });

describe('AD/LDAP probe', () => {
    const on = input({LdapSettings: {Enable: true, EnableSync: true, LdapServer: 'ldap.bank.example', LdapPort: 636}});

    test('off: no call, not configured', () => {
        expect(ldapProbe.requests(input({LdapSettings: {Enable: false}}))).toEqual([]);
        expect(stateOf(ldapProbe, input({LdapSettings: {Enable: false}}))).toBe('not_configured');
    });

    test('success: the test binds and the last sync succeeded, with its time, data and linked groups as facts', () => {
        const verdict = interpret(ldapProbe, on, ok(), ok([job('success', 1, {total_users: 120})]), ok({count: 3, groups: []}));
        expect(verdict.state).toBe('passed');
        expect(verdict.checks).toEqual(['ldap.enabled', 'ldap.sync']);
        expect(verdict.facts).toEqual(expect.arrayContaining([
            {name: 'linked groups', value: '3'},
            {name: 'last sync status', value: 'success'},
            {name: 'last sync total_users', value: '120'},
        ]));
    });

    test('failure: the server cannot reach the directory', () => {
        const refused = appError(
            500, 'ent.ldap.do_login.unable_to_connect.app_error', 'Unable to connect to AD/LDAP server.',
            'dial tcp 127.0.0.1:1: connect: connection refused',
        );
        const verdict = interpret(ldapProbe, on, refused, ok([]), ok({count: 0}));
        expect(verdict.state).toBe('failed');
        expect(verdict.checks).toEqual(['ldap.enabled', 'ldap.sync']);
        expect(verdict.facts).toEqual(expect.arrayContaining([{
            name: 'detail',
            value: 'dial tcp 127.0.0.1:1: connect: connection refused',
        }]));
    });

    test('the last sync job failed: failed even though the directory answers', () => {
        expect(stateOf(ldapProbe, on, ok(), ok([job('error', 1, {error: 'boom'})]), ok({count: 0}))).toBe('failed');
    });

    test('no sync ran yet: warning', () => {
        expect(stateOf(ldapProbe, on, ok(), ok([]), ok({count: 0}))).toBe('warning');
    });

    test('timeout, forbidden, not licensed, and a server without the AD/LDAP component', () => {
        expect(stateOf(ldapProbe, on, timeout, ok([]), ok({count: 0}))).toBe('timeout');
        expect(stateOf(ldapProbe, on, forbidden, forbidden, forbidden)).toBe('forbidden');
        const unlicensed = appError(501, 'api.ldap_groups.license_error', 'Your license does not support LDAP groups.');
        expect(stateOf(ldapProbe, on, unlicensed, ok([]), unlicensed)).toBe('not_licensed');
        const noComponent = appError(501, 'ent.ldap.disabled.app_error', 'AD/LDAP disabled or licence does not support AD/LDAP.');
        expect(stateOf(ldapProbe, on, noComponent, ok([]), ok({count: 0}))).toBe('unavailable');
    });
});

describe('SMTP probe', () => {
    const on = input({EmailSettings: {SMTPServer: 'smtp.bank.example', SMTPPort: '587', ConnectionSecurity: 'STARTTLS'}});

    test('not configured without a server', () => {
        expect(stateOf(smtpProbe, input({EmailSettings: {SMTPServer: ''}}))).toBe('not_configured');
    });

    test('success, failure, timeout, forbidden', () => {
        expect(interpret(smtpProbe, on, ok())).toMatchObject({state: 'passed', checks: ['email.smtp']});

        // Recorded from the real server (readiness_probes_test.go, SMTP at a closed port).
        const refused = 'Connection unsuccessful: unable to connect to the SMTP server: ' +
            'dial tcp 127.0.0.1:35695: connect: connection refused';
        const failure = interpret(smtpProbe, on, appError(500, 'app.admin.test_email.failure', refused));
        expect(failure).toMatchObject({state: 'failed', checks: ['email.smtp']});
        expect(failure.facts).toEqual(expect.arrayContaining([{name: 'SMTP server', value: 'smtp.bank.example:587'}, {
            name: 'error id',
            value: 'app.admin.test_email.failure',
        }]));
        expect(stateOf(smtpProbe, on, timeout)).toBe('timeout');
        expect(stateOf(smtpProbe, on, forbidden)).toBe('forbidden');
        expect(stateOf(smtpProbe, on, appError(501, 'api.license_error', 'not licensed'))).toBe('not_licensed');
    });
});

describe('file storage probe', () => {
    const s3 = input({FileSettings: {DriverName: 'amazons3', AmazonS3Bucket: 'files'}});
    const local = input({FileSettings: {DriverName: 'local', Directory: './data/'}});

    test('S3: the server\'s S3 test', () => {
        expect(s3.config.FileSettings.DriverName).toBe('amazons3');
        expect(filestoreProbe.requests(s3)).toEqual([{method: 'POST', path: '/api/v4/file/s3_test'}]);
        expect(stateOf(filestoreProbe, s3, ok())).toBe('passed');
        const noBucket = appError(500, 'api.file.test_connection_s3_bucket_does_not_exist.app_error', 'Ensure your bucket is available');
        expect(stateOf(filestoreProbe, s3, noBucket)).toBe('failed');
        expect(stateOf(filestoreProbe, s3, timeout)).toBe('timeout');
        expect(stateOf(filestoreProbe, s3, forbidden)).toBe('forbidden');
        expect(stateOf(filestoreProbe, s3, appError(501, 'api.license_error', 'x'))).toBe('not_licensed');
    });

    test('local disk: the ping health check (an unhealthy store answers 500 with the same body)', () => {
        expect(filestoreProbe.requests(local)[0].path).toBe('/api/v4/system/ping?get_server_status=true');
        const healthy = interpret(filestoreProbe, local, ok({status: 'OK', database_status: 'OK', filestore_status: 'OK'}));
        expect(healthy.state).toBe('passed');
        expect(healthy.facts).toEqual(expect.arrayContaining([{name: 'free space', value: 'not reported by the server API'}]));
        expect(stateOf(filestoreProbe, local, {...ok({status: 'UNHEALTHY', filestore_status: 'UNHEALTHY'}), status: 500})).toBe('failed');
        expect(stateOf(filestoreProbe, local, timeout)).toBe('timeout');
        expect(stateOf(filestoreProbe, local, forbidden)).toBe('forbidden');
    });
});

describe('Elasticsearch probe', () => {
    const on = input({ElasticsearchSettings: {EnableIndexing: true, ConnectionURL: 'https://search.bank.example:9200'}});

    test('off, success, failure, failed indexing, timeout, forbidden, not licensed', () => {
        expect(stateOf(elasticsearchProbe, input())).toBe('not_configured');
        expect(stateOf(elasticsearchProbe, on, ok(), ok([job('success', 0)]))).toBe('passed');
        const unreachable = appError(500, 'ent.elasticsearch.test_config.connect_failed', 'Connecting to Elasticsearch server failed.');
        expect(stateOf(elasticsearchProbe, on, unreachable, ok([]))).toBe('failed');
        expect(stateOf(elasticsearchProbe, on, ok(), ok([job('error', 0)]))).toBe('failed');
        expect(stateOf(elasticsearchProbe, on, timeout, ok([]))).toBe('timeout');
        expect(stateOf(elasticsearchProbe, on, forbidden, forbidden)).toBe('forbidden');
        const unlicensed = appError(501, 'ent.elasticsearch.test_config.license.error', 'Elasticsearch is not licensed.');
        expect(stateOf(elasticsearchProbe, on, unlicensed, ok([]))).toBe('not_licensed');
    });
});

describe('cluster probe', () => {
    const node = (id: string, version = '11.2.1', hash = 'h1') => ({
        id,
        version,
        schema_version: '1',
        config_hash: hash,
        ipaddress: '10.0.0.1',
        hostname: id,
    });
    const on = input({ClusterSettings: {Enable: true}});

    test('a single server with clustering off answers an empty list: not configured', () => {
        expect(interpret(clusterProbe, input(), ok([]))).toMatchObject({state: 'not_configured', checks: []});
    });

    test('clustering on: equal nodes pass; unequal versions or configs, one node, or none fail or warn', () => {
        expect(interpret(clusterProbe, on, ok([node('a'), node('b')]))).toMatchObject({state: 'passed', checks: ['ha.cluster']});
        expect(stateOf(clusterProbe, on, ok([node('a'), node('b', '11.1.0')]))).toBe('failed');
        expect(stateOf(clusterProbe, on, ok([node('a'), node('b', '11.2.1', 'h2')]))).toBe('failed');
        expect(stateOf(clusterProbe, on, ok([node('a')]))).toBe('warning');
        expect(stateOf(clusterProbe, on, ok([]))).toBe('failed');
        expect(stateOf(clusterProbe, on, timeout)).toBe('timeout');
        expect(stateOf(clusterProbe, on, forbidden)).toBe('forbidden');
        expect(stateOf(clusterProbe, on, appError(500, 'api.marshal_error', 'x'))).toBe('failed');
    });
});

describe('jobs probe', () => {
    test('failed jobs of the last 7 days by type fail their checks; older failures do not count', () => {
        const verdict = interpret(jobsProbe, input(),
            ok([job('error', 2, {error: 'disk full'}), job('success', 1)]),
            ok([job('error', 9)]),
            ok([]),
            ok([job('success', 0)]),
        );
        expect(verdict.state).toBe('failed');
        expect(verdict.checks).toEqual(['compliance.data-retention']);
        expect(verdict.facts).toEqual(expect.arrayContaining([
            {name: 'data retention', value: '1 failed'},
            {name: 'data retention last error', value: 'disk full'},
            {name: 'message export', value: '0 failed'},
        ]));
        expect(stateOf(jobsProbe, input(), ok([]), ok([]), ok([]), ok([]))).toBe('passed');
    });

    test('timeout and forbidden when no type could be read', () => {
        expect(stateOf(jobsProbe, input(), timeout, timeout, timeout, timeout)).toBe('timeout');
        expect(stateOf(jobsProbe, input(), forbidden, forbidden, forbidden, forbidden)).toBe('forbidden');
    });
});

describe('plugin-API probes (run by the scheduled job too)', () => {
    test('plugins: a plugin that failed to start or to keep running fails the probe', () => {
        expect(stateOf(pluginsProbe, input({}, {pluginStates: [{id: 'a', name: 'A', version: '1', state: 2}]}))).toBe('passed');
        const failed = interpret(pluginsProbe, input({}, {pluginStates: [{id: 'b', name: 'B', version: '2', state: 4}]}));
        expect(failed.state).toBe('failed');
        expect(failed.facts).toContainEqual({name: 'failed: B', value: 'b 2, state 4'});
    });

    test('licence: days to expiry and licensed users against active users', () => {
        const license = (days: number, users: number) => ({
            id: 'l',
            issued_at: 0,
            starts_at: 0,
            expires_at: NOW + (days * DAY),
            sku_name: 'E',
            sku_short_name: 'enterprise',
            is_trial: false,
            features: {users},
        });
        expect(stateOf(licenseProbe, input())).toBe('not_licensed');
        expect(stateOf(licenseProbe, input({}, {license: license(200, 100)}))).toBe('passed');
        expect(stateOf(licenseProbe, input({}, {license: license(10, 100)}))).toBe('warning');
        expect(stateOf(licenseProbe, input({}, {license: license(-1, 100)}))).toBe('failed');
        expect(interpret(licenseProbe, input({}, {license: license(200, 30)}))).toMatchObject({
            state: 'failed',
            summary: '40 active users exceed the 30 licensed.',
        });
    });
});

describe('version probe', () => {
    test('against the newest release the server knows; unknown where it knows none', () => {
        expect(stateOf(versionProbe, input(), ok({id: 1, tag_name: 'v11.2.1'}))).toBe('passed');
        expect(interpret(versionProbe, input(), ok({tag_name: 'v11.3.0'}))).toMatchObject({state: 'warning', checks: ['server.version']});
        const offline = interpret(versionProbe, input(), appError(500, 'api.error', 'Get "https://api.github.com/repos/mattermost/mattermost-server/releases/latest": dial tcp: lookup api.github.com: no such host'));
        expect(offline).toMatchObject({state: 'unknown', checks: []});

        // Recorded from the real server without internet access: the lookup's error is not translated.
        const recorded = appError(500, '<untranslated>', '<untranslated>');
        expect(interpret(versionProbe, input(), recorded)).toMatchObject({state: 'unknown', checks: []});
        expect(offline.facts).toContainEqual({name: 'newest release', value: 'unknown'});
        expect(stateOf(versionProbe, input(), timeout)).toBe('timeout');
        expect(stateOf(versionProbe, input(), forbidden)).toBe('forbidden');
    });
});

// Recorded from mattermost-push-proxy's routes (server/server.go: GET /version encodes
// internal/version/version.go's Info, whose only JSON fields are "hash" and "version"; GET / writes the
// fixed page) and from Go's net/http client errors as the host returns them.
describe('push notification probe', () => {
    const push = (server = 'https://push.bank.example', on = true) =>
        input({EmailSettings: {SendPushNotifications: on, PushNotificationServer: server}});
    const page = (body: string, status = 200) => ({status, body, error: '', timed_out: false, duration_ms: 4});
    const proxyPage = page('<html><body>Mattermost Push Proxy</body></html>');
    const refused = {
        status: 0,
        body: '',
        error: 'Get "https://push.bank.example/version": dial tcp 10.0.0.9:443: connect: connection refused',
        timed_out: false,
        duration_ms: 2,
    };
    const noAnswer = {
        status: 0,
        body: '',
        error: 'Get "https://push.bank.example/version": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        timed_out: true,
        duration_ms: 5000,
    };

    test('push off, or on without a server: no call, not configured', () => {
        expect(pushProbe.requests(push('https://push.bank.example', false))).toEqual([]);
        expect(interpret(pushProbe, push('https://push.bank.example', false))).toMatchObject({state: 'not_configured', summary: 'Push notifications are off.', checks: []});
        expect(pushProbe.requests(push(''))).toEqual([]);
        expect(interpret(pushProbe, push(''))).toMatchObject({state: 'not_configured', checks: []});
    });

    test('a push proxy answering /version passes with its version and build', () => {
        expect(pushProbe.requests(push())).toEqual([{method: 'GET', path: '/version'}, {method: 'GET', path: '/'}]);
        const verdict = interpret(pushProbe, push(), ok({hash: '4684977', version: 'v6.4.2'}), proxyPage);
        expect(verdict).toMatchObject({state: 'passed', checks: ['mobile.push']});
        expect(verdict.facts).toEqual([
            {name: 'push notification server', value: 'https://push.bank.example'},
            {name: 'push proxy version', value: 'v6.4.2'},
            {name: 'push proxy build', value: '4684977'},
        ]);
    });

    test('an older push proxy without /version passes by its own page', () => {
        const verdict = interpret(pushProbe, push(), page('404 page not found\n', 404), proxyPage);
        expect(verdict).toMatchObject({state: 'passed', checks: ['mobile.push']});
        expect(verdict.facts).toContainEqual({name: 'push proxy version', value: 'not reported'});
        expect(proxyPage.body).toContain(PUSH_PROXY_PAGE_MARK);
    });

    test('refused: failed, with the error, and it fails the push check', () => {
        const verdict = interpret(pushProbe, push(), refused, refused);
        expect(verdict).toMatchObject({state: 'failed', checks: ['mobile.push']});
        expect(verdict.summary).toContain('connection refused');
        expect(verdict.facts).toContainEqual({name: 'GET /version', value: `no answer (${refused.error})`});
    });

    test('no answer in time: timeout, which neither passes nor fails the check', () => {
        expect(interpret(pushProbe, push(), noAnswer, noAnswer)).toMatchObject({state: 'timeout', checks: [], summary: 'https://push.bank.example did not answer within 5 s.'});
    });

    test('something that is not a push proxy: failed, with what each route answered', () => {
        const website = page('<html><body>Bank intranet</body></html>');
        const foreign = interpret(pushProbe, push(), page('{"status":"ok"}'), website);
        expect(foreign).toMatchObject({state: 'failed', checks: ['mobile.push']});
        expect(foreign.summary).toBe('https://push.bank.example answers, but not as a Mattermost push proxy.');
        expect(foreign.facts).toContainEqual({name: 'GET /', value: '200'});
        expect(stateOf(pushProbe, push(), page('<html>moved</html>', 302), page('', 302))).toBe('failed');
        expect(stateOf(pushProbe, push(), page('bad gateway', 502), page('bad gateway', 502))).toBe('failed');
    });

    test('runs without an admin (the scheduled job too), asking only the push proxy call', () => {
        const routes: string[] = [];
        const result = runProbe(pushProbe, push(), null, (route) => {
            routes.push(route);
            return route === '/version' ? ok({hash: 'h', version: 'v6.4.2'}) : proxyPage;
        });
        expect(routes).toEqual(['/version', '/']);
        expect(result).toMatchObject({id: 'push', state: 'passed', probed_by: null, needs_admin: false});
        expect(result.calls.map((c) => c.request)).toEqual(['GET /version', 'GET /']);
        expect(() => runProbe(pushProbe, push(), null)).toThrow(/push proxy call/);
    });

    test('the push check rests on the probe: a failing proxy is an error whatever the settings say', () => {
        const config = {EmailSettings: {SendPushNotifications: true, PushNotificationServer: 'https://push.bank.example'}};
        const checkInput = {config, license: null, serverVersion: '11.2.1', stats: {total_users: 1, total_posts: 0}, now: NOW};
        const probe = (answer: Omit<RecordedAnswer, 'request'>) => runProbe(pushProbe, input(config), null, () => answer);
        const check = (probes: Array<ReturnType<typeof probe>>) => runChecks({...checkInput, probes}).find((r) => r.id === 'mobile.push')!;

        expect(check([])).toMatchObject({status: 'ok', verification: 'configured'});
        expect(check([probe(ok({hash: 'h', version: 'v6.4.2'}))])).toMatchObject({
            status: 'ok',
            verification: 'probe',
            probe: {id: 'push', state: 'passed'},
        });
        expect(check([probe(refused)])).toMatchObject({status: 'error', verification: 'probe', probe: {id: 'push', state: 'failed'}});
        expect(check([probe(noAnswer)])).toMatchObject({status: 'ok', verification: 'configured'});
    });
});

describe('runner and checks', () => {
    const admin = {userId: 'a'.repeat(26), username: 'alice'};

    test('a result carries what was asked, the raw answer, when and by whom', () => {
        const on = input({EmailSettings: {SMTPServer: 'smtp.bank.example', SMTPPort: '25'}});
        const result = runProbe(smtpProbe, on, {
            ...admin,
            call: () => appError(500, 'app.admin.test_email.failure', 'Connection unsuccessful'),
        });
        expect(result).toMatchObject({
            id: 'smtp',
            state: 'failed',
            probed_at: NOW,
            probed_by: {user_id: admin.userId, username: 'alice'},
            needs_admin: true,
            calls: [{request: 'POST /api/v4/email/test', status: 500, answer: expect.stringContaining('app.admin.test_email.failure')}],
        });
    });

    test('a host refusal (no longer a system admin) is recorded as forbidden', () => {
        const result = runProbe(clusterProbe, input(), {
            ...admin,
            call: () => {
                throw Object.assign(new Error('no'), {name: 'HostError', status_code: 403, id: 'cockpit.admin_session.not_system_admin'});
            },
        });
        expect(result.state).toBe('forbidden');
    });

    test('without an admin only the plugin-API probes can run', () => {
        expect(runProbe(licenseProbe, input(), null).probed_by).toBeNull();
        expect(() => runProbe(clusterProbe, input(), null)).toThrow(/needs an admin/);
    });

    test('a failing probe makes its check an error whatever the settings say; a pass marks it verified by the probe', () => {
        const config = {EmailSettings: {SMTPServer: 'smtp.bank.example', SMTPPort: '25'}};
        const checkInput = {config, license: null, serverVersion: '11.2.1', stats: {total_users: 1, total_posts: 0}, now: NOW};
        const smtp = (answer: Omit<RecordedAnswer, 'request'>) => runProbe(smtpProbe, input(config), {...admin, call: () => answer});
        const check = (probes: Array<ReturnType<typeof smtp>>) => runChecks({...checkInput, probes}).find((r) => r.id === 'email.smtp')!;

        expect(check([])).toMatchObject({status: 'ok', verification: 'configured', probe: null});
        expect(check([smtp(ok())])).toMatchObject({
            status: 'ok',
            verification: 'probe',
            probe: {id: 'smtp', state: 'passed', probed_by: 'alice'},
        });
        const failing = check([smtp(appError(500, 'app.admin.test_email.failure', 'Connection unsuccessful'))]);
        expect(failing).toMatchObject({status: 'error', verification: 'probe'});
        expect(failing.explanation).toContain('Connection unsuccessful');

        // An inconclusive answer (timeout) neither passes nor fails the check: it rests on the settings.
        expect(check([smtp(timeout)])).toMatchObject({status: 'ok', verification: 'configured'});
    });
});
