// The proposer's view: every proposal with its status counts and progress, and per team a status
// table of its channels (reason when failed or short of a license), with rollback for applied channels
// and retry for failed ones.
import React, {useCallback, useEffect, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {ErrorIds} from 'contract/errors';
import type {ProposalDetail, ProposalSummary, TeamReview} from 'contract/templates';

import {templatesMessages as m} from './messages';
import {SkippedAdmins, StatusChip, StatusCountsView} from './settings_view';

import {toRequestError, type Client, type RequestError} from '../client';
import {DateTime} from '../components/date_time';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {userLabel, useUsers} from '../mattermost/users';

interface TeamTableProps {
    team: TeamReview;
    busy: boolean;
    onAction: (team: TeamReview, action: 'rollback' | 'retry', channelId: string) => void;
}

function TeamStatusTable({team, busy, onAction}: TeamTableProps) {
    const intl = useIntl();
    const users = useUsers(team.items.map((i) => i.decided_by ?? ''));
    return (
        <div className='cockpit-templates__team'>
            <h5 className='cockpit-task__subhead'>{team.team_display_name}</h5>
            <StatusCountsView
                counts={team.counts}
                label={intl.formatMessage(m.teamProgress, {team: team.team_display_name})}
            />
            <table className='cockpit-table'>
                <caption className='sr-only'>{intl.formatMessage(m.teamTableCaption, {team: team.team_display_name})}</caption>
                <thead>
                    <tr>
                        <th scope='col'><FormattedMessage {...m.colChannel}/></th>
                        <th scope='col'><FormattedMessage {...m.colStatus}/></th>
                        <th scope='col'><FormattedMessage {...m.colDetails}/></th>
                        <th scope='col'><FormattedMessage {...m.colDecidedBy}/></th>
                        <th scope='col'><span className='sr-only'><FormattedMessage {...m.colActions}/></span></th>
                    </tr>
                </thead>
                <tbody>
                    {team.items.length === 0 && (
                        <tr><td colSpan={5}><FormattedMessage {...m.noChannelsYet}/></td></tr>
                    )}
                    {team.items.map((item) => (
                        <tr key={item.channel_id}>
                            <th scope='row'>{item.channel_display_name}<div className='cockpit-muted'>{`~${item.channel_name}`}</div></th>
                            <td><StatusChip status={item.status}/></td>
                            <td>
                                {item.reason && <div className='cockpit-templates__text'>{item.reason}</div>}
                                <SkippedAdmins ids={item.skipped_admin_user_ids}/>
                                {item.comment && (
                                    <div className='cockpit-templates__text'>
                                        <FormattedMessage
                                            {...m.commentQuote}
                                            values={{comment: item.comment}}
                                        />
                                    </div>
                                )}
                                {item.applied_at !== null && (
                                    <div className='cockpit-muted'>
                                        <FormattedMessage {...m.appliedAt}/> <DateTime value={item.applied_at}/>
                                    </div>
                                )}
                            </td>
                            <td>
                                {item.decided_by && (users[item.decided_by] ? userLabel(users[item.decided_by]) : item.decided_by)}
                                {item.decided_at !== null && <div className='cockpit-muted'><DateTime value={item.decided_at}/></div>}
                            </td>
                            <td>
                                {item.status === 'applied' && (
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-tertiary btn-sm'
                                            disabled={busy}
                                            aria-label={intl.formatMessage(m.rollbackChannel, {channel: item.channel_display_name})}
                                            onClick={() => onAction(team, 'rollback', item.channel_id)}
                                        >
                                            <FormattedMessage {...m.rollback}/>
                                        </button>
                                    </WriteControls>
                                )}
                                {(item.status === 'failed' || item.status === 'needs_license') && (
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-tertiary btn-sm'
                                            disabled={busy}
                                            aria-label={intl.formatMessage(m.retryChannel, {channel: item.channel_display_name})}
                                            onClick={() => onAction(team, 'retry', item.channel_id)}
                                        >
                                            <FormattedMessage {...m.retry}/>
                                        </button>
                                    </WriteControls>
                                )}
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
        </div>
    );
}

interface Props {
    client: Client;
    proposals: readonly ProposalSummary[];

    /** Opened right after proposing. */
    openId: string | null;
    onOpen: (proposalId: string | null) => void;
    onChanged: () => void;
}

export function ProposalsList({client, proposals, openId, onOpen, onChanged}: Props) {
    const intl = useIntl();
    const users = useUsers(proposals.map((p) => p.created_by));
    const [detail, setDetail] = useState<ProposalDetail | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<string | null>(null);

    const load = useCallback(async (proposalId: string) => {
        setError(null);
        try {
            setDetail(await client.getProposal(proposalId));
        } catch (err) {
            setError(toRequestError(err));
        }
    }, [client]);

    useEffect(() => {
        setDetail(null);
        setNotice(null);
        if (openId) {
            load(openId);
        }
    }, [openId, load]);

    const onAction = async (team: TeamReview, action: 'rollback' | 'retry', channelId: string) => {
        setBusy(true);
        setNotice(null);
        setError(null);
        try {
            if (action === 'rollback') {
                await client.rollbackChannels(team.team_id, team.proposal_id, team.version, [channelId]);
            } else {
                await client.retryChannels(team.team_id, team.proposal_id, team.version, [channelId]);
            }
            setNotice(intl.formatMessage(action === 'rollback' ? m.rolledBack : m.retried));
        } catch (err) {
            const e = toRequestError(err);
            setError(e);
        } finally {
            setBusy(false);
        }
        await load(team.proposal_id);
        onChanged();
    };

    if (proposals.length === 0) {
        return <p className='cockpit-muted'><FormattedMessage {...m.noProposals}/></p>;
    }
    return (
        <>
            <table className='cockpit-table'>
                <caption><FormattedMessage {...m.proposalsCaption}/></caption>
                <thead>
                    <tr>
                        <th scope='col'><FormattedMessage {...m.template}/></th>
                        <th scope='col'><FormattedMessage {...m.colProposed}/></th>
                        <th scope='col'><FormattedMessage {...m.colProgress}/></th>
                        <th scope='col'><span className='sr-only'><FormattedMessage {...m.colActions}/></span></th>
                    </tr>
                </thead>
                <tbody>
                    {proposals.map((p) => (
                        <tr key={p.id}>
                            <th scope='row'>
                                {p.template_name}
                                {p.note && <div className='cockpit-muted cockpit-templates__text'>{p.note}</div>}
                            </th>
                            <td>
                                <DateTime value={p.created_at}/>
                                <div className='cockpit-muted'>
                                    {users[p.created_by] ? userLabel(users[p.created_by]) : p.created_by}
                                    {' · '}
                                    <FormattedMessage
                                        {...m.teamCount}
                                        values={{count: p.team_ids.length}}
                                    />
                                </div>
                            </td>
                            <td>
                                <StatusCountsView
                                    counts={p.counts}
                                    label={intl.formatMessage(m.proposalProgress, {name: p.template_name})}
                                />
                            </td>
                            <td>
                                <button
                                    type='button'
                                    className='btn btn-tertiary btn-sm'
                                    aria-expanded={openId === p.id}
                                    aria-label={intl.formatMessage(openId === p.id ? m.hideChannelsOf : m.showChannelsOf, {
                                        name: p.template_name,
                                    })}
                                    onClick={() => onOpen(openId === p.id ? null : p.id)}
                                >
                                    <FormattedMessage {...(openId === p.id ? m.hideChannels : m.showChannels)}/>
                                </button>
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {error && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    {error.id === ErrorIds.conflict ? <FormattedMessage {...m.staleReloaded}/> : (
                        <FormattedMessage
                            {...m.actionFailed}
                            values={{message: <RequestErrorText error={error}/>}}
                        />
                    )}
                </div>
            )}
            {notice && <p role='status'>{notice}</p>}
            {detail && detail.summary.id === openId && (
                <section
                    className='cockpit-templates__detail'
                    aria-label={intl.formatMessage(m.channelsOf, {name: detail.summary.template_name})}
                >
                    {detail.teams.map((team) => (
                        <TeamStatusTable
                            key={team.team_id}
                            team={team}
                            busy={busy}
                            onAction={(t, a, c) => {
                                onAction(t, a, c);
                            }}
                        />
                    ))}
                </section>
            )}
        </>
    );
}
