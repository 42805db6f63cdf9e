import {WaveRoutes} from 'contract/routes';
import type {CsvRow, DryRunReport, Person} from 'contract/waves';
import {WaveDefinitionSchema} from 'contract/waves';

import {validateCsvRows} from './cohort';
import {dryRun} from './dryRun';
import type {ServerFacts} from './people';

import {waveFixture, type WaveFixture} from '../testing/waveFixture';

// The dry run of a file with people who have no account: what the wave would do for each row (the
// account exists / would be created / invited / skipped) by sign-in method with a sample of rows, the
// targets they would join, and the warnings about what would keep them out. It changes nothing.

const personRow = (line: number, person: Person): CsvRow => ({line, value: person.email || person.username || '', person});

/** A file mixing one-column rows and named columns: two existing accounts, three newcomers, two bad rows. */
const file: CsvRow[] = [
    {line: 2, value: 'user0'},
    personRow(3, {email: 'USER1@corp.example', first_name: 'Ignored'}),
    personRow(4, {email: 'new.one@corp.example', first_name: 'New', last_name: 'One'}),
    personRow(5, {email: 'sso@corp.example', username: 'sso.person', auth_service: 'saml', auth_data: 'sso-1'}),
    personRow(6, {email: 'dir@corp.example', auth_service: 'ldap', auth_data: 'dir-1'}),
    personRow(7, {email: 'bad@', first_name: 'Bad'}),
    personRow(8, {email: 'ghost-no-email@corp.example', auth_service: 'ldap'}),
];

const withSso = (fixture: WaveFixture) => {
    fixture.api.serverConfig = {...fixture.api.serverConfig, SamlSettings: {Enable: true}, LdapSettings: {Enable: true}};
};

const configureSmtp = (fixture: WaveFixture) => {
    fixture.api.serverConfig = {
        ...fixture.api.serverConfig,
        EmailSettings: {SendEmailNotifications: true, SMTPServer: 'smtp.corp.example'},
    };
};

const invitation = {enabled: true, subject: 'Welcome', html_template: '<p>{{sign_in_method}}</p>'};

async function dryRunOf(fixture: WaveFixture, overrides: Record<string, unknown>): Promise<DryRunReport> {
    const wave = await fixture.createWave({cohort: {csv: file}, ...overrides});
    const response = await fixture.client.post(WaveRoutes.dryRun(wave.id));
    expect(response.status).toBe(200);
    return response.json;
}

describe('dry run: people without accounts', () => {
    test('mode create: existing / to create by sign-in method, a sample of each, the targets they would join', async () => {
        const fixture = await waveFixture({users: 2});
        withSso(fixture);
        configureSmtp(fixture);
        const before = fixture.api.directory.users.size;
        const report = await dryRunOf(fixture, {newcomers: {mode: 'create', auth_service: 'email'}, invitation});

        expect(report.people).toEqual({
            existing: 2,
            create: 3,
            invite: 0,
            skip: 0,
            by_auth_service: {email: 1, saml: 1, ldap: 1},
            sample: [
                {line: 2, email: 'user0@corp.example', username: 'user0', action: 'existing', auth_service: 'email'},
                {line: 3, email: 'user1@corp.example', username: 'user1', action: 'existing', auth_service: 'email'},
                {line: 4, email: 'new.one@corp.example', username: 'new.one', action: 'create', auth_service: 'email'},
                {line: 5, email: 'sso@corp.example', username: 'sso.person', action: 'create', auth_service: 'saml'},
                {line: 6, email: 'dir@corp.example', username: 'dir', action: 'create', auth_service: 'ldap'},
            ],
        });

        // The bad rows are problems with their line; the newcomers are queued with the accounts.
        expect(report.csv_problems.map((problem) => [problem.line, problem.reason])).toEqual([
            [7, 'not a valid email address'],
            [8, 'auth_data is required for ldap: the id its sign-in will match'],
        ]);
        expect(report.cohort_size).toBe(5);
        expect(report.sources.csv).toBe(2);
        expect(report.targets.map((target) => [target.name, target.would_add])).toEqual([
            ['rollout', 5], ['general-info', 5], ['help', 5],
        ]);
        expect(report.warnings).toEqual([]);

        // Nothing was created.
        expect(fixture.api.directory.users.size).toBe(before);
    });

    test('mode invite counts invitations; mode skip counts the people without an account and keeps them as "no such user"', async () => {
        const fixture = await waveFixture({users: 2});
        withSso(fixture);
        configureSmtp(fixture);
        fixture.api.directory.teams.get(fixture.team.id)!.invite_id = 'invite-123';
        const invite = await dryRunOf(fixture, {newcomers: {mode: 'invite', auth_service: 'email'}, invitation});
        expect(invite.people).toMatchObject({existing: 2, create: 0, invite: 3, skip: 0, by_auth_service: {email: 1, saml: 1, ldap: 1}});
        expect(invite.people.sample.filter((row) => row.action === 'invite').map((row) => row.line)).toEqual([4, 5, 6]);
        expect(invite.warnings).toEqual([]);

        const skip = await dryRunOf(fixture, {newcomers: {mode: 'skip', auth_service: 'email'}});
        expect(skip.people).toMatchObject({existing: 2, create: 0, invite: 0, skip: 4, by_auth_service: {}});
        expect(skip.people.sample.filter((row) => row.action === 'skip')).toEqual([
            {line: 4, email: 'new.one@corp.example', username: '', action: 'skip', auth_service: ''},
            {line: 5, email: 'sso@corp.example', username: 'sso.person', action: 'skip', auth_service: 'saml'},
            {line: 6, email: 'dir@corp.example', username: '', action: 'skip', auth_service: 'ldap'},
            {line: 8, email: 'ghost-no-email@corp.example', username: '', action: 'skip', auth_service: 'ldap'},
        ]);
        expect(skip.csv_problems.map((problem) => [problem.line, problem.reason])).toEqual([
            [4, 'no such user'], [5, 'no such user'], [6, 'no such user'], [7, 'not a valid email address'], [8, 'no such user'],
        ]);
        expect(skip.cohort_size).toBe(2);
        expect(skip.targets[0].would_add).toBe(2);
    });

    test('a sign-in method this server has not enabled is a problem of the row, read from the server\'s config', async () => {
        const fixture = await waveFixture({users: 2});
        const report = await dryRunOf(fixture, {newcomers: {mode: 'create', auth_service: 'email'}});
        expect(report.csv_problems.filter((problem) => [5, 6].includes(problem.line)).map((problem) => problem.reason)).toEqual([
            'auth_service "saml" is not enabled on this server (SamlSettings.Enable)',
            'auth_service "ldap" is not enabled on this server (LdapSettings.Enable)',
        ]);
        expect(report.people).toMatchObject({create: 1, by_auth_service: {email: 1}});
    });

    test('a few rows of each action in the sample, the counts cover every row', async () => {
        const fixture = await waveFixture({users: 8});
        const csv = [
            ...fixture.users.map((user, i) => ({line: i + 2, value: user.username})),
            ...Array.from({length: 9}, (_, i) => personRow(i + 20, {email: `new${i}@corp.example`})),
        ];
        const wave = await fixture.createWave({cohort: {csv}, newcomers: {mode: 'create', auth_service: 'email'}});
        const report: DryRunReport = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(report.people).toMatchObject({existing: 8, create: 9});
        expect(report.people.sample.filter((row) => row.action === 'existing')).toHaveLength(5);
        expect(report.people.sample.filter((row) => row.action === 'create').map((row) => row.line)).toEqual([20, 21, 22, 23, 24]);
    });
});

describe('dry run at scale', () => {
    test('5,000 rows (half accounts, half newcomers): at most two lookups a row, member lists instead of per-user reads', async () => {
        const fixture = await waveFixture({users: 2500});
        const csv = [
            ...fixture.users.map((user, i) => personRow(i + 2, {email: user.email, username: user.username})),
            ...Array.from({length: 2500}, (_, i) => personRow(i + 3000, {email: `new${i}@corp.example`, username: `new${i}`})),
        ];
        const definition = WaveDefinitionSchema.parse(fixture.definition({cohort: {csv}, newcomers: {mode: 'create'}}));
        const byEmail = jest.spyOn(fixture.api.users, 'getByEmail');
        const byUsername = jest.spyOn(fixture.api.users, 'getByUsername');
        const teamMember = jest.spyOn(fixture.api.teams, 'getMember');
        const report = dryRun(fixture.api, definition);
        expect(report.people).toMatchObject({existing: 2500, create: 2500});
        expect(report.cohort_size).toBe(5000);

        // Accounts are found by email; only newcomers are also looked up by username.
        expect(byEmail).toHaveBeenCalledTimes(5000);
        expect(byUsername).toHaveBeenCalledTimes(2500);
        expect(teamMember).not.toHaveBeenCalled();
    });
});

describe('dry run: what would keep newcomers out', () => {
    test('create with the invitation off: nobody would tell the newcomers; invite sends it anyway', async () => {
        const fixture = await waveFixture({users: 2});
        withSso(fixture);
        fixture.api.directory.teams.get(fixture.team.id)!.invite_id = 'invite-123';
        const create = await dryRunOf(fixture, {newcomers: {mode: 'create', auth_service: 'email'}});
        expect(create.warnings).toEqual([
            'Newcomers: 3 accounts would be created, but the invitation email is off: nobody would tell these people, ' +
            'and those who sign in with email and password could not sign in without its set-password link.',
        ]);

        // An invite wave invites whatever the invitation switch says: only email must work.
        configureSmtp(fixture);
        const invite = await dryRunOf(fixture, {newcomers: {mode: 'invite', auth_service: 'email'}});
        expect(invite.warnings).toEqual([]);

        // No newcomer in the file: nothing to warn about.
        const wave = await fixture.createWave({cohort: {csv: [{line: 2, value: 'user0'}]}, newcomers: {mode: 'invite'}});
        expect((await fixture.client.post(WaveRoutes.dryRun(wave.id))).json.warnings).toEqual([]);
    });

    test('SMTP not configured while invitations would be sent', async () => {
        const fixture = await waveFixture({users: 1});
        withSso(fixture);
        fixture.api.directory.teams.get(fixture.team.id)!.invite_id = 'invite-123';
        const report = await dryRunOf(fixture, {newcomers: {mode: 'invite', auth_service: 'email'}, invitation});
        expect(report.smtp_configured).toBe(false);
        expect(report.warnings).toEqual([expect.stringMatching(/^Email is not configured on this server/)]);
    });

    test('invite: no invite link, a group-synced team, account creation or email sign-up off, other email domains', async () => {
        const fixture = await waveFixture({users: 2});
        withSso(fixture);
        configureSmtp(fixture);
        const team = fixture.api.directory.teams.get(fixture.team.id)!;
        team.group_constrained = true;
        team.allowed_domains = 'partner.example, @other.example';
        fixture.api.serverConfig = {
            ...fixture.api.serverConfig,
            TeamSettings: {EnableUserCreation: false},
            EmailSettings: {...fixture.api.serverConfig.EmailSettings, EnableSignUpWithEmail: false},
        };
        const report = await dryRunOf(fixture, {newcomers: {mode: 'invite', auth_service: 'email'}, invitation});
        expect(report.warnings).toEqual([
            'Newcomers: team rollout has no invite link (invite id) for invited people to sign up with.',
            'Newcomers: team rollout is synced with groups: the server refuses sign-ups through its invite link.',
            'Newcomers: account creation is off on this server (TeamSettings.EnableUserCreation): invited people cannot sign up.',
            'Newcomers: sign-up with email is off on this server (EmailSettings.EnableSignUpWithEmail): 1 invited ' +
            'people who sign in with email and password cannot sign up.',
            'Newcomers: team rollout accepts sign-ups from partner.example, other.example only: ' +
            '3 invited people have another email domain.',
        ]);
    });

    test('invite without a target team: no link to sign up with', async () => {
        const fixture = await waveFixture({users: 1});
        configureSmtp(fixture);
        const wave = await fixture.createWave({
            cohort: {csv: [personRow(2, {email: 'new@corp.example'})]},
            targets: {teams: [], channels: []},
            newcomers: {mode: 'invite'},
            invitation,
        });
        expect((await fixture.client.post(WaveRoutes.dryRun(wave.id))).json.warnings).toEqual([
            'Newcomers: invited people sign up through the first target team\'s invite link, and the wave has no such team.',
        ]);
    });

    test('create: a group-synced target refuses new accounts, which are in no group yet', async () => {
        const fixture = await waveFixture({users: 2});
        withSso(fixture);
        configureSmtp(fixture);
        fixture.api.directory.teams.get(fixture.team.id)!.group_constrained = true;
        const report = await dryRunOf(fixture, {newcomers: {mode: 'create', auth_service: 'email'}, invitation});
        expect(report.warnings).toEqual([
            'Newcomers: team rollout is synced with groups and refuses new accounts, which are in no group yet.',
        ]);
        const rollout = report.targets.find((target) => target.name === 'rollout')!;

        // The two accounts (in no group either) and the three newcomers.
        expect(rollout.refused).toBe(2 + 3);
    });
});

describe('validateCsvRows with named columns', () => {
    const facts: ServerFacts = {enabledAuthServices: new Set(['email', 'saml']), locales: new Set(['en']), timezones: null};

    test('one-column rows and person rows in one file: each checked its way, one person per row, duplicates across both kinds', () => {
        const {valid, problems} = validateCsvRows([
            {line: 2, value: '@Ada'},
            {line: 3, value: 'bob@corp.example'},
            personRow(4, {email: 'Carol@corp.example', username: 'carol', auth_service: 'saml', auth_data: 'c-1'}),
            personRow(5, {username: 'ada', first_name: 'Second Ada'}),
            personRow(6, {email: 'BOB@corp.example'}),
            personRow(7, {email: 'dan@corp.example', auth_service: 'gitlab'}),
            personRow(8, {email: 'erin@corp.example', locale: 'de'}),
            {line: 9, value: ''},
        ], facts);
        expect(valid.map((row) => [row.line, row.kind, row.value, row.person.email, row.person.username])).toEqual([
            [2, 'username', 'ada', '', 'ada'],
            [3, 'email', 'bob@corp.example', 'bob@corp.example', ''],
            [4, 'email', 'carol@corp.example', 'carol@corp.example', 'carol'],
        ]);
        expect(valid[2].person).toMatchObject({auth_service: 'saml', auth_data: 'c-1'});
        expect(problems).toEqual([
            {line: 5, value: 'ada', reason: 'duplicate of line 2 (username)'},
            {line: 6, value: 'BOB@corp.example', reason: 'duplicate of line 3 (email)'},
            {line: 7, value: 'dan@corp.example', reason: 'auth_service "gitlab" is not enabled on this server (GitLabSettings.Enable)'},
            {line: 8, value: 'erin@corp.example', reason: 'locale "de" is not offered by this server'},
            {line: 9, value: '', reason: 'empty value'},
        ]);
    });

    test('without the server\'s facts only the shape is checked: any sign-in method and locale passes', () => {
        const {valid, problems} = validateCsvRows([personRow(2, {email: 'dan@corp.example', auth_service: 'gitlab', locale: 'de'})]);
        expect(problems).toEqual([]);
        expect(valid[0].person).toMatchObject({auth_service: 'gitlab', locale: 'de'});
    });
});
