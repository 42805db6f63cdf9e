import {readFileSync} from 'fs';
import {join} from 'path';

import {bindingEntries, createHostApi} from './hostApi';

import {callHost} from '../host/call';
import {hostCallBackedBy} from '../testing/inMemory/hostCall';
import {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';

// The binding names as the Go generator wrote them.
function generatedBindingNames(): string[] {
    const source = readFileSync(join(__dirname, '..', 'host', 'bindings.gen.ts'), 'utf8');
    return [...source.matchAll(/^\s*'([a-zA-Z]+\.[a-zA-Z]+)':/gm)].map((match) => match[1]).sort();
}

describe('createHostApi', () => {
    test('every host binding is the facade method of the same name', () => {
        const names = generatedBindingNames();
        expect(names.length).toBeGreaterThan(30);
        expect(bindingEntries().map((entry) => entry.binding).sort()).toEqual(names);
        const api = createHostApi((name) => name) as unknown as Record<string, Record<string, () => unknown>>;
        for (const {namespace, method, binding} of bindingEntries()) {
            expect(`${namespace}.${method}`).toBe(binding);
            expect(api[namespace][method]()).toBe(binding);
        }
    });

    test('createHostApi forwards each facade call to its binding with the same arguments', () => {
        const calls: unknown[][] = [];
        const api = createHostApi((name, ...args) => {
            calls.push([name, ...args]);
            return true;
        });
        expect(api.permissions.hasTeamPermission('u1', 't1', 'manage_team')).toBe(true);
        api.channels.getDirect('a', 'b');
        expect(calls).toEqual([
            ['permissions.hasTeamPermission', 'u1', 't1', 'manage_team'],
            ['channels.getDirect', 'a', 'b'],
        ]);
    });
});

describe('callHost', () => {
    const globals = globalThis as unknown as {__host_call?: (name: string, args: string) => string};
    afterEach(() => delete globals.__host_call);

    test('sends the arguments as a JSON array and parses the JSON result', () => {
        const seen: string[] = [];
        globals.__host_call = (name, argsJSON) => {
            seen.push(`${name} ${argsJSON}`);
            return '{"id":"u1","username":"ann"}';
        };
        expect(callHost('users.get', 'u1')).toEqual({id: 'u1', username: 'ann'});
        expect(seen).toEqual(['users.get ["u1"]']);
    });

    test('against the in-memory host, void bindings answer null and errors keep their HostError shape', () => {
        const fake = new InMemoryMattermostApi();
        globals.__host_call = hostCallBackedBy(fake);
        expect(callHost('kv.set', 'a:b', 'v')).toBeNull();
        expect(callHost('kv.get', 'a:b')).toBe('v');
        expect(() => callHost('users.get', 'missing')).toThrow(expect.objectContaining({name: 'HostError', status_code: 404}));
    });
});
