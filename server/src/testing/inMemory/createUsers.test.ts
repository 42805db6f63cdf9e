import {InMemoryMattermostApi} from './inMemoryMattermostApi';

import type {UserCreateSpec} from '../../host/bindings.gen';

const spec = (fields: Partial<UserCreateSpec> & {email: string}): UserCreateSpec => ({
    username: fields.email.split('@')[0].toLowerCase(),
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

describe('users.createMany in the in-memory twin', () => {
    test('makes accounts with the spec fields, one answer per spec in order', () => {
        const api = new InMemoryMattermostApi();
        const results = api.users.createMany([
            spec({
                email: 'Ada@Corp.Example',
                first_name: 'Ada',
                locale: 'de',
                timezone: 'Europe/Berlin',
                auth_service: 'saml',
                auth_data: 'ada-1',
            }),
            spec({email: 'bob@corp.example', username: 'bobby', auth_service: 'email'}),
        ]);
        expect(results.map((r) => [r.email, r.created, r.error])).toEqual([
            ['ada@corp.example', true, null],
            ['bob@corp.example', true, null],
        ]);
        const ada = api.users.get(results[0].user_id);
        expect(ada).toMatchObject({
            username: 'ada',
            email: 'ada@corp.example',
            first_name: 'Ada',
            locale: 'de',
            auth_service: 'saml',
            auth_data: 'ada-1',
        });
        expect(ada.timezone).toEqual({useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin', automaticTimezone: ''});
        const bob = api.users.get(results[1].user_id);
        expect(bob).toMatchObject({username: 'bobby', auth_service: ''});
        expect(bob.auth_data).toBeUndefined();
    });

    test('an email that has an account answers it (created false): a second run makes nothing', () => {
        const api = new InMemoryMattermostApi();
        const first = api.users.createMany([spec({email: 'ada@corp.example'})]);
        const before = api.directory.users.size;
        const second = api.users.createMany([spec({email: 'ADA@corp.example', username: 'other'})]);
        expect(second).toEqual([{email: 'ada@corp.example', user_id: first[0].user_id, created: false, error: null}]);
        expect(api.directory.users.size).toBe(before);
    });

    test('a taken username gets a numeric suffix; a taken auth_data is that spec\'s error', () => {
        const api = new InMemoryMattermostApi();
        api.addUser({username: 'ada', email: 'someone@corp.example'});
        api.addUser({username: 'ada1', email: 'someone1@corp.example', auth_service: 'ldap', auth_data: 'uid-1'});
        const results = api.users.createMany([
            spec({email: 'ada@corp.example'}),
            spec({email: 'eve@corp.example', auth_service: 'ldap', auth_data: 'uid-1'}),
        ]);
        expect(api.users.get(results[0].user_id).username).toBe('ada2');
        expect(results[1]).toMatchObject({created: false, user_id: '', error: {status_code: 400, id: 'app.user.save.existing.app_error'}});
    });

    test('a spec without an email or a username, or more than 1,000 specs, is refused before anything is made', () => {
        const api = new InMemoryMattermostApi();
        const before = api.directory.users.size;
        expect(() => api.users.createMany([spec({email: 'a@corp.example'}), spec({email: ''})])).toThrow(/email/);
        expect(() => api.users.createMany([spec({email: 'a@corp.example', username: ''})])).toThrow(/username/);
        expect(() => api.users.createMany(Array.from({length: 1001}, (_, i) => spec({email: `u${i}@corp.example`})))).toThrow(/1000/);
        expect(api.directory.users.size).toBe(before);
    });

    test('system.timezones answers the seeded zones', () => {
        const api = new InMemoryMattermostApi();
        expect(api.system.timezones()).toContain('Europe/Berlin');
    });
});
