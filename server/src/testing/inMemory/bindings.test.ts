import {InMemoryMattermostApi} from './inMemoryMattermostApi';

import type {MattermostApi} from '../../mattermost/api';
import {bindingEntries} from '../../mattermost/hostApi';

// The in-memory twin is the one hand-written counterpart of the Go binding table (server/host/bindings.go):
// it must offer every binding as the facade method of the same name, and nothing the table lacks.

// The public members of the twin's namespace objects that are no binding: its seeding helpers. The
// type fails to compile when a namespace gains another public member the facade lacks (or loses one).
type PublicExtras = {
    [Namespace in keyof MattermostApi]: Exclude<keyof InMemoryMattermostApi[Namespace], keyof MattermostApi[Namespace]>;
}[keyof MattermostApi];
const seedingHelpers: Record<PublicExtras, true> = {grantToRole: true};

describe('InMemoryMattermostApi against the binding table', () => {
    const api = new InMemoryMattermostApi() as unknown as Record<string, Record<string, unknown>>;
    const byNamespace = new Map<string, string[]>();
    for (const {namespace, method} of bindingEntries()) {
        byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), method]);
    }

    test.each([...byNamespace.keys()])('%s implements every binding of its namespace', (namespace) => {
        const missing = byNamespace.get(namespace)?.filter((method) => typeof api[namespace]?.[method] !== 'function');
        expect(missing).toEqual([]);
    });

    // A class instance may have private helpers (invisible to the type above); an object literal's properties
    // are all public, so every function on it must be a binding.
    const objectLiterals = [...byNamespace.keys()].filter((namespace) => Object.getPrototypeOf(api[namespace]) === Object.prototype);

    test.each(objectLiterals)('%s has no method the table lacks', (namespace) => {
        const target = api[namespace];
        const table = byNamespace.get(namespace) ?? [];
        expect(
            Object.keys(target).filter(
                (name) => typeof target[name] === 'function' && !table.includes(name) && !(name in seedingHelpers),
            ),
        ).toEqual([]);
    });
});
