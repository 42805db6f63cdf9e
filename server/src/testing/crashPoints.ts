import type {InMemoryMattermostApi} from './inMemory/inMemoryMattermostApi';

export class Crash extends Error {
    constructor() {
        super('simulated crash');
        this.name = 'Crash';
    }
}

/** The writes a request makes to the world outside the VM: KV writes and the server config patch. */
const sideEffects = {
    kv: ['set', 'setWithOptions', 'setWithExpiry', 'compareAndSet', 'delete'],
    config: ['patchAs'],
} as const;

/**
 * Makes the in-memory server die at its `crashAt`-th side effect (1-based), like a SIGKILL: `before` =
 * that write never happens, `after` = it happens and the process dies before seeing the answer. After
 * the crash every call throws, until `restart()` puts the real methods back (the plugin is back up).
 * (waveFixture.ts has the same idea for the wave engine's API, without the config.)
 */
export function crashAtSideEffect(api: InMemoryMattermostApi, crashAt: number, when: 'before' | 'after') {
    const state = {steps: 0, dead: false, depth: 0};
    const restores: Array<() => void> = [];
    const targets: Record<keyof typeof sideEffects, Record<string, unknown>> = {
        kv: api.kv as unknown as Record<string, unknown>,
        config: api.config as unknown as Record<string, unknown>,
    };
    for (const namespace of Object.keys(sideEffects) as Array<keyof typeof sideEffects>) {
        const target = targets[namespace];
        for (const name of ['get', 'getUnsanitized', ...sideEffects[namespace]]) {
            const original = target[name];
            if (typeof original !== 'function') {
                continue;
            }
            const effect = (sideEffects[namespace] as readonly string[]).includes(name);
            const own = Object.prototype.hasOwnProperty.call(target, name);
            target[name] = (...args: unknown[]) => {
                if (state.dead) {
                    throw new Crash();
                }

                // One call is one side effect, even when the fake implements it with another one.
                const outer = effect && state.depth === 0;
                const step = outer ? ++state.steps : 0;
                if (outer && step === crashAt && when === 'before') {
                    state.dead = true;
                    throw new Crash();
                }
                state.depth += 1;
                let result: unknown;
                try {
                    result = (original as (...a: unknown[]) => unknown).apply(target, args);
                } finally {
                    state.depth -= 1;
                }
                if (outer && step === crashAt) {
                    state.dead = true;
                    throw new Crash();
                }
                return result;
            };
            restores.push(() => {
                if (own) {
                    target[name] = original;
                } else {
                    delete target[name];
                }
            });
        }
    }
    return {
        crashed: () => state.dead,
        steps: () => state.steps,
        restart: () => restores.forEach((restore) => restore()),
    };
}
