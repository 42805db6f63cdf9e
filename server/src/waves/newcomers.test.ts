import type {UserProfile} from '@mattermost/types/users';

import {ErrorIds} from 'contract/errors';
import {WaveRoutes} from 'contract/routes';
import type {CsvRow, UserResult} from 'contract/waves';

import {resolveCohort} from './cohort';
import {runWave, waveMutex} from './engine';
import {emailMarkerKey, linkifyHtml} from './invitation';
import {invitationLinks, invitationVariables, signInMethod} from './invitationVariables';
import {createdByProp} from './newcomers';
import {serverFactsOf} from './people';

import {HostError} from '../host/errors';
import {KvStore} from '../kv/store';
import {memoryLogger} from '../testing/memoryLogger';
import {Crash, crashingApi, runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';

// Waves for people who have no account yet: the file's newcomers resolved into placeholders, their
// accounts made (create) or their invitations sent (invite) exactly once, the invited people's accounts
// onboarded when they appear, and the invitation's preview and test-send.

const site = 'http://localhost:8065';

function enableDirectoriesAndEmail(fixture: WaveFixture) {
    fixture.api.serverConfig = {
        ...fixture.api.serverConfig,
        EmailSettings: {SendEmailNotifications: true, SMTPServer: 'smtp.corp.example'},
        SamlSettings: {Enable: true},
        LdapSettings: {Enable: true},
    };
    fixture.api.directory.teams.get(fixture.team.id)!.invite_id = 'teaminvite1';
}

const row = (line: number, person: Record<string, string>): CsvRow => ({line, value: person.email ?? person.username, person});

/** A file mixing accounts (by email, by username), newcomers (named columns, one column) and bad rows. */
const mixedFile: CsvRow[] = [
    row(2, {email: 'user0@corp.example'}),
    row(3, {username: 'user1'}),
    row(4, {email: 'Ada@Corp.Example', first_name: '<b>Ada</b>', last_name: 'Lovelace', auth_service: 'saml', auth_data: 'ada-1'}),
    {line: 5, value: 'bob@corp.example'},
    {line: 6, value: 'ghost'},
    row(7, {email: 'bad@'}),
    row(8, {email: 'eve@corp.example', auth_service: 'ldap'}),
    row(9, {email: 'ada@corp.example', first_name: 'Twice'}),
    row(10, {email: 'zed@corp.example', locale: 'xx'}),
];

const results = async (fixture: WaveFixture, waveId: string): Promise<UserResult[]> =>
    (await fixture.client.get(WaveRoutes.results(waveId))).json.results;

const progressOf = async (fixture: WaveFixture, waveId: string) => (await fixture.client.get(WaveRoutes.progress(waveId))).json;

const accountsWithEmail = (fixture: WaveFixture, email: string) =>
    [...fixture.api.directory.users.values()].filter((user) => user.email === email);

const userByEmail = (fixture: WaveFixture, email: string): UserProfile => {
    const [user] = accountsWithEmail(fixture, email);
    expect(user).toBeDefined();
    return user;
};

function mailsTo(fixture: WaveFixture): Map<string, number> {
    const counts = new Map<string, number>();
    fixture.api.sentMails.forEach((mail) => counts.set(mail.to, (counts.get(mail.to) ?? 0) + 1));
    return counts;
}

async function startNow(fixture: WaveFixture, overrides: Record<string, unknown>) {
    const wave = await fixture.createWave({cohort: {csv: mixedFile}, ...overrides});
    const started = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
    expect(started.status).toBe(200);
    runToEnd(fixture, wave.id);
    return wave.id;
}

function expectOnboarded(fixture: WaveFixture, user: UserProfile) {
    expect(fixture.api.directory.teamMember(fixture.team.id, user.id)).toBeDefined();
    expect(fixture.api.directory.channelMember(fixture.info.id, user.id)).toBeDefined();
    expect(fixture.api.directory.channelMember(fixture.help.id, user.id)?.roles).toBe('channel_user channel_admin');
    expect(fixture.dmsByUser().get(user.id)).toBe(1);
}

describe('resolving a file of people', () => {
    test('accounts by email then username, newcomers when the wave creates them, every other row a problem with its line', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);
        const cohort = {csv: mixedFile, group_ids: [], team_ids: [], email_domains: []};
        const facts = serverFactsOf(fixture.api);
        const create = resolveCohort(fixture.api, cohort, {
            newcomers: {mode: 'create', auth_service: 'email', locale: '', timezone: ''},
            facts,
        });
        expect(create.users.map((user) => user.username)).toEqual(['user0', 'user1']);
        expect(create.newcomers.map((person) => [person.line, person.email, person.auth_service])).toEqual([
            [4, 'ada@corp.example', 'saml'],
            [5, 'bob@corp.example', 'email'],
        ]);
        expect(create.csvProblems.map((problem) => [problem.line, problem.reason])).toEqual([
            [6, 'no such user, and no email to create or invite them with'],
            [7, 'not a valid email address'],
            [8, 'auth_data is required for ldap: the id its sign-in will match'],
            [9, 'duplicate of line 4 (email)'],
            [10, 'locale "xx" is not offered by this server'],
        ]);

        // Mode skip: people without an account are problems, as before waves made accounts; nobody is queued for them.
        const skipRules = {newcomers: {mode: 'skip' as const, auth_service: 'email' as const, locale: '', timezone: ''}, facts};
        const skip = resolveCohort(fixture.api, cohort, skipRules);
        expect(skip.newcomers).toEqual([]);
        const noSuchUser = skip.csvProblems.filter((problem) => problem.reason === 'no such user');
        expect(noSuchUser.map((problem) => problem.line)).toEqual([4, 5, 6, 8]);
        expect(skip.users).toHaveLength(2);
    });

    test('the wave answer reports what this server refuses (an auth service it has not enabled), without lookups', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave({cohort: {csv: [row(2, {email: 'ada@corp.example', auth_service: 'saml', auth_data: 'x'})]}});
        const answer = (await fixture.client.get(WaveRoutes.wave(wave.id))).json;
        expect(answer.csv_problems).toEqual([
            {line: 2, value: 'ada@corp.example', reason: 'auth_service "saml" is not enabled on this server (SamlSettings.Enable)'},
        ]);
    });
});

describe('a create wave', () => {
    const invitation = {
        enabled: true,
        subject: 'Welcome {{first_name}}',
        html_template: '<p>Hi {{first_name}}</p><p>{{sign_in_method}}</p>',
    };
    const newcomers = {mode: 'create', auth_service: 'email', locale: 'de', timezone: 'Europe/Berlin'};

    test('makes each newcomer\'s account once, provisions and welcomes it, and records it created', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);
        const targets = {...fixture.definition().targets, preferences: [{key: 'skip_tour', value: '999'}]};
        fixture.api.setPreference(fixture.users[0].id, 'tutorial_step', fixture.users[0].id, '2');
        const waveId = await startNow(fixture, {newcomers, invitation, rolling: true, targets});

        const ada = userByEmail(fixture, 'ada@corp.example');
        expect(ada).toMatchObject({
            username: 'ada',
            first_name: '<b>Ada</b>',
            last_name: 'Lovelace',
            auth_service: 'saml',
            auth_data: 'ada-1',
            locale: 'de',
            props: {[createdByProp]: waveId},
        });
        expect(ada.timezone).toEqual({useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin', automaticTimezone: ''});
        const bob = userByEmail(fixture, 'bob@corp.example');
        expect(bob).toMatchObject({username: 'bob', auth_service: '', locale: 'de'});
        for (const user of [ada, bob, ...fixture.users]) {
            expectOnboarded(fixture, user);
        }

        // The tour is skipped for the new accounts (their server-written "0" is no choice) and for user1
        // (no row), not for user0, who is on step 2 of it.
        expect([ada, bob, ...fixture.users].map((user) => fixture.api.preference(user.id, 'tutorial_step', user.id))).toEqual([
            '999',
            '999',
            '2',
            '999',
        ]);

        const progress = await progressOf(fixture, waveId);
        expect(progress).toMatchObject({
            state: 'completed',
            total: 4,
            processed: 4,
            counts: {added: 2, already_member: 0, created: 2, invited: 0, failed: 0, skipped: 0, welcomed: 4},
        });
        const byIndex = await results(fixture, waveId);
        expect(byIndex.map((result) => [result.outcome, result.user_id, result.email])).toEqual([
            ['added', fixture.users[0].id, undefined],
            ['added', fixture.users[1].id, undefined],
            ['created', ada.id, 'ada@corp.example'],
            ['created', bob.id, 'bob@corp.example'],
        ]);

        // The invitation tells each how they sign in: SSO, or choosing a password through the server's reset page.
        const mails = new Map(fixture.api.sentMails.map((mail) => [mail.to, mail]));
        expect([...mailsTo(fixture).values()]).toEqual([1, 1, 1, 1]);
        expect(mails.get('ada@corp.example')!.htmlBody).toBe(
            `<p>Hi &lt;b&gt;Ada&lt;/b&gt;</p><p>Sign in with SAML at <a href="${site}">${site}</a></p>`,
        );
        expect(mails.get('bob@corp.example')!.htmlBody).toContain(
            `Choose your password at <a href="${site}/reset_password">${site}/reset_password</a> (enter this email address;`,
        );
        expect(mails.get('user0@corp.example')!.htmlBody).toContain(`Sign in at <a href="${site}">${site}</a>`);

        // The server's user-created hook for an account the wave made does not queue it a second time.
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(ada));
        expect((await progressOf(fixture, waveId)).pending).toBe(0);
    });

    test('a newcomer who got an account meanwhile is onboarded as an existing account, not created', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);

        // Bob signs up between the cohort's resolution and the batch that reaches him.
        const createMany = fixture.api.users.createMany;
        let own: UserProfile | undefined;
        fixture.api.users.createMany = (specs) => {
            own = own ?? fixture.api.addUser({username: 'bobby', email: 'bob@corp.example'});
            return createMany(specs);
        };
        const waveId = await startNow(fixture, {newcomers});
        expect(accountsWithEmail(fixture, 'bob@corp.example')).toHaveLength(1);
        const bob = (await results(fixture, waveId)).find((result) => result.email === 'bob@corp.example');
        expect(bob).toMatchObject({outcome: 'added', user_id: own!.id});
        expectOnboarded(fixture, own!);
        expect((await progressOf(fixture, waveId)).counts).toMatchObject({created: 1, added: 3});
    });

    test('an account the server refuses fails with its reason; retry-failed makes it once the cause is gone', async () => {
        const fixture = await waveFixture({users: 0});
        enableDirectoriesAndEmail(fixture);
        fixture.api.addUser({username: 'taken', email: 'someone@corp.example', auth_service: 'saml', auth_data: 'ada-1'});
        const waveId = await startNow(fixture, {cohort: {csv: [mixedFile[2]]}, newcomers});
        expect((await results(fixture, waveId))[0]).toMatchObject({
            outcome: 'failed',
            user_id: '',
            email: 'ada@corp.example',
            reason: 'account: 400 app.user.save.existing.app_error: auth data in use',
        });
        fixture.api.directory.users.forEach((user) => {
            if (user.username === 'taken') {
                user.auth_data = 'other';
            }
        });
        await fixture.client.post(WaveRoutes.retryFailed(waveId));
        runToEnd(fixture, waveId);
        const ada = userByEmail(fixture, 'ada@corp.example');
        expect((await results(fixture, waveId))[0]).toMatchObject({outcome: 'created', user_id: ada.id, attempts: 2});
        expect((await progressOf(fixture, waveId)).counts).toMatchObject({created: 1, failed: 0, welcomed: 1});
    });
});

describe('retrying a made account whose invitation failed, crashing anywhere in the retry run', () => {
    const newcomers = {mode: 'create', auth_service: 'email', locale: '', timezone: ''};
    const invitation = {enabled: true, subject: 'Hi', html_template: '<p>{{sign_in_method}}</p>'};

    /** Bob's account is made, then his invitation (after his DM) or his channel membership (before it) fails once. */
    async function failedOnce(cause: 'invitation' | 'channel' = 'invitation') {
        const fixture = await waveFixture({users: 0, engine: {batchSize: 2}});
        enableDirectoriesAndEmail(fixture);
        const {api} = fixture;
        const send = api.mail.send;
        const addMember = api.channels.addMember;
        let failures = 1;
        const bobFails = (email: string) => {
            if (email === 'bob@corp.example' && failures > 0) {
                failures -= 1;
                return true;
            }
            return false;
        };
        api.mail.send = (to, subject, html) => {
            if (cause === 'invitation' && bobFails(to)) {
                throw new HostError(500, 'plugin_api.send_mail.error', 'smtp down');
            }
            send(to, subject, html);
        };
        api.channels.addMember = (channelId, userId, asUserId) => {
            if (cause === 'channel' && channelId === fixture.help.id && bobFails(api.directory.user(userId).email)) {
                throw new HostError(403, 'api.channel.add_members.user_denied', 'denied');
            }
            return addMember(channelId, userId, asUserId);
        };
        const waveId = await startNow(fixture, {cohort: {csv: [mixedFile[2], mixedFile[3]]}, newcomers, invitation});
        const bob = userByEmail(fixture, 'bob@corp.example');
        expect((await results(fixture, waveId))[1]).toMatchObject({
            outcome: 'failed',
            user_id: bob.id,
            email: 'bob@corp.example',
            welcome: cause === 'invitation' ? 'sent' : 'not_sent',
            ...(cause === 'invitation' ? {invitation: 'failed'} : {}),
        });
        expect((await progressOf(fixture, waveId)).counts).toMatchObject({created: 1, failed: 1, welcomed: cause === 'invitation' ? 2 : 1});
        return {fixture, waveId, bob};
    }

    test('the account is found again, still counted created, welcomed once, mailed once', async () => {
        const {fixture, waveId, bob} = await failedOnce();
        await fixture.client.post(WaveRoutes.retryFailed(waveId));
        runToEnd(fixture, waveId);
        const retried = (await results(fixture, waveId))[1];
        expect(retried).toMatchObject({outcome: 'created', user_id: bob.id, welcome: 'sent', invitation: 'sent'});
        expect((await progressOf(fixture, waveId)).counts).toMatchObject({created: 2, failed: 0, welcomed: 2});
        expect(accountsWithEmail(fixture, 'bob@corp.example')).toHaveLength(1);
        expect(fixture.dmsByUser().get(bob.id)).toBe(1);
        expect(mailsTo(fixture).get('bob@corp.example')).toBe(1);
    });

    test.each([
        ['invitation' as const, 'before' as const],
        ['invitation' as const, 'after' as const],
        ['channel' as const, 'before' as const],
        ['channel' as const, 'after' as const],
    ])('%s failed: crash %s each side effect of the retry', async (cause, when) => {
        for (let crashAt = 1; ; crashAt++) {
            const {fixture, waveId, bob} = await failedOnce(cause);

            // Queue the retry without running it: the route finds the lock taken and leaves the run to the job.
            fixture.api.heldMutexes.add(waveMutex(waveId));
            await fixture.client.post(WaveRoutes.retryFailed(waveId));
            fixture.api.heldMutexes.delete(waveMutex(waveId));
            const crashing = crashingApi(fixture.api, crashAt, when);
            try {
                runWave({api: crashing.api, kv: new KvStore(crashing.api.kv), log: memoryLogger()}, waveId, fixture.engine);
            } catch (error) {
                if (!(error instanceof Crash)) {
                    throw error;
                }
            }
            fixture.api.heldMutexes.clear();
            runToEnd(fixture, waveId);
            expect({crashAt, counts: (await progressOf(fixture, waveId)).counts}).toMatchObject({
                crashAt,
                counts: {created: 2, failed: 0, welcomed: 2},
            });
            expect(accountsWithEmail(fixture, 'bob@corp.example')).toHaveLength(1);
            expect(fixture.dmsByUser().get(bob.id)).toBe(1);
            expect(mailsTo(fixture).get('bob@corp.example') ?? 0).toBeLessThanOrEqual(1);
            if (!crashing.crashed()) {
                expect(crashAt).toBeGreaterThan(3);
                break;
            }
        }
    });
});

describe('an invite wave', () => {
    const newcomers = {mode: 'invite', auth_service: 'email', locale: '', timezone: ''};
    const invitation = {enabled: true, subject: 'Join {{team}}', html_template: '<p>{{sign_in_method}}</p>'};

    test('mails each newcomer once with the team\'s sign-up link, then onboards the account they make, once', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);
        const waveId = await startNow(fixture, {newcomers, invitation});
        expect(accountsWithEmail(fixture, 'ada@corp.example')).toEqual([]);
        const signUp = `${site}/signup_user_complete/?id=teaminvite1`;
        const ada = fixture.api.sentMails.find((mail) => mail.to === 'ada@corp.example')!;
        expect(ada.htmlBody).toBe(`<p>Create your account: <a href="${signUp}">${signUp}</a></p>`);
        expect([...mailsTo(fixture).entries()].sort()).toEqual([
            ['ada@corp.example', 1],
            ['bob@corp.example', 1],
            ['user0@corp.example', 1],
            ['user1@corp.example', 1],
        ]);
        expect((await results(fixture, waveId)).slice(2)).toEqual([
            expect.objectContaining({outcome: 'invited', user_id: '', email: 'ada@corp.example', welcome: 'not_sent', invitation: 'sent'}),
            expect.objectContaining({outcome: 'invited', user_id: '', email: 'bob@corp.example', invitation: 'sent'}),
        ]);
        expect(await progressOf(fixture, waveId)).toMatchObject({state: 'completed', processed: 4, counts: {invited: 2, added: 2}});
        expect(fixture.api.kv.get(emailMarkerKey(waveId, 'ADA@corp.example'))).toBe(JSON.stringify('sent'));

        // Ada signs up (the wave is not rolling): the hook queues her once, the wave onboards her with one DM and no second email.
        const account = fixture.api.addUser({username: 'ada', email: 'ada@corp.example'});
        const stranger = fixture.api.addUser({username: 'stranger', email: 'stranger@corp.example'});
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(account));
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(account));
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(stranger));
        expect((await progressOf(fixture, waveId)).pending).toBe(1);
        await fixture.client.post(WaveRoutes.tick(waveId));
        runToEnd(fixture, waveId);
        expectOnboarded(fixture, account);
        expect(fixture.dmsByUser().has(stranger.id)).toBe(false);
        expect(mailsTo(fixture).get('ada@corp.example')).toBe(1);
        const last = (await results(fixture, waveId))[4];
        expect(last).toMatchObject({outcome: 'added', user_id: account.id, welcome: 'sent', invitation: 'already_sent'});
        const progress = await progressOf(fixture, waveId);
        expect(progress).toMatchObject({state: 'completed', total: 5, processed: 5, counts: {invited: 2, added: 3}});
    });

    test('each person gets the invitation in their language: an account\'s locale, a newcomer\'s the wave\'s newcomer locale', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);
        const user1 = [...fixture.api.directory.users.values()].find((user) => user.username === 'user1')!;
        user1.locale = 'ja';
        const translated = {
            ...invitation,
            translations: {
                de: {subject: 'Willkommen bei {{team}}', html_template: '<p>DE {{sign_in_method}}</p>'},
                ja: {subject: '{{team}} へようこそ', html_template: '<p>JA {{sign_in_method}}</p>'},
            },
        };
        const waveId = await startNow(fixture, {newcomers: {...newcomers, locale: 'de'}, invitation: translated});
        const mail = (to: string) => fixture.api.sentMails.find((candidate) => candidate.to === to)!;
        const signUp = `${site}/signup_user_complete/?id=teaminvite1`;

        // No account yet, no locale in the file: the wave's newcomer locale, German, its sentence in German too.
        expect(mail('ada@corp.example')).toMatchObject({
            subject: expect.stringMatching(/^Willkommen bei /),
            htmlBody: `<p>DE Erstellen Sie Ihr Konto: <a href="${signUp}">${signUp}</a></p>`,
        });
        expect(mail('bob@corp.example').subject).toMatch(/^Willkommen bei /);

        // Accounts: their own locale (Japanese), else the server's default (English: the fallback text, as before).
        expect(mail('user1@corp.example')).toMatchObject({htmlBody: `<p>JA <a href="${site}">${site}</a> にサインインしてください</p>`});
        expect(mail('user0@corp.example')).toMatchObject({
            subject: expect.stringMatching(/^Join /),
            htmlBody: `<p>Sign in at <a href="${site}">${site}</a></p>`,
        });

        // The preview follows the recipient's language, or the one asked for (its edits are written in it).
        const preview = (body: Record<string, unknown>) => fixture.client.post(WaveRoutes.invitationPreview(waveId), body);
        expect((await preview({line: 3})).json.subject).toMatch(/へようこそ$/);
        expect((await preview({line: 2, locale: 'de'})).json.subject).toMatch(/^Willkommen bei /);
        expect((await preview({line: 2, locale: 'fr', html_template: '{{sign_in_method}}'})).json.html).toMatch(/^Connectez-vous sur /);
        expect((await preview({line: 2, locale: 'fr'})).json.subject).toMatch(/^Join /);
    });

    test('someone who signed up before their invitation went out is not invited; their account is onboarded', async () => {
        const fixture = await waveFixture({users: 0});
        enableDirectoriesAndEmail(fixture);
        const send = fixture.api.mail.send;
        let bob: UserProfile | undefined;
        fixture.api.mail.send = (to, subject, html) => {
            send(to, subject, html);

            // Bob signs up while Ada's invitation goes out.
            bob = bob ?? fixture.api.addUser({username: 'bob', email: 'bob@corp.example'});
        };
        const waveId = await startNow(fixture, {cohort: {csv: [mixedFile[2], mixedFile[3]]}, newcomers, invitation});

        // The server's user-created hook arrives (asynchronously, after the batch here).
        await fixture.app.dispatch('userHasBeenCreated', JSON.stringify(bob));
        await fixture.client.post(WaveRoutes.tick(waveId));
        runToEnd(fixture, waveId);

        // Bob's one email is the wave's invitation as an account holder gets it: how to sign in, not to sign up.
        expect(fixture.api.sentMails.map((mail) => [mail.to, mail.htmlBody.replace(/<[^>]*>/g, '')])).toEqual([
            ['ada@corp.example', `Create your account: ${site}/signup_user_complete/?id=teaminvite1`],
            ['bob@corp.example', `Sign in at ${site}`],
        ]);
        const outcomes = (await results(fixture, waveId)).
            map((result) => [result.outcome, result.reason, result.email ?? '', result.user_id]);
        expect(outcomes).toEqual([
            ['invited', '', 'ada@corp.example', ''],
            ['skipped', 'signed_up', 'bob@corp.example', bob!.id],
            ['added', '', '', bob!.id],
        ]);
        expectOnboarded(fixture, bob!);
    });

    test('a failed invitation fails the person; retry-failed sends it once; without email nothing is claimed', async () => {
        const fixture = await waveFixture({users: 0});
        enableDirectoriesAndEmail(fixture);
        const send = fixture.api.mail.send;
        let failures = 1;
        fixture.api.mail.send = (to, subject, html) => {
            if (failures > 0) {
                failures -= 1;
                throw new HostError(500, 'plugin_api.send_mail.error', 'smtp down');
            }
            send(to, subject, html);
        };
        const waveId = await startNow(fixture, {cohort: {csv: [mixedFile[3]]}, newcomers, invitation});
        expect((await results(fixture, waveId))[0]).toMatchObject({
            outcome: 'failed',
            invitation: 'failed',
            email: 'bob@corp.example',
            reason: 'invitation: 500 plugin_api.send_mail.error: smtp down',
        });
        expect(fixture.api.kv.get(emailMarkerKey(waveId, 'bob@corp.example'))).toBeNull();

        // Email switched off since the start: the retry fails again without claiming anything.
        const config = fixture.api.serverConfig;
        fixture.api.serverConfig = {...config, EmailSettings: {SendEmailNotifications: false}};
        await fixture.client.post(WaveRoutes.retryFailed(waveId));
        runToEnd(fixture, waveId);
        expect((await results(fixture, waveId))[0]).toMatchObject({outcome: 'failed', reason: expect.stringMatching(/email is not configured/)});
        expect(fixture.api.kv.get(emailMarkerKey(waveId, 'bob@corp.example'))).toBeNull();

        fixture.api.serverConfig = config;
        await fixture.client.post(WaveRoutes.retryFailed(waveId));
        runToEnd(fixture, waveId);
        expect((await results(fixture, waveId))[0]).toMatchObject({outcome: 'invited', invitation: 'sent', attempts: 3});
        expect(fixture.api.sentMails.map((mail) => mail.to)).toEqual(['bob@corp.example']);
        expect(await progressOf(fixture, waveId)).toMatchObject({state: 'completed', counts: {invited: 1, failed: 0}});
    });

    test('start refuses an invite wave without the invitation email, or while the server sends none', async () => {
        const fixture = await waveFixture({users: 1});
        const silent = await fixture.createWave({cohort: {csv: mixedFile}, newcomers});
        const refused = await fixture.client.post(WaveRoutes.start(silent.id), {expected_version: silent.version});
        expect(refused.status).toBe(400);
        expect(refused.json.error.message).toMatch(/^Inviting people who have no account needs the invitation email/);

        const wave = await fixture.createWave({cohort: {csv: mixedFile}, newcomers, invitation});
        const response = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(response.status).toBe(400);
        expect(response.json.error.message).toMatch(/Email is not configured/);
        const warnings = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json.warnings;
        expect(warnings).toContainEqual(expect.stringMatching(/^Email is not configured/));
        expect(fixture.api.sentMails).toEqual([]);
    });
});

describe('exactly once when the plugin dies at any side effect', () => {
    const file = [
        row(2, {email: 'user0@corp.example'}),
        ...[3, 4, 5].map((line) => row(line, {email: `new${line}@corp.example`, first_name: `N${line}`})),
    ];
    const newEmails = ['new3@corp.example', 'new4@corp.example', 'new5@corp.example'];

    function expectMailedOnce(fixture: WaveFixture, result: UserResult, crashAt: number) {
        const address = result.email ?? fixture.users[0].email;
        const mails = mailsTo(fixture).get(address) ?? 0;
        if (result.invitation === 'unconfirmed') {
            expect({crashAt, address, mails: mails <= 1}).toEqual({crashAt, address, mails: true});
        } else {
            expect({crashAt, address, invitation: result.invitation, mails}).toEqual({
                crashAt,
                address,
                invitation: expect.stringMatching(/^(sent|already_sent)$/),
                mails: 1,
            });
        }
    }

    async function scheduledWave(mode: 'create' | 'invite') {
        const fixture = await waveFixture({users: 1, engine: {batchSize: 2}});
        enableDirectoriesAndEmail(fixture);
        const wave = await fixture.createWave({
            cohort: {csv: file},
            newcomers: {mode, auth_service: 'email', locale: '', timezone: ''},
            invitation: {enabled: true, subject: 'Hi', html_template: '<p>{{sign_in_method}}</p>'},
        });
        await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version, start_at: fixture.clock.now() + 1000});
        fixture.clock.advance(1000);
        return {fixture, waveId: wave.id};
    }

    function crashRun(fixture: WaveFixture, waveId: string, crashAt: number, when: 'before' | 'after') {
        const crashing = crashingApi(fixture.api, crashAt, when);
        try {
            runWave({api: crashing.api, kv: new KvStore(crashing.api.kv), log: memoryLogger()}, waveId, fixture.engine);
        } catch (error) {
            if (!(error instanceof Crash)) {
                throw error;
            }
        }
        fixture.api.heldMutexes.clear();
        return crashing;
    }

    async function cleanSteps(mode: 'create' | 'invite') {
        const {fixture, waveId} = await scheduledWave(mode);
        const crashing = crashRun(fixture, waveId, Number.MAX_SAFE_INTEGER, 'before');
        expect(crashing.crashed()).toBe(false);
        return crashing.steps();
    }

    test.each([['before' as const], ['after' as const]])('create: crash %s each side effect, then resume', async (when) => {
        const steps = await cleanSteps('create');
        expect(steps).toBeGreaterThan(20);
        for (let crashAt = 1; crashAt <= steps; crashAt++) {
            const {fixture, waveId} = await scheduledWave('create');
            expect(crashRun(fixture, waveId, crashAt, when).crashed()).toBe(true);
            runToEnd(fixture, waveId);

            // Nobody twice: one account per email, one DM per account, at most one email per address.
            for (const email of newEmails) {
                expect({crashAt, email, accounts: accountsWithEmail(fixture, email).length}).toEqual({crashAt, email, accounts: 1});
                expect(fixture.dmsByUser().get(userByEmail(fixture, email).id)).toBe(1);
            }
            expect([...mailsTo(fixture).values()].every((count) => count === 1)).toBe(true);
            const progress = await progressOf(fixture, waveId);
            expect({crashAt, progress}).toMatchObject({
                crashAt,
                progress: {state: 'completed', processed: 4, counts: {created: 3, failed: 0, welcomed: 4}},
            });
            const outcomes = (await results(fixture, waveId)).map((result) => [result.outcome, result.user_id, result.email]);
            expect({crashAt, outcomes: outcomes.slice(1)}).toEqual({
                crashAt,
                outcomes: newEmails.map((email) => ['created', userByEmail(fixture, email).id, email]),
            });

            // A crash around a send leaves it `unconfirmed` (sent or not, it is never sent again); any other is sent once.
            for (const result of await results(fixture, waveId)) {
                expectMailedOnce(fixture, result, crashAt);
            }
        }
    });

    test.each([['before' as const], ['after' as const]])('invite: crash %s each side effect, then resume', async (when) => {
        const steps = await cleanSteps('invite');
        for (let crashAt = 1; crashAt <= steps; crashAt++) {
            const {fixture, waveId} = await scheduledWave('invite');
            expect(crashRun(fixture, waveId, crashAt, when).crashed()).toBe(true);
            runToEnd(fixture, waveId);
            expect([...mailsTo(fixture).values()].every((count) => count === 1)).toBe(true);
            const invited = (await results(fixture, waveId)).slice(1);
            expect({crashAt, invited: invited.map((result) => [result.outcome, result.email])}).toEqual({
                crashAt,
                invited: newEmails.map((email) => ['invited', email]),
            });
            for (const result of invited) {
                expectMailedOnce(fixture, result, crashAt);
            }
            expect(await progressOf(fixture, waveId)).toMatchObject({state: 'completed', counts: {invited: 3, failed: 0}});
            expect(fixture.api.directory.users.size).toBe(3);
        }
    });
});

describe('invitation variables', () => {
    test('links become links only when they are http(s) URLs; everything else is escaped text', () => {
        expect(linkifyHtml('see https://a.example/x?a=1&b=2.')).toBe(
            'see <a href="https://a.example/x?a=1&amp;b=2">https://a.example/x?a=1&amp;b=2</a>.',
        );
        expect(linkifyHtml('javascript:alert(1) <img src=x>')).toBe('javascript:alert(1) &lt;img src=x&gt;');
        expect(linkifyHtml('http://x"onmouseover="alert(1)')).toBe('<a href="http://x">http://x</a>&quot;onmouseover=&quot;alert(1)');
    });

    test('each way of signing in, the sign-up and app links from the server config', () => {
        const config = {
            ServiceSettings: {SiteURL: 'https://chat.corp.example/'},
            NativeAppSettings: {AppDownloadLink: 'https://dl.example/desktop', IosAppDownloadLink: 'https://apps.example/ios'},
            OpenIdSettings: {ButtonText: 'Corp SSO'},
        };
        const links = invitationLinks(config, 'abc');
        expect(links).toEqual({
            site_url: 'https://chat.corp.example',
            set_password_link: 'https://chat.corp.example/reset_password',
            sign_up_link: 'https://chat.corp.example/signup_user_complete/?id=abc',
            desktop_app_link: 'https://dl.example/desktop',
        });
        expect(signInMethod({kind: 'created', auth_service: 'openid'}, links, config, 'en')).toBe('Sign in with Corp SSO at https://chat.corp.example');
        expect(signInMethod({kind: 'created', auth_service: 'office365'}, links, config, 'en')).toBe('Sign in with Entra ID at https://chat.corp.example');
        expect(signInMethod({kind: 'created', auth_service: 'ldap'}, links, config, 'en')).toBe(
            'Sign in at https://chat.corp.example with your directory username and password',
        );
        expect(signInMethod({kind: 'invited'}, links, config, 'en')).toBe('Create your account: https://chat.corp.example/signup_user_complete/?id=abc');
        expect(signInMethod({kind: 'existing'}, links, config, 'en')).toBe('Sign in at https://chat.corp.example');
    });

    test('the app links\' label is in the invitation\'s language', () => {
        const config = {
            ServiceSettings: {SiteURL: 'https://chat.corp.example'},
            NativeAppSettings: {IosAppDownloadLink: 'https://apps.example/ios', AndroidAppDownloadLink: 'https://apps.example/android'},
        };
        const links = invitationLinks(config, '');
        const welcome = {first_name: 'Ada', username: 'ada', team: 'Corp', channels: '', help_link: '', wave: 'W'};
        const mobile = (locale: 'en' | 'de' | 'ja') =>
            invitationVariables({...welcome, start_date: '', today: ''}, links, {kind: 'existing'}, config, locale).mobile_app_links;
        const stores = 'iOS: https://apps.example/ios · Android: https://apps.example/android';
        expect(mobile('en')).toBe(`${stores} · server URL to enter in the app: https://chat.corp.example`);
        expect(mobile('de')).toBe(`${stores} · Server-URL für die App: https://chat.corp.example`);
        expect(mobile('ja')).toContain('アプリに入力するサーバー URL: https://chat.corp.example');
    });
});

describe('invitation preview and test-send', () => {
    const newcomers = {mode: 'invite', auth_service: 'email', locale: '', timezone: ''};

    test('renders the edited invitation for a row of the file, or for the caller; 400 for a line that is not a person', async () => {
        const fixture = await waveFixture({users: 2});
        enableDirectoriesAndEmail(fixture);
        const wave = await fixture.createWave({cohort: {csv: mixedFile}, newcomers});
        const preview = await fixture.client.post(WaveRoutes.invitationPreview(wave.id), {
            line: 4,
            subject: 'Hello {{first_name}}\r\nBcc: x',
            html_template: '<p>{{first_name}}: {{sign_in_method}}</p>',
        });
        expect(preview.status).toBe(200);
        const signUp = `${site}/signup_user_complete/?id=teaminvite1`;
        expect(preview.json).toEqual({
            subject: 'Hello <b>Ada</b> Bcc: x',
            html: `<p>&lt;b&gt;Ada&lt;/b&gt;: Create your account: <a href="${signUp}">${signUp}</a></p>`,
            text: `<b>Ada</b>: Create your account: ${signUp}`,
            recipient: 'ada@corp.example',
            smtp_configured: true,
        });
        const existing = await fixture.client.post(WaveRoutes.invitationPreview(wave.id), {line: 2, html_template: '{{sign_in_method}}'});
        expect(existing.json).toMatchObject({recipient: 'user0@corp.example', html: `Sign in at <a href="${site}">${site}</a>`});
        const caller = await fixture.client.post(WaveRoutes.invitationPreview(wave.id), {});
        expect(caller.json.recipient).toBe(fixture.admin.email);
        expect(caller.json.html).toContain('Create your account');

        for (const line of [1, 6, 7]) {
            const bad = await fixture.client.post(WaveRoutes.invitationPreview(wave.id), {line});
            expect({line, status: bad.status, id: bad.json.error.id}).toEqual({line, status: 400, id: ErrorIds.invalid});
        }
        expect(fixture.api.sentMails).toEqual([]);
    });

    test('test-send mails the caller only; 409 when the server sends no email; 403 for members and team admins', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave({cohort: {csv: mixedFile}, newcomers});
        const refused = await fixture.client.post(WaveRoutes.invitationTestSend(wave.id), {line: 4});
        expect(refused.status).toBe(409);
        expect(refused.json.error.id).toBe(ErrorIds.waveSmtpNotConfigured);
        expect(fixture.api.sentMails).toEqual([]);

        enableDirectoriesAndEmail(fixture);
        const sent = await fixture.client.post(WaveRoutes.invitationTestSend(wave.id), {line: 4});
        expect(sent.status).toBe(200);
        expect(sent.json).toMatchObject({recipient: 'ada@corp.example', sent_to: fixture.admin.email});
        expect(fixture.api.sentMails.map((mail) => mail.to)).toEqual([fixture.admin.email]);
        expect(fixture.api.kv.get(emailMarkerKey(wave.id, 'ada@corp.example'))).toBeNull();

        const member = fixture.api.addUser({username: 'member'});
        const teamAdmin = fixture.api.addUser({username: 'lead'});
        fixture.api.addTeamMember(fixture.team.id, teamAdmin.id, 'team_user team_admin');
        for (const path of [WaveRoutes.invitationPreview(wave.id), WaveRoutes.invitationTestSend(wave.id)]) {
            for (const userId of [member.id, teamAdmin.id]) {
                expect((await fixture.request('POST', path, {userId, body: {}})).status).toBe(403);
            }
        }
        expect(fixture.api.sentMails).toHaveLength(1);
    });
});
