import type {GuardInput} from './context';

import {ApiError} from '../errors/apiError';
import {Permissions} from '../mattermost/permissions';

/**
 * Who a guard lets through, as data rather than code, so the route table (routeTable.ts → the e2e
 * authorization matrix and SECURITY.md) can derive the expected answer for every caller. A new kind
 * of guard adds a kind here; the route table test refuses guards that declare none.
 */
export type GuardAccess =

    /** Any signed-in user, bots included. */
    | {readonly kind: 'user'}

    /** System admins (manage_system) only. */
    | {readonly kind: 'systemAdmin'}

    /**
     * Who may see the cockpit in the System Console: system admins and anyone with read access to the
     * console's Plugins section (sysconsole_read_plugins, e.g. system_read_only_admin). For reads only.
     */
    | {readonly kind: 'consoleReader'}

    /** Admins of the team named by the request (manage_team on it); system admins too. */
    | {readonly kind: 'teamAdmin'; readonly team: {readonly in: 'param' | 'query' | 'body'; readonly name: string}}

    /** System admins and the users on a list a system admin keeps (e.g. stakeholders); `list` names where it is kept. */
    | {readonly kind: 'listed'; readonly list: string}

    /** An interactive message action posted back by the server for a signed-in user; the handler checks the context. */
    | {readonly kind: 'actionCallback'}

    /** Anything else: `rule` says who, in words; the authorization matrix needs an explicit expectation for it. */
    | {readonly kind: 'custom'; readonly rule: string};

/** Decides whether a request may reach its handler: returns to allow, throws an ApiError (401/403/400) to refuse. */
export interface Guard {
    /** For logs and route listings, e.g. "system admin". */
    readonly description: string;

    /** Who may pass, as data (see GuardAccess). Optional for the compiler; the route table test requires it. */
    readonly access?: GuardAccess;
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
