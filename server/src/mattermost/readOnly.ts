import type {MattermostApi} from './api';

// The methods that cannot change server or plugin state. GET handlers and guards receive only these,
// so a GET route cannot write even by mistake: the type lacks the writers and so does the object.
// Left out on purpose: channels.getDirect (creates the channel) and config.getUnsanitized (secrets).
const readMethods = {
    kv: ['get', 'listKeys'],
    users: ['get', 'getByEmail', 'getByUsername', 'list', 'activity'],
    teams: ['get', 'getByName', 'list', 'listForUser', 'getMember', 'members'],
    channels: ['get', 'getByName', 'getMember', 'listPublic', 'members'],
    groups: ['members', 'get', 'getByName', 'idsForUser', 'linkedTo'],
    config: ['get', 'getPlugin'],
    system: ['getLicense', 'getServerVersion', 'getHostStats', 'stats', 'activity', 'load'],
    permissions: ['hasSystemPermission', 'hasTeamPermission', 'hasChannelPermission'],
    rest: ['get'],
} as const satisfies {[Namespace in keyof MattermostApi]?: ReadonlyArray<keyof MattermostApi[Namespace]>};

type ReadMethods = typeof readMethods;

export type ReadOnlyMattermostApi = {
    [Namespace in keyof ReadMethods]: Pick<MattermostApi[Namespace], Extract<ReadMethods[Namespace][number], keyof MattermostApi[Namespace]>>;
};

export function readOnlyView(api: MattermostApi): ReadOnlyMattermostApi {
    const view: Record<string, Record<string, unknown>> = {};
    for (const [namespace, methods] of Object.entries(readMethods)) {
        const source = api[namespace as keyof ReadMethods] as unknown as Record<string, (...args: unknown[]) => unknown>;
        view[namespace] = {};
        for (const method of methods) {
            view[namespace][method] = source[method].bind(source);
        }
    }
    return view as unknown as ReadOnlyMattermostApi;
}
