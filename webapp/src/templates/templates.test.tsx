import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {TemplateRoutes} from 'contract/routes';

import {definitionFrom, draftFrom, patternMatcher, settledOf} from './model';
import {TemplatesTab} from './templates_tab';

import {renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {credential, delegation, item, proposalDetail, summary, teamReview, template} from '../test/template_fixtures';

afterEach(() => jest.restoreAllMocks());

// This machine is shared by several builds at once: typing-heavy tests get more than the default 5 s.
jest.setTimeout(20_000);

function setup(routes: Record<string, RouteAnswer> = {}) {
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
    const fake = routeFetch({
        [`GET ${TemplateRoutes.templates}`]: {body: {templates: [template()]}},
        [`GET ${TemplateRoutes.proposals}`]: {body: {proposals: []}},
        [`GET ${TemplateRoutes.credential}`]: {body: credential()},
        [`GET ${TemplateRoutes.delegation}`]: {body: delegation()},
        ...routes,
    });
    renderInConsole(<TemplatesTab/>);
    return fake;
}

const panel = (name: string) => screen.findByRole('region', {name});

describe('template model', () => {
    it('turns a draft into the definition the contract accepts, leaving untouched cells out', () => {
        const draft = draftFrom(null);
        draft.name = 'Q&A';
        draft.moderation.create_post.guests = 'deny';
        draft.moderation.use_channel_mentions.members = 'allow';
        draft.setHeader = true;
        draft.header = 'Ask here';
        expect(definitionFrom(draft)).toEqual({definition: {
            name: 'Q&A',
            description: '',
            moderation: {create_post: {guests: false}, use_channel_mentions: {members: true}},
            channel_admins: {user_ids: [], group_ids: [], channel_creator: false},
            properties: {header: 'Ask here'},
        }});

        // Round trip: the editor shows what the definition holds.
        const back = draftFrom((definitionFrom(draft) as {definition: never}).definition);
        expect(back.moderation.create_post).toEqual({members: 'keep', guests: 'deny'});
        expect(back.setPurpose).toBe(false);
    });

    it('refuses a template without a name or without any change', () => {
        const empty = draftFrom(null);
        empty.name = 'Nothing';
        expect(definitionFrom(empty)).toEqual({problems: [expect.stringMatching(/at least one/)]});
        const nameless = draftFrom(template().definition);
        nameless.name = '  ';
        expect(definitionFrom(nameless)).toHaveProperty('problems');
    });

    it('matches channel names the way the server resolves a pattern', () => {
        const m = patternMatcher('announce-*');
        expect(['announce-it', 'announce-', 'announce', 'x-announce-it', 'announceXit'].filter(m)).toEqual(['announce-it', 'announce-']);
        expect(patternMatcher('a.b')('axb')).toBe(false);
        expect(patternMatcher('')('anything')).toBe(false);
        expect(settledOf({pending: 2, approved: 1, applied: 3, rejected: 0, failed: 1, needs_license: 0, rolled_back: 0})).toBe(4);
    });
});

describe('Templates tab', () => {
    it('lists templates (starters marked) with admin text as inert text', async () => {
        setup({[`GET ${TemplateRoutes.templates}`]: {body: {templates: [
            template(),
            template({id: 'mine', starter: null}, {
                name: '<script>alert(1)</script> [x](http://evil.example)',
                description: '**bold**',
                moderation: {},
                properties: {header: '<img src=x onerror=alert(1)>'},
            }),
        ]}}});
        const list = await panel('Role templates');
        const evil = within(list).getByRole('rowheader', {name: /<script>alert\(1\)<\/script> \[x\]\(http:\/\/evil\.example\)/});
        expect(evil.querySelector('script, a')).toBeNull();
        expect(within(evil).getByText('**bold**')).toBeInTheDocument();
        const starter = within(list).getByRole('rowheader', {name: /Read-only announcements/});
        expect(within(starter).getByText('Starter')).toBeInTheDocument();
        expect(within(list).getByText('2 moderation rules · Channel admins: 0 users, 0 groups, the creator')).toBeInTheDocument();
    });

    it('creates a template from the editor and posts exactly the definition', async () => {
        const created = template({id: 'new-1', version: 1, starter: null}, {name: 'Moderated Q&A'});
        const fake = setup({[`POST ${TemplateRoutes.templates}`]: {status: 201, body: created}});
        const user = userEvent.setup({delay: null});
        await user.click(await screen.findByRole('button', {name: 'New template'}));
        const form = screen.getByRole('form', {name: 'New template'});
        await user.type(within(form).getByRole('textbox', {name: 'Name'}), 'Moderated Q&A');
        await user.selectOptions(within(form).getByRole('combobox', {name: 'Create posts for Guests'}), 'Do not allow');
        await user.selectOptions(within(form).getByRole('combobox', {name: 'Manage members for Members'}), 'Allow');
        expect(within(form).queryByRole('combobox', {name: 'Manage members for Guests'})).toBeNull();
        expect(within(form).queryByRole('combobox', {name: 'Manage bookmarks for Guests'})).toBeNull();
        await user.click(within(form).getByRole('checkbox', {name: 'Set the channel purpose'}));
        await user.type(within(form).getByRole('textbox', {name: 'Purpose'}), 'Questions, answered');
        await user.click(within(form).getByRole('button', {name: 'Save template'}));

        await screen.findByText('Saved “Moderated Q&A”.');
        expect(fake.calls('POST', TemplateRoutes.templates)[0].body).toEqual({
            name: 'Moderated Q&A',
            description: '',
            moderation: {create_post: {guests: false}, manage_members: {members: true}},
            channel_admins: {user_ids: [], group_ids: [], channel_creator: false},
            properties: {purpose: 'Questions, answered'},
        });
    });

    it('says what is wrong and sends nothing for an empty template', async () => {
        const fake = setup();
        const user = userEvent.setup({delay: null});
        await user.click(await screen.findByRole('button', {name: 'New template'}));
        await user.type(screen.getByRole('textbox', {name: 'Name'}), 'Empty');
        await user.click(screen.getByRole('button', {name: 'Save template'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('A template must set at least one');
        expect(fake.calls('POST', TemplateRoutes.templates)).toHaveLength(0);
    });

    it('edits with the version it loaded and explains a 409', async () => {
        const fake = setup({
            [`PUT ${TemplateRoutes.template('tpl-announce')}`]: {
                status: 409,
                body: {error: {id: 'cockpit.state.version_conflict', message: 'stale'}},
            },
        });
        const user = userEvent.setup({delay: null});
        await user.click(await screen.findByRole('button', {name: 'Edit Read-only announcements'}));
        expect(screen.getByRole('combobox', {name: 'Create posts for Members'})).toHaveValue('deny');
        await user.click(screen.getByRole('button', {name: 'Save template'}));
        expect(await screen.findByText(/Someone else changed this meanwhile/)).toBeInTheDocument();
        expect(fake.calls('PUT', TemplateRoutes.template('tpl-announce'))[0].body.expected_version).toBe(3);
    });

    it('deletes only after a confirmation, naming the version it loaded', async () => {
        const fake = setup({[`DELETE ${TemplateRoutes.template('tpl-announce')}`]: {body: {deleted: true}}});
        const user = userEvent.setup({delay: null});
        const list = await panel('Role templates');
        await user.click(within(list).getByRole('button', {name: 'Delete Read-only announcements'}));
        const dialog = within(list).getByRole('alertdialog');
        expect(dialog).toHaveTextContent('Proposals already made keep their copy.');
        expect(fake.all.filter((c) => c.method === 'DELETE')).toHaveLength(0);
        await user.click(within(dialog).getByRole('button', {name: 'Delete'}));
        await waitFor(() => expect(within(list).queryByRole('rowheader', {name: /Read-only announcements/})).toBeNull());
        expect(fake.calls('DELETE', TemplateRoutes.template('tpl-announce'))[0].body).toEqual({expected_version: 3});
    });

    it('proposes for picked channels and a name pattern, previewing the matches first', async () => {
        jest.spyOn(Client4, 'getTeams').mockResolvedValue([
            {id: 'team-a', name: 'alpha', display_name: 'Alpha'},
            {id: 'team-b', name: 'beta', display_name: 'Beta'},
        ] as never);
        const ch = (name: string, type = 'O') => ({id: `ch-${name}`, name, display_name: name.toUpperCase(), type, team_id: 'team-a'});
        const created = proposalDetail([teamReview([item('announce-it'), item('town-square')])]);
        const fake = setup({
            'GET /api/v4/teams/team-a/channels?page=0&per_page=200': {body: [ch('town-square'), ch('announce-it'), ch('random')]},
            'GET /api/v4/teams/team-a/channels/private?page=0&per_page=200': {body: [ch('announce-hr', 'P')]},
            [`POST ${TemplateRoutes.proposals}`]: {status: 201, body: created},
            [`GET ${TemplateRoutes.proposal('prop-1')}`]: {body: created},
        });
        const user = userEvent.setup({delay: null});
        const form = await screen.findByRole('form', {name: 'Propose a template'});
        await user.click(await within(form).findByRole('checkbox', {name: 'Alpha'}));
        const channels = await within(form).findByRole('listbox', {name: 'Channels of Alpha'});
        await user.selectOptions(channels, 'TOWN-SQUARE (~town-square)');
        await user.type(within(form).getByRole('textbox', {name: 'Every channel whose name matches'}), 'announce-*');
        const preview = within(form).getByRole('region', {name: 'Channels the team admins will be asked about'});

        // The pattern covers public channels only, as the server resolves it: the private announce-hr is not in.
        expect(preview).toHaveTextContent('2 channels: ANNOUNCE-IT, TOWN-SQUARE');
        expect(within(form).getByText(/Public channels only \(pick private channels above\)/)).toBeInTheDocument();

        // Picked by hand, a private channel is.
        await user.selectOptions(channels, 'ANNOUNCE-HR (~announce-hr) · private');
        expect(preview).toHaveTextContent('3 channels: ANNOUNCE-HR, ANNOUNCE-IT, TOWN-SQUARE');
        await user.type(within(form).getByRole('textbox', {name: 'Note for the team admins'}), 'Please review by Friday');
        await user.click(within(form).getByRole('button', {name: 'Propose'}));

        await screen.findByText('Proposed “Read-only announcements”; the team admins have been told.');
        expect(fake.calls('POST', TemplateRoutes.proposals)[0].body).toEqual({
            template_id: 'tpl-announce',
            template_version: 3,
            teams: [
                {
                    team_id: 'team-a',
                    channel_ids: ['ch-announce-hr', 'ch-town-square'],
                    name_pattern: 'announce-*',
                    new_channels: false,
                },
            ],
            note: 'Please review by Friday',
        });

        // The new proposal opens with its per-channel status.
        expect(await screen.findByRole('region', {name: 'Channels of Read-only announcements'})).toBeInTheDocument();
    });

    it('shows per-channel status with counts and progress, and rolls back an applied channel', async () => {
        const items = [
            item('announce-it', {status: 'applied', applied_at: Date.UTC(2026, 10, 4), decided_by: 'tadmin', comment: 'ok <b>fine</b>'}),
            item('announce-hr', {status: 'failed', reason: 'HTTP 403 from PUT moderations/patch'}),
            item('random', {status: 'needs_license', reason: 'Channel moderation needs a license'}),
            item('town-square', {skipped_admin_user_ids: ['uid-x', 'uid-y']}),
        ];
        const review = teamReview(items);
        const after = teamReview([{...items[0], status: 'rolled_back'}, ...items.slice(1)], {version: 5});
        const fake = setup({
            [`GET ${TemplateRoutes.proposals}`]: {body: {proposals: [summary(items)]}},
            [`GET ${TemplateRoutes.proposal('prop-1')}`]: [{body: proposalDetail([review])}, {body: proposalDetail([after])}],
            [`POST ${TemplateRoutes.rollback('team-a', 'prop-1')}`]: {body: after},
        });
        const user = userEvent.setup({delay: null});
        const proposals = await panel('Proposals');
        expect(within(proposals).getByRole('progressbar', {name: 'Progress of Read-only announcements'})).toHaveAttribute(
            'aria-valuenow',
            '75',
        );
        expect(within(proposals).getByRole('list', {name: 'Channels by status: Progress of Read-only announcements'})).
            toHaveTextContent(['1 Pending', '1 Applied', '1 Failed', '1 Needs license'].join(''));

        await user.click(within(proposals).getByRole('button', {name: 'Show the channels of Read-only announcements'}));
        const table = await within(proposals).findByRole('table', {name: 'Channel status in Alpha'});
        const row = (name: string) => within(table).getByRole('rowheader', {name: new RegExp(`^${name}`)}).closest('tr') as HTMLElement;
        expect(row('Announce It')).toHaveTextContent('Applied');
        expect(row('Announce It')).toHaveTextContent('Comment: ok <b>fine</b>');
        expect(row('Announce It').querySelector('b')).toBeNull();
        expect(row('Announce Hr')).toHaveTextContent('FailedHTTP 403 from PUT moderations/patch');
        expect(row('Random')).toHaveTextContent('Needs licenseChannel moderation needs a license');
        expect(within(row('Random')).getByRole('button', {name: 'Retry Random'})).toBeInTheDocument();
        expect(within(row('Town Square')).queryByRole('button')).toBeNull();
        expect(row('Town Square')).toHaveTextContent('Not made channel admin, not members of this channel’s team: uid-x, uid-y');
        expect(row('Random')).not.toHaveTextContent('Not made channel admin');

        await user.click(within(row('Announce It')).getByRole('button', {name: 'Roll back Announce It'}));
        await screen.findByText('Rolled back to the settings recorded before.');
        expect(fake.calls('POST', TemplateRoutes.rollback('team-a', 'prop-1'))[0].body).toEqual({
            expected_version: 4,
            channel_ids: ['ch-announce-it'],
        });
        await waitFor(() => expect(row('Announce It')).toHaveTextContent('Rolled back'));
    });

    it('grants the credential only after a confirmation that names the role, and never shows a token', async () => {
        const granted = credential({
            granted: true,
            bot_user_id: 'botid',
            granted_by: 'adminid',
            granted_at: Date.UTC(2026, 10, 5),
            problems: [],
        });
        const fake = setup({[`POST ${TemplateRoutes.credentialGrant}`]: {body: granted}});
        const user = userEvent.setup({delay: null});
        const access = await panel('Access for channel moderation');
        expect(within(access).getByText('Not granted')).toBeInTheDocument();
        await user.click(within(access).getByRole('button', {name: 'Grant access'}));
        const dialog = within(access).getByRole('alertdialog', {name: 'Grant the plugin access for channel moderation?'});
        expect(dialog).toHaveTextContent('creates the bot @onboarding-cockpit-moderation, gives it the system_user_manager role');
        expect(fake.calls('POST', TemplateRoutes.credentialGrant)).toHaveLength(0);
        await user.click(within(dialog).getByRole('button', {name: 'Grant'}));
        await within(access).findByText('Granted');
        expect(fake.calls('POST', TemplateRoutes.credentialGrant)[0].body).toEqual({});
        expect(within(access).getByRole('button', {name: 'Revoke access'})).toBeInTheDocument();
    });

    it('does not offer the grant on an unlicensed server, and says why', async () => {
        const fake = setup({[`GET ${TemplateRoutes.credential}`]: {body: credential({problems: ['no_license', 'not_granted']})}});
        const access = await panel('Access for channel moderation');
        expect(access).toHaveTextContent(
            'This server has no license: channel moderation needs one. Access cannot be granted until a license is added',
        );
        expect(within(access).getByRole('button', {name: 'Grant access'})).toBeDisabled();
        expect(fake.calls('POST', TemplateRoutes.credentialGrant)).toHaveLength(0);
    });

    it('shows the server\'s refusal of a grant without a license (the license went away after the page loaded)', async () => {
        const fake = setup({
            [`POST ${TemplateRoutes.credentialGrant}`]: {
                status: 400,
                body: {error: {id: 'cockpit.templates.needs_license', message: 'no license'}},
            },
        });
        const user = userEvent.setup({delay: null});
        const access = await panel('Access for channel moderation');
        await user.click(within(access).getByRole('button', {name: 'Grant access'}));
        await user.click(within(access).getByRole('button', {name: 'Grant'}));
        expect(await within(access).findByRole('alert')).toHaveTextContent(
            'Not granted: this server has no license, and channel moderation needs one.',
        );
        expect(fake.calls('POST', TemplateRoutes.credentialGrant)).toHaveLength(1);
        expect(within(access).getByText('Not granted')).toBeInTheDocument();
    });

    it('refuses a credential answer that carries a token instead of showing it', async () => {
        setup({[`GET ${TemplateRoutes.credential}`]: {body: {...credential({granted: true}), token: 'secret-token-value'}}});
        const access = await panel('Access for channel moderation');
        expect(access).toHaveTextContent('The credential status could not be loaded.');
        expect(document.body.textContent).not.toContain('secret-token-value');
    });

    it('shows what the license allows', async () => {
        setup();
        const license = await panel('License and delegated administration');
        expect(within(license).getByText('Licensed (enterprise)')).toBeInTheDocument();
        expect(within(license).getByText('Channel moderation').nextSibling).toHaveTextContent('Allowed');
        expect(within(license).getByText('Delegated admin roles').nextSibling).toHaveTextContent('Not in this license');
        expect(license).toHaveTextContent('does not allow the delegated admin roles');
    });

    it('explains a 403 instead of showing the tab', async () => {
        setup({[`GET ${TemplateRoutes.templates}`]: {status: 403, body: {error: {id: 'cockpit.auth.forbidden', message: 'no'}}}});
        expect(await screen.findByRole('alert')).toHaveTextContent('System admins only');
        expect(screen.queryByRole('region', {name: 'Role templates'})).toBeNull();
    });
});
