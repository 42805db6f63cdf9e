// What both the Templates tab and the team admin's review panel show: per-channel status chips,
// status counts with progress, and the current-vs-proposed table of one channel. Admin-written text
// (headers, purposes, names) is always rendered as React text, never parsed as HTML or markdown.
import React from 'react';
import {FormattedMessage, useIntl, type MessageDescriptor} from 'react-intl';

import type {ChannelStatus, DiffEntry, ModeratedPermission, StatusCounts} from 'contract/templates';

import {templatesMessages as m} from './messages';
import {countOf, parseDiffField, settledOf, statusOrder, statusTone, totalOf} from './model';

import {ProgressBar} from '../components/progress_bar';
import {userLabel, useUsers} from '../mattermost/users';

export const statusLabels: Record<ChannelStatus, MessageDescriptor> = {
    pending: m.statusPending,
    approved: m.statusApproved,
    applied: m.statusApplied,
    rejected: m.statusRejected,
    failed: m.statusFailed,
    needs_license: m.statusNeedsLicense,
    rolled_back: m.statusRolledBack,
};

export const permissionLabels: Record<ModeratedPermission, MessageDescriptor> = {
    create_post: m.permCreatePost,
    create_reactions: m.permCreateReactions,
    manage_members: m.permManageMembers,
    use_channel_mentions: m.permChannelMentions,
    manage_bookmarks: m.permManageBookmarks,
};

export function StatusChip({status}: {status: ChannelStatus}) {
    return (
        <span className={`cockpit-chip cockpit-chip--${statusTone[status]}`}>
            <FormattedMessage {...statusLabels[status]}/>
        </span>
    );
}

/** Counts per status as chips, and how many channels are settled as a progress bar named `label`. */
export function StatusCountsView({counts, label}: {counts: StatusCounts; label: string}) {
    const intl = useIntl();
    const total = totalOf(counts);
    const settled = settledOf(counts);
    return (
        <div className='cockpit-templates__counts'>
            <ul
                className='cockpit-badges cockpit-templates__chips'
                aria-label={intl.formatMessage(m.countsLabel, {label})}
            >
                {statusOrder.filter((s) => countOf(counts, s) > 0).map((s) => (
                    <li
                        key={s}
                        className={`cockpit-chip cockpit-chip--${statusTone[s]}`}
                    >
                        {intl.formatMessage(m.countChip, {count: countOf(counts, s), status: intl.formatMessage(statusLabels[s])})}
                    </li>
                ))}
            </ul>
            <ProgressBar
                label={label}
                percent={total === 0 ? 0 : (settled / total) * 100}
                text={intl.formatMessage(m.settledText, {settled, total})}
            />
        </div>
    );
}

function UserList({ids}: {ids: readonly string[]}) {
    const users = useUsers(ids);
    if (ids.length === 0) {
        return <span className='cockpit-muted'><FormattedMessage {...m.nobody}/></span>;
    }
    return <>{ids.map((id) => (users[id] ? userLabel(users[id]) : id)).join(', ')}</>;
}

/** One value of a diff line, as text. */
export function DiffValue({value}: {value: DiffEntry['current']}) {
    if (value === null) {
        return <span className='cockpit-muted'><FormattedMessage {...m.unknown}/></span>;
    }
    if (typeof value === 'boolean') {
        return <FormattedMessage {...(value ? m.allowed : m.notAllowed)}/>;
    }
    if (Array.isArray(value)) {
        return <UserList ids={value}/>;
    }
    if (value === '') {
        return <span className='cockpit-muted'><FormattedMessage {...m.empty}/></span>;
    }
    return <span className='cockpit-templates__text'>{value}</span>;
}

function FieldLabel({field}: {field: string}) {
    const parsed = parseDiffField(field);
    switch (parsed.kind) {
    case 'moderation':
        return (
            <FormattedMessage
                {...(parsed.audience === 'members' ? m.fieldMembers : m.fieldGuests)}
                values={{permission: <FormattedMessage {...permissionLabels[parsed.permission]}/>}}
            />
        );
    case 'channel_admins':
        return <FormattedMessage {...m.fieldChannelAdmins}/>;
    case 'header':
        return <FormattedMessage {...m.fieldHeader}/>;
    case 'purpose':
        return <FormattedMessage {...m.fieldPurpose}/>;
    default:
        return <>{parsed.field}</>;
    }
}

/** The current settings next to the proposed ones; changed lines are highlighted and say so. */
export function DiffTable({diff, caption}: {diff: readonly DiffEntry[]; caption: string}) {
    if (diff.length === 0) {
        return <p className='cockpit-muted'><FormattedMessage {...m.noDifferences}/></p>;
    }
    return (
        <table className='cockpit-table cockpit-templates__diff'>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope='col'><FormattedMessage {...m.colSetting}/></th>
                    <th scope='col'><FormattedMessage {...m.colCurrent}/></th>
                    <th scope='col'><FormattedMessage {...m.colProposed}/></th>
                    <th scope='col'><FormattedMessage {...m.colChange}/></th>
                </tr>
            </thead>
            <tbody>
                {diff.map((entry) => (
                    <tr
                        key={entry.field}
                        className={entry.changed ? 'cockpit-templates__diff-row--changed' : undefined}
                    >
                        <th scope='row'><FieldLabel field={entry.field}/></th>
                        <td className={entry.changed ? 'cockpit-templates__old' : undefined}><DiffValue value={entry.current}/></td>
                        <td className={entry.changed ? 'cockpit-templates__new' : undefined}><DiffValue value={entry.proposed}/></td>
                        <td>
                            {entry.changed ? (
                                <span className='cockpit-chip cockpit-chip--warning'><FormattedMessage {...m.changed}/></span>
                            ) : (
                                <span className='cockpit-chip cockpit-chip--neutral'><FormattedMessage {...m.unchanged}/></span>
                            )}
                        </td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

/**
 * The people a channel-admin rule names who are not members of the channel's team: the apply leaves
 * them out (the channel is still applied). Nothing when there are none.
 */
export function SkippedAdmins({ids}: {ids: readonly string[]}) {
    const users = useUsers(ids);
    if (ids.length === 0) {
        return null;
    }
    return (
        <div className='cockpit-templates__text cockpit-warning'>
            <FormattedMessage
                {...m.skippedAdmins}
                values={{count: ids.length, users: ids.map((id) => (users[id] ? userLabel(users[id]) : id)).join(', ')}}
            />
        </div>
    );
}
