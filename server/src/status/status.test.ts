import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import {Routes} from 'contract/routes';
import {StatusSchema} from 'contract/status';

import type {ServerLicense} from '../mattermost/api';
import {testApp} from '../testing/harness';

const enterpriseLicense: ServerLicense = {
    id: 'lic1',
    issued_at: 1,
    starts_at: 1,
    expires_at: 1_900_000_000_000,
    sku_name: 'Enterprise',
    sku_short_name: 'enterprise',
    is_trial: true,
    features: {users: 2500, ldap: true},
};

function setup() {
    const harness = testApp();
    return {...harness, admin: harness.api.addSystemAdmin('admin'), member: harness.api.addUser({username: 'member'})};
}

describe(`GET ${Routes.status}`, () => {
    test('without a license: licensed false, empty sku, no seats', async () => {
        const {request, admin, api} = setup();
        api.serverVersion = '11.9.1';
        api.hostStats = {pool_idle: 3, pool_busy: 1, pool_max: 64, vms_created: 4, vms_discarded: 0, calls_served: 10, calls_failed: 1};

        const response = await request('GET', Routes.status, {userId: admin.id});

        expect(response.status).toBe(200);
        expect(StatusSchema.parse(response.json)).toEqual({
            plugin_id: manifest.id,
            plugin_version: manifest.version,
            server_version: '11.9.1',
            node_id: 'node-1',
            license: {licensed: false, sku: '', is_trial: false, expires_at: 0, users: 0},
            host: api.hostStats,
        });
    });

    test('with a license: sku, trial flag, expiry and seats from features.users', async () => {
        const {request, admin, api} = setup();
        api.license = enterpriseLicense;
        const response = await request('GET', Routes.status, {userId: admin.id});
        expect(response.json.license).toEqual({
            licensed: true,
            sku: 'enterprise',
            is_trial: true,
            expires_at: 1_900_000_000_000,
            users: 2500,
        });
    });

    test('a license without a seat count reports 0 seats', async () => {
        const {request, admin, api} = setup();
        api.license = {...enterpriseLicense, features: {ldap: true}};
        expect((await request('GET', Routes.status, {userId: admin.id})).json.license.users).toBe(0);
    });

    test('members are refused', async () => {
        const {request, member} = setup();
        const response = await request('GET', Routes.status, {userId: member.id});
        expect(response.status).toBe(403);
        expect(response.json.error.id).toBe(ErrorIds.forbidden);
    });
});

describe(`GET ${Routes.ping}`, () => {
    test('any signed-in user gets {ok: true}', async () => {
        const {request, member} = setup();
        const response = await request('GET', Routes.ping, {userId: member.id});
        expect(response.status).toBe(200);
        expect(response.body).toBe('{"ok":true}');
    });

    test('anonymous callers get 401', async () => {
        const {request} = setup();
        expect((await request('GET', Routes.ping)).status).toBe(401);
    });
});
