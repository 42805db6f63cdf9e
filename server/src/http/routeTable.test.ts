import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'fs';
import {dirname, join, relative} from 'path';

import {z} from 'zod';

import {requireSystemAdmin, requireTeamAdmin, requireUser, teamIdFrom} from './guards';
import {Router} from './router';

import {testApp} from '../testing/harness';
import {routeTable} from '../testing/routeTable';

// e2e/cockpit/testdata/routes.json is the route table of the real app (every capability), read by
// the real-server hardening tests. This test regenerates it with UPDATE_ROUTES=1 and otherwise
// fails when the committed file no longer matches what the router declares.
const committedPath = join(__dirname, '..', '..', '..', 'e2e', 'cockpit', 'testdata', 'routes.json');
const updateCommand = 'make routes';

function productTable() {
    return routeTable(testApp().app.router.declarations());
}

describe('routeTable', () => {
    test('lists method, path, params, declared access and the body shape of each route', () => {
        const router = new Router();
        router.get('/api/v1/teams/:teamId/things/:thingId', requireTeamAdmin(teamIdFrom.param('teamId')), () => null);
        router.post(
            '/api/v1/things',
            requireSystemAdmin,
            z.strictObject({name: z.string(), count: z.number().int().optional(), note: z.string().nullable(), on: z.boolean().default(false)}),
            () => null,
        );
        router.put('/api/v1/list', requireUser, z.array(z.string()), () => null);
        router.delete('/api/v1/settings', requireTeamAdmin(teamIdFrom.query('team_id')), () => null);

        expect(routeTable(router.declarations())).toEqual([
            {
                method: 'GET',
                path: '/api/v1/teams/:teamId/things/:thingId',
                params: ['teamId', 'thingId'],
                access: {kind: 'teamAdmin', team: {in: 'param', name: 'teamId'}},
                guard: 'team admin of :teamId',
                body: null,
            },
            {
                method: 'POST',
                path: '/api/v1/things',
                params: [],
                access: {kind: 'systemAdmin'},
                guard: 'system admin',
                body: {
                    type: 'object',
                    strict: true,
                    fields: {
                        name: {type: 'string', optional: false, nullable: false},
                        count: {type: 'number', optional: true, nullable: false},
                        note: {type: 'string', optional: false, nullable: true},
                        on: {type: 'boolean', optional: true, nullable: false},
                    },
                },
            },
            {method: 'PUT', path: '/api/v1/list', params: [], access: {kind: 'user'}, guard: 'signed-in user', body: {type: 'array', strict: false, fields: null}},
            {
                method: 'DELETE',
                path: '/api/v1/settings',
                params: [],
                access: {kind: 'teamAdmin', team: {in: 'query', name: 'team_id'}},
                guard: 'team admin of ?team_id',
                body: null,
            },
        ]);
    });

    test('a guard without declared access shows up as null', () => {
        const router = new Router();
        router.get('/api/v1/odd', {description: 'whoever', check: () => undefined}, () => null);
        expect(routeTable(router.declarations())[0].access).toBeNull();
    });

    test('every route of the product declares who may call it', () => {
        const undeclared = productTable().
            filter((route) => route.access === null).
            map((route) => `${route.method} ${route.path} (${route.guard})`);

        // A guard needs `access` (http/guards.ts, GuardAccess) so the authorization matrix can derive expectations.
        expect(undeclared).toEqual([]);
    });

    test(`e2e/cockpit/testdata/routes.json is the product's route table (update: ${updateCommand})`, () => {
        const generated = JSON.stringify(productTable(), null, 2) + '\n';
        // eslint-disable-next-line no-process-env -- `make routes` asks for the committed table to be rewritten.
        if (process.env.UPDATE_ROUTES === '1') {
            mkdirSync(dirname(committedPath), {recursive: true});
            writeFileSync(committedPath, generated);
        }
        const where = relative(process.cwd(), committedPath);
        if (!existsSync(committedPath)) {
            throw new Error(`${where} is missing: run \`${updateCommand}\``);
        }
        const committed = readFileSync(committedPath, 'utf8');
        if (committed !== generated) {
            const routeLines = (text: string) => new Set((JSON.parse(text) as Array<{method: string; path: string}>).map((route) => `${route.method} ${route.path}`));
            const before = routeLines(committed);
            const after = routeLines(generated);
            const added = [...after].filter((route) => !before.has(route));
            const removed = [...before].filter((route) => !after.has(route));
            throw new Error(
                `${where} is out of date with the router (added: ${added.join(', ') || 'none'}; removed: ${removed.join(', ') || 'none'}; ` +
                    `or a guard/body changed): run \`${updateCommand}\``,
            );
        }
    });
});
