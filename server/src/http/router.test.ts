import {z} from 'zod';

import {Access, fileAnswer, read, write} from 'contract/endpoints/endpoint';
import {ErrorIds} from 'contract/errors';

import {Router, withPermissionAnswers} from './router';

import type {Capability} from '../app/capability';
import {versionedRecord} from '../kv/records';
import {readOnlyView} from '../mattermost/readOnly';
import {httpRequest, testApp} from '../testing/harness';
import {InMemoryPermissions} from '../testing/inMemory/permissions';

const NoteSchema = z.strictObject({title: z.string().min(1), tags: z.array(z.string())});
const noteRecord = versionedRecord('test:note', NoteSchema);

const handlerCalls: string[] = [];

// Endpoints covering each guard and each kind of failure, declared here as contract/endpoints/ does.
const TestEndpoints = {
    thing: read('/api/v1/things/:id', {
        access: Access.user,
        query: z.object({sort: z.string().optional(), tag: z.string().optional()}),
        answer: z.object({id: z.string(), sort: z.string().nullable(), tag: z.string().nullable()}),
    }),
    newThing: read('/api/v1/things/new', {access: Access.user, answer: z.object({template: z.boolean()})}),
    addNote: write('POST', '/api/v1/notes', {
        access: Access.systemAdmin,
        body: NoteSchema,
        answer: z.object({saved: z.string()}),
        status: 201,
    }),
    saveNote: write('PUT', '/api/v1/note', {
        access: Access.systemAdmin,
        body: z.strictObject({note: NoteSchema, version: z.number().int()}),
        answer: z.object({version: z.number(), value: NoteSchema}),
    }),
    deleteNote: write('DELETE', '/api/v1/note', {
        access: Access.systemAdmin,
        body: z.strictObject({expected_version: z.number().int()}),
        answer: z.object({deleted: z.number()}),
    }),
    teamSettings: read('/api/v1/teams/:teamId/settings', {
        access: Access.teamAdminOfParam('teamId'),
        answer: z.object({team: z.string()}),
    }),
    settings: read('/api/v1/settings', {
        access: {kind: 'teamAdmin', team: {in: 'query', name: 'team_id'}},
        query: z.object({team_id: z.string()}),
        answer: z.object({team: z.string()}),
    }),
    paged: read('/api/v1/paged', {
        access: Access.user,
        query: z.object({page: z.string().regex(/^\d+$/, 'a whole number').optional()}),
        answer: z.object({page: z.string().nullable()}),
    }),
    boom: read('/api/v1/boom', {access: Access.user, answer: z.null()}),
    writers: read('/api/v1/writers', {access: Access.user, answer: z.record(z.string(), z.string())}),
    wrongAnswer: read('/api/v1/wrong-answer', {access: Access.user, answer: z.object({count: z.number()})}),
    file: read('/api/v1/file', {access: Access.user, answer: fileAnswer}),
};

const testCapability: Capability = {
    name: 'test',
    routes(routes) {
        routes.handle(TestEndpoints.thing, ({params, query}) => {
            handlerCalls.push('get thing');
            return {id: params.id, sort: query.sort ?? null, tag: query.tag ?? null};
        });
        routes.handle(TestEndpoints.newThing, () => ({template: true}));
        routes.handle(TestEndpoints.addNote, ({body}) => {
            handlerCalls.push('post note');
            return {saved: body.title};
        });
        routes.handle(TestEndpoints.saveNote, ({body, kv}) => kv.writeVersioned(noteRecord, body.note, body.version));
        routes.handle(TestEndpoints.deleteNote, ({body}) => ({deleted: body.expected_version}));
        routes.handle(TestEndpoints.teamSettings, ({params}) => ({team: params.teamId}));
        routes.handle(TestEndpoints.settings, ({query}) => ({team: query.team_id}));
        routes.handle(TestEndpoints.paged, ({query}) => ({page: query.page ?? null}));
        routes.handle(TestEndpoints.boom, () => {
            throw new Error('database password is hunter2');
        });
        routes.handle(TestEndpoints.writers, (context) => ({
            apiKvSet: typeof (context.api.kv as unknown as Record<string, unknown>).set,
            postsApi: typeof (context.api as unknown as Record<string, unknown>).posts,
            kvWriteVersioned: typeof (context.kv as unknown as Record<string, unknown>).writeVersioned,
        }));

        // What the types refuse (a count that is not a number) can still happen through a cast: the tests' router catches it.
        routes.handle(TestEndpoints.wrongAnswer, () => ({count: 'three' as unknown as number}));
        routes.handle(TestEndpoints.file, () => ({not: 'a download'}) as never);
    },
};

function setup() {
    handlerCalls.length = 0;
    const harness = testApp({capabilities: [testCapability]});
    const {api} = harness;
    const admin = api.addSystemAdmin('admin');
    const member = api.addUser({username: 'member'});
    const teamAdmin = api.addUser({username: 'lead'});
    const team = api.addTeam('sales');
    const otherTeam = api.addTeam('support');
    api.addTeamMember(team.id, member.id, 'team_user');
    api.addTeamMember(team.id, teamAdmin.id, 'team_user team_admin');
    api.addTeamMember(otherTeam.id, teamAdmin.id, 'team_user');
    return {...harness, admin, member, teamAdmin, team, otherTeam};
}

describe('router: guards', () => {
    type Who = 'anonymous' | 'member' | 'teamAdmin' | 'admin';
    type Case = [name: string, who: Who, method: string, path: string, status: number, errorId: string | null];
    const cases: Case[] = [
        ['anonymous on a user route', 'anonymous', 'GET', '/api/v1/things/7', 401, ErrorIds.unauthenticated],
        ['member on a user route', 'member', 'GET', '/api/v1/things/7', 200, null],
        ['anonymous on an admin route', 'anonymous', 'POST', '/api/v1/notes', 401, ErrorIds.unauthenticated],
        ['member on an admin route', 'member', 'POST', '/api/v1/notes', 403, ErrorIds.forbidden],
        ['team admin on an admin route', 'teamAdmin', 'POST', '/api/v1/notes', 403, ErrorIds.forbidden],
        ['admin on an admin route (201 as declared)', 'admin', 'POST', '/api/v1/notes', 201, null],
        ['member on a team-admin route', 'member', 'GET', '/api/v1/teams/{team}/settings', 403, ErrorIds.forbidden],
        ['team admin of that team', 'teamAdmin', 'GET', '/api/v1/teams/{team}/settings', 200, null],
        ['team admin of another team', 'teamAdmin', 'GET', '/api/v1/teams/{otherTeam}/settings', 403, ErrorIds.forbidden],
        ['system admin on any team', 'admin', 'GET', '/api/v1/teams/{otherTeam}/settings', 200, null],
        ['team id from the query, team admin', 'teamAdmin', 'GET', '/api/v1/settings?team_id={team}', 200, null],
        ['team id from the query, missing', 'teamAdmin', 'GET', '/api/v1/settings', 400, ErrorIds.invalid],
    ];

    test.each(cases)('%s → %i', async (_, who, method, rawPath, status, errorId) => {
        const harness = setup();
        const ids = {team: harness.team.id, otherTeam: harness.otherTeam.id};
        const [path, search] = rawPath.replace(/\{(\w+)\}/g, (_match, name: keyof typeof ids) => ids[name]).split('?');
        const query = search ? {[search.split('=')[0]]: [search.split('=')[1]]} : {};
        const userId = who === 'anonymous' ? '' : harness[who].id;

        const response = await harness.request(method, path, {userId, query, body: {title: 'Kickoff', tags: []}});

        expect(response.status).toBe(status);
        if (errorId) {
            expect(response.json).toEqual({error: {id: errorId, message: expect.any(String)}});
            expect(handlerCalls).toEqual([]);
        }
    });
});

describe('router: permissions the host asked before the request queued', () => {
    // The host asks a serialized route's guard permissions as the request arrives (server/host/serialized.go)
    // and passes the answers; the guard reads them instead of asking the server again inside the turn.
    // Spied before the app binds the API's methods, so every check the server would answer is seen.
    function counted() {
        const spy = jest.spyOn(InMemoryPermissions.prototype, 'hasSystemPermission');
        const harness = setup();
        const asked = () => spy.mock.calls.map(([userId, permission]) => `${userId} ${permission}`);
        return {
            ...harness,
            get asked() {
                return asked();
            },
        };
    }
    afterEach(() => jest.restoreAllMocks());
    const note = {title: 'Kickoff', tags: []};

    test('an answer "granted" lets the admin through without asking the server again', async () => {
        const harness = counted();
        const granted = {manage_system: true};
        const response = await harness.request('POST', '/api/v1/notes', {userId: harness.admin.id, body: note, permissions: granted});
        expect(response.status).toBe(201);
        expect(harness.asked).toEqual([]);
    });

    test('an answer "refused" is a 403 without asking, the handler not called', async () => {
        const harness = counted();
        const refused = {manage_system: false};
        const response = await harness.request('POST', '/api/v1/notes', {userId: harness.member.id, body: note, permissions: refused});
        expect(response.status).toBe(403);
        expect(response.json).toEqual({error: {id: ErrorIds.forbidden, message: expect.any(String)}});
        expect(handlerCalls).toEqual([]);
        expect(harness.asked).toEqual([]);
    });

    test('without answers, or with answers for other permissions, the guard asks the server for each request', async () => {
        const harness = counted();
        const first = await harness.request('POST', '/api/v1/notes', {userId: harness.admin.id, body: note});
        const other = {manage_team: true};
        const second = await harness.request('POST', '/api/v1/notes', {userId: harness.member.id, body: note, permissions: other});
        expect([first.status, second.status]).toEqual([201, 403]);
        expect(harness.asked).toEqual([`${harness.admin.id} manage_system`, `${harness.member.id} manage_system`]);
    });

    test('the answers are about the request\'s own user only: another user\'s permission is asked', () => {
        const harness = counted();
        const request = httpRequest('POST', '/api/v1/notes', {userId: harness.member.id, permissions: {manage_system: true}});
        const api = withPermissionAnswers(readOnlyView(harness.api), request);
        expect(api.permissions.hasSystemPermission(harness.member.id, 'manage_system')).toBe(true);
        expect(harness.asked).toEqual([]);
        expect(api.permissions.hasSystemPermission(harness.admin.id, 'manage_system')).toBe(true);
        expect(api.permissions.hasSystemPermission(harness.teamAdmin.id, 'manage_system')).toBe(false);
        expect(harness.asked).toEqual([`${harness.admin.id} manage_system`, `${harness.teamAdmin.id} manage_system`]);
    });
});

describe('router: routing and request parsing', () => {
    test('unknown route → 404', async () => {
        const {request, member} = setup();
        const response = await request('GET', '/api/v1/nothing', {userId: member.id});
        expect(response.status).toBe(404);
        expect(response.json.error.id).toBe(ErrorIds.notFound);
    });

    test('wrong method → 405 listing the allowed ones', async () => {
        const {request, member} = setup();
        const response = await request('DELETE', '/api/v1/notes', {userId: member.id});
        expect(response.status).toBe(405);
        expect(response.json.error.id).toBe(ErrorIds.methodNotAllowed);
        expect(response.headers?.Allow).toBe('POST');
    });

    test('path params and the query\'s first values reach the handler; a trailing slash is ignored', async () => {
        const {request, member} = setup();
        const response = await request('GET', '/api/v1/things/42/', {
            userId: member.id,
            query: {sort: ['name'], tag: ['a', 'b'], other: ['x']},
        });
        expect(response.json).toEqual({id: '42', sort: 'name', tag: 'a'});
    });

    test('a query value the declared schema refuses → 400 naming it, handler not called', async () => {
        const {request, member} = setup();
        const response = await request('GET', '/api/v1/paged', {userId: member.id, query: {page: ['x']}});
        expect(response.status).toBe(400);
        expect(response.json.error).toEqual({id: ErrorIds.invalid, message: 'query.page: a whole number', field: 'page'});
        expect((await request('GET', '/api/v1/paged', {userId: member.id, query: {page: ['2']}})).json).toEqual({page: '2'});
    });

    test('a DELETE reads its body with the declared schema like any write', async () => {
        const {request, admin} = setup();
        expect((await request('DELETE', '/api/v1/note', {userId: admin.id, body: {expected_version: 4}})).json).toEqual({deleted: 4});
        const missing = await request('DELETE', '/api/v1/note', {userId: admin.id});
        expect(missing.status).toBe(400);
        expect(missing.json.error.message).toContain('body.expected_version');
    });

    test('in tests, an answer that does not match the declared schema fails the request loudly', async () => {
        const {request, member} = setup();
        await expect(request('GET', '/api/v1/wrong-answer', {userId: member.id})).rejects.toThrow(
            /answer of GET \/api\/v1\/wrong-answer does not match its declared schema: answer.count/,
        );
    });

    test('without the check (production), the answer goes out as the handler made it', async () => {
        const router = new Router();
        testCapability.routes?.(router);
        const harness = setup();
        const response = await router.serve(
            {method: 'GET', path: '/api/v1/wrong-answer', query: {}, headers: {}, body: '', userId: harness.member.id},
            {api: harness.api, readOnlyApi: harness.api, log: harness.log},
        );
        expect(JSON.parse(response.body ?? '')).toEqual({count: 'three'});
    });

    test('a file endpoint whose handler returns no Download → 500', async () => {
        const {request, member} = setup();
        expect((await request('GET', '/api/v1/file', {userId: member.id})).status).toBe(500);
    });

    test('a literal segment beats a parameter', async () => {
        const {request, member} = setup();
        expect((await request('GET', '/api/v1/things/new', {userId: member.id})).json).toEqual({template: true});
    });

    test('malformed JSON → 400 cockpit.request.bad_json, handler not called', async () => {
        const {request, admin} = setup();
        const response = await request('POST', '/api/v1/notes', {userId: admin.id, body: '{"title": '});
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.badJson);
        expect(handlerCalls).toEqual([]);
    });

    test('an unknown field → 400 cockpit.request.invalid naming the field', async () => {
        const {request, admin} = setup();
        const response = await request('POST', '/api/v1/notes', {userId: admin.id, body: {title: 'x', tags: [], colour: 'red'}});
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
        expect(response.json.error.message).toContain('colour');
        expect(response.json.error.field).toBe('colour');
    });

    test('a field of the wrong type → 400 whose message names the field path', async () => {
        const {request, admin} = setup();
        const response = await request('POST', '/api/v1/notes', {userId: admin.id, body: {title: 'x', tags: ['ok', 3]}});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain('body.tags.1');
        expect(response.json.error.field).toBe('tags.1');
    });

    test('the guard runs before the body is read: anonymous with bad JSON gets 401, not 400', async () => {
        const {request} = setup();
        expect((await request('POST', '/api/v1/notes', {body: '{nope'})).status).toBe(401);
    });

    test('an unexpected error → 500 with a generic message; the detail goes to the log only', async () => {
        const {request, member, log} = setup();
        const response = await request('GET', '/api/v1/boom', {userId: member.id});
        expect(response.status).toBe(500);
        expect(response.json.error.id).toBe(ErrorIds.internal);
        expect(response.body).not.toContain('hunter2');
        expect(response.body).not.toContain('router');
        expect(log.lines).toContainEqual(
            expect.objectContaining({level: 'error', fields: expect.objectContaining({error: 'database password is hunter2'})}),
        );
    });

    test('GET handlers get no writers, neither in the API nor in KV', async () => {
        const {request, member} = setup();
        expect((await request('GET', '/api/v1/writers', {userId: member.id})).json).toEqual({
            apiKvSet: 'undefined',
            postsApi: 'undefined',
            kvWriteVersioned: 'undefined',
        });
    });
});

describe('router: versioned writes over HTTP', () => {
    test('two admins saving from the same version: one 200, one 409, and no update is lost', async () => {
        const {request, admin, api} = setup();
        const first = await request('PUT', '/api/v1/note', {userId: admin.id, body: {note: {title: 'A', tags: []}, version: 0}});
        expect(first.json).toEqual({version: 1, value: {title: 'A', tags: []}});

        const alice = await request('PUT', '/api/v1/note', {userId: admin.id, body: {note: {title: 'A', tags: ['alice']}, version: 1}});
        const bob = await request('PUT', '/api/v1/note', {userId: admin.id, body: {note: {title: 'A', tags: ['bob']}, version: 1}});

        expect(alice.status).toBe(200);
        expect(bob.status).toBe(409);
        expect(bob.json.error.id).toBe(ErrorIds.conflict);

        // Bob's stale write changed nothing: Alice's save is what is stored.
        expect(JSON.parse(api.kv.get('test:note') ?? 'null')).toEqual({version: 2, value: {title: 'A', tags: ['alice']}});
    });
});

describe('router: registration', () => {
    test('a body schema that would drop unknown fields is refused before the handler runs', async () => {
        const loose = write('POST', '/api/v1/loose', {access: Access.user, body: z.object({a: z.string()}), answer: z.null()});
        const calls: string[] = [];
        const {api, log, request} = testApp({capabilities: [{name: 'loose',
            routes: (routes) => routes.handle(loose, () => {
                calls.push('handler');
                return null;
            })}]});
        const user = api.addUser({username: 'someone'});
        const response = await request('POST', '/api/v1/loose', {userId: user.id, body: {a: 'x', nmae: 'typo'}});
        expect(response.status).toBe(500);
        expect(calls).toEqual([]);
        expect(log.lines.map((line) => String(line.fields?.error ?? '')).join('\n')).toMatch(/must be a z.strictObject/);
    });

    test('the same method and path shape twice is refused', () => {
        const router = new Router();
        router.handle(read('/api/v1/waves/:id', {access: Access.user, answer: z.null()}), () => null);
        expect(() => router.handle(read('/api/v1/waves/:waveId', {access: Access.user, answer: z.null()}), () => null)).toThrow(
            /registered twice/,
        );
    });

    test('a path without a leading slash is refused', () => {
        expect(() => new Router().handle(read('api/v1/x', {access: Access.user, answer: z.null()}), () => null)).toThrow(/must start with/);
    });
});

describe('router: types', () => {
    test('a handler\'s params, body and answer are its declaration\'s', () => {
        // Each line fails to compile without its @ts-expect-error; at run time each registers once.
        // @ts-expect-error: the answer must be the declared one.
        new Router().handle(TestEndpoints.newThing, () => ({template: 'yes'}));

        // @ts-expect-error: a GET has no body.
        new Router().handle(TestEndpoints.thing, ({body}) => ({id: String(body), sort: null, tag: null}));

        // @ts-expect-error: the params are the path's.
        new Router().handle(TestEndpoints.thing, ({params}) => ({id: params.thingId, sort: null, tag: null}));

        // @ts-expect-error: the body is the declared one.
        new Router().handle(TestEndpoints.addNote, ({body}) => ({saved: body.name}));

        // @ts-expect-error: a file endpoint answers with a Download.
        new Router().handle(TestEndpoints.file, () => 'text');
    });
});
