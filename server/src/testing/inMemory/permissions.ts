import type {Directory} from './directory';

import type {PermissionsApi} from '../../mattermost/api';
import {Permissions} from '../../mattermost/permissions';

// A small slice of the server's default role → permission table, enough for the cockpit's checks.
// Like the server, a system-level grant (system_admin has every permission) also satisfies team and
// channel checks, and a team-level grant satisfies channel checks in that team's channels.
const defaultRolePermissions: Record<string, readonly string[]> = {
    system_user: ['create_team', 'list_public_teams', 'join_public_teams'],
    team_user: ['view_team', 'list_team_channels', 'join_public_channels', 'read_public_channel'],
    team_admin: [Permissions.manageTeam, 'manage_team_roles', 'remove_user_from_team', 'manage_public_channel_properties'],
    channel_user: ['read_channel', 'create_post'],
    channel_admin: ['manage_channel_roles', 'manage_public_channel_members', 'manage_private_channel_members'],
    system_read_only_admin: [
        Permissions.sysconsoleReadPlugins,
        'sysconsole_read_environment_web_server',
        'sysconsole_read_user_management_users',
    ],
};

export class InMemoryPermissions implements PermissionsApi {
    /** Extra grants per role, for tests that need a custom or delegated-admin permission. */
    private readonly rolePermissions = new Map<string, Set<string>>(
        Object.entries(defaultRolePermissions).map(([role, permissions]) => [role, new Set(permissions)]),
    );

    constructor(private readonly directory: Directory) {}

    grantToRole(role: string, permission: string): void {
        const permissions = this.rolePermissions.get(role) ?? new Set<string>();
        permissions.add(permission);
        this.rolePermissions.set(role, permissions);
    }

    hasSystemPermission(userId: string, permission: string): boolean {
        const user = this.directory.users.get(userId);
        return user !== undefined && user.delete_at === 0 && this.rolesGrant(user.roles, permission);
    }

    hasTeamPermission(userId: string, teamId: string, permission: string): boolean {
        if (this.hasSystemPermission(userId, permission)) {
            return true;
        }
        const member = this.directory.teamMember(teamId, userId);
        return member !== undefined && member.delete_at === 0 && this.rolesGrant(member.roles, permission);
    }

    hasChannelPermission(userId: string, channelId: string, permission: string): boolean {
        const channel = this.directory.channels.get(channelId);
        if (channel === undefined) {
            return this.hasSystemPermission(userId, permission);
        }
        if (this.hasTeamPermission(userId, channel.team_id, permission)) {
            return true;
        }
        const member = this.directory.channelMember(channelId, userId);
        return member !== undefined && this.rolesGrant(member.roles, permission);
    }

    private rolesGrant(roles: string, permission: string): boolean {
        return roles.split(' ').some((role) => role === 'system_admin' || this.rolePermissions.get(role)?.has(permission));
    }
}
