// The team admin's review panel, inside the normal Mattermost UI (team admins usually have no System
// Console access). Registered with registerNeedsTeamRoute (contract ReviewPanel): the webapp serves it
// at /<team>/<plugin id>/review, where the `/onboarding review` command and the bot's DM link lead.
// Only the caller's own teams are listed (the server answers 403 for any other team). Per channel: the
// current settings next to the proposed ones, Approve / Reject with a comment, and the resulting status.
import React, {useCallback, useEffect, useMemo, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useSelector, useStore} from 'react-redux';

import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import {ReviewPanel as ReviewRoute, type MyReviewTeams, type ReviewItem, type TeamInbox, type TeamReview} from 'contract/templates';

import {reviewMessages as m} from './messages';

import {clientFor, siteURLFrom, siteURLPath, toRequestError, type RequestError} from '../client';
import {cockpitCss} from '../cockpit/styles';
import {errorText} from '../components/error_text';
import {RequestErrorText} from '../components/request_error';
import {TeamPage, type TeamPageProps} from '../components/team_page';
import {userLabel, useUsers} from '../mattermost/users';
import {countOf, statusTone, type Tone} from '../templates/model';
import {DiffTable, SkippedAdmins, StatusChip, StatusCountsView, statusLabels} from '../templates/settings_view';
import {templatesCss} from '../templates/styles';

type ReviewTeam = MyReviewTeams['teams'][number];

/** The team of the route: the webapp's current team, else the segment before `/<plugin id>/review`. */
export function useRouteTeam(): {teamId: string | null; teamName: string | null} {
    const teamId = useSelector((s: {entities?: {teams?: {currentTeamId?: string}}}) => s?.entities?.teams?.currentTeamId) || null;
    const segments = window.location.pathname.split('/').filter(Boolean);
    const at = segments.findIndex((segment, i) => segment === manifest.id && `/${segments[i + 1]}` === ReviewRoute.route);
    const teamName = at > 0 ? decodeURIComponent(segments[at - 1]) : null;
    return {teamId, teamName};
}

/** `?proposal=<id>` of the route (the DM link and the slash command focus one proposal with it). */
export function routeProposalId(): string | null {
    return new URLSearchParams(window.location.search).get('proposal');
}

function ErrorNotice({error}: {error: RequestError}) {
    if (error.status === 403 || error.id === ErrorIds.forbidden) {
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            ><FormattedMessage {...m.forbidden}/></div>
        );
    }
    return (
        <div
            role='alert'
            className='cockpit-notice cockpit-notice--error'
        >
            <FormattedMessage
                {...m.loadFailed}
                values={{message: <RequestErrorText error={error}/>}}
            />
        </div>
    );
}

interface ChannelProps {
    item: ReviewItem;
    busy: boolean;
    onDecide: (item: ReviewItem, decision: 'approve' | 'reject', comment: string) => void;
}

function ChannelReview({item, busy, onDecide}: ChannelProps) {
    const intl = useIntl();
    const [comment, setComment] = useState('');
    const users = useUsers(item.decided_by ? [item.decided_by] : []);
    const channel = item.channel_display_name;
    const unavailable = item.current.moderation_unavailable;
    const commentId = `review-comment-${item.channel_id}`;
    return (
        <section
            className='cockpit-review__channel'
            aria-label={channel}
        >
            <div className='cockpit-review__channel-head'>
                <h4>{channel}</h4>
                <span className='cockpit-muted'>{`~${item.channel_name}`}</span>
                <StatusChip status={item.status}/>
            </div>
            {unavailable && (
                <p className='cockpit-warning'>
                    <FormattedMessage
                        {...((unavailable === 'needs_license' && m.moderationNeedsLicense) ||
                            (unavailable === 'no_credential' && m.moderationNoCredential) ||
                            m.moderationError)}
                    />
                </p>
            )}
            <DiffTable
                diff={item.diff}
                caption={intl.formatMessage(m.diffCaption, {channel})}
            />
            <SkippedAdmins ids={item.skipped_admin_user_ids}/>
            {item.status === 'pending' ? (
                <div className='cockpit-review__decide'>
                    <div className='cockpit-field'>
                        <label htmlFor={commentId}>
                            <FormattedMessage
                                {...m.comment}
                                values={{channel}}
                            />
                        </label>
                        <textarea
                            id={commentId}
                            className='form-control'
                            rows={1}
                            maxLength={1000}
                            placeholder={intl.formatMessage(m.commentPlaceholder)}
                            value={comment}
                            onChange={(e) => setComment(e.target.value)}
                        />
                    </div>
                    <button
                        type='button'
                        className='btn btn-primary'
                        disabled={busy}
                        aria-label={intl.formatMessage(m.approveChannel, {channel})}
                        onClick={() => onDecide(item, 'approve', comment)}
                    >
                        <FormattedMessage {...m.approve}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        disabled={busy}
                        aria-label={intl.formatMessage(m.rejectChannel, {channel})}
                        onClick={() => onDecide(item, 'reject', comment)}
                    >
                        <FormattedMessage {...m.reject}/>
                    </button>
                </div>
            ) : (
                <div className='cockpit-muted'>
                    {item.decided_by && <div>
                        <FormattedMessage
                            {...m.decidedBy}
                            values={{user: users[item.decided_by] ? userLabel(users[item.decided_by]) : item.decided_by}}
                        />
                    </div>}
                    {item.comment && <div className='cockpit-templates__text'>
                        <FormattedMessage
                            {...m.yourComment}
                            values={{comment: item.comment}}
                        />
                    </div>}
                    {item.reason && <div className='cockpit-templates__text'>
                        <FormattedMessage
                            {...m.reason}
                            values={{reason: item.reason}}
                        />
                    </div>}
                </div>
            )}
        </section>
    );
}

interface PanelProps {
    /** The team of the route; another of the caller's teams can be picked. */
    teamId: string | null;
    teamName: string | null;
    proposalId: string | null;
}

export function ReviewPanel({teamId, teamName, proposalId}: PanelProps) {
    const intl = useIntl();
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const [teams, setTeams] = useState<ReviewTeam[] | null>(null);
    const [selectedTeam, setSelectedTeam] = useState<string | null>(null);
    const [inbox, setInbox] = useState<TeamInbox | null>(null);
    const [selectedProposal, setSelectedProposal] = useState<string | null>(null);
    const [review, setReview] = useState<TeamReview | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<{kind: 'status' | 'alert'; tone: Tone; text: string} | null>(null);

    const loadTeams = useCallback(async () => {
        setError(null);
        try {
            const mine = (await client.getMyReviewTeams()).teams;
            setTeams(mine);
            const routeTeam = mine.find((t) => t.team_id === teamId || t.team_name === teamName);
            setSelectedTeam((current) => current ?? routeTeam?.team_id ?? mine[0]?.team_id ?? null);
        } catch (err) {
            setError(toRequestError(err));
        }
    }, [client, teamId, teamName]);

    useEffect(() => {
        loadTeams();
    }, [loadTeams]);

    useEffect(() => {
        setInbox(null);
        setReview(null);
        if (!selectedTeam) {
            return;
        }
        client.getTeamInbox(selectedTeam).then((answer) => {
            setInbox(answer);
            const ids = answer.proposals.map((p) => p.summary.id);
            const firstPending = answer.proposals.find((p) => countOf(p.counts, 'pending') > 0)?.summary.id;
            setSelectedProposal((current) => [current, proposalId, firstPending, ids[0]].find((x) => x && ids.includes(x)) ?? null);
        }, (err: unknown) => setError(toRequestError(err)));
    }, [client, selectedTeam, proposalId]);

    const loadReview = useCallback(async (team: string, proposal: string) => {
        try {
            setReview(await client.getTeamReview(team, proposal));
        } catch (err) {
            setError(toRequestError(err));
        }
    }, [client]);

    useEffect(() => {
        setReview(null);
        if (selectedTeam && selectedProposal) {
            loadReview(selectedTeam, selectedProposal);
        }
    }, [selectedTeam, selectedProposal, loadReview]);

    const decide = async (item: ReviewItem, decision: 'approve' | 'reject', comment: string) => {
        if (!review) {
            return;
        }
        setBusy(true);
        setNotice(null);
        try {
            const answer = await client.decideChannels(review.team_id, review.proposal_id, {
                expected_version: review.version,
                decisions: [{channel_id: item.channel_id, decision, comment}],
            });
            setReview(answer);
            const after = answer.items.find((i) => i.channel_id === item.channel_id);
            if (after) {
                setNotice({
                    kind: 'status',
                    tone: statusTone[after.status],
                    text: intl.formatMessage(m.result, {
                        channel: after.channel_display_name,
                        status: intl.formatMessage(statusLabels[after.status]),
                    }),
                });
            }
            setTeams(
                (list) =>
                    list?.map((t) => (t.team_id === answer.team_id ? {...t, pending: countOf(answer.counts, 'pending')} : t)) ??
                    list,
            );
            setInbox((box) =>
                (box ?
                    {
                        ...box,
                        proposals: box.proposals.map((p) =>
                            (p.summary.id === answer.proposal_id ? {...p, counts: answer.counts} : p),
                        ),
                    } :
                    box),
            );
        } catch (err) {
            const e = toRequestError(err);
            if (e.status === 409) {
                setNotice({kind: 'alert', tone: 'warning', text: intl.formatMessage(m.conflict)});
                await loadReview(review.team_id, review.proposal_id);
            } else if (e.status === 403 || e.id === ErrorIds.forbidden) {
                setNotice({kind: 'alert', tone: 'error', text: intl.formatMessage(m.forbidden)});
            } else {
                setNotice({kind: 'alert', tone: 'error', text: intl.formatMessage(m.failed, {message: errorText(intl, e)})});
            }
        } finally {
            setBusy(false);
        }
    };

    const shown = inbox?.proposals.find((p) => p.summary.id === selectedProposal)?.summary;
    const proposers = useUsers(shown ? [shown.created_by] : []);

    let body: React.ReactNode;
    if (error) {
        body = (
            <>
                <ErrorNotice error={error}/>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        loadTeams();
                    }}
                >
                    <FormattedMessage {...m.retry}/>
                </button>
            </>
        );
    } else if (teams === null) {
        body = <p className='cockpit-muted'><FormattedMessage {...m.loading}/></p>;
    } else if (teams.length === 0) {
        body = <p><FormattedMessage {...m.nothing}/></p>;
    } else {
        body = (
            <>
                <div className='cockpit-review__bar'>
                    <div className='cockpit-field'>
                        <label htmlFor='cockpit-review-team'><FormattedMessage {...m.team}/></label>
                        <select
                            id='cockpit-review-team'
                            className='form-control'
                            value={selectedTeam ?? ''}
                            onChange={(e) => {
                                setSelectedProposal(null);
                                setSelectedTeam(e.target.value);
                            }}
                        >
                            {teams.map((t) => (
                                <option
                                    key={t.team_id}
                                    value={t.team_id}
                                >
                                    {intl.formatMessage(m.teamOption, {name: t.team_display_name, pending: t.pending})}
                                </option>
                            ))}
                        </select>
                    </div>
                    {inbox && inbox.proposals.length > 0 && (
                        <div className='cockpit-field'>
                            <label htmlFor='cockpit-review-proposal'><FormattedMessage {...m.proposal}/></label>
                            <select
                                id='cockpit-review-proposal'
                                className='form-control'
                                value={selectedProposal ?? ''}
                                onChange={(e) => setSelectedProposal(e.target.value)}
                            >
                                {inbox.proposals.map((p) => (
                                    <option
                                        key={p.summary.id}
                                        value={p.summary.id}
                                    >
                                        {intl.formatMessage(m.proposalOption, {
                                            name: p.summary.template_name,
                                            pending: countOf(p.counts, 'pending'),
                                        })}
                                    </option>
                                ))}
                            </select>
                        </div>
                    )}
                </div>
                {inbox === null && <p className='cockpit-muted'><FormattedMessage {...m.loading}/></p>}
                {inbox && inbox.proposals.length === 0 && <p><FormattedMessage {...m.noProposals}/></p>}
                {notice && (
                    <p
                        role={notice.kind}
                        className={`cockpit-notice cockpit-notice--${notice.tone === 'neutral' ? 'info' : notice.tone}`}
                    >
                        {notice.text}
                    </p>
                )}
                {review && shown && (
                    <article
                        className='cockpit-review__proposal'
                        aria-label={shown.template_name}
                    >
                        <h3>{shown.template_name}</h3>
                        <p className='cockpit-muted'>
                            <FormattedMessage
                                {...m.proposedBy}
                                values={{user: proposers[shown.created_by] ? userLabel(proposers[shown.created_by]) : shown.created_by}}
                            />
                        </p>
                        {shown.note && <p className='cockpit-templates__text'>
                            <FormattedMessage
                                {...m.note}
                                values={{note: shown.note}}
                            />
                        </p>}
                        {review.new_channels && <p className='cockpit-muted'><FormattedMessage {...m.newChannels}/></p>}
                        <StatusCountsView
                            counts={review.counts}
                            label={intl.formatMessage(m.progress, {team: review.team_display_name})}
                        />
                        {review.items.map((item) => (
                            <ChannelReview
                                key={`${item.channel_id}-${item.status}`}
                                item={item}
                                busy={busy}
                                onDecide={(i, d, c) => {
                                    decide(i, d, c);
                                }}
                            />
                        ))}
                    </article>
                )}
            </>
        );
    }

    const backTeam = teams?.find((t) => t.team_id === selectedTeam)?.team_name ?? teamName;
    return (
        <div className='cockpit cockpit-review'>
            <style>{cockpitCss + templatesCss}</style>
            {backTeam && <BackLink teamName={backTeam}/>}
            <h2><FormattedMessage {...m.title}/></h2>
            <p className='cockpit-muted'><FormattedMessage {...m.subtitle}/></p>
            {body}
        </div>
    );
}

/**
 * The team page replaces the channel view, so it offers the way back: the webapp's own history when it
 * exports it (window.WebappUtils.browserHistory, no reload), else a plain link.
 */
function BackLink({teamName}: {teamName: string}) {
    const store = useStore();
    const href = `${siteURLPath(siteURLFrom(store.getState()))}/${encodeURIComponent(teamName)}`;
    const history = (window as unknown as {WebappUtils?: {browserHistory?: {push?: (path: string) => void}}}).WebappUtils?.browserHistory;
    return (
        <a
            className='cockpit-review__back'
            href={href}
            onClick={(e) => {
                if (typeof history?.push === 'function') {
                    e.preventDefault();
                    history.push(`/${encodeURIComponent(teamName)}`);
                }
            }}
        >
            <FormattedMessage {...m.back}/>
        </a>
    );
}

/** Registered with registerNeedsTeamRoute(ReviewPanel.route, …): the page at /<team>/<plugin id>/review. */
export function ReviewPage(props: TeamPageProps) {
    return (
        <TeamPage {...props}>
            <ReviewRoutePanel/>
        </TeamPage>
    );
}

function ReviewRoutePanel() {
    const {teamId, teamName} = useRouteTeam();
    return (
        <ReviewPanel
            teamId={teamId}
            teamName={teamName}
            proposalId={routeProposalId()}
        />
    );
}
