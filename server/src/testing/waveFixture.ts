import type {UserProfile} from '@mattermost/types/users';

import {WaveRoutes} from 'contract/routes';

import {testApp} from './harness';
import type {InMemoryMattermostApi} from './inMemory/inMemoryMattermostApi';
import {memoryLogger} from './memoryLogger';
import {addChannelMembersOneByOne, addTeamMembersOneByOne, createDirectOneByOne} from './oneByOne';

import type {Capability} from '../app/capability';
import {auditCapability} from '../audit/auditCapability';
import {botCapability} from '../bot/bot';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {runWave, type EngineOptions} from '../waves/engine';
import {wavesCapabilityWith} from '../waves/waves';

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000) {
    let now = start;
    return {now: () => now,
        advance: (ms: number) => {
            now += ms;
            return now;
        }};
}

/**
 * The app with the bot and waves capabilities, a team "rollout" with channels "general-info" and
 * "help", `users` people named user0…, and a system admin. Activated (the bot exists).
 */
export async function waveFixture(options: {users?: number; engine?: Partial<EngineOptions>; capabilities?: Capability[]} = {}) {
    const clock = manualClock();
    const engine: EngineOptions = {now: clock.now, batchSize: 4, timeBudgetMs: 60_000, tickSeconds: 10, ...options.engine};
    const capabilities = [botCapability, auditCapability, wavesCapabilityWith(engine), ...(options.capabilities ?? [])];
    const harness = testApp({capabilities, now: clock.now});
    const {api} = harness;
    const admin = api.addSystemAdmin('admin');
    const team = api.addTeam('rollout');
    const source = api.addTeam('source');
    const info = api.addChannel(team.id, 'general-info');
    const help = api.addChannel(team.id, 'help');
    const users: UserProfile[] = [];
    for (let i = 0; i < (options.users ?? 5); i++) {
        const user = api.addUser({username: `user${i}`, first_name: `First${i}`, email: `user${i}@corp.example`});
        api.addTeamMember(source.id, user.id);
        users.push(user);
    }
    await harness.app.dispatch('onActivate', 'null');
    const botId = [...api.directory.users.values()].find((user) => user.is_bot)!.id;

    const as = (userId: string) => ({
        get: (path: string, query?: Record<string, string[]>) => harness.request('GET', path, {userId, query}),
        post: (path: string, body: unknown = {}) => harness.request('POST', path, {userId, body}),
        patch: (path: string, body: unknown) => harness.request('PATCH', path, {userId, body}),
        delete: (path: string, body: unknown) => harness.request('DELETE', path, {userId, body}),
    });
    const client = as(admin.id);

    const definition = (overrides: Record<string, unknown> = {}) => ({
        name: 'Wave 1',
        cohort: {team_ids: [source.id]},
        targets: {teams: [{team_id: team.id}], channels: [{channel_id: info.id}, {channel_id: help.id, role: 'channel_admin'}]},
        welcome: {
            enabled: true,
            template: 'Hi {{first_name}}, welcome to {{team}} ({{channels}}). {{help_link}}',
            help_link: 'https://help.example/start',
        },
        ...overrides,
    });

    async function createWave(overrides: Record<string, unknown> = {}): Promise<{id: string; version: number}> {
        const response = await client.post(WaveRoutes.waves, definition(overrides));
        if (response.status !== 201) {
            throw new Error(`create failed: ${response.status} ${response.body}`);
        }
        return {id: response.json.id, version: response.json.version};
    }

    /** Welcome DMs the bot posted, per user id. */
    function dmsByUser(): Map<string, number> {
        const counts = new Map<string, number>();
        for (const post of api.createdPosts) {
            const channel = api.directory.channels.get(post.channel_id)!;
            if (channel.type !== 'D' || post.user_id !== botId) {
                continue;
            }
            const other = channel.name.split('__').find((id) => id !== botId)!;
            counts.set(other, (counts.get(other) ?? 0) + 1);
        }
        return counts;
    }

    return {...harness, clock, engine, admin, team, source, info, help, users, botId, as, client, definition, createWave, dmsByUser};
}

export type WaveFixture = Awaited<ReturnType<typeof waveFixture>>;

/** Runs the engine (as the job would) until the wave leaves `running`. */
export function runToEnd(fixture: WaveFixture, waveId: string): void {
    const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
    for (let i = 0; i < 200; i++) {
        const raw = fixture.api.kv.get(KvKeys.waveRun(waveId).key);
        if (!raw || !['running', 'scheduled'].includes(JSON.parse(raw).value.state)) {
            return;
        }
        runWave(context, waveId, fixture.engine);
    }
    throw new Error('the wave did not finish');
}

export class Crash extends Error {
    constructor() {
        super('simulated crash');
        this.name = 'Crash';
    }
}

const sideEffects: Record<string, string[]> = {
    kv: ['set', 'compareAndSet', 'setWithOptions', 'setWithExpiry', 'delete'],
    teams: ['addMember', 'updateMemberRoles'],
    channels: ['addMember', 'updateMemberRoles', 'getDirect'],
    posts: ['create', 'update'],
    users: ['createMany'],
    mail: ['send'],
};

/**
 * The batch calls, spelled out one user at a time over the dying API (oneByOne.ts, what the host
 * does): each user's membership, DM channel and post is its own side effect, so a crash can land between
 * two users of one batch, as when the plugin dies while the host works through a batch.
 */
const batchCalls: Record<string, Record<string, (api: MattermostApi, ...args: any[]) => unknown>> = {
    teams: {addMembers: (api, teamId, userIds, options) => addTeamMembersOneByOne(api.teams, teamId, userIds, options)},
    channels: {addMembers: (api, channelId, userIds, options) => addChannelMembersOneByOne(api.channels, channelId, userIds, options)},
    posts: {createDirect: (api, fromUserId, specs) => createDirectOneByOne(api, fromUserId, specs)},

    // One account a side effect, so a crash can land between two accounts of one batch (a single spec is
    // the side effect itself: undefined = not spelled out).
    users: {
        createMany: (api, specs: unknown[]) =>
            (specs.length > 1 ? specs.flatMap((spec) => api.users.createMany([spec] as never)) : undefined),
    },
};

/**
 * The API as a process that dies at its `crashAt`-th side effect (1-based): `before` = that call never
 * happens, `after` = it happens and the process dies before seeing the answer. After the crash every
 * call throws, as nothing runs in a dead process.
 */
export function crashingApi(api: InMemoryMattermostApi, crashAt: number, when: 'before' | 'after') {
    const state = {steps: 0, dead: false};
    const wrapped: Record<string, unknown> = {};
    for (const namespace of Object.keys(api) as Array<keyof MattermostApi>) {
        const target = api[namespace] as unknown as Record<string, unknown>;
        if (typeof target !== 'object' || target === null) {
            continue;
        }
        wrapped[namespace] = new Proxy(target, {
            get(object, name) {
                const value = Reflect.get(object, name);
                if (typeof value !== 'function') {
                    return value;
                }
                return (...args: unknown[]) => {
                    if (state.dead && !(namespace === 'mutex' && name === 'unlock')) {
                        throw new Crash();
                    }
                    const spelledOut = batchCalls[namespace]?.[String(name)]?.(wrapped as unknown as MattermostApi, ...args);
                    if (spelledOut !== undefined) {
                        return spelledOut;
                    }
                    const effect = sideEffects[namespace]?.includes(String(name));
                    if (effect) {
                        state.steps += 1;
                        if (state.steps === crashAt && when === 'before') {
                            state.dead = true;
                            throw new Crash();
                        }
                    }
                    const result = (value as (...a: unknown[]) => unknown).apply(object, args);
                    if (effect && state.steps === crashAt) {
                        state.dead = true;
                        throw new Crash();
                    }
                    return result;
                };
            },
        });
    }
    return {api: wrapped as unknown as MattermostApi, steps: () => state.steps, crashed: () => state.dead};
}
