import {WaveRoutes} from 'contract/routes';
import type {UserResult} from 'contract/waves';

import {activationFunnel} from './activation';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {runToEnd, waveFixture} from '../testing/waveFixture';

// The funnel of a wave that reached people without accounts: accounts the wave created, invited people
// whose account appeared since (their account is a later entry of the queue, matched by email), each
// person counted once; the per-user CSV names everyone's email and whether an invited person signed up.

async function waveWithNewcomers() {
    const fixture = await waveFixture({users: 2});
    const {api, clock} = fixture;
    const wave = await fixture.createWave();
    expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
    runToEnd(fixture, wave.id);

    // What the engine records for newcomers: an account it created, two invitations, a person skipped
    // for having no account, then the account one invited person signed up with (queued as an arrival).
    const at = clock.now();
    const made = api.addUser({username: 'made', email: 'made@corp.example'});
    const joined = api.addUser({username: 'joined', email: 'Invited.One@corp.example'});
    const result = (index: number, fields: Partial<UserResult>): UserResult => ({
        index,
        user_id: '',
        username: '',
        outcome: 'added',
        reason: '',
        welcome: 'not_sent',
        at,
        attempts: 1,
        ...fields,
    });
    const added = [
        result(2, {user_id: made.id, username: 'made', email: 'made@corp.example', outcome: 'created', welcome: 'sent'}),
        result(3, {email: 'invited.one@corp.example', outcome: 'invited', invitation: 'sent'}),
        result(4, {email: 'invited.two@corp.example', outcome: 'invited', invitation: 'sent'}),
        result(5, {email: 'skipped@corp.example', outcome: 'skipped', reason: 'no_account'}),
        result(6, {user_id: joined.id, username: 'joined', welcome: 'sent', invitation: 'already_sent', at: at + 1000}),
    ];
    const kv = new KvStore(api.kv);
    kv.updateWithRetry(KvKeys.waveResults(wave.id, 0), (current) => ({
        results: {...current?.results, ...Object.fromEntries(added.map((entry) => [String(entry.index), entry]))},
    }));
    kv.updateWithRetry(KvKeys.waveRun(wave.id), (run) => ({...run!, queue_len: 7}));

    clock.advance(60_000);
    api.recordLogin(made.id, clock.now());
    api.recordLogin(joined.id, clock.now());
    api.posts.create({channel_id: fixture.info.id, user_id: joined.id, message: 'hello'});
    return {fixture, wave, made, joined};
}

describe('activation funnel: people without accounts', () => {
    test('created and signed up count; a signed-up person is one person of the cohort, invited once', async () => {
        const {fixture, wave, joined} = await waveWithNewcomers();
        const getMany = jest.spyOn(fixture.api.users, 'getMany');
        const funnel = (await fixture.client.get(WaveRoutes.activation(wave.id))).json;
        expect(funnel).toMatchObject({
            cohort: 6,
            invited: 2,
            created: 1,
            signed_up: 1,
            provisioned: 2 + 1 + 1,
            welcomed: 2 + 1 + 1,
            logged_in: 2,
            posted: 1,
        });

        // Only the accounts queued after the first invitation are read, in one call (the route's read-only
        // view holds the methods as bound when the app started, so the count is taken on a direct call).
        expect(activationFunnel(fixture.api, new KvStore(fixture.api.kv), wave.id, fixture.clock.now())).toEqual(funnel);
        expect(getMany.mock.calls).toEqual([[[joined.id]]]);
    });

    test('a wave that invited nobody reads no profiles', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await fixture.createWave();
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        runToEnd(fixture, wave.id);
        const getMany = jest.spyOn(fixture.api.users, 'getMany');
        const funnel = activationFunnel(fixture.api, new KvStore(fixture.api.kv), wave.id, fixture.clock.now());
        expect(funnel).toMatchObject({cohort: 2, provisioned: 2, created: 0, signed_up: 0});
        expect(getMany).not.toHaveBeenCalled();
    });

    test('the CSV: every result, email last but one, signed_up for invited people, the new outcomes', async () => {
        const {fixture, wave} = await waveWithNewcomers();
        const lines = (await fixture.client.get(WaveRoutes.activationExport(wave.id))).body!.trim().split('\r\n');
        const header = lines[0].split(',');
        expect(header.slice(-3)).toEqual(['"feedback"', '"email"', '"signed_up"']);
        expect(lines).toHaveLength(1 + 7);
        const cells = (line: string) => line.split(',').map((cell) => cell.replace(/"/g, ''));
        const column = (name: string) => header.indexOf(`"${name}"`);
        const rows = lines.slice(1).map(cells);
        const pick = (row: string[]) => [row[column('username')], row[column('email')], row[column('outcome')],
            row[column('invitation')], row[column('signed_up')]];
        expect(rows.map(pick)).toEqual([
            ['user0', 'user0@corp.example', 'added', '', ''],
            ['user1', 'user1@corp.example', 'added', '', ''],
            ['made', 'made@corp.example', 'created', '', ''],
            ['', 'invited.one@corp.example', 'invited', 'sent', 'yes'],
            ['', 'invited.two@corp.example', 'invited', 'sent', 'no'],
            ['', 'skipped@corp.example', 'skipped', '', ''],
            ['joined', 'Invited.One@corp.example', 'added', 'already_sent', ''],
        ]);
        expect(rows[2][column('logged_in')]).toBe('yes');
    });

    test('the results page filters by the new outcomes, with the email of each person who had no account', async () => {
        const {fixture, wave} = await waveWithNewcomers();
        const page = async (outcome: string, perPage = '100', pageNo = '0') =>
            (await fixture.client.get(WaveRoutes.results(wave.id), {outcome: [outcome], per_page: [perPage], page: [pageNo]})).json;
        const invited = await page('invited');
        expect(invited.total).toBe(2);
        expect(invited.results.map((entry: UserResult) => [entry.index, entry.email, entry.user_id])).toEqual([
            [3, 'invited.one@corp.example', ''],
            [4, 'invited.two@corp.example', ''],
        ]);
        const second = await page('invited', '1', '1');
        expect([second.total, second.results.map((entry: UserResult) => entry.index)]).toEqual([2, [4]]);
        expect((await page('created')).results.map((entry: UserResult) => entry.username)).toEqual(['made']);
        expect((await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['signed_up']})).status).toBe(400);
    });
});
