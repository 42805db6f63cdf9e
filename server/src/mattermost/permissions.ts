// Permission ids as the server names them (model.Permission*.Id). Only the ones the cockpit checks.
export const Permissions = {
    manageSystem: 'manage_system',

    /**
     * Read access to System Console → Plugins: what the console requires to show a plugin's settings page
     * (and so the cockpit). System admins have it, and by default system_read_only_admin and system_manager
     * (model/role.go SystemReadOnlyAdminDefaultPermissions, SystemManagerDefaultPermissions).
     */
    sysconsoleReadPlugins: 'sysconsole_read_plugins',
    manageTeam: 'manage_team',
} as const;
