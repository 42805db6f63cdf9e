import {
    ENVIRONMENT_SPECIFIC_SETTINGS,
    isEnvironmentSpecific,
    type ConfigApply,
    type ConfigApplyHistory,
    type ConfigPatchPreview,
} from 'contract/configsnapshot';
import {ConfigSnapshotEndpoints} from 'contract/endpoints/configsnapshot';
import {ErrorIds} from 'contract/errors';

import {buildPatch, patchOf} from './promote';
import {MASK, buildSnapshot} from './snapshot';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {unsanitizedConfig} from '../testing/configFixture';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

const previewPath = ConfigSnapshotEndpoints.patchPreview.toPath();
const applyPath = ConfigSnapshotEndpoints.apply.toPath();
const rollbackPath = ConfigSnapshotEndpoints.rollback.toPath();
const appliesPath = ConfigSnapshotEndpoints.applies.toPath();

/** Production (this server) and staging: staging has stricter passwords, a longer session, another Site URL and S3 bucket. */
function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');
    const member = harness.api.addUser({username: 'member'});
    harness.api.serverConfig = unsanitizedConfig();
    const staging = unsanitizedConfig();
    staging.PasswordSettings.MinimumLength = 16;
    staging.ServiceSettings.SessionLengthWebInHours = 168;
    staging.ServiceSettings.EnableMultifactorAuthentication = false;
    staging.ServiceSettings.SiteURL = 'https://chat-staging.bank.example';
    staging.FileSettings.AmazonS3Bucket = 'bank-chat-staging';
    staging.TeamSettings.SiteName = 'Bank Chat (staging)';
    const snapshot = buildSnapshot(staging, '11.4.0', 1_700_000_000_000);
    const as = (method: string, path: string, body?: unknown, userId = admin.id) => harness.request(method, path, {userId, body});
    const kv = new KvStore(harness.api.kv);
    const auditEntries = () => {
        const count = kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value);
    };
    return {...harness, admin, member, snapshot, as, auditEntries};
}

describe('buildPatch', () => {
    test('the picked differences as sections of settings, with what they replace', () => {
        const here = {'PasswordSettings.MinimumLength': 14, 'TeamSettings.SiteName': 'Prod', 'ServiceSettings.EnableX': true};
        const there = {'PasswordSettings.MinimumLength': 16, 'TeamSettings.SiteName': 'Staging', 'ServiceSettings.EnableX': true};
        expect(buildPatch(here, there, ['TeamSettings.SiteName', 'PasswordSettings.MinimumLength', 'ServiceSettings.EnableX'])).toEqual({
            patch: {PasswordSettings: {MinimumLength: 16}, TeamSettings: {SiteName: 'Staging'}},
            changes: [
                {key: 'PasswordSettings.MinimumLength', before: 14, after: 16},
                {key: 'TeamSettings.SiteName', before: 'Prod', after: 'Staging'},
            ],
            refused: [{key: 'ServiceSettings.EnableX', reason: 'unchanged'}],
        });
    });

    test('a null (the RPC drops false, 0, empty) is the zero value of the other side\'s type', () => {
        const here = {'A.Switch': true, 'A.Count': null, 'A.Name': 'x', 'A.List': ['a']};
        const there = {'A.Switch': null, 'A.Count': 5, 'A.Name': null, 'A.List': null};
        const keys = ['A.Switch', 'A.Count', 'A.Name', 'A.List'];

        // 'A' is no config section: unknown. Put the same under real sections:
        expect(buildPatch(here, there, keys).refused.map(({reason}) => reason)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
        const prefixed = (values: Record<string, unknown>) =>
            Object.fromEntries(Object.entries(values).map(([key, value]) => [`TeamSettings.${key.slice(2)}`, value]));
        const preview = buildPatch(prefixed(here), prefixed(there), keys.map((key) => `TeamSettings.${key.slice(2)}`));
        expect(preview.patch).toEqual({TeamSettings: {Switch: false, Count: 5, Name: '', List: []}});
        expect(preview.changes.find(({key}) => key === 'TeamSettings.Count')?.before).toBe(0);
    });

    test('environment-specific settings and secrets are never in a patch, whatever the snapshot holds', () => {
        const keys = [
            'ServiceSettings.SiteURL', 'SqlSettings.DriverName', 'SqlSettings.DataSource', 'FileSettings.AmazonS3Bucket',
            'FileSettings.DriverName', 'ClusterSettings.Enable', 'EmailSettings.SMTPPassword', 'LdapSettings.BindPassword',
            'ServiceSettings.SplitKey', 'PluginSettings.PluginStates.playbooks.Enable',
        ];

        // A hand-made file that carries real values for all of them.
        const there = Object.fromEntries(keys.map((key) => [key, 'from-staging']));
        const preview = buildPatch({}, there, keys);
        expect(preview.patch).toEqual({});
        expect(preview.changes).toEqual([]);
        expect(Object.fromEntries(preview.refused.map(({key, reason}) => [key, reason]))).toEqual({
            'ClusterSettings.Enable': 'environment',
            'EmailSettings.SMTPPassword': 'secret',
            'FileSettings.AmazonS3Bucket': 'environment',
            'FileSettings.DriverName': 'environment',
            'LdapSettings.BindPassword': 'secret',
            'PluginSettings.PluginStates.playbooks.Enable': 'environment',
            'ServiceSettings.SiteURL': 'environment',
            'ServiceSettings.SplitKey': 'secret',
            'SqlSettings.DataSource': 'environment',
            'SqlSettings.DriverName': 'environment',
        });
    });

    test.each(ENVIRONMENT_SPECIFIC_SETTINGS.map(({key}) => [key]))('%s is environment-specific, and so is what it covers', (entry) => {
        const key = entry.endsWith('*') ? `${entry.slice(0, -1)}Region` : entry;
        expect(isEnvironmentSpecific(key)).toBe(true);
        expect(isEnvironmentSpecific(`${key}.Sub`)).toBe(true);
    });

    test.each([
        ['ServiceSettings.SiteURLs', false],
        ['ServiceSettings.SessionLengthWebInHours', false],
        ['FileSettings.MaxFileSize', false],
        ['TeamSettings.SiteName', false],
        ['SqlSettings.QueryTimeout', true],
    ])('%s → %s', (key, expected) => {
        expect(isEnvironmentSpecific(key)).toBe(expected);
    });

    test('sub-sections nest', () => {
        const patch = patchOf([
            {key: 'MessageExportSettings.GlobalRelaySettings.EmailAddress', value: 'a@b'},
            {key: 'MessageExportSettings.EnableExport', value: true},
        ]);
        expect(patch).toEqual({MessageExportSettings: {GlobalRelaySettings: {EmailAddress: 'a@b'}, EnableExport: true}});
    });
});

describe('staging → production', () => {
    const picked = [
        'PasswordSettings.MinimumLength', 'ServiceSettings.SessionLengthWebInHours', 'ServiceSettings.EnableMultifactorAuthentication',
    ];

    test('preview shows the exact patch; apply patches it as the admin, reads back, audits; rollback restores the values', async () => {
        const {as, api, snapshot, auditEntries} = setup();
        const original = JSON.stringify(api.serverConfig);

        const preview = (await as('POST', previewPath, {snapshot, keys: [...picked, 'TeamSettings.SiteName']})).json as ConfigPatchPreview;
        expect(preview.patch).toEqual({
            PasswordSettings: {MinimumLength: 16},
            ServiceSettings: {SessionLengthWebInHours: 168, EnableMultifactorAuthentication: false},
            TeamSettings: {SiteName: 'Bank Chat (staging)'},
        });

        const response = await as('POST', applyPath, {expected_version: 0, snapshot, keys: picked});
        expect(response.status).toBe(200);
        const applied = response.json as ConfigApply;
        expect(applied).toMatchObject({
            seq: 1,
            kind: 'apply',
            source: {site_url: 'https://chat-staging.bank.example', server_version: '11.4.0'},
            patch: {
                PasswordSettings: {MinimumLength: 16},
                ServiceSettings: {SessionLengthWebInHours: 168, EnableMultifactorAuthentication: false},
            },
            not_applied: [],
        });
        expect(api.serverConfig.PasswordSettings.MinimumLength).toBe(16);
        expect(api.serverConfig.ServiceSettings.EnableMultifactorAuthentication).toBe(false);
        expect(api.serverConfig.ServiceSettings.SiteURL).toBe('https://chat.bank.example');
        expect(auditEntries().at(-1)).toMatchObject({
            action: 'config.apply',
            before: {'PasswordSettings.MinimumLength': 14, 'ServiceSettings.EnableMultifactorAuthentication': true},
            after: {'PasswordSettings.MinimumLength': 16, 'ServiceSettings.EnableMultifactorAuthentication': false},
        });

        // A stale version: 409, nothing changes.
        expect((await as('POST', rollbackPath, {expected_version: 0, seq: 1})).status).toBe(409);

        const rollback = await as('POST', rollbackPath, {expected_version: 1, seq: 1});
        expect(rollback.json).toMatchObject({seq: 2, kind: 'rollback', rolled_back_from: 1, not_applied: []});
        expect(JSON.stringify(api.serverConfig)).toBe(original);
        expect(auditEntries().map((entry) => entry?.action)).toEqual(['config.apply', 'config.rollback']);

        const history = (await as('GET', appliesPath)).json as ConfigApplyHistory;
        expect(history.version).toBe(2);
        expect(history.changes.map(({seq, kind}) => [seq, kind])).toEqual([[2, 'rollback'], [1, 'apply']]);
    });

    test('picking an environment-specific setting or a secret: 400 naming them, nothing changed or stored', async () => {
        const {as, api, snapshot} = setup();

        // A snapshot file edited by hand to carry them.
        const tampered = {
            ...snapshot,
            settings: {...snapshot.settings, 'ServiceSettings.SiteURL': 'https://evil.example', 'EmailSettings.SMTPPassword': 'x'},
        };
        const config = JSON.stringify(api.serverConfig);
        const kvBefore = kvDump(api.kv);
        const response = await as('POST', applyPath, {
            expected_version: 0,
            snapshot: tampered,
            keys: ['PasswordSettings.MinimumLength', 'ServiceSettings.SiteURL', 'EmailSettings.SMTPPassword'],
        });
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({error: {id: ErrorIds.configNotPromotable}});
        expect((response.json as {error: {message: string}}).error.message).toMatch(/EmailSettings\.SMTPPassword, ServiceSettings\.SiteURL/);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
        expect(kvDump(api.kv)).toEqual(kvBefore);
    });

    test('nothing different: 400; preview and history only read; members are refused', async () => {
        const {as, api, snapshot, member} = setup();
        expect((await as('POST', applyPath, {expected_version: 0, snapshot, keys: ['TeamSettings.EnableOpenServer']})).status).toBe(400);
        const kvBefore = kvDump(api.kv);
        await as('POST', previewPath, {snapshot, keys: picked});
        await as('GET', appliesPath);
        expect(kvDump(api.kv)).toEqual(kvBefore);
        expect((await as('POST', applyPath, {expected_version: 0, snapshot, keys: picked}, member.id)).status).toBe(403);
        expect((await as('POST', previewPath, {snapshot, keys: picked}, member.id)).status).toBe(403);
        expect(snapshot.settings['ServiceSettings.SplitKey']).toBe(MASK);
    });

    test('a patch the server refuses stores nothing: no record, no number, no audit entry', async () => {
        const {as, api, snapshot} = setup();
        const kvBefore = kvDump(api.kv);
        const config = JSON.stringify(api.serverConfig);
        jest.spyOn(api.config, 'patchAs').mockImplementation(() => {
            throw new Error('the server refused the patch');
        });
        expect((await as('POST', applyPath, {expected_version: 0, snapshot, keys: picked})).status).toBe(500);

        // The head is back at 0 (its record's own version moved), so the next apply names version 0 again.
        const {'cfgapply:head': head, ...rest} = kvDump(api.kv);
        expect(JSON.parse(head ?? 'null')).toMatchObject({value: {count: 0}});
        expect(rest).toEqual(kvBefore);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
        jest.restoreAllMocks();
        expect((await as('POST', applyPath, {expected_version: 0, snapshot, keys: picked})).json).toMatchObject({seq: 1});
    });
});
