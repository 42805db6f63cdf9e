import type {GuardAccess} from 'contract/endpoints/endpoint';

import type {GuardInput} from './context';

import {ApiError} from '../errors/apiError';
import {Permissions} from '../mattermost/permissions';

/**
 * Who a guard lets through, as data (declared with each endpoint in contract/endpoints/), so the
 * route table can derive the expected answer for every caller.
 */
export type {GuardAccess};

/** Decides whether a request may reach its handler: returns to allow, throws an ApiError (401/403/400) to refuse. */
export interface Guard {
    /** For logs and route listings, e.g. "system admin". */
    readonly description: string;

    /** Who may pass, as data (see GuardAccess); the router refuses a guard whose access is not the endpoint's. */
    readonly access?: GuardAccess;

    /**
     * The system permissions `check` asks for the caller, when they are all it depends on besides the
     * request's user (nothing stored, nothing a turn under a lock could change): the host may ask them as the
     * request arrives, before it queues for its turn, and pass the answers in `request.permissions`.
     */
    readonly systemPermissions?: readonly string[];
    check(input: GuardInput): void;
}

export const requireUser: Guard = {
    description: 'signed-in user',
    access: {kind: 'user'},
    check({userId}) {
        // The server sets the user id only for a valid session (and passed CSRF); '' means anonymous.
        if (userId === '') {
            throw ApiError.unauthenticated();
        }
    },
};

export const requireSystemAdmin: Guard = {
    description: 'system admin',
    access: {kind: 'systemAdmin'},
    systemPermissions: [Permissions.manageSystem],
    check(input) {
        requireUser.check(input);
        if (!input.api.permissions.hasSystemPermission(input.userId, Permissions.manageSystem)) {
            throw ApiError.forbidden('Only system admins can do this.');
        }
    },
};

/**
 * The cockpit's reads: everyone the System Console shows the cockpit to. The console shows a plugin's
 * settings page to holders of sysconsole_read_plugins and passes `disabled` to them when they lack the
 * write permission; such read-only admins see the plan, readiness, waves and so on, but every write stays
 * behind requireSystemAdmin. Reads that expose credentials, the server's whole configuration or personal
 * data beyond what the console's plugin page shows stay system-admin only (see the routes).
 */
export const requireConsoleReader: Guard = {
    description: 'system admin or System Console plugins reader (sysconsole_read_plugins)',
    access: {kind: 'consoleReader'},
    check(input) {
        requireUser.check(input);
        const {permissions} = input.api;
        if (!permissions.hasSystemPermission(input.userId, Permissions.manageSystem) &&
            !permissions.hasSystemPermission(input.userId, Permissions.sysconsoleReadPlugins)) {
            throw ApiError.forbidden('Only system admins and admins who may read the plugin settings can see this.');
        }
    },
};

/** Where a team-scoped route carries its team id. */
export type TeamIdSource = {
    readonly description: string;

    /** Where the id is, for the route table (a source without them leaves the guard's access undeclared). */
    readonly in?: 'param' | 'query' | 'body';
    readonly name?: string;
    read(input: GuardInput): string | undefined;
};

export const teamIdFrom = {
    param: (name: string): TeamIdSource => ({description: `:${name}`, in: 'param', name, read: ({params}) => params[name]}),
    query: (name: string): TeamIdSource => ({description: `?${name}`, in: 'query', name, read: ({query}) => query.get(name)}),
};

/** Team admins of that team (manage_team); system admins pass too, because the server grants them every team permission. */
export function requireTeamAdmin(teamId: TeamIdSource): Guard {
    return {
        description: `team admin of ${teamId.description}`,
        access: teamId.in && teamId.name ? {kind: 'teamAdmin', team: {in: teamId.in, name: teamId.name}} : undefined,
        check(input) {
            requireUser.check(input);
            const id = teamId.read(input);
            if (!id) {
                throw ApiError.invalid(`The team id (${teamId.description}) is missing.`);
            }
            if (!input.api.permissions.hasTeamPermission(input.userId, id, Permissions.manageTeam)) {
                throw ApiError.forbidden('Only admins of this team can do this.');
            }
        },
    };
}

/**
 * The router's guard for an endpoint's declared access; undefined for the kinds a capability checks
 * itself (listed, actionCallback, custom, a team id in the body), whose guard it passes along.
 */
export function guardFor(access: GuardAccess): Guard | undefined {
    switch (access.kind) {
    case 'user':
        return requireUser;
    case 'systemAdmin':
        return requireSystemAdmin;
    case 'consoleReader':
        return requireConsoleReader;
    case 'teamAdmin':
        return access.team.in === 'body' ? undefined : requireTeamAdmin(teamIdFrom[access.team.in](access.team.name));
    default:
        return undefined;
    }
}
