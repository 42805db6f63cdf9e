import type {UserProfile} from '@mattermost/types/users';

import type {Capability} from './capability';

import {cockpitBot} from '../bot/bot';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';

describe('onActivate', () => {
    test('ensures the cockpit bot and stores its user id in KV', async () => {
        const {app, api, log} = testApp();

        expect(await app.dispatch('onActivate', 'null')).toBe('null');

        const bot = api.users.getByUsername('cockpit');
        expect(bot).toMatchObject({is_bot: true, first_name: 'Onboarding Cockpit'});
        expect(new KvStore(api.kv).get(KvKeys.botUserId)).toBe(bot.id);
        expect(log.lines).toContainEqual(
            expect.objectContaining({
                level: 'info',
                message: 'Cockpit bot ready',
                fields: expect.objectContaining({botUserId: bot.id}),
            }),
        );
    });

    test('activating twice keeps the same bot', async () => {
        const {app, api} = testApp();
        await app.dispatch('onActivate', 'null');
        await app.dispatch('onActivate', '');
        expect([...api.directory.users.values()].filter((user) => user.username === cockpitBot.username)).toHaveLength(1);
    });
});

describe('hook dispatch', () => {
    function recorder(name: string, seen: string[], fail = false): Capability {
        return {
            name,
            hooks: {
                userHasBeenCreated(user: UserProfile) {
                    seen.push(`${name}:${user.username}`);
                    if (fail) {
                        throw new Error('kaput');
                    }
                },
            },
        };
    }

    test('every capability sees a notification even when an earlier one fails; the failure is reported', async () => {
        const seen: string[] = [];
        const {app, log} = testApp({capabilities: [recorder('first', seen, true), recorder('second', seen)]});

        await expect(app.dispatch('userHasBeenCreated', JSON.stringify({username: 'ann'}))).rejects.toThrow(
            /userHasBeenCreated failed in first: kaput/,
        );

        expect(seen).toEqual(['first:ann', 'second:ann']);
        expect(log.lines).toContainEqual(expect.objectContaining({level: 'error', fields: {capability: 'first', error: 'kaput'}}));
    });

    test('runJob calls the job declared under that id', async () => {
        const ran: string[] = [];
        const {app, log} = testApp({capabilities: [{name: 'waves',
            jobs: {'waves.tick': () => {
                ran.push('tick');
            }}}]});

        expect(await app.dispatch('runJob', JSON.stringify({jobId: 'waves.tick'}))).toBe('null');
        await app.dispatch('runJob', JSON.stringify({jobId: 'unknown'}));

        expect(ran).toEqual(['tick']);
        expect(log.lines).toContainEqual(expect.objectContaining({level: 'warn', fields: {jobId: 'unknown'}}));
    });

    test('two capabilities declaring the same job id are refused at start-up', () => {
        const job = {'same.id': () => undefined};
        expect(() => testApp({capabilities: [{name: 'a', jobs: job}, {name: 'b', jobs: job}]})).toThrow(/declared by two capabilities/);
    });

    test('executeCommand: the first capability with a response answers', async () => {
        const {app} = testApp({
            capabilities: [
                {name: 'quiet', executeCommand: () => null},
                {name: 'help', executeCommand: (args) => ({response_type: 'ephemeral', text: `you said ${args.command}`})},
                {name: 'late', executeCommand: () => ({text: 'never'})},
            ],
        });
        const answer = JSON.parse(await app.dispatch('executeCommand', JSON.stringify({command: '/cockpit help'})));
        expect(answer).toEqual({response_type: 'ephemeral', text: 'you said /cockpit help'});
    });

    test('hooks nobody handles answer null', async () => {
        const {app} = testApp({capabilities: []});
        expect(await app.dispatch('onDeactivate', 'null')).toBe('null');
        expect(await app.dispatch('executeCommand', JSON.stringify({command: '/x'}))).toBe('null');
    });
});
