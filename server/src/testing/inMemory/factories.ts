import type {Channel, ChannelMembership} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team, TeamMembership} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

// Complete @mattermost/types objects from the few fields a test cares about, so seeded data has
// the same shape the host returns.

let lastId = 0;

/** A Mattermost-style 26-character id; deterministic within one test run. */
export function newId(prefix = 'id'): string {
    lastId += 1;

    // Zero-padded on the left: padding on the right made id 1 and id 36 ("1" and "10") the same.
    return prefix + lastId.toString(36).padStart(26 - prefix.length, '0');
}

export function makeUser(fields: Partial<UserProfile> & {username: string}): UserProfile {
    return {
        id: newId('user'),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        password: '',
        auth_service: '',
        email: `${fields.username}@example.com`,
        nickname: '',
        first_name: '',
        last_name: '',
        position: '',
        roles: 'system_user',
        props: {},
        notify_props: {} as UserProfile['notify_props'],
        last_password_update: 0,
        last_picture_update: 0,
        locale: 'en',
        mfa_active: false,
        last_activity_at: 0,
        is_bot: false,
        bot_description: '',
        terms_of_service_id: '',
        terms_of_service_create_at: 0,
        ...fields,
    };
}

export function makeTeam(fields: Partial<Team> & {name: string}): Team {
    return {
        id: newId('team'),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        display_name: fields.name,
        description: '',
        email: '',
        type: 'O',
        company_name: '',
        allowed_domains: '',
        invite_id: '',
        allow_open_invite: true,
        scheme_id: '',
        group_constrained: false,
        ...fields,
    };
}

export function makeTeamMember(teamId: string, userId: string, roles: string): TeamMembership {
    return {
        team_id: teamId,
        user_id: userId,
        roles,
        delete_at: 0,
        scheme_admin: roles.split(' ').includes('team_admin'),
        scheme_guest: false,
        scheme_user: true,
        mention_count: 0,
        mention_count_root: 0,
        msg_count: 0,
        msg_count_root: 0,
    } as TeamMembership;
}

export function makeChannel(fields: Partial<Channel> & {name: string; team_id: string}): Channel {
    return {
        id: newId('chan'),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        type: 'O',
        display_name: fields.name,
        header: '',
        purpose: '',
        last_post_at: 0,
        last_root_post_at: 0,
        creator_id: '',
        scheme_id: '',
        group_constrained: false,
        ...fields,
    };
}

export function makeChannelMember(channelId: string, userId: string, roles: string): ChannelMembership {
    return {
        channel_id: channelId,
        user_id: userId,
        roles,
        last_viewed_at: 0,
        msg_count: 0,
        msg_count_root: 0,
        mention_count: 0,
        mention_count_root: 0,
        urgent_mention_count: 0,
        notify_props: {},
        last_update_at: 0,
        scheme_user: true,
        scheme_admin: roles.split(' ').includes('channel_admin'),
    };
}

export function makePost(fields: Partial<Post>, createAt: number): Post {
    return {
        id: newId('post'),
        create_at: createAt,
        update_at: createAt,
        edit_at: 0,
        delete_at: 0,
        is_pinned: false,
        user_id: '',
        channel_id: '',
        root_id: '',
        original_id: '',
        message: '',
        type: '' as Post['type'],
        props: {},
        hashtags: '',
        pending_post_id: '',
        reply_count: 0,
        metadata: {} as Post['metadata'],
        ...fields,
    };
}
