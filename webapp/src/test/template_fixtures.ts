// Answers shaped exactly like the contract's schemas, for the Templates tab and review panel tests.
import type {
    ChannelSettings, CredentialStatus, DelegationState, ProposalDetail, ProposalSummary, ReviewItem, StatusCounts,
    Template, TeamReview,
} from 'contract/templates';

export function template(overrides: Partial<Template> = {}, definition: Partial<Template['definition']> = {}): Template {
    return {
        id: 'tpl-announce',
        version: 3,
        definition: {
            name: 'Read-only announcements',
            description: 'Only admins post.',
            moderation: {create_post: {members: false, guests: false}},
            channel_admins: {user_ids: [], group_ids: [], channel_creator: true},
            properties: {},
            ...definition,
        },
        starter: 'read_only_announcements',
        created_at: Date.UTC(2026, 10, 1),
        created_by: 'adminid',
        updated_at: Date.UTC(2026, 10, 2),
        updated_by: 'adminid',
        ...overrides,
    };
}

export function settings(overrides: Partial<ChannelSettings> = {}): ChannelSettings {
    return {
        moderation: {create_post: {members: {value: true, enabled: true}, guests: {value: true, enabled: true}}},
        moderation_unavailable: null,
        channel_admin_user_ids: [],
        header: '',
        purpose: '',
        ...overrides,
    };
}

export function item(channel: string, overrides: Partial<ReviewItem> = {}): ReviewItem {
    return {
        channel_id: `ch-${channel}`,
        channel_name: channel,
        channel_display_name: channel.replace(/(^|-)(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()),
        status: 'pending',
        reason: '',
        comment: '',
        decided_by: null,
        decided_at: null,
        applied_at: null,
        current: settings(),
        proposed: settings({moderation: {create_post: {members: {value: false, enabled: true}, guests: {value: false, enabled: true}}}}),
        diff: [
            {field: 'moderation.create_post.members', current: true, proposed: false, changed: true},
            {field: 'moderation.create_post.guests', current: false, proposed: false, changed: false},
        ],
        before: null,
        skipped_admin_user_ids: [],
        ...overrides,
    };
}

export function counts(items: readonly ReviewItem[]): StatusCounts {
    // z.record over an enum is exhaustive: every status is present.
    const result: StatusCounts = {pending: 0, approved: 0, applied: 0, rejected: 0, failed: 0, needs_license: 0, rolled_back: 0};
    for (const i of items) {
        result[i.status] = (result[i.status] ?? 0) + 1;
    }
    return result;
}

export function teamReview(items: ReviewItem[], overrides: Partial<TeamReview> = {}): TeamReview {
    return {
        proposal_id: 'prop-1',
        team_id: 'team-a',
        team_name: 'alpha',
        team_display_name: 'Alpha',
        version: 4,
        name_pattern: '',
        new_channels: false,
        items,
        counts: counts(items),
        ...overrides,
    };
}

export function summary(items: readonly ReviewItem[], overrides: Partial<ProposalSummary> = {}): ProposalSummary {
    return {
        id: 'prop-1',
        template_id: 'tpl-announce',
        template_version: 3,
        template_name: 'Read-only announcements',
        note: '',
        created_at: Date.UTC(2026, 10, 3),
        created_by: 'adminid',
        team_ids: ['team-a'],
        counts: counts(items),
        ...overrides,
    };
}

export function proposalDetail(teams: TeamReview[]): ProposalDetail {
    const all = teams.flatMap((t) => t.items);
    return {
        summary: summary(all, {team_ids: teams.map((t) => t.team_id)}),
        definition: template().definition,
        teams,
    };
}

export function credential(overrides: Partial<CredentialStatus> = {}): CredentialStatus {
    return {
        granted: false,
        bot_user_id: null,
        bot_username: 'onboarding-cockpit-moderation',
        role: 'system_user_manager',
        granted_by: null,
        granted_at: null,
        last_used_at: null,
        last_status: 0,
        problems: ['not_granted'],
        ...overrides,
    };
}

export function delegation(overrides: Partial<DelegationState> = {}): DelegationState {
    return {
        license: {licensed: true, sku: 'enterprise', channel_moderation: true, delegated_roles: false},
        version: 0,
        admins: [],
        ...overrides,
    };
}
