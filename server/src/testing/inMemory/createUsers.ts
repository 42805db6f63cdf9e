import type {Directory} from './directory';
import {makeUser} from './factories';

import type {UserCreateResult, UserCreateSpec} from '../../host/bindings.gen';
import {HostError} from '../../host/errors';

// users.createMany as the host does it (server/host/create_users.go) over the server's rules: emails,
// usernames and auth data are unique; an email that has an account answers that account (created false);
// a username the server has gets a numeric suffix; SSO/LDAP accounts carry their auth service and data.

const usernameAttempts = 20;

function withSuffix(username: string, n: number): string {
    const suffix = String(n);
    return username.slice(0, 64 - suffix.length) + suffix;
}

const refused = (email: string, id: string, message: string): UserCreateResult =>
    ({email, user_id: '', created: false, error: {status_code: 400, id, message}});

function createOne(directory: Directory, spec: UserCreateSpec): UserCreateResult {
    const email = spec.email.trim().toLowerCase();
    const users = [...directory.users.values()];
    const existing = users.find((user) => user.email === email);
    if (existing) {
        return {email, user_id: existing.id, created: false, error: null};
    }
    const sso = spec.auth_service !== '' && spec.auth_service !== 'email';
    if (sso && users.some((user) => user.auth_data === spec.auth_data && user.auth_data)) {
        return refused(email, 'app.user.save.existing.app_error', 'auth data in use');
    }
    const base = spec.username;
    const taken = new Set(users.map((user) => user.username));
    let username = base;
    for (let attempt = 1; taken.has(username); attempt++) {
        if (attempt >= usernameAttempts) {
            return refused(email, 'app.user.save.username_exists.app_error', 'username taken');
        }
        username = withSuffix(base, attempt);
    }
    const user = makeUser({
        username,
        email,
        first_name: spec.first_name,
        last_name: spec.last_name,
        nickname: spec.nickname,
        position: spec.position,
        locale: spec.locale || 'en',
        auth_service: sso ? spec.auth_service : '',
        ...(sso ? {auth_data: spec.auth_data} : {}),
        props: {...(spec.props ?? {})},
        timezone: spec.timezone ?
            {useAutomaticTimezone: 'false', manualTimezone: spec.timezone, automaticTimezone: ''} :
            {useAutomaticTimezone: 'true', manualTimezone: '', automaticTimezone: ''},
    });
    directory.users.set(user.id, user);
    return {email, user_id: user.id, created: true, error: null};
}

export function createUsersLikeServer(directory: Directory, specs: readonly UserCreateSpec[]): UserCreateResult[] {
    if (specs.length > 1000) {
        throw new HostError(500, 'cockpit.host.error', 'users.createMany: at most 1000 users per call');
    }
    if (specs.some((spec) => spec.email.trim() === '')) {
        throw new HostError(400, 'cockpit.host.bad_arguments', 'users.createMany: every spec needs an email');
    }
    if (specs.some((spec) => spec.username === '')) {
        throw new HostError(400, 'cockpit.host.bad_arguments', 'users.createMany: every spec needs a username');
    }
    return specs.map((spec) => createOne(directory, spec));
}
