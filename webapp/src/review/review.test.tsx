import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {TemplateRoutes} from 'contract/routes';
import type {ReviewItem, TeamInbox} from 'contract/templates';

import {ReviewPanel} from './review_panel';

import {renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {item, settings, summary, teamReview, template} from '../test/template_fixtures';

afterEach(() => jest.restoreAllMocks());

// This machine is shared by several builds at once: typing-heavy tests get more than the default 5 s.
jest.setTimeout(20_000);

const evilHeader = '<script>window.__pwned = 1</script> see [the rules](http://evil.example)';

function inbox(items: ReviewItem[], teamId = 'team-a'): TeamInbox {
    return {
        team_id: teamId,
        team_name: 'alpha',
        proposals: [
            {
                summary: summary(items, {note: 'Please **review** <b>soon</b>'}),
                definition: template().definition,
                counts: teamReview(items).counts,
            },
        ],
    };
}

const headerItem = item('announce-it', {
    current: settings({header: 'Old header'}),
    proposed: settings({header: evilHeader}),
    diff: [
        {field: 'moderation.create_post.members', current: true, proposed: false, changed: true},
        {field: 'moderation.create_post.guests', current: false, proposed: false, changed: false},
        {field: 'header', current: 'Old header', proposed: evilHeader, changed: true},
        {field: 'channel_admins', current: ['uid-ann'], proposed: ['uid-ann', 'uid-bob'], changed: true},
    ],
});
const pendingItems = [headerItem, item('random')];

function setup(routes: Record<string, RouteAnswer> = {}, props: {teamId?: string | null; proposalId?: string | null} = {}) {
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([
        {id: 'uid-ann', username: 'ann', first_name: '', last_name: '', nickname: ''},
        {id: 'uid-bob', username: 'bob', first_name: 'Bob', last_name: 'Stone', nickname: ''},
    ] as never);
    const fake = routeFetch({
        [`GET ${TemplateRoutes.myReviewTeams}`]: {
            body: {teams: [{team_id: 'team-a', team_name: 'alpha', team_display_name: 'Alpha', pending: 2}]},
        },
        [`GET ${TemplateRoutes.teamInbox('team-a')}`]: {body: inbox(pendingItems)},
        [`GET ${TemplateRoutes.teamProposal('team-a', 'prop-1')}`]: {body: teamReview(pendingItems)},
        ...routes,
    });
    renderInConsole(
        <ReviewPanel
            teamId={props.teamId === undefined ? 'team-a' : props.teamId}
            teamName={null}
            proposalId={props.proposalId ?? null}
        />,
    );
    return fake;
}

const channel = (name: string) => screen.findByRole('region', {name});

describe('Review panel', () => {
    it('shows current next to proposed per channel, changed lines marked, admin text inert', async () => {
        setup();
        const announce = await channel('Announce It');
        const table = within(announce).getByRole('table', {name: 'Settings of Announce It: now and proposed'});
        const row = (name: string) => within(table).getByRole('rowheader', {name}).closest('tr') as HTMLElement;

        expect(
            within(row('Create posts (members)')).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['Allowed', 'Not allowed', 'Changes']);
        expect(row('Create posts (members)')).toHaveClass('cockpit-templates__diff-row--changed');
        expect(
            within(row('Create posts (guests)')).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['Not allowed', 'Not allowed', 'Same']);
        expect(row('Create posts (guests)')).not.toHaveClass('cockpit-templates__diff-row--changed');

        // The header is shown as the text the admin typed: no script element, no link.
        expect(within(row('Header')).getAllByRole('cell')[1]).toHaveTextContent(evilHeader);
        expect(table.querySelector('script, a')).toBeNull();
        expect((window as unknown as {__pwned?: number}).__pwned).toBeUndefined();

        // Channel admins are named, not shown as ids.
        await waitFor(() => expect(within(row('Channel admins')).getAllByRole('cell')[1]).toHaveTextContent('@ann, @bob (Bob Stone)'));

        const proposal = screen.getByRole('article', {name: 'Read-only announcements'});
        expect(proposal).toHaveTextContent('Note: Please **review** <b>soon</b>');
        expect(proposal.querySelector('b')).toBeNull();
        expect(within(proposal).getByRole('progressbar', {name: 'Channels decided in Alpha'})).toHaveAttribute('aria-valuenow', '0');

        // The team page replaces the channel view: the way back is offered.
        expect(screen.getByRole('link', {name: 'Back to the channels'})).toHaveAttribute('href', '/alpha');
    });

    it('names the people the channel-admin rule leaves out (not in this team), and only where there are some', async () => {
        const skipping = item('announce-it', {skipped_admin_user_ids: ['uid-bob']});
        setup({[`GET ${TemplateRoutes.teamProposal('team-a', 'prop-1')}`]: {body: teamReview([skipping, item('random')])}});
        const announce = await channel('Announce It');
        await waitFor(() =>
            expect(announce).toHaveTextContent('Not made channel admin, not a member of this channel’s team: @bob (Bob Stone)'),
        );
        expect(await channel('Random')).not.toHaveTextContent('Not made channel admin');
    });

    it('approves one channel with a comment and shows the resulting status', async () => {
        const applied = teamReview(
            [
                {...headerItem, status: 'applied', comment: 'Fine by me', decided_by: 'uid-ann', decided_at: 1, applied_at: 2},
                item('random'),
            ],
            {version: 5},
        );
        const fake = setup({[`POST ${TemplateRoutes.decide('team-a', 'prop-1')}`]: {body: applied}});
        const user = userEvent.setup({delay: null});
        const announce = await channel('Announce It');
        await user.type(within(announce).getByRole('textbox', {name: 'Comment for Announce It'}), 'Fine by me');
        await user.click(within(announce).getByRole('button', {name: 'Approve Announce It'}));

        expect(await screen.findByRole('status')).toHaveTextContent('Announce It: Applied');
        expect(fake.calls('POST', TemplateRoutes.decide('team-a', 'prop-1'))[0].body).toEqual({
            expected_version: 4,
            decisions: [{channel_id: 'ch-announce-it', decision: 'approve', comment: 'Fine by me'}],
        });
        const after = await channel('Announce It');
        expect(within(after).queryByRole('button', {name: 'Approve Announce It'})).toBeNull();
        expect(after).toHaveTextContent('Comment: Fine by me');

        // The other channel is still pending, and the progress moved.
        expect(within(await channel('Random')).getByRole('button', {name: 'Reject Random'})).toBeInTheDocument();
        expect(screen.getByRole('progressbar', {name: 'Channels decided in Alpha'})).toHaveAttribute('aria-valuenow', '50');
        expect(screen.getByRole('combobox', {name: 'Team'})).toHaveDisplayValue('Alpha (1 pending)');
    });

    it('rejects a channel', async () => {
        const rejected = teamReview([headerItem, {...item('random'), status: 'rejected', comment: 'Not this one'}], {version: 5});
        const fake = setup({[`POST ${TemplateRoutes.decide('team-a', 'prop-1')}`]: {body: rejected}});
        const user = userEvent.setup({delay: null});
        const random = await channel('Random');
        await user.type(within(random).getByRole('textbox', {name: 'Comment for Random'}), 'Not this one');
        await user.click(within(random).getByRole('button', {name: 'Reject Random'}));
        expect(await screen.findByRole('status')).toHaveTextContent('Random: Rejected');
        expect(fake.calls('POST', TemplateRoutes.decide('team-a', 'prop-1'))[0].body.decisions).toEqual([
            {channel_id: 'ch-random', decision: 'reject', comment: 'Not this one'},
        ]);
    });

    it('explains a 403 on a decision and changes nothing shown', async () => {
        setup({
            [`POST ${TemplateRoutes.decide('team-a', 'prop-1')}`]: {
                status: 403,
                body: {error: {id: 'cockpit.auth.forbidden', message: 'not a team admin of this team'}},
            },
        });
        const user = userEvent.setup({delay: null});
        const announce = await channel('Announce It');
        await user.click(within(announce).getByRole('button', {name: 'Approve Announce It'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('Only the team admins of this team can review its proposals.');
        expect(within(announce).getByText('Pending')).toBeInTheDocument();
    });

    it('explains a 403 when the team cannot be read', async () => {
        setup({[`GET ${TemplateRoutes.teamInbox('team-a')}`]: {status: 403, body: {error: {id: 'cockpit.auth.forbidden', message: 'no'}}}});
        expect(await screen.findByRole('alert')).toHaveTextContent('Only the team admins of this team can review its proposals.');
        expect(screen.queryByRole('region', {name: 'Announce It'})).toBeNull();
    });

    it('reloads after a 409 and says why', async () => {
        const newer = teamReview([{...headerItem, status: 'applied', decided_by: 'uid-bob'}, item('random')], {version: 6});
        const fake = setup({
            [`GET ${TemplateRoutes.teamProposal('team-a', 'prop-1')}`]: [{body: teamReview(pendingItems)}, {body: newer}],
            [`POST ${TemplateRoutes.decide('team-a', 'prop-1')}`]: {
                status: 409,
                body: {error: {id: 'cockpit.templates.invalid_transition', message: 'not pending'}},
            },
        });
        const user = userEvent.setup({delay: null});
        await user.click(within(await channel('Announce It')).getByRole('button', {name: 'Approve Announce It'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('Someone decided in this team meanwhile.');
        await waitFor(() => expect(fake.calls('GET', TemplateRoutes.teamProposal('team-a', 'prop-1'))).toHaveLength(2));
        expect(within(await channel('Announce It')).getByText('Applied')).toBeInTheDocument();
    });

    it('lists only the caller\'s teams and says so when there is nothing to review', async () => {
        const fake = setup({[`GET ${TemplateRoutes.myReviewTeams}`]: {body: {teams: []}}}, {teamId: 'team-b'});
        expect(await screen.findByText('Nothing to review: proposals for teams you administer appear here.')).toBeInTheDocument();

        // Never asks for a team the server did not list (team B's inbox would be 403 anyway).
        expect(fake.all.filter((c) => c.path.includes('/review/teams/'))).toEqual([]);
    });

    it('opens the route\'s proposal when the link names one', async () => {
        const other = summary(pendingItems, {id: 'prop-2', template_name: 'Moderated Q&A'});
        setup(
            {
                [`GET ${TemplateRoutes.teamInbox('team-a')}`]: {
                    body: {
                        ...inbox(pendingItems),
                        proposals: [
                            ...inbox(pendingItems).proposals,
                            {summary: other, definition: template().definition, counts: other.counts},
                        ],
                    },
                },
                [`GET ${TemplateRoutes.teamProposal('team-a', 'prop-2')}`]: {
                    body: teamReview(pendingItems, {proposal_id: 'prop-2'}),
                },
            },
            {proposalId: 'prop-2'},
        );
        expect(await screen.findByRole('article', {name: 'Moderated Q&A'})).toBeInTheDocument();
        expect(screen.getByRole('combobox', {name: 'Proposal'})).toHaveDisplayValue('Moderated Q&A (2 pending)');
    });
});
