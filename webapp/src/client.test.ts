import {z} from 'zod';

import {Access, fileAnswer, read, write} from 'contract/endpoints';
import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import {PlanRoutes, Routes} from 'contract/routes';

import {Client, ClientError, ClientErrorIds, clientFor, pluginBasePath, siteURLFrom, toRequestError} from './client';
import {mockFetch, statusFixture} from './test/helpers';
import {planResponse} from './test/plan_fixtures';

const base = `/plugins/${manifest.id}`;

function headersOf(init: RequestInit | undefined): Record<string, string> {
    return (init?.headers ?? {}) as Record<string, string>;
}

async function rejection(p: Promise<unknown>): Promise<ClientError> {
    try {
        await p;
    } catch (err) {
        expect(err).toBeInstanceOf(ClientError);
        return err as ClientError;
    }
    throw new Error('expected the request to fail');
}

describe('pluginBasePath', () => {
    it.each([
        [undefined, base],
        ['', base],
        ['http://localhost:8065', base],
        ['http://localhost:8065/', base],
        ['https://chat.example.com/mattermost', `/mattermost${base}`],
        ['https://chat.example.com/a/b/', `/a/b${base}`],
    ])('site URL %p gives %p', (siteURL, expected) => {
        expect(pluginBasePath(siteURL)).toBe(expected);
    });

    it('reads SiteURL from the store config and tolerates a state without one', () => {
        expect(siteURLFrom({entities: {general: {config: {SiteURL: 'https://x.test/chat'}}}})).toBe('https://x.test/chat');
        expect(siteURLFrom({})).toBeUndefined();
        expect(siteURLFrom(undefined)).toBeUndefined();
    });
});

describe('Client', () => {
    afterEach(() => {
        document.cookie = 'MMCSRF=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    });

    it('GETs the status through Client4.getOptions and returns the validated body', async () => {
        const fetchMock = mockFetch({body: statusFixture()});
        const client = clientFor(() => ({entities: {general: {config: {SiteURL: 'https://chat.example.com/sub'}}}}));

        await expect(client.getStatus()).resolves.toEqual(statusFixture());

        expect(fetchMock).toHaveBeenCalledTimes(1);
        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe(`/sub${base}${Routes.status}`);
        expect(init?.method).toBe('GET');
        expect(init?.credentials).toBe('include');
        expect(headersOf(init)['X-Requested-With']).toBe('XMLHttpRequest');
        expect(headersOf(init)['X-CSRF-Token']).toBeUndefined();
    });

    it('sends the MMCSRF cookie as X-CSRF-Token and a JSON body on writes', async () => {
        document.cookie = 'MMCSRF=csrf-123';
        const fetchMock = mockFetch({body: {ok: true}});
        const client = new Client(() => base);

        await expect(client.request('POST', '/api/v1/echo', z.object({ok: z.boolean()}), {a: 1})).resolves.toEqual({ok: true});

        const init = fetchMock.mock.calls[0][1];
        expect(init?.method).toBe('POST');
        expect(init?.body).toBe('{"a":1}');
        expect(headersOf(init)['X-CSRF-Token']).toBe('csrf-123');
        expect(headersOf(init)['Content-Type']).toBe('application/json');
    });

    it('throws ClientError with the id and message of a plugin error body', async () => {
        mockFetch({status: 403, body: {error: {id: ErrorIds.forbidden, message: 'System admins only.'}}});
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.status).toBe(403);
        expect(err.id).toBe(ErrorIds.forbidden);
        expect(err.message).toBe('System admins only.');
        expect(err.url).toBe(`${base}${Routes.status}`);
    });

    it('understands a Mattermost AppError body (answers the server gives before the plugin)', async () => {
        mockFetch({
            status: 401,
            body: {id: 'api.context.session_expired.app_error', message: 'Invalid or expired session', status_code: 401},
        });
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.status).toBe(401);
        expect(err.id).toBe('api.context.session_expired.app_error');
        expect(err.message).toBe('Invalid or expired session');
    });

    it('gives an HTTP error id when the error body is not JSON', async () => {
        mockFetch({status: 502, text: '<html>Bad Gateway</html>'});
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.status).toBe(502);
        expect(err.id).toBe(ClientErrorIds.http);
        expect(err.message).toContain('502');
    });

    it('rejects a 200 answer whose shape does not match the schema', async () => {
        const {host: omittedHost, ...withoutHost} = statusFixture();
        mockFetch({body: {...withoutHost, plugin_version: 7}});
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.status).toBe(200);
        expect(err.id).toBe(ClientErrorIds.badResponse);
        expect(err.message).toMatch(/plugin_version/);
        expect(err.message).toMatch(/host/);
    });

    it('rejects a 200 answer that is not JSON', async () => {
        mockFetch({text: '<!doctype html><title>Mattermost</title>'});
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.id).toBe(ClientErrorIds.badResponse);
    });

    it('turns a network failure into a ClientError with status 0', async () => {
        mockFetch(new TypeError('Failed to fetch'));
        const err = await rejection(new Client(() => base).getStatus());
        expect(err.status).toBe(0);
        expect(err.id).toBe(ClientErrorIds.network);
        expect(err.message).toBe('Failed to fetch');
    });

    it('reads the site URL on every request', async () => {
        const fetchMock = mockFetch({body: statusFixture()});
        let siteURL = 'https://a.test/one';
        const client = clientFor(() => ({entities: {general: {config: {SiteURL: siteURL}}}}));
        await client.getStatus();
        siteURL = 'https://a.test/two';
        await client.getStatus();
        expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
            `/one${base}${Routes.status}`,
            `/two${base}${Routes.status}`,
        ]);
    });
});

describe('plan routes', () => {
    it('sends writes with their method, the expected version and the CSRF-ready options', async () => {
        const fetchMock = mockFetch({body: planResponse()});
        const client = new Client(() => base);
        await client.updateTask('pilot.deploy', 7, {state: 'done'});
        await client.deleteTask('a b', 8);
        await client.reorderPlan(9, ['p'], {p: ['t']});
        await client.importPlan({title: 'x'});
        const sent = fetchMock.mock.calls.map(([url, init]) => [url, init?.method, JSON.parse(String(init?.body))]);
        expect(sent).toEqual([
            [`${base}/api/v1/plan/tasks/pilot.deploy`, 'PATCH', {expected_version: 7, changes: {state: 'done'}}],
            [`${base}/api/v1/plan/tasks/a%20b`, 'DELETE', {expected_version: 8}],
            [`${base}${PlanRoutes.reorder}`, 'POST', {expected_version: 9, phase_order: ['p'], task_order: {p: ['t']}}],
            [`${base}${PlanRoutes.importPlan}`, 'POST', {plan: {title: 'x'}}],
        ]);
        expect(headersOf(fetchMock.mock.calls[0][1])['X-Requested-With']).toBe('XMLHttpRequest');
    });

    it('turns a 409 into a ClientError with the conflict id', async () => {
        mockFetch({status: 409, body: {error: {id: ErrorIds.conflict, message: 'The plan changed (version 8, you sent 7).'}}});
        const err = await rejection(new Client(() => base).updateTask('t', 7, {notes: 'x'}));
        expect(err.status).toBe(409);
        expect(err.id).toBe(ErrorIds.conflict);
    });

    it('keeps the refused field of a 400, for the reader\'s own words', async () => {
        mockFetch({status: 400, body: {error: {id: ErrorIds.invalid, message: 'body.notes: Too big', field: 'notes'}}});
        const err = await rejection(new Client(() => base).updateTask('t', 7, {notes: 'x'}));
        expect(err.field).toBe('notes');
        expect(toRequestError(err)).toEqual({status: 400, id: ErrorIds.invalid, message: 'body.notes: Too big', field: 'notes'});
    });

    it('rejects a plan answer with a task that breaks the contract', async () => {
        const bad = planResponse();
        (bad.plan.phases[0].tasks[0] as Record<string, unknown>).state = 'finished';
        mockFetch({body: bad});
        const err = await rejection(new Client(() => base).getPlan());
        expect(err.id).toBe(ClientErrorIds.badResponse);
        expect(err.message).toMatch(/state/);
    });

    it('returns file answers as text and audit pages with their query', async () => {
        const fetchMock = mockFetch({text: 'a,b\n1,2\n'}, {body: {entries: [], total: 0}});
        const client = new Client(() => base);
        expect(await client.exportAudit('csv')).toBe('a,b\n1,2\n');
        expect(await client.getAudit(2, 25)).toEqual({entries: [], total: 0});
        expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
            `${base}${PlanRoutes.auditExport}?format=csv`,
            `${base}${PlanRoutes.audit}?page=2&per_page=25`,
        ]);
    });

    it('a failed file download is an error like any other', async () => {
        mockFetch({status: 403, body: {error: {id: ErrorIds.forbidden, message: 'admins only'}}});
        const err = await rejection(new Client(() => base).getConfigSnapshot());
        expect(err.status).toBe(403);
        expect(err.message).toBe('admins only');
    });
});

describe('Client.call', () => {
    const thing = read('/api/v1/teams/:teamId/things/:thingId', {
        access: Access.user,
        query: z.object({page: z.string().optional(), outcome: z.string().optional()}),
        answer: z.object({id: z.string()}),
    });
    const removeThing = write('DELETE', '/api/v1/things/:thingId', {
        access: Access.systemAdmin,
        body: z.strictObject({expected_version: z.number()}),
        answer: z.object({deleted: z.boolean()}),
    });
    const thingFile = read('/api/v1/things/export', {access: Access.user, answer: fileAnswer});

    it('fills the path from the declared pattern (URL-encoded) and sends the declared query without absent values', async () => {
        const fetchMock = mockFetch({body: {id: 'x'}});
        await expect(
            new Client(() => base).call(thing, {params: {teamId: 'team a', thingId: 't/1'}, query: {page: 2, outcome: undefined}}),
        ).resolves.toEqual({id: 'x'});
        expect(fetchMock.mock.calls[0][0]).toBe(`${base}/api/v1/teams/team%20a/things/t%2F1?page=2`);
        expect(fetchMock.mock.calls[0][1]?.method).toBe('GET');
    });

    it('sends a DELETE\'s body like any write\'s', async () => {
        const fetchMock = mockFetch({body: {deleted: true}});
        await new Client(() => base).call(removeThing, {params: {thingId: 't1'}, body: {expected_version: 3}});
        expect(fetchMock.mock.calls[0][1]?.method).toBe('DELETE');
        expect(fetchMock.mock.calls[0][1]?.body).toBe('{"expected_version":3}');
    });

    it('checks the answer against the declared schema, and hands a file endpoint\'s text over as is', async () => {
        mockFetch({body: {id: 7}});
        const error = await rejection(new Client(() => base).call(thing, {params: {teamId: 'a', thingId: 'b'}}));
        expect(error.id).toBe(ClientErrorIds.badResponse);

        mockFetch({text: 'a,b\n1,2\n'});
        await expect(new Client(() => base).call(thingFile)).resolves.toBe('a,b\n1,2\n');
    });
});
