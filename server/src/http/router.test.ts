import {z} from 'zod';

import {ErrorIds} from 'contract/errors';

import {requireSystemAdmin, requireTeamAdmin, requireUser, teamIdFrom} from './guards';
import {Router} from './router';

import type {Capability} from '../app/capability';
import {versionedRecord} from '../kv/records';
import {testApp} from '../testing/harness';

const NoteSchema = z.strictObject({title: z.string().min(1), tags: z.array(z.string())});
const noteRecord = versionedRecord('test:note', NoteSchema);

const handlerCalls: string[] = [];

// Routes covering each guard and each kind of failure. Handlers record that they ran, so tests can
// also check that a refused request never reached its handler.
const testCapability: Capability = {
    name: 'test',
    routes(routes) {
        routes.get('/api/v1/things/:id', requireUser, ({params, query}) => {
            handlerCalls.push('get thing');
            return {id: params.id, sort: query.get('sort') ?? null, tags: query.getAll('tag')};
        });
        routes.get('/api/v1/things/new', requireUser, () => ({template: true}));
        routes.post('/api/v1/notes', requireSystemAdmin, NoteSchema, ({body}) => {
            handlerCalls.push('post note');
            return {saved: body.title};
        });
        routes.put('/api/v1/note', requireSystemAdmin, z.strictObject({note: NoteSchema, version: z.number().int()}), ({body, kv}) =>
            kv.writeVersioned(noteRecord, body.note, body.version),
        );
        routes.get('/api/v1/teams/:teamId/settings', requireTeamAdmin(teamIdFrom.param('teamId')), ({params}) => ({team: params.teamId}));
        routes.get('/api/v1/settings', requireTeamAdmin(teamIdFrom.query('team_id')), ({query}) => ({team: query.get('team_id')}));
        routes.get('/api/v1/boom', requireUser, () => {
            throw new Error('database password is hunter2');
        });
        routes.get('/api/v1/writers', requireUser, (context) => ({
            apiKvSet: typeof (context.api.kv as unknown as Record<string, unknown>).set,
            postsApi: typeof (context.api as unknown as Record<string, unknown>).posts,
            kvWriteVersioned: typeof (context.kv as unknown as Record<string, unknown>).writeVersioned,
        }));
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
        ['admin on an admin route', 'admin', 'POST', '/api/v1/notes', 200, null],
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

    test('path params and query values reach the handler; a trailing slash is ignored', async () => {
        const {request, member} = setup();
        const response = await request('GET', '/api/v1/things/42/', {userId: member.id, query: {sort: ['name'], tag: ['a', 'b']}});
        expect(response.json).toEqual({id: '42', sort: 'name', tags: ['a', 'b']});
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
    });

    test('a field of the wrong type → 400 whose message names the field path', async () => {
        const {request, admin} = setup();
        const response = await request('POST', '/api/v1/notes', {userId: admin.id, body: {title: 'x', tags: ['ok', 3]}});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain('body.tags.1');
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
        expect(log.lines).toContainEqual(expect.objectContaining({level: 'error', fields: expect.objectContaining({error: 'database password is hunter2'})}));
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
    test('a body schema that would drop unknown fields is refused', () => {
        expect(() => new Router().post('/api/v1/x', requireUser, z.object({a: z.string()}), () => null)).toThrow(/strictObject/);
    });

    test('the same method and path shape twice is refused', () => {
        const router = new Router();
        router.get('/api/v1/waves/:id', requireUser, () => null);
        expect(() => router.get('/api/v1/waves/:waveId', requireUser, () => null)).toThrow(/registered twice/);
    });

    test('a path without a leading slash is refused', () => {
        expect(() => new Router().get('api/v1/x', requireUser, () => null)).toThrow(/must start with/);
    });
});
