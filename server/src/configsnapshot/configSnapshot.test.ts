import {isEnvironmentSpecific} from 'contract/configsnapshot';
import type {ConfigSnapshot, SettingDifference} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {MASK, buildSnapshot, compareSettings, isSecretKey} from './snapshot';

import {fixtureSecrets, unsanitizedConfig} from '../testing/configFixture';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');

    // The in-memory config.get() does not sanitize: the snapshot alone must keep every secret out.
    harness.api.serverConfig = unsanitizedConfig();
    harness.api.serverVersion = '11.9.1';
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    return {...harness, admin, as};
}

describe(`GET ${PlanRoutes.configSnapshot}`, () => {
    test('no secret of an unsanitized config appears anywhere in the file', async () => {
        const {as} = setup();
        const response = await as('GET', PlanRoutes.configSnapshot);
        expect(response.status).toBe(200);
        const secrets = fixtureSecrets();
        expect(secrets.length).toBeGreaterThan(20);
        expect(secrets.filter((secret) => response.body?.includes(secret))).toEqual([]);
        expect(response.body).not.toMatch(/SECRET/);
    });

    test('a downloadable snapshot: flattened Section.Setting keys, secrets masked, connection strings left out', async () => {
        const {as} = setup();
        const t0 = Date.now();
        const response = await as('GET', PlanRoutes.configSnapshot);
        expect(response.headers?.['Content-Disposition']).toMatch(
            /^attachment; filename="cockpit-config-chat.bank.example-\d{4}-\d{2}-\d{2}\.json"$/,
        );
        const snapshot = response.json as ConfigSnapshot;
        expect(snapshot).toMatchObject({schema_version: 1, server_version: '11.9.1', site_url: 'https://chat.bank.example'});
        expect(snapshot.taken_at).toBeGreaterThanOrEqual(t0);
        const {settings} = snapshot;
        expect(settings).toMatchObject({
            'ServiceSettings.EnableUserAccessTokens': true,
            'ServiceSettings.SplitKey': MASK,
            'PasswordSettings.MinimumLength': 14,
            'EmailSettings.SMTPPassword': MASK,
            'FileSettings.PublicLinkSalt': MASK,
            'LdapSettings.BindPassword': MASK,
            'LdapSettings.PrivateKeyFile': MASK,
            'LdapSettings.PublicCertificateFile': MASK,
            'LdapSettings.MaxPageSize': 500,
            'MessageExportSettings.GlobalRelaySettings.SMTPPassword': MASK,
            'MessageExportSettings.GlobalRelaySettings.EmailAddress': 'archive@bank.example',
            'ElasticsearchSettings.Password': MASK,
            'ImageProxySettings.RemoteImageProxyOptions': MASK,
            'LogSettings.AdvancedLoggingJSON': MASK,
            'GuestAccountsSettings.RestrictCreationToDomains': '',
            'PluginSettings.RequirePluginSignature': true,
        });
        const keys = Object.keys(settings);

        // Environment-specific: where the server is reached, its database, file store, cluster, services.
        expect(keys.filter(isEnvironmentSpecific)).toEqual([]);
        expect(keys.filter((key) => (/^(SqlSettings|ClusterSettings)\.|^FileSettings\.(AmazonS3|Directory|DriverName)|SiteURL|SMTPServer|ConnectionURL/).test(key))).toEqual([]);
        expect(keys.filter((key) => (/DataSource(Replicas|SearchReplicas)?$/).test(key))).toEqual([]);
        expect(keys.filter((key) => key.startsWith('PluginSettings.Plugins'))).toEqual([]);
        expect(keys.filter((key) => key.startsWith('CacheSettings'))).toEqual([]);
        expect(keys.every((key) => (/^[A-Za-z]+Settings\.|^ClientRequirements\./).test(key))).toBe(true);
    });

    test('writes nothing', async () => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        await as('GET', PlanRoutes.configSnapshot);
        await as('POST', PlanRoutes.configCompare, {snapshot: buildSnapshot({}, '1', 0)});
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe('secret key names', () => {
    test.each([
        ['EmailSettings.SMTPPassword', true],
        ['SqlSettings.DataSource', true],
        ['ServiceSettings.EnableUserAccessTokens', true],
        ['FileSettings.PublicLinkSalt', true],
        ['OpenIdSettings.Secret', true],
        ['SamlSettings.PublicCertificateFile', true],
        ['MessageExportSettings.GlobalRelaySettings.SMTPPassword', true],
        ['PasswordSettings.MinimumLength', false],
        ['ServiceSettings.SiteURL', false],
        ['LdapSettings.BindUsername', false],
    ])('%s → %s', (key, secret) => {
        expect(isSecretKey(key)).toBe(secret);
    });
});

describe(`POST ${PlanRoutes.configCompare}`, () => {
    test('lists every differing key, sorted, with secrets reported only as differing and the Site URL left out', async () => {
        const {as} = setup();
        const staging = unsanitizedConfig();
        staging.ServiceSettings.SiteURL = 'https://chat-staging.bank.example';
        staging.PasswordSettings.MinimumLength = 8;
        staging.EmailSettings.SMTPPassword = '';
        staging.ElasticsearchSettings.Password = 'SECRET-a-different-staging-password';
        delete staging.RateLimitSettings.PerSec;
        staging.MetricsSettings.BlockProfileRate = 0;
        const there = buildSnapshot(staging, '11.8.0', 0);

        const response = await as('POST', PlanRoutes.configCompare, {snapshot: there});
        expect(response.status).toBe(200);
        const differences = response.json as SettingDifference[];
        expect(differences).toEqual([
            {key: 'EmailSettings.SMTPPassword', here: null, there: null, secret: true},
            {key: 'MetricsSettings.BlockProfileRate', here: null, there: 0, secret: false},
            {key: 'PasswordSettings.MinimumLength', here: 14, there: 8, secret: false},
            {key: 'RateLimitSettings.PerSec', here: 10, there: null, secret: false},
        ]);

        // Both passwords are masked in the snapshots, so a changed value cannot be told apart; an unset one can.
        expect(response.body).not.toMatch(/SECRET/);
    });

    test('a secret sent in the other snapshot is never echoed back', () => {
        const here = {'EmailSettings.SMTPPassword': MASK};
        expect(compareSettings(here, {'EmailSettings.SMTPPassword': 'hunter2', 'LdapSettings.BindPassword': 'x'})).toEqual([
            {key: 'EmailSettings.SMTPPassword', here: null, there: null, secret: true},
            {key: 'LdapSettings.BindPassword', here: null, there: null, secret: true},
        ]);
    });

    test('equal values with a different key order are equal', () => {
        expect(compareSettings({'A.x': [{a: 1, b: 2}]}, {'A.x': [{b: 2, a: 1}]})).toEqual([]);
    });

    test.each([
        ['no snapshot', {}],
        ['an unknown field', {snapshot: buildSnapshot({}, '1', 0), mode: 'full'}],
        ['a future snapshot version', {snapshot: {...buildSnapshot({}, '1', 0), schema_version: 2}}],
        ['settings that are not an object', {snapshot: {...buildSnapshot({}, '1', 0), settings: []}}],
    ])('%s → 400', async (_, body) => {
        const {as} = setup();
        expect((await as('POST', PlanRoutes.configCompare, body)).status).toBe(400);
    });
});
