import {authServices, authServiceSettings, mattermostLocales, type Newcomers, type Person} from 'contract/waves';

import {
    checkPerson,
    classifyPeople,
    completeNewcomer,
    duplicatePeople,
    existingAccount,
    type Newcomer,
    type ServerFacts,
    serverFacts,
    usernameFromEmail,
} from './people';

import {HostError} from '../host/errors';
import {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';

// The people of a cohort file: each cell checked as the server would check it when the account is
// made, newcomers completed with the wave's defaults, duplicates reported, existing accounts found by
// email then username, and the file sorted by what the wave would do.

const facts: ServerFacts = {
    enabledAuthServices: new Set(['email', 'saml', 'ldap']),
    locales: new Set(['en', 'de', 'fr']),
    timezones: new Set(['Europe/Berlin', 'America/New_York']),
};
const defaults: Newcomers = {mode: 'create', auth_service: 'email', locale: '', timezone: ''};

const reasons = (person: Person, withFacts: ServerFacts = facts) => {
    const checked = checkPerson(7, person, withFacts);
    return Array.isArray(checked) ? checked.join(' | ') : '';
};

const newcomer = (fields: Partial<Newcomer>): Newcomer => ({
    line: 2,
    email: '',
    username: '',
    first_name: '',
    last_name: '',
    nickname: '',
    position: '',
    locale: '',
    timezone: '',
    auth_service: '',
    auth_data: '',
    ...fields,
});

describe('checkPerson: the cells of one row', () => {
    test('a complete row is normalised: lowercase email and username, trimmed text, no leading @', () => {
        expect(checkPerson(3, {
            email: ' Ada@Corp.Example ',
            username: '@Ada.L',
            first_name: ' Ada ',
            last_name: 'Lovelace',
            position: 'Analyst',
            locale: 'de',
            timezone: 'Europe/Berlin',
            auth_service: 'SAML',
            auth_data: 'ada-42',
        }, facts)).toEqual(newcomer({
            line: 3,
            email: 'ada@corp.example',
            username: 'ada.l',
            first_name: 'Ada',
            last_name: 'Lovelace',
            position: 'Analyst',
            locale: 'de',
            timezone: 'Europe/Berlin',
            auth_service: 'saml',
            auth_data: 'ada-42',
        }));
    });

    test.each([
        ['no email and no username', {first_name: 'Ada'}, 'an email or a username is required'],
        ['a malformed email', {email: 'ada@corp'}, 'not a valid email address'],
        ['an email with a space', {email: 'ada lovelace@corp.example'}, 'not a valid email address'],
        ['an email over 128 characters', {email: `${'a'.repeat(120)}@corp.example`}, 'not a valid email address'],
        ['a username with a space', {username: 'ada lovelace'}, 'a username is 1–64 of a-z'],
        ['a username over 64 characters', {username: 'a'.repeat(65)}, 'a username is 1–64 of a-z'],
        ['a reserved username', {username: 'channel'}, 'not a reserved name'],
        ['a first name over 64 characters', {email: 'a@b.example', first_name: 'é'.repeat(65)}, 'first_name is longer than 64 characters'],
        ['a last name over 64 characters', {email: 'a@b.example', last_name: 'x'.repeat(65)}, 'last_name is longer than 64 characters'],
        ['a nickname over 64 characters', {email: 'a@b.example', nickname: 'x'.repeat(65)}, 'nickname is longer than 64 characters'],
        ['a position over 128 characters', {email: 'a@b.example', position: 'x'.repeat(129)}, 'position is longer than 128 characters'],
        ['auth data over 128 characters', {email: 'a@b.example', auth_data: 'x'.repeat(129)}, 'auth_data is longer than 128 characters'],
        ['an unknown auth service', {email: 'a@b.example', auth_service: 'kerberos'}, 'auth_service "kerberos" is not one of email, ldap'],
        ['an auth service the server has not enabled', {email: 'a@b.example', auth_service: 'gitlab'},
            'auth_service "gitlab" is not enabled on this server (GitLabSettings.Enable)'],
        ['a locale the server does not offer', {email: 'a@b.example', locale: 'xx'}, 'locale "xx" is not offered by this server'],
        ['an unknown time zone', {email: 'a@b.example', timezone: 'Mars/Olympus'},
            'timezone "Mars/Olympus" is not a time zone this server offers'],
    ])('refuses %s', (_name, person, reason) => {
        expect(reasons(person)).toContain(reason);
    });

    test('names are counted in characters, as the server counts runes: 64 accented letters pass', () => {
        expect(reasons({email: 'a@b.example', first_name: 'é'.repeat(64)})).toBe('');
    });

    test('every problem of a row is reported, not only the first', () => {
        expect(checkPerson(4, {email: 'bad', username: 'all', locale: 'xx'}, facts)).toEqual([
            'not a valid email address',
            expect.stringContaining('a username is 1–64'),
            'locale "xx" is not offered by this server',
        ]);
    });

    test('time zones are not checked when the server list is unknown', () => {
        expect(reasons({email: 'a@b.example', timezone: 'Mars/Olympus'}, {...facts, timezones: null})).toBe('');
    });
});

describe('completeNewcomer: the wave\'s defaults and what an account needs', () => {
    test('the wave\'s defaults fill the empty cells; the file\'s cells win', () => {
        const waveDefaults: Newcomers = {mode: 'create', auth_service: 'saml', locale: 'fr', timezone: 'Europe/Berlin'};
        expect(completeNewcomer(newcomer({email: 'a@b.example', auth_data: 'a1'}), waveDefaults, facts)).toMatchObject({
            auth_service: 'saml',
            locale: 'fr',
            timezone: 'Europe/Berlin',
        });
        expect(completeNewcomer(newcomer({email: 'a@b.example', auth_service: 'email', locale: 'de'}), waveDefaults, facts)).
            toMatchObject({auth_service: 'email', locale: 'de', timezone: 'Europe/Berlin'});
    });

    test('a person without an email cannot be created or invited', () => {
        expect(completeNewcomer(newcomer({username: 'ada'}), defaults, facts)).toEqual([
            'no such user, and no email to create or invite them with',
        ]);
    });

    test('SSO and LDAP need the auth data their sign-in will match', () => {
        expect(completeNewcomer(newcomer({email: 'a@b.example', auth_service: 'ldap'}), defaults, facts)).toEqual([
            'auth_data is required for ldap: the id its sign-in will match',
        ]);
    });

    test('an email account takes no auth data', () => {
        expect(completeNewcomer(newcomer({email: 'a@b.example', auth_data: 'x'}), defaults, facts)).toEqual([
            'auth_data is only for SSO and LDAP accounts',
        ]);
    });

    test('the wave\'s default sign-in method, locale and time zone are checked against the server too', () => {
        const bad: Newcomers = {mode: 'invite', auth_service: 'google', locale: 'xx', timezone: 'Mars/Olympus'};
        expect(completeNewcomer(newcomer({email: 'a@b.example'}), bad, facts)).toEqual([
            expect.stringContaining('auth_service "google" is not enabled'),
            'auth_data is required for google: the id its sign-in will match',
            'the wave\'s default locale "xx" is not offered by this server',
            'the wave\'s default timezone "Mars/Olympus" is not a time zone this server offers',
        ]);
    });
});

describe('duplicatePeople', () => {
    test('the same email, username or directory id twice: the later line is a problem naming the first', () => {
        const {unique, problems} = duplicatePeople([
            newcomer({line: 2, email: 'a@b.example', username: 'ada'}),
            newcomer({line: 3, email: 'a@b.example'}),
            newcomer({line: 4, email: 'other@b.example', username: 'ada'}),
            newcomer({line: 5, email: 'c@b.example', auth_service: 'saml', auth_data: 'id-1'}),
            newcomer({line: 6, email: 'd@b.example', auth_service: 'saml', auth_data: 'id-1'}),

            // The same directory id for another service is another person.
            newcomer({line: 7, email: 'e@b.example', auth_service: 'ldap', auth_data: 'id-1'}),
        ]);
        expect(unique.map((person) => person.line)).toEqual([2, 5, 7]);
        expect(problems).toEqual([
            {line: 3, value: 'a@b.example', reason: 'duplicate of line 2 (email)'},
            {line: 4, value: 'other@b.example', reason: 'duplicate of line 2 (username)'},
            {line: 6, value: 'd@b.example', reason: 'duplicate of line 5 (saml auth_data)'},
        ]);
    });
});

describe('serverFacts', () => {
    test('the enabled sign-in methods, the offered locales and the time zones, from the config', () => {
        const read = serverFacts({
            LdapSettings: {Enable: true},
            SamlSettings: {Enable: false},
            GitLabSettings: {Enable: true},
            LocalizationSettings: {AvailableLocales: 'en, de ,'},
        }, ['Europe/Berlin']);
        expect([...read.enabledAuthServices].sort()).toEqual(['email', 'gitlab', 'ldap']);
        expect([...read.locales]).toEqual(['en', 'de']);
        expect([...read.timezones!]).toEqual(['Europe/Berlin']);
    });

    test('email sign-in is on unless turned off; an empty AvailableLocales offers every locale', () => {
        const read = serverFacts({EmailSettings: {EnableSignInWithEmail: false}, LocalizationSettings: {AvailableLocales: ''}}, []);
        expect(read.enabledAuthServices.size).toBe(0);
        expect([...read.locales]).toEqual([...mattermostLocales]);
        const all = serverFacts(Object.fromEntries(authServices.map((service) => {
            const {section, setting} = authServiceSettings[service];
            return [section, {[setting]: true}];
        })), []);
        expect([...all.enabledAuthServices].sort()).toEqual([...authServices].sort());
    });
});

describe('existingAccount', () => {
    test('by email first, then by the username the file gives; null for a newcomer', () => {
        const api = new InMemoryMattermostApi();
        const ada = api.addUser({username: 'ada', email: 'ada@corp.example'});
        const bob = api.addUser({username: 'bob', email: 'bob@corp.example'});
        const byEmail = jest.spyOn(api.users, 'getByEmail');
        const byUsername = jest.spyOn(api.users, 'getByUsername');

        // The email wins over a username naming someone else.
        expect(existingAccount(api, {email: 'ada@corp.example', username: 'bob'})?.id).toBe(ada.id);
        expect(byUsername).not.toHaveBeenCalled();
        expect(existingAccount(api, {email: 'robert@new.example', username: 'bob'})?.id).toBe(bob.id);
        expect(existingAccount(api, {email: '', username: 'bob'})?.id).toBe(bob.id);
        expect(existingAccount(api, {email: 'new@new.example', username: 'nobody'})).toBeNull();
        expect(existingAccount(api, {email: 'new@new.example', username: ''})).toBeNull();

        // No lookup by an empty email.
        expect(byEmail.mock.calls.map(([email]) => email)).toEqual([
            'ada@corp.example', 'robert@new.example', 'new@new.example', 'new@new.example',
        ]);
        expect(byUsername.mock.calls.map(([username]) => username)).toEqual(['bob', 'bob', 'nobody']);
    });

    test('a lookup failing for another reason than "not found" is not taken for a newcomer', () => {
        const api = new InMemoryMattermostApi();
        api.users.getByEmail = () => {
            throw new HostError(500, 'store.sql.error', 'database down');
        };
        expect(() => existingAccount(api, {email: 'a@b.example', username: ''})).toThrow('database down');
    });
});

describe('classifyPeople', () => {
    function setup() {
        const api = new InMemoryMattermostApi();
        const ada = api.addUser({username: 'ada', email: 'ada@corp.example'});
        const people = [
            newcomer({line: 2, email: 'ada@corp.example'}),
            newcomer({line: 3, email: 'new@corp.example', first_name: 'New'}),
            newcomer({line: 4, email: 'sso@corp.example', auth_service: 'saml', auth_data: 'sso-1'}),
            newcomer({line: 5, username: 'ghost'}),
            newcomer({line: 6, email: 'ldap@corp.example', auth_service: 'ldap'}),
        ];
        return {api, ada, people};
    }

    test('mode skip: people without an account are "no such user" problems', () => {
        const {api, ada, people} = setup();
        const classified = classifyPeople(api, people, {...defaults, mode: 'skip'}, facts);
        expect(classified.existing.map(({person, user}) => [person.line, user.id])).toEqual([[2, ada.id]]);
        expect(classified.newcomers).toEqual([]);
        expect(classified.problems.map((problem) => [problem.line, problem.reason])).toEqual([
            [3, 'no such user'], [4, 'no such user'], [5, 'no such user'], [6, 'no such user'],
        ]);
    });

    test.each(['create', 'invite'] as const)('mode %s: complete newcomers, and problems for those who cannot have an account', (mode) => {
        const {api, people} = setup();
        const classified = classifyPeople(api, people, {...defaults, mode, locale: 'en'}, facts);
        expect(classified.existing).toHaveLength(1);
        expect(classified.newcomers.map((person) => [person.line, person.auth_service, person.locale])).toEqual([
            [3, 'email', 'en'], [4, 'saml', 'en'],
        ]);
        expect(classified.problems).toEqual([
            {line: 5, value: 'ghost', reason: 'no such user, and no email to create or invite them with'},
            {line: 6, value: 'ldap@corp.example', reason: 'auth_data is required for ldap: the id its sign-in will match'},
        ]);
    });
});

describe('usernameFromEmail', () => {
    test('the local part, cleaned as the server cleans usernames; reserved names get a prefix', () => {
        expect(usernameFromEmail('Ada.Lovelace+x@corp.example')).toBe('ada.lovelace-x');
        expect(usernameFromEmail('all@corp.example')).toBe('user-all');
    });
});
