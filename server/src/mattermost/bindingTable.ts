import type {MattermostApi} from './api';

import type {HostBindings} from '../host/bindings.gen';

// Which host binding implements each facade method. The only place that knows both naming schemes:
// createHostApi() reads it forwards (facade → binding) and the in-memory host used by the bundle test
// reads it backwards (binding → facade). The types below reject an entry whose binding has a
// different signature from the facade method (a facade `void` corresponds to a binding `null`).

type Fn = (...args: any[]) => any;
type AsHostResult<R> = [R] extends [void] ? null : R;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameSignature<Binding, Method> = Binding extends Fn
    ? Method extends Fn
        ? Same<Parameters<Binding>, Parameters<Method>> extends true
            ? Same<ReturnType<Binding>, AsHostResult<ReturnType<Method>>>
            : false
        : false
    : false;
type BindingsShaped<Method> = {
    [Name in keyof HostBindings]: SameSignature<HostBindings[Name], Method> extends true ? Name : never;
}[keyof HostBindings];

export type BindingTable = {
    [Namespace in keyof MattermostApi]: {
        [Method in keyof MattermostApi[Namespace]]: BindingsShaped<MattermostApi[Namespace][Method]>;
    };
};

export const bindingTable: BindingTable = {
    kv: {
        get: 'kv.get',
        set: 'kv.set',
        setWithOptions: 'kv.setWithOptions',
        setWithExpiry: 'kv.setWithExpiry',
        compareAndSet: 'kv.compareAndSet',
        delete: 'kv.delete',
        listKeys: 'kv.listKeys',
    },
    users: {get: 'users.get', getByEmail: 'users.getByEmail', getByUsername: 'users.getByUsername', list: 'users.list', activity: 'users.activity', getMany: 'users.getMany', setDefaultPreferences: 'users.setDefaultPreferences'},
    teams: {
        get: 'teams.get',
        getByName: 'teams.getByName',
        list: 'teams.list',
        listForUser: 'teams.listForUser',
        getMember: 'teams.getMember',
        addMember: 'teams.addMember',
        updateMemberRoles: 'teams.updateMemberRoles',
        members: 'teams.members',
        addMembers: 'teams.addMembers',
    },
    channels: {
        create: 'channels.create',
        get: 'channels.get',
        getByName: 'channels.getByName',
        getMember: 'channels.getMember',
        addMember: 'channels.addMember',
        getDirect: 'channels.direct',
        updateMemberRoles: 'channels.updateMemberRoles',
        update: 'channels.update',
        listPublic: 'channels.listPublic',
        members: 'channels.members',
        addMembers: 'channels.addMembers',
    },
    posts: {get: 'posts.get', create: 'posts.create', sendEphemeral: 'posts.sendEphemeral', listForChannel: 'posts.forChannel', createDirect: 'posts.createDirect'},
    groups: {members: 'groups.members', get: 'groups.get', getByName: 'groups.getByName', idsForUser: 'groups.idsForUser', linkedTo: 'groups.linkedTo'},
    bot: {ensure: 'bot.ensure'},
    mail: {send: 'mail.send'},
    config: {get: 'config.get', getUnsanitized: 'config.getUnsanitized', patchAs: 'config.patchAs', getPlugin: 'config.getPlugin'},
    system: {getLicense: 'system.license', getServerVersion: 'system.serverVersion', getHostStats: 'system.hostStats', stats: 'system.stats', activity: 'system.activity', load: 'system.load'},
    permissions: {
        hasSystemPermission: 'permissions.system',
        hasTeamPermission: 'permissions.team',
        hasChannelPermission: 'permissions.channel',
    },
    jobs: {schedule: 'jobs.schedule', cancel: 'jobs.cancel'},
    mutex: {lock: 'mutex.lock', lockWithin: 'mutex.lockWithin', unlock: 'mutex.unlock'},
    admin: {
        updateUserRoles: 'users.updateRoles',
        createAccessToken: 'users.createAccessToken',
        revokeAccessToken: 'users.revokeAccessToken',
        createBot: 'bots.create',
        registerCommand: 'commands.register',
    },
    rest: {request: 'rest.request', get: 'rest.get'},
};

export interface BindingEntry {
    namespace: keyof MattermostApi;
    method: string;
    binding: keyof HostBindings;
}

export function bindingEntries(): BindingEntry[] {
    return Object.entries(bindingTable).flatMap(([namespace, methods]) =>
        Object.entries(methods as Record<string, keyof HostBindings>).map(([method, binding]) => ({
            namespace: namespace as keyof MattermostApi,
            method,
            binding,
        })),
    );
}
