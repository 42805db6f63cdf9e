import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'fs';
import {dirname, join, relative} from 'path';

import {z} from 'zod';

import {allEndpoints} from 'contract/endpoints';
import {Access, read, write} from 'contract/endpoints/endpoint';

import {requireUser} from './guards';
import {Router} from './router';

import {testApp} from '../testing/harness';
import {routeTable} from '../testing/routeTable';

// e2e/cockpit/testdata/routes.json is the route table of the declared endpoints (contract/endpoints/),
// each with the guard the real app applies, read by the real-server hardening tests. This test
// regenerates it with UPDATE_ROUTES=1 and otherwise fails when the committed file no longer matches.
const committedPath = join(__dirname, '..', '..', '..', 'e2e', 'cockpit', 'testdata', 'routes.json');
const updateCommand = 'make routes';

function productTable() {
    const {router} = testApp().app;
    const guards = new Map(router.declarations().map(({endpoint, guard}) => [endpoint, guard]));
    return routeTable(allEndpoints.map((endpoint) => {
        const guard = guards.get(endpoint);
        if (!guard) {
            throw new Error(`${endpoint.method} ${endpoint.path} has no handler`);
        }
        return {endpoint, guard};
    }));
}

const label = (endpoint: {method: string; path: string}) => `${endpoint.method} ${endpoint.path}`;

describe('routeTable', () => {
    test('lists method, path, params, declared access and the body shape of each endpoint', () => {
        const router = new Router();
        router.handle(
            read('/api/v1/teams/:teamId/things/:thingId', {access: Access.teamAdminOfParam('teamId'), answer: z.null()}),
            () => null,
        );
        router.handle(
            write('POST', '/api/v1/things', {
                access: Access.systemAdmin,
                body: z.strictObject({
                    name: z.string(),
                    count: z.number().int().optional(),
                    note: z.string().nullable(),
                    on: z.boolean().default(false),
                }),
                answer: z.null(),
            }),
            () => null,
        );
        router.handle(write('PUT', '/api/v1/list', {access: Access.user, body: z.array(z.string()), answer: z.null()}), () => null);
        router.handle(
            write('DELETE', '/api/v1/things/:thingId', {
                access: Access.systemAdmin,
                body: z.strictObject({expected_version: z.number()}),
                answer: z.null(),
            }),
            () => null,
        );

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
            {
                method: 'PUT',
                path: '/api/v1/list',
                params: [],
                access: {kind: 'user'},
                guard: 'signed-in user',
                body: {type: 'array', strict: false, fields: null},
            },
            {
                method: 'DELETE',
                path: '/api/v1/things/:thingId',
                params: ['thingId'],
                access: {kind: 'systemAdmin'},
                guard: 'system admin',
                body: {type: 'object', strict: true, fields: {expected_version: {type: 'number', optional: false, nullable: false}}},
            },
        ]);
    });

    test('the product serves exactly the declared endpoints: none without a handler, no handler for an undeclared one', () => {
        const served = testApp().app.router.endpoints();
        const declared = new Set(allEndpoints);
        expect(served.filter((endpoint) => !declared.has(endpoint)).map(label)).toEqual([]);
        const servedSet = new Set(served);
        expect(allEndpoints.filter((endpoint) => !servedSet.has(endpoint)).map(label)).toEqual([]);
    });

    test('a capability\'s own guard must let through what the endpoint declares', () => {
        const listed = read('/api/v1/listed', {access: {kind: 'listed', list: 'somewhere'}, answer: z.null()});
        expect(() => new Router().handle(listed, () => null)).toThrow(/needs the capability's own guard/);
        expect(() => new Router().handle(listed, () => null, requireUser)).toThrow(/lets through/);
        expect(() =>
            new Router().handle(read('/api/v1/x', {access: Access.user, answer: z.null()}), () => null, requireUser),
        ).toThrow(/built-in guard/);
    });

    test(`e2e/cockpit/testdata/routes.json is the declared endpoints' route table (update: ${updateCommand})`, () => {
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
            const routeLines = (text: string) => new Set((JSON.parse(text) as Array<{method: string; path: string}>).map(label));
            const before = routeLines(committed);
            const after = routeLines(generated);
            const added = [...after].filter((route) => !before.has(route));
            const removed = [...before].filter((route) => !after.has(route));
            throw new Error(
                `${where} is out of date with the endpoints (added: ${added.join(', ') || 'none'}; removed: ` +
                `${removed.join(', ') || 'none'}; ` +
                    `or a guard/body changed): run \`${updateCommand}\``,
            );
        }
    });
});
