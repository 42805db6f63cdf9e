/** One choice in a picker: a user, team, channel or group. */
export interface PickOption {
    id: string;
    label: string;

    /** Shown after the label, muted (e.g. "~town-square", "LDAP · 120 members"). */
    detail?: string;

    /** The channel's team. */
    teamId?: string;
}
