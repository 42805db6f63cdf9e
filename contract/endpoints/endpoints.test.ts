import {z} from 'zod';

import {allEndpoints, Endpoints, isStrictObject, paramNames} from '.';

const label = (endpoint: {method: string; path: string}) => `${endpoint.method} ${endpoint.path}`;

describe('endpoint declarations', () => {
    test('toPath fills the pattern\'s parameters, URL-encoded', () => {
        expect(Endpoints.templates.decide.toPath({teamId: 'team a', proposalId: 'p/1'})).toBe(
            '/api/v1/templates/review/teams/team%20a/proposals/p%2F1/decide',
        );
        expect(Endpoints.status.status.toPath()).toBe('/api/v1/status');
        expect(() => (Endpoints.waves.wave.toPath as (params: object) => string)({})).toThrow(/no value for :waveId/);
    });

    test('method and path shape are unique', () => {
        const shapes = allEndpoints.map((endpoint) => `${endpoint.method} ${endpoint.path.replace(/:[^/]+/g, ':')}`);
        expect(shapes.filter((shape, i) => shapes.indexOf(shape) !== i)).toEqual([]);
    });

    test('a team admin guard reads a parameter its path has', () => {
        const wrong = allEndpoints.filter((endpoint) => endpoint.access.kind === 'teamAdmin' && endpoint.access.team.in === 'param' &&
            !paramNames(endpoint.path).includes(endpoint.access.team.name));
        expect(wrong.map(label)).toEqual([]);
    });

    test('every write declares a strict body, GETs none', () => {
        const wrong = allEndpoints.filter((endpoint) =>
            (endpoint.method === 'GET' ? endpoint.body !== undefined : endpoint.body === undefined || !isStrictObject(endpoint.body)),
        );
        expect(wrong.map(label)).toEqual([]);
    });

    test('the expected version travels in the body, DELETEs included, never in the query', () => {
        const deletesWithout = allEndpoints.filter(
            (endpoint) =>
                endpoint.method === 'DELETE' &&
                !(
                    endpoint.body instanceof z.ZodObject &&
                    'expected_version' in endpoint.body.shape &&
                    !endpoint.body.shape.expected_version.safeParse(undefined).success
                ),
        );
        expect(deletesWithout.map(label)).toEqual([]);
        const inQuery = allEndpoints.filter((endpoint) => endpoint.query && 'expected_version' in endpoint.query.shape);
        expect(inQuery.map(label)).toEqual([]);
    });
});
