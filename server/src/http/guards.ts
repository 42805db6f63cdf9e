import {ApiError} from '../errors/apiError';
import {Permissions} from '../mattermost/permissions';

import type {GuardInput} from './context';

/** Decides whether a request may reach its handler: returns to allow, throws an ApiError (401/403/400) to refuse. */
export interface Guard {
    /** For logs and route listings, e.g. "system admin". */
    readonly description: string;
    check(input: GuardInput): void;
}

export const requireUser: Guard = {
    description: 'signed-in user',
    check({userId}) {
        // The server sets the user id only for a valid session (and passed CSRF); '' means anonymous.
        if (userId === '') {
            throw ApiError.unauthenticated();
        }
    },
};

export const requireSystemAdmin: Guard = {
    description: 'system admin',
    check(input) {
        requireUser.check(input);
        if (!input.api.permissions.hasSystemPermission(input.userId, Permissions.manageSystem)) {
            throw ApiError.forbidden('Only system admins can do this.');
        }
    },
};

/** Where a team-scoped route carries its team id. */
export type TeamIdSource = {readonly description: string; read(input: GuardInput): string | undefined};

export const teamIdFrom = {
    param: (name: string): TeamIdSource => ({description: `:${name}`, read: ({params}) => params[name]}),
    query: (name: string): TeamIdSource => ({description: `?${name}`, read: ({query}) => query.get(name)}),
};

/** Team admins of that team (manage_team); system admins pass too, because the server grants them every team permission. */
export function requireTeamAdmin(teamId: TeamIdSource): Guard {
    return {
        description: `team admin of ${teamId.description}`,
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
