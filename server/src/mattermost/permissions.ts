// Permission ids as the server names them (model.Permission*.Id). Only the ones the cockpit checks.
export const Permissions = {
    manageSystem: 'manage_system',
    manageTeam: 'manage_team',
} as const;
