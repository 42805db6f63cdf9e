import {InMemoryMattermostApi} from './inMemoryMattermostApi';

import {bindingEntries} from '../hostApi';

// The in-memory twin is the one hand-written counterpart of the Go binding table (server/host/bindings.go):
// it must offer every binding as the facade method of the same name, and nothing the table lacks.

// The methods of a namespace object that are no binding: a seeding helper and a private one.
const notBindings: Record<string, string[]> = {permissions: ['grantToRole', 'rolesGrant']};

function methodsOf(target: object): string[] {
    const names = new Set<string>();
    for (let object: object | null = target; object && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
        for (const name of Object.getOwnPropertyNames(object)) {
            if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function') {
                names.add(name);
            }
        }
    }
    return [...names].sort();
}

describe('InMemoryMattermostApi against the binding table', () => {
    const api = new InMemoryMattermostApi() as unknown as Record<string, object>;
    const byNamespace = new Map<string, string[]>();
    for (const {namespace, method} of bindingEntries()) {
        byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), method]);
    }

    test.each([...byNamespace.keys()])('%s has exactly the bindings of its namespace', (namespace) => {
        const methods = methodsOf(api[namespace]).filter((name) => !notBindings[namespace]?.includes(name));
        expect(methods).toEqual([...(byNamespace.get(namespace) ?? [])].sort());
    });
});
