import {defaultBrandingValues, type BrandingValues} from 'contract/branding';
import {bytesToBase64, sha256Hex} from 'contract/bytes';
import {BrandingRoutes} from 'contract/routes';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {unsanitizedConfig} from '../testing/configFixture';
import {crashAtSideEffect} from '../testing/crashPoints';
import {testApp} from '../testing/harness';

// A branding write killed after any of its side effects (KV writes, the config patch) must end, once
// the plugin is back (onActivate), fully applied (config, head, version record, ONE audit entry) or
// not at all (config, head, history, audit as before) — and the next apply must go through.

const values = (siteName: string): BrandingValues => ({
    ...defaultBrandingValues,
    site_name: siteName,
    custom_description_text: `about ${siteName}`,
});

function setup() {
    const harness = testApp();
    const {api} = harness;
    api.serverConfig = unsanitizedConfig();
    const admin = api.addSystemAdmin('admin');
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    const kv = new KvStore(api.kv);
    const audit = () =>
        Array.from(
            {length: kv.readVersioned(KvKeys.auditHead).value?.count ?? 0},
            (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value,
        );
    return {...harness, as, kv, audit};
}

type Setup = ReturnType<typeof setup>;

/** Checks the invariant after the restart; returns which way the write ended. */
function outcome(
    s: Setup,
    before: {version: number; siteName: string; auditCount: number},
    sent: string,
    expectImage: boolean,
): 'applied' | 'not applied' {
    const head = s.kv.readVersioned(KvKeys.brandingHead).value;
    expect(head?.pending).toBeUndefined();
    const count = head?.count ?? 0;
    const siteName = s.api.serverConfig.TeamSettings.SiteName;
    const entries = s.audit().filter((entry) => entry?.action === 'branding.apply');
    if (siteName === before.siteName) {
        expect(count).toBe(before.version);
        expect(s.kv.readVersioned(KvKeys.brandingVersion(before.version + 1)).value).toBeUndefined();
        expect(s.kv.readVersioned(KvKeys.brandingVersion(before.version + 2)).value).toBeUndefined();
        expect(s.kv.readVersioned(KvKeys.brandingImage(before.version + (before.version === 0 ? 2 : 1))).value).toBeUndefined();
        expect(entries.length).toBe(before.auditCount);
        return 'not applied';
    }
    expect(siteName).toBe(sent);
    expect(count).toBe(before.version + (before.version === 0 ? 2 : 1));
    const record = s.kv.readVersioned(KvKeys.brandingVersion(count)).value;
    expect(record).toMatchObject({version: count, kind: 'apply', values: {site_name: sent}, not_applied: []});
    if (before.version === 0) {
        expect(s.kv.readVersioned(KvKeys.brandingVersion(1)).value?.kind).toBe('baseline');
    }
    if (expectImage) {
        expect(record?.image).toMatchObject({state: 'set', stored_in: count});
        expect(s.kv.readVersioned(KvKeys.brandingImage(count)).value).toBeDefined();
    }
    expect(entries.length).toBe(before.auditCount + 1);
    expect(entries.filter((entry) => entry?.target === `branding:version:${count}`)).toHaveLength(1);
    return 'applied';
}

const png = Uint8Array.from([137, 80, 78, 71, 9]);
const upload = {kind: 'uploaded', sha256: sha256Hex(png), content_type: 'image/png', size: png.length, data_base64: bytesToBase64(png)};

describe.each([
    ['the first apply (records the baseline)', 0],
    ['a later apply with an uploaded image', 1],
])('%s, killed after each side effect', (_name, earlier) => {
    test.each([['before' as const], ['after' as const]])('crash %s each side effect: all or nothing after the restart', async (when) => {
        const seen = new Set<string>();
        for (let crashAt = 1; ; crashAt++) {
            const s = setup();
            for (let i = 0; i < earlier; i++) {
                expect((await s.as('POST', BrandingRoutes.apply, {
                    expected_version: i === 0 ? 0 : i + 1,
                    values: values(`Earlier ${i}`),
                })).status).toBe(200);
            }
            const version = s.kv.readVersioned(KvKeys.brandingHead).value?.count ?? 0;
            const before = {
                version,
                siteName: s.api.serverConfig.TeamSettings.SiteName,
                auditCount: s.audit().filter((e) => e?.action === 'branding.apply').length,
            };
            const sent = `Crash ${crashAt}`;
            const crashing = crashAtSideEffect(s.api, crashAt, when);
            const answer = await s.as('POST', BrandingRoutes.apply, {
                expected_version: version,
                values: values(sent),
                ...(earlier > 0 ? {image: upload} : {}),
            });
            crashing.restart();
            if (!crashing.crashed()) {
                // Past the last side effect: the undisturbed write.
                expect(answer.status).toBe(200);
                expect(outcome(s, before, sent, earlier > 0)).toBe('applied');
                expect(crashAt).toBeGreaterThan(3);
                break;
            }
            await s.app.dispatch('onActivate', '');
            seen.add(outcome(s, before, sent, earlier > 0));
            const state = (await s.as('GET', BrandingRoutes.branding)).json;
            const next = await s.as('POST', BrandingRoutes.apply, {expected_version: state.version, values: values(`${sent} again`)});
            expect({crashAt, status: next.status}).toEqual({crashAt, status: 200});
            expect(s.api.serverConfig.TeamSettings.SiteName).toBe(`${sent} again`);
        }

        // Some kills land before the config patch and some after: both ends were exercised.
        expect([...seen].sort()).toEqual(['applied', 'not applied']);
    });
});

describe('a write left pending with no restart (another node)', () => {
    test('is not touched while young (409), finished by the next write once stale', async () => {
        const s = setup();
        expect((await s.as('POST', BrandingRoutes.apply, {expected_version: 0, values: values('First')})).status).toBe(200);

        // Kill right after the config patch (side effects: claim, patch).
        const crashing = crashAtSideEffect(s.api, 2, 'after');
        await s.as('POST', BrandingRoutes.apply, {expected_version: 2, values: values('Saved')});
        crashing.restart();
        expect(s.api.serverConfig.TeamSettings.SiteName).toBe('Saved');
        expect(s.kv.readVersioned(KvKeys.brandingHead).value?.pending).toBeDefined();

        const young = await s.as('POST', BrandingRoutes.apply, {expected_version: 3, values: values('Too soon')});
        expect(young.status).toBe(409);
        expect(s.api.serverConfig.TeamSettings.SiteName).toBe('Saved');

        const realNow = Date.now();
        const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow + 61_000);
        try {
            const stale = await s.as('POST', BrandingRoutes.apply, {expected_version: 3, values: values('Later')});
            expect(stale.status).toBe(200);
            expect(stale.json.applied.version).toBe(4);
        } finally {
            later.mockRestore();
        }
        expect(s.kv.readVersioned(KvKeys.brandingVersion(3)).value).toMatchObject({kind: 'apply', values: {site_name: 'Saved'}});
        expect(
            s.
                audit().
                filter((e) => e?.action === 'branding.apply').
                map((e) => e?.target),
        ).toEqual(['branding:version:2', 'branding:version:3', 'branding:version:4']);
    });
});
