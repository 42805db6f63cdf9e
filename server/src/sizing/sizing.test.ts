import {LoadTestEndpoints} from 'contract/endpoints/loadtest';
import {SizingEndpoints} from 'contract/endpoints/sizing';
import type {SizingAnswer} from 'contract/sizing';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

const path = SizingEndpoints.save.toPath();

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');
    const member = harness.api.addUser({username: 'member'});
    const as = (method: string, body?: unknown, userId = admin.id) => harness.request(method, path, {userId, body});
    const kv = new KvStore(harness.api.kv);
    const auditEntries = () => {
        const count = kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value);
    };
    return {...harness, admin, member, as, kv, auditEntries};
}

const sizing = {total_users: 8000, concurrent_users: 2100, architecture_users: 15000};

describe('the plan\'s sizing: one saved record', () => {
    test('nothing saved: null at version 0; a save is read back, audited, and is the load test\'s target', async () => {
        const {as, admin, auditEntries, request} = setup();
        expect((await as('GET')).json).toEqual({sizing: null, version: 0, updated_at: null, updated_by: null});

        const saved = await as('PUT', {expected_version: 0, sizing});
        expect(saved.status).toBe(200);
        expect(saved.json).toMatchObject({sizing, version: 1, updated_by: admin.id});
        expect((await as('GET')).json as SizingAnswer).toEqual(saved.json);
        expect(auditEntries()).toEqual([
            expect.objectContaining({action: 'sizing.update', user_id: admin.id, before: null, after: sizing}),
        ]);

        const overview = await request('GET', LoadTestEndpoints.overview.toPath(), {userId: admin.id});
        expect(overview.json).toMatchObject({target: sizing, verdict: {state: 'no_run', concurrent_users: 2100}});
    });

    test('compare-and-set: a stale version is a 409 and nothing changes', async () => {
        const {as, api} = setup();
        await as('PUT', {expected_version: 0, sizing});
        const before = kvDump(api.kv);
        const stale = await as('PUT', {expected_version: 0, sizing: {...sizing, concurrent_users: 3000}});
        expect(stale.status).toBe(409);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test.each([
        ['an architecture that is not a reference one', {...sizing, architecture_users: 12345}],
        ['negative users', {...sizing, concurrent_users: -1}],
        ['fractional users', {...sizing, total_users: 10.5}],
        ['a missing field', {total_users: 10, concurrent_users: 5}],
        ['an extra field', {...sizing, notes: 'x'}],
    ])('%s: 400, nothing stored', async (_, bad) => {
        const {as, api} = setup();
        const before = kvDump(api.kv);
        const response = await as('PUT', {expected_version: 0, sizing: bad});
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({error: {id: expect.any(String), message: expect.any(String)}});
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('only a system admin saves; a member may not read it either', async () => {
        const {as, member, api} = setup();
        const before = kvDump(api.kv);
        expect((await as('PUT', {expected_version: 0, sizing}, member.id)).status).toBe(403);
        expect((await as('GET', undefined, member.id)).status).toBe(403);
        expect(kvDump(api.kv)).toEqual(before);
    });

    test('an earlier release\'s load-test target is read as the sizing, and moved once at activation', async () => {
        const {as, app, kv, admin, auditEntries} = setup();
        kv.writeVersioned(KvKeys.legacyLoadTestTarget, {
            target: {total_users: 5000, concurrent_users: 1800}, updated_at: 1_000, updated_by: admin.id,
        }, 0);
        const legacySizing = {total_users: 5000, concurrent_users: 1800, architecture_users: null};
        const legacy = {sizing: legacySizing, updated_at: 1_000, updated_by: admin.id};

        // Before the move a GET reads it (and writes nothing).
        expect((await as('GET')).json).toEqual({...legacy, version: 0});

        await app.dispatch('onActivate', 'null');
        expect(kv.readVersioned(KvKeys.legacyLoadTestTarget).value).toBeUndefined();
        expect((await as('GET')).json).toEqual({...legacy, version: 1});
        expect(auditEntries().map((e) => e?.action)).toEqual(['sizing.migrate']);

        // Once: a second activation changes nothing.
        await app.dispatch('onActivate', 'null');
        expect((await as('GET')).json).toEqual({...legacy, version: 1});
        expect(auditEntries()).toHaveLength(1);
    });

    test('a saved sizing wins over a leftover load-test target, which the activation then deletes', async () => {
        const {as, app, kv} = setup();
        await as('PUT', {expected_version: 0, sizing});
        kv.writeVersioned(KvKeys.legacyLoadTestTarget, {target: {total_users: 1, concurrent_users: 1}, updated_at: 1, updated_by: 'x'}, 0);
        await app.dispatch('onActivate', 'null');
        expect((await as('GET')).json).toMatchObject({sizing, version: 1});
        expect(kv.readVersioned(KvKeys.legacyLoadTestTarget).value).toBeUndefined();
    });
});
