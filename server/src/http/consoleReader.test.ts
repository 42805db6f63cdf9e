// Read-only admins (system_read_only_admin: sysconsole_read_plugins without manage_system) see the cockpit
// the System Console shows them: its reads answer, its writes and its secret-adjacent reads do not.
import {ErrorIds} from 'contract/errors';
import {AdoptionRoutes, BrandingRoutes, PlanRoutes, Routes, StakeholderRoutes, TemplateRoutes, WaveRoutes} from 'contract/routes';

import {Permissions} from '../mattermost/permissions';
import {testApp} from '../testing/harness';
import {routeTable} from '../testing/routeTable';

async function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('root.admin');
    const reader = harness.api.addUser({username: 'read.only', roles: 'system_user system_read_only_admin'});
    const member = harness.api.addUser({username: 'plain.member'});
    await harness.app.dispatch('onActivate', 'null');
    const as = (userId: string) => ({
        get: (path: string) => harness.request('GET', path, {userId}),
        post: (path: string, body: unknown = {}) => harness.request('POST', path, {userId, body}),
        put: (path: string, body: unknown = {}) => harness.request('PUT', path, {userId, body}),
    });
    return {...harness, admin, reader, member, as};
}

const reads = [
    Routes.status,
    PlanRoutes.plan,
    PlanRoutes.exportPlan,
    PlanRoutes.readiness,
    PlanRoutes.audit,
    BrandingRoutes.branding,
    AdoptionRoutes.adoption,
    WaveRoutes.waves,
    TemplateRoutes.templates,
    TemplateRoutes.proposals,
    StakeholderRoutes.access,
];

describe('the console-reader guard', () => {
    test('the in-memory server grants system_read_only_admin sysconsole_read_plugins but not manage_system', async () => {
        const {api, reader} = await setup();
        expect(api.permissions.hasSystemPermission(reader.id, Permissions.sysconsoleReadPlugins)).toBe(true);
        expect(api.permissions.hasSystemPermission(reader.id, Permissions.manageSystem)).toBe(false);
    });

    test('a read-only admin reads the plan, readiness, waves and the rest: 200 like a system admin', async () => {
        const {as, admin, reader} = await setup();
        for (const route of reads) {
            expect([route, (await as(reader.id).get(route)).status]).toEqual([route, 200]);
            expect([route, (await as(admin.id).get(route)).status]).toEqual([route, 200]);
        }
    });

    test('a member without the permission gets 403, an anonymous caller 401', async () => {
        const {as, member} = await setup();
        for (const route of reads) {
            const response = await as(member.id).get(route);
            expect([route, response.status, response.json.error.id]).toEqual([route, 403, ErrorIds.forbidden]);
            expect((await as('').get(route)).status).toBe(401);
        }
    });

    test('writes stay system-admin only, and so do the config snapshot and the credential details', async () => {
        const {as, reader} = await setup();
        const plan = (await as(reader.id).get(PlanRoutes.plan)).json;
        expect((await as(reader.id).post(PlanRoutes.readinessRun)).status).toBe(403);
        expect((await as(reader.id).post(PlanRoutes.importPlan, {plan: {}, expected_version: plan.version})).status).toBe(403);
        expect((await as(reader.id).put(AdoptionRoutes.targets, {expected_version: 0, targets: []})).status).toBe(403);
        expect((await as(reader.id).get(PlanRoutes.configSnapshot)).status).toBe(403);
        expect((await as(reader.id).get(TemplateRoutes.credential)).status).toBe(403);
    });

    test('the route table declares the guard as data, and no write route uses it', async () => {
        const {app} = await setup();
        const table = routeTable(app.router.declarations());
        const readers = table.filter((r) => r.access?.kind === 'consoleReader');
        expect(readers.map((r) => r.path)).toEqual(expect.arrayContaining([PlanRoutes.plan, PlanRoutes.readiness, WaveRoutes.waves]));
        expect(readers.every((r) => r.method === 'GET')).toBe(true);
    });
});
