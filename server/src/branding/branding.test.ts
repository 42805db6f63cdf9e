import {BrandingFields, defaultBrandingValues, type BrandingValues} from 'contract/branding';
import {base64ToBytes, bytesToBase64, sha256Hex, utf8Bytes} from 'contract/bytes';
import {ErrorIds} from 'contract/errors';
import {BrandingRoutes} from 'contract/routes';

import {brandingPatch, changedFields, readBrandingValues} from './config';
import {presetFile, regString, stableUuid, xmlEscape} from './presets';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {fixtureSecrets, unsanitizedConfig} from '../testing/configFixture';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

const values = (overrides: Partial<BrandingValues> = {}): BrandingValues => ({
    ...defaultBrandingValues,
    site_name: 'Bank Chat',
    custom_description_text: 'All of the bank, in one place',
    enable_custom_brand: true,
    custom_brand_text: '**Welcome** to the bank',
    help_link: 'https://help.bank.example',
    support_email: 'help@bank.example',
    ...overrides,
});

function setup({licensed = true} = {}) {
    const harness = testApp();
    const {api} = harness;
    api.serverConfig = unsanitizedConfig();
    api.serverConfig.TeamSettings.CustomDescriptionText = 'Before';
    api.serverConfig.AnnouncementSettings = {
        EnableBanner: false,
        BannerText: '',
        BannerColor: '#fff',
        BannerTextColor: '#333333',
        AllowBannerDismissal: true,
    };
    if (licensed) {
        api.license = {
            id: 'l',
            issued_at: 0,
            starts_at: 0,
            expires_at: 0,
            sku_name: 'E20',
            sku_short_name: 'enterprise',
            is_trial: false,
            features: {announcement: true},
        };
    }
    const admin = api.addSystemAdmin('admin');
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    const auditActions = () => {
        const kv = new KvStore(api.kv);
        const count = kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value?.action);
    };
    return {...harness, admin, as, auditActions};
}

/** Every leaf of a config as `Section.Key…` → value, to compare everything but the branding keys. */
function leaves(value: unknown, prefix = ''): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return {[prefix]: value};
    }
    return Object.assign({}, ...Object.entries(value).map(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key)));
}

const brandingPaths = new Set(Object.values(BrandingFields).map(([section, key]) => `${section}.${key}`));

describe('bytes', () => {
    test('sha256 and base64 match the standard vectors', () => {
        expect(sha256Hex(utf8Bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
        expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
        expect(sha256Hex(utf8Bytes('a'.repeat(1000)))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
        expect(bytesToBase64(utf8Bytes('héllo!'))).toBe('aMOpbGxvIQ==');
        for (const n of [0, 1, 2, 3, 4, 5, 255, 256]) {
            const bytes = Uint8Array.from({length: n}, (_, i) => (i * 37) & 255);
            expect(Array.from(base64ToBytes(bytesToBase64(bytes)))).toEqual(Array.from(bytes));
        }
        expect(() => base64ToBytes('ab$d')).toThrow();
    });
});

describe('config patch', () => {
    test('names exactly the given branding settings, by section', () => {
        const wanted = values({banner_enabled: true, banner_text: 'Go-live Monday', site_name: 'Bank Chat'});
        expect(brandingPatch(wanted, ['banner_enabled', 'banner_text', 'site_name'])).toEqual({
            AnnouncementSettings: {EnableBanner: true, BannerText: 'Go-live Monday'},
            TeamSettings: {SiteName: 'Bank Chat'},
        });
        expect(brandingPatch(wanted, [])).toEqual({});
    });

    test('an apply changes exactly the branding settings; secrets and every other setting stay as they were', async () => {
        const {as, api} = setup();
        const before = leaves(api.serverConfig);
        const response = await as('POST', BrandingRoutes.apply, {
            expected_version: 0,
            values: values({banner_enabled: true, banner_text: 'Go-live Monday'}),
        });
        expect(response.status).toBe(200);
        const after = leaves(api.serverConfig);
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
            if (!brandingPaths.has(key)) {
                expect([key, after[key]]).toEqual([key, before[key]]);
            }
        }
        expect(readBrandingValues(api.serverConfig)).toEqual(values({banner_enabled: true, banner_text: 'Go-live Monday'}));
        const text = JSON.stringify(api.serverConfig);
        for (const secret of fixtureSecrets()) {
            expect(text).toContain(secret);
        }
    });

    test('a config patch only for a system admin (the host refuses anyone else)', () => {
        const {api} = setup();
        const member = api.addUser({username: 'someone'});
        expect(() => api.config.patchAs(member.id, {TeamSettings: {SiteName: 'X'}})).toThrow(/system admin/);
        expect(api.serverConfig.TeamSettings.SiteName).toBe('Bank Chat');
    });

    test('missing or mistyped settings read as false or empty (gob sends those as nothing); ' +
        'changedFields lists differences in field order', () => {
        const zero = readBrandingValues({});
        for (const field of Object.keys(defaultBrandingValues) as Array<keyof BrandingValues>) {
            expect([field, zero[field]]).toEqual([field, typeof defaultBrandingValues[field] === 'boolean' ? false : '']);
        }
        expect(readBrandingValues({AnnouncementSettings: {AllowBannerDismissal: false}}).allow_banner_dismissal).toBe(false);
        expect(readBrandingValues({TeamSettings: {SiteName: 42}}).site_name).toBe('');
        expect(changedFields(values(), values({support_email: '', site_name: 'X'}))).toEqual(['site_name', 'support_email']);
    });
});

describe(`GET ${BrandingRoutes.branding}`, () => {
    test('current values, history head, license and limits; writes nothing', async () => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const response = await as('GET', BrandingRoutes.branding);
        expect(response.status).toBe(200);
        expect(response.json).toMatchObject({
            version: 0,
            image: {state: 'unknown'},
            license: {announcement: true},
            site_url: 'https://chat.bank.example',
            max_image_bytes: 104857600,
            history_image_max_bytes: 1048576,
        });
        expect(response.json.values).toMatchObject({site_name: 'Bank Chat', custom_description_text: 'Before', banner_color: '#fff'});
        expect(kvDump(api.kv)).toEqual(before);
    });
});

describe(`POST ${BrandingRoutes.apply}`, () => {
    test('writes the branding into the config, keeps the old values as baseline version 1, audits', async () => {
        const {as, api, admin, auditActions} = setup();
        const expectedChanges = changedFields(readBrandingValues(api.serverConfig), values({site_name: 'Bank Chat 2'}));
        expect(expectedChanges).toEqual(
            expect.arrayContaining(['site_name', 'custom_description_text', 'enable_custom_brand', 'support_email']),
        );
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'Bank Chat 2'})});
        expect(response.status).toBe(200);
        expect(response.json.applied).toMatchObject({version: 2, kind: 'apply', user_id: admin.id, not_applied: []});
        expect(response.json.applied.changed).toEqual(expectedChanges);
        expect(response.json.state.version).toBe(2);
        expect(api.serverConfig.TeamSettings.SiteName).toBe('Bank Chat 2');
        expect(api.serverConfig.SupportSettings.SupportEmail).toBe('help@bank.example');
        expect(api.serverConfig.SqlSettings.DataSource).toContain('SECRET-db-password');

        const history = await as('GET', BrandingRoutes.history);
        expect(history.json.total).toBe(2);
        expect(history.json.versions.map((v: {version: number; kind: string}) => [v.version, v.kind])).toEqual([
            [2, 'apply'],
            [1, 'baseline'],
        ]);
        expect(history.json.versions[1].values.custom_description_text).toBe('Before');
        expect(auditActions()).toEqual(['branding.apply']);
    });

    test('a stale expected_version is a 409 and changes nothing', async () => {
        const {as, api} = setup();
        await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values()});
        const config = JSON.stringify(api.serverConfig);
        const kv = kvDump(api.kv);
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'Other'})});
        expect(response.status).toBe(409);
        expect(response.json.error.id).toBe(ErrorIds.conflict);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
        expect(kvDump(api.kv)).toEqual(kv);
    });

    test.each([
        ['a colour that is not #rrggbb', {banner_color: 'red'}],
        ['a javascript: link', {help_link: 'javascript:alert(1)'}],
        ['a link with a quote', {about_link: 'https://x.example/"onmouseover'}],
        ['an email without a domain', {support_email: 'help@'}],
        ['an empty site name', {site_name: '  '}],
        ['a site name over 30 characters', {site_name: 'x'.repeat(31)}],
    ])('refuses %s with a 400 and changes nothing', async (_name, override) => {
        const {as, api} = setup();
        const config = JSON.stringify(api.serverConfig);
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: {...values(), ...override}});
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
    });

    test('refuses unknown fields (strict body)', async () => {
        const {as} = setup();
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: {...values(), SqlSettings: {}}});
        expect(response.status).toBe(400);
    });

    test('a banner change without the announcement license feature is refused before anything is written', async () => {
        const {as, api} = setup({licensed: false});
        const config = JSON.stringify(api.serverConfig);
        const kv = kvDump(api.kv);
        const response = await as('POST', BrandingRoutes.apply, {
            expected_version: 0,
            values: values({banner_enabled: true, banner_text: 'Hi', banner_color: '#ffffff'}),
        });
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.brandingNeedsLicense);
        expect(response.json.error.message).toMatch(/announcement/);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
        expect(kvDump(api.kv)).toEqual(kv);

        // Without the banner change the same server takes the rest.
        const ok = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({banner_color: '#fff'} as never)});
        expect(ok.status).toBe(400); // '#fff' is not #rrggbb: the form must fix it…
        const fixed = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({banner_color: '#ffffff'})});
        expect(fixed.status).toBe(400); // …and changing it is a banner change too
        expect(fixed.json.error.id).toBe(ErrorIds.brandingNeedsLicense);
    });

    test('nothing to change: no version, no audit entry', async () => {
        const {as, api, auditActions} = setup();
        const current = (await as('GET', BrandingRoutes.branding)).json.values;
        api.serverConfig.AnnouncementSettings.BannerColor = '#ffffff';
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: {...current, banner_color: '#ffffff'}});
        expect(response.status).toBe(200);
        expect(response.json.applied).toBeNull();
        expect(response.json.state.version).toBe(0);
        expect(auditActions()).toEqual([]);
    });

    test('reads back after saving: a setting the server keeps (pinned by an environment variable) is reported', async () => {
        const {as, api} = setup();
        const patchAs = api.config.patchAs;
        api.config.patchAs = (userId, patch) => patchAs(userId, {...patch, TeamSettings: {...patch.TeamSettings, SiteName: 'Pinned'}});
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'Wanted'})});
        expect(response.status).toBe(200);
        expect(response.json.applied.not_applied).toEqual(['site_name']);
        expect(response.json.state.values.site_name).toBe('Pinned');
    });
});

test('a config patch that fails changes nothing and leaves the next apply possible', async () => {
    const {as, api, auditActions} = setup();
    const patchAs = api.config.patchAs;
    api.config.patchAs = () => {
        throw new Error('config store is read-only');
    };
    const png = Uint8Array.from([1, 2, 3]);
    const failed = await as('POST', BrandingRoutes.apply, {expected_version: 0,
        values: values({site_name: 'Nope'}),
        image: {kind: 'uploaded', sha256: sha256Hex(png), content_type: 'image/png', size: 3, data_base64: bytesToBase64(png)}});
    expect(failed.status).toBe(500);
    expect(api.serverConfig.TeamSettings.SiteName).toBe('Bank Chat');
    expect((await as('GET', BrandingRoutes.branding)).json.version).toBe(0);
    expect((await as('GET', BrandingRoutes.history)).json).toEqual({versions: [], total: 0});
    expect((await as('GET', BrandingRoutes.image(2))).status).toBe(404);
    expect(auditActions()).toEqual([]);

    api.config.patchAs = patchAs;
    const ok = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'Yes'})});
    expect(ok.status).toBe(200);
    expect(ok.json.applied.version).toBe(2);
});

describe('brand image history', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const uploaded = (bytes = png) => ({
        kind: 'uploaded',
        sha256: sha256Hex(bytes),
        content_type: 'image/png',
        size: bytes.length,
        data_base64: bytesToBase64(bytes),
    });

    test('an uploaded image is kept with its version and can be fetched back', async () => {
        const {as} = setup();
        const response = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values(), image: uploaded()});
        expect(response.json.applied.image).toEqual({
            state: 'set',
            sha256: sha256Hex(png),
            content_type: 'image/png',
            size: png.length,
            stored_in: 2,
        });
        expect(response.json.applied.changed).toContain('brand_image');
        const image = await as('GET', BrandingRoutes.image(2));
        expect(image.json).toEqual({sha256: sha256Hex(png), content_type: 'image/png', data_base64: bytesToBase64(png)});
        expect((await as('GET', BrandingRoutes.image(1))).status).toBe(404);
    });

    test('refuses image data that does not match its hash or size', async () => {
        const {as, api} = setup();
        const config = JSON.stringify(api.serverConfig);
        expect((await as('POST', BrandingRoutes.apply, {
            expected_version: 0,
            values: values(),
            image: {...uploaded(), sha256: '0'.repeat(64)},
        })).status).toBe(400);
        expect((await as('POST', BrandingRoutes.apply, {
            expected_version: 0, values: values(), image: {...uploaded(), size: 3},
        })).status).toBe(400);
        expect((await as('POST', BrandingRoutes.apply, {
            expected_version: 0,
            values: values(),
            image: {...uploaded(), content_type: 'image/svg+xml'},
        })).status).toBe(400);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
    });

    test('an image over 1 MB is recorded by hash only; rolling back to it is "unavailable"', async () => {
        const {as} = setup();
        const big = {kind: 'uploaded', sha256: 'a'.repeat(64), content_type: 'image/jpeg', size: 2 * 1024 * 1024};
        const first = await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values(), image: big});
        expect(first.json.applied.image).toEqual({state: 'set', sha256: 'a'.repeat(64), content_type: 'image/jpeg', size: 2 * 1024 * 1024});
        await as('POST', BrandingRoutes.apply, {expected_version: 2, values: values(), image: uploaded()});
        const back = await as('POST', BrandingRoutes.rollback, {expected_version: 3, version: 2});
        expect(back.json.image_action).toBe('unavailable');

        // The image could not be restored: the version records the one still in place.
        expect(back.json.applied.image.sha256).toBe(sha256Hex(png));
    });
});

describe(`POST ${BrandingRoutes.rollback}`, () => {
    test('restores an earlier version exactly, as a new version, and audits it', async () => {
        const {as, api, auditActions} = setup();
        const original = readBrandingValues(unsanitizedConfig());
        await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'First'})});
        await as('POST', BrandingRoutes.apply, {
            expected_version: 2,
            values: values({site_name: 'Second', about_link: 'https://about.example'}),
        });

        const back = await as('POST', BrandingRoutes.rollback, {expected_version: 3, version: 2});
        expect(back.status).toBe(200);
        expect(back.json.applied).toMatchObject({version: 4, kind: 'rollback', rolled_back_from: 2, changed: ['site_name', 'about_link']});
        expect(back.json.image_action).toBe('none');
        expect(readBrandingValues(api.serverConfig)).toEqual(values({site_name: 'First'}));

        // To the baseline: the values from before the cockpit, even ones the form would not accept ('#fff').
        const baseline = await as('POST', BrandingRoutes.rollback, {expected_version: 4, version: 1});
        expect(baseline.status).toBe(200);
        expect(readBrandingValues(api.serverConfig)).toEqual({...original, custom_description_text: 'Before', banner_color: '#fff'});
        expect(api.serverConfig.AnnouncementSettings.BannerColor).toBe('#fff');
        expect(api.serverConfig.FileSettings.AmazonS3SecretAccessKey).toBe('SECRET-s3-secret');
        expect(auditActions()).toEqual(['branding.apply', 'branding.apply', 'branding.rollback', 'branding.rollback']);
    });

    test('stale expected_version → 409; unknown version → 404; nothing changes', async () => {
        const {as, api} = setup();
        await as('POST', BrandingRoutes.apply, {expected_version: 0, values: values({site_name: 'First'})});
        const config = JSON.stringify(api.serverConfig);
        const kv = kvDump(api.kv);
        expect((await as('POST', BrandingRoutes.rollback, {expected_version: 1, version: 1})).status).toBe(409);
        expect((await as('POST', BrandingRoutes.rollback, {expected_version: 2, version: 9})).status).toBe(404);
        expect(JSON.stringify(api.serverConfig)).toBe(config);
        expect(kvDump(api.kv)).toEqual(kv);
    });

    test('tells the webapp to upload the kept image, or delete the current one', async () => {
        const {as} = setup();
        const png = Uint8Array.from([1, 2, 3, 4]);
        await as('POST', BrandingRoutes.apply, {expected_version: 0,
            values: values(),
            image: {kind: 'uploaded', sha256: sha256Hex(png), content_type: 'image/png', size: 4, data_base64: bytesToBase64(png)}});
        await as('POST', BrandingRoutes.apply, {expected_version: 2, values: values(), image: {kind: 'deleted'}});
        const up = await as('POST', BrandingRoutes.rollback, {expected_version: 3, version: 2});
        expect(up.json).toMatchObject({image_action: 'upload', image_version: 2});
        const del = await as('POST', BrandingRoutes.rollback, {expected_version: 4, version: 3});
        expect(del.json.image_action).toBe('delete');

        // The baseline's image is unknown: rolling back to it leaves the image alone.
        const base = await as('POST', BrandingRoutes.rollback, {expected_version: 5, version: 1});
        expect(base.json.image_action).toBe('none');
    });
});

describe('history paging', () => {
    test('newest first, 20 per page', async () => {
        const {as, request, admin} = setup();
        for (let i = 0; i < 22; i++) {
            const version = i === 0 ? 0 : i + 1;
            const response = await as('POST', BrandingRoutes.apply, {expected_version: version, values: values({site_name: `Name ${i}`})});
            expect(response.status).toBe(200);
        }
        const first = await as('GET', BrandingRoutes.history);
        expect(first.json.total).toBe(23);
        expect(first.json.versions.map((v: {version: number}) => v.version)).toEqual(Array.from({length: 20}, (_, i) => 23 - i));
        const second = await request('GET', BrandingRoutes.history, {userId: admin.id, query: {page: ['1']}});
        expect(second.json.versions.map((v: {version: number}) => v.version)).toEqual([3, 2, 1]);
        expect((await request('GET', BrandingRoutes.history, {userId: admin.id, query: {page: ['x']}})).status).toBe(400);
    });
});

describe('client presets', () => {
    const tricky = {siteUrl: 'https://chat.bank.example', siteName: 'Bob\'s "Chat" <&> \\ team'};

    test('Windows .reg: the desktop app policy keys, quotes and backslashes escaped, CRLF', () => {
        const file = presetFile('windows-reg', tricky);
        expect(file.filename).toBe('mattermost-desktop-bob-s-chat-team.reg');
        const lines = file.text.split('\r\n');
        expect(lines[0]).toBe('Windows Registry Editor Version 5.00');
        expect(lines).toContain('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mattermost]');
        expect(lines).toContain('"EnableServerManagement"=dword:00000001');
        expect(lines).toContain('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mattermost\\DefaultServerList]');
        expect(lines).toContain('"Bob\'s \\"Chat\\" <&> \\\\ team"="https://chat.bank.example"');
        expect(regString('a\r\nb')).toBe('"a b"');
    });

    test.each(['macos-mobileconfig', 'ios-appconfig', 'android-appconfig'] as const)(
        '%s: the name is escaped, nothing breaks the XML',
        (kind) => {
            const file = presetFile(kind, tricky);
            expect(file.text).toContain('Bob&apos;s &quot;Chat&quot; &lt;&amp;&gt; \\ team');
            expect(file.text).not.toContain('<&>');
            expect(file.text).not.toContain('"Chat"');

            // Every tag opened is closed (a crude well-formedness check without an XML parser).
            const body = file.text.replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '');
            const stack: string[] = [];
            for (const [, close, name, selfClosing] of body.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>/g)) {
                if (selfClosing) {
                    continue;
                }
                if (close) {
                    expect(stack.pop()).toBe(name);
                } else {
                    stack.push(name);
                }
            }
            expect(stack).toEqual([]);
        },
    );

    test('macOS profile: managed preferences of Mattermost.Desktop with stable UUIDs', () => {
        const file = presetFile('macos-mobileconfig', tricky);
        expect(file.text).toContain('<string>Mattermost.Desktop</string>');
        expect(file.text).toMatch(/<key>DefaultServerList<\/key>\s*<array>\s*<dict>\s*<key>name<\/key>/);
        expect(file.text).toContain('<string>https://chat.bank.example</string>');
        expect(file.text).toMatch(/<key>EnableServerManagement<\/key>\s*<true\/>/);
        expect(stableUuid('x')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
        expect(presetFile('macos-mobileconfig', tricky).text).toBe(file.text);
    });

    test('mobile: serverUrl, serverName, allowOtherServers', () => {
        expect(presetFile('ios-appconfig', tricky).text).toMatch(/<key>serverUrl<\/key>\s*<string>https:\/\/chat\.bank\.example<\/string>/);
        expect(presetFile('ios-appconfig', tricky).text).toMatch(/<key>allowOtherServers<\/key>\s*<string>true<\/string>/);
        const android = presetFile('android-appconfig', tricky).text;
        expect(android).toMatch(/<string keyName="serverUrl">\s*<defaultValue>\s*<value>https:\/\/chat\.bank\.example<\/value>/);
        expect(android).toContain('keyName="serverName"');
        expect(xmlEscape('a\u0001b')).toBe('ab');
    });

    test('the route answers a download named after the site; unknown kinds 404; no Site URL 400', async () => {
        const {as, api} = setup();
        const response = await as('GET', BrandingRoutes.preset('windows-reg'));
        expect(response.status).toBe(200);
        expect(response.headers?.['Content-Disposition']).toBe('attachment; filename="mattermost-desktop-bank-chat.reg"');
        expect(response.body).toContain('"Bank Chat"="https://chat.bank.example"');
        expect((await as('GET', BrandingRoutes.preset('linux-snap'))).status).toBe(404);
        api.serverConfig.ServiceSettings.SiteURL = '';
        const none = await as('GET', BrandingRoutes.preset('ios-appconfig'));
        expect(none.status).toBe(400);
        expect(none.json.error.id).toBe(ErrorIds.brandingNoSiteUrl);
    });
});

describe('access: system admins only', () => {
    const routes: Array<[method: string, path: string, body: unknown]> = [
        ['GET', BrandingRoutes.branding, undefined],
        ['POST', BrandingRoutes.apply, {expected_version: 0, values: values()}],
        ['GET', BrandingRoutes.history, undefined],
        ['POST', BrandingRoutes.rollback, {expected_version: 0, version: 1}],
        ['GET', BrandingRoutes.image(1), undefined],
        ['GET', BrandingRoutes.preset('windows-reg'), undefined],
    ];
    const who: Array<[string, number]> = [['anonymous', 401], ['member', 403], ['teamAdmin', 403]];

    describe.each(who)('%s', (name, status) => {
        test.each(routes)(`%s %s → ${status}, nothing changed`, async (method, path, body) => {
            const harness = setup();
            const {api} = harness;
            const team = api.addTeam('sales');
            const member = api.addUser({username: 'member'});
            const lead = api.addUser({username: 'lead'});
            api.addTeamMember(team.id, lead.id, 'team_user team_admin');
            let userId = lead.id;
            if (name === 'anonymous') {
                userId = '';
            } else if (name === 'member') {
                userId = member.id;
            }
            const config = JSON.stringify(api.serverConfig);
            const kv = kvDump(api.kv);
            const response = await harness.request(method, path, {userId, body});
            expect(response.status).toBe(status);
            expect(JSON.stringify(api.serverConfig)).toBe(config);
            expect(kvDump(api.kv)).toEqual(kv);
        });
    });
});
