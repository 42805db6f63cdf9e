import type {Channel} from '@mattermost/types/channels';
import type {TeamMembership} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import type {RunJobArgs} from '../host/abi';

// The argument each hook receives (already JSON-parsed) and what it returns. Field names are the
// server's JSON (model.CommandArgs / model.CommandResponse), not @mattermost/types' webapp variants.

export interface CommandArgs {
    user_id: string;
    channel_id: string;
    team_id: string;
    root_id: string;
    parent_id?: string;
    trigger_id: string;

    /** The whole command line, e.g. "/cockpit status". */
    command: string;
    site_url: string;
}

export interface CommandResponse {
    response_type?: 'ephemeral' | 'in_channel';
    text?: string;
    props?: Record<string, unknown>;
    goto_location?: string;
}

export interface HookArguments {
    onActivate: null;
    onDeactivate: null;
    onConfigurationChange: null;
    userHasBeenCreated: UserProfile;
    userHasJoinedTeam: {team_member: TeamMembership; actor: UserProfile | null};
    userHasLoggedIn: UserProfile;

    /** Also on a permanent deletion, which deactivates the user first (server/host/hooks.go). */
    userHasBeenDeactivated: UserProfile;
    channelHasBeenCreated: Channel;
}

/** Hooks that only notify: every capability that registers one runs, in capability order. */
export type EventHookName = keyof HookArguments;

export type {RunJobArgs};
