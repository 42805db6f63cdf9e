import {render, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {IntlProvider} from 'react-intl';

import {csvCell} from 'contract/csv';
import {StakeholderRoutes} from 'contract/routes';
import type {StakeholderAccessResponse, StakeholderStatus} from 'contract/stakeholders';

import {parseNames, StakeholderAccessPanel} from './access_panel';
import {statusCsv} from './csv';
import {stakeholderPagePath} from './navigation';
import {StakeholderStatusPage} from './status_page';

import {Client} from '../client';
import * as files from '../components/files';
import {Plugin} from '../plugin';
import {renderInConsole, routeFetch} from '../test/helpers';

jest.mock('react-chartjs-2', () => ({Line: () => null}));

const NOW = Date.UTC(2026, 1, 10, 9);

const status: StakeholderStatus = {
    generated_at: NOW,
    plan: {
        title: 'Enterprise roll-out',
        percent: 40,
        phases: [
            {title: 'Planning', required: 4, completed: 4, percent: 100, complete: true},
            {title: 'Pilot', required: 6, completed: 0, percent: 0, complete: false},
        ],
    },
    waves: [
        {
            name: 'Wave 2: sales',
            state: 'scheduled',
            start_at: NOW + 86_400_000,
            started_at: null,
            finished_at: null,
            total: 0,
            processed: 0,
            added: 0,
            already_member: 0,
            skipped: 0,
            failed: 0,
            welcomed: 0,
        },
        {
            name: 'Pilot: finance',
            state: 'running',
            start_at: NOW - 3_600_000,
            started_at: NOW - 3_600_000,
            finished_at: null,
            total: 200,
            processed: 150,
            added: 140,
            already_member: 6,
            skipped: 3,
            failed: 1,
            welcomed: 139,
        },
    ],
    adoption: {
        measured_at: NOW,
        numbers: {
            daily_active: 120,
            weekly_active: 300,
            monthly_active: 410,
            posts_last_day: 900,
            active_channels: 35,
            total_users: 500,
        },
        targets: [
            {
                label: 'MAU 80 % by March',
                metric: 'monthly_active',
                kind: 'percent',
                threshold: 80,
                base: 'provisioned',
                due: '2026-03-01',
                current: 410,
                goal: 400,
                percent: 100,
                status: 'met',
            },
        ],
        daily: [
            {day: '2026-02-09', daily_active: 100, weekly_active: 280, monthly_active: 390},
            {day: '2026-02-10', daily_active: 120, weekly_active: 300, monthly_active: 410},
        ],
    },
};

describe('the stakeholder status page', () => {
    it('shows plan progress by phase, the waves with their counts, and adoption against targets', async () => {
        routeFetch({[`GET ${StakeholderRoutes.status}`]: {body: status}});
        renderInConsole(<StakeholderStatusPage/>);
        expect(await screen.findByRole('progressbar', {name: 'Enterprise roll-out: overall progress'})).toHaveAttribute(
            'aria-valuenow',
            '40',
        );
        expect(screen.getByRole('progressbar', {name: 'Pilot'})).toHaveAttribute('aria-valuetext', '0 of 6 required tasks (0 %)');

        const waves = screen.getByRole('table', {name: 'Rollout waves'});
        const rows = within(waves).getAllByRole('row').slice(1);
        expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual(['Wave 2: sales', 'Pilot: finance']);
        expect(within(rows[0]).getByText('Scheduled')).toBeInTheDocument();
        expect(within(rows[0]).getByText(/^Starts /)).toBeInTheDocument();
        expect(within(rows[1]).getByRole('progressbar', {name: 'Pilot: finance'})).toHaveAttribute('aria-valuenow', '75');
        expect(within(rows[1]).getByText('140 · 6 · 3 · 1 · 139')).toBeInTheDocument();

        const adoption = screen.getByRole('region', {name: 'Adoption'});
        expect(within(adoption).getByText('Monthly active users', {selector: 'dt'}).nextSibling).toHaveTextContent('410');
        expect(within(adoption).getByRole('progressbar', {name: 'MAU 80 % by March'})).toHaveAttribute(
            'aria-valuetext',
            '410 of 400 (100 %)',
        );
        expect(within(adoption).getByRole('table', {name: 'Active users per day'})).toBeInTheDocument();
    });

    it('downloads the page\'s tables as one CSV of counts (names formula-safe)', async () => {
        const hostile = {...status, waves: [{...status.waves[1], name: '=HYPERLINK("http://x")'}]};
        routeFetch({[`GET ${StakeholderRoutes.status}`]: {body: hostile}});
        const save = jest.spyOn(files, 'saveTextFile').mockImplementation(() => undefined);
        renderInConsole(<StakeholderStatusPage/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Download CSV'}));
        expect(save).toHaveBeenCalledTimes(1);
        const [text, name, type] = save.mock.calls[0];
        expect(name).toMatch(/^rollout-status-\d{4}-\d{2}-\d{2}\.csv$/);
        expect(type).toBe('text/csv');
        const lines = text.split('\r\n');
        expect(lines[0]).toBe('"section","item","measure","value"');
        expect(lines).toContain('"phase","Pilot","required","6"');
        expect(lines).toContain('"wave","\'=HYPERLINK(""http://x"")","added","140"');
        expect(lines).toContain('"adoption","","monthly_active","410"');
        expect(lines).toContain('"target","MAU 80 % by March","base","provisioned"');
        expect(lines).toContain('"target","MAU 80 % by March","goal","400"');
        expect(lines).toContain('"day","2026-02-10","daily_active","120"');

        // Four cells a line (section, item, measure, value) and a row per count: no other data.
        expect(lines.filter((line) => line !== '').every((line) => line.split('","').length === 4)).toBe(true);
        expect(lines.filter((line) => line.startsWith('"wave",'))).toHaveLength(11);
    });

    it('CSV cells: quotes doubled, formula starts neutralised, empty values for missing times', () => {
        expect(csvCell('a "b"')).toBe('"a ""b"""');
        expect(['=1', '+1', '-1', '@a', '\tx'].map(csvCell)).toEqual(['"\'=1"', '"\'+1"', '"\'-1"', '"\'@a"', '"\'\tx"']);
        expect(statusCsv(status)).toContain('"wave","Wave 2: sales","started_at",""');
    });

    it('tells a user who is not on the list whom to ask, without a retry loop', async () => {
        routeFetch({[`GET ${StakeholderRoutes.status}`]: {status: 403, body: {error: {id: 'cockpit.auth.forbidden', message: 'no'}}}});
        renderInConsole(<StakeholderStatusPage/>);
        expect(await screen.findByRole('alert')).toHaveTextContent('Not on the roll-out team list');
        expect(screen.queryByRole('button', {name: 'Refresh'})).toBeNull();
        expect(screen.queryByRole('region', {name: 'Plan progress'})).toBeNull();
    });

    it('says when adoption has not been measured and when there are no waves', async () => {
        routeFetch({
            [`GET ${StakeholderRoutes.status}`]: {
                body: {...status, waves: [], adoption: {measured_at: null, numbers: null, targets: [], daily: []}},
            },
        });
        renderInConsole(<StakeholderStatusPage/>);
        expect(await screen.findByText('Adoption has not been measured yet.')).toBeInTheDocument();
        expect(screen.getByText('No rollout waves yet.')).toBeInTheDocument();
    });
});

describe('the stakeholder access panel', () => {
    const access: StakeholderAccessResponse = {
        version: 2,
        updated_at: NOW,
        users: [{id: 'u1', username: 'pm.alice', missing: false}, {id: 'u2', username: '', missing: true}],
        groups: [{id: 'g1', name: 'helpdesk', display_name: 'Help desk', missing: false}],
    };
    const client = new Client(() => 'http://localhost:8065/plugins/onboarding-cockpit');

    it('lists who may see the page (a removed user by id) and saves the edited lists by name with the version', async () => {
        const fake = routeFetch({
            [`GET ${StakeholderRoutes.access}`]: {body: access},
            [`PUT ${StakeholderRoutes.access}`]: {
                body: {
                    ...access,
                    version: 3,
                    users: [
                        {id: 'u1', username: 'pm.alice', missing: false},
                        {id: 'u3', username: 'champ.eve', missing: false},
                    ],
                },
            },
        });
        renderInConsole(<StakeholderAccessPanel client={client}/>);
        const panel = await screen.findByRole('region', {name: 'Stakeholder status page'});
        expect(await within(panel).findByText('Users')).toBeInTheDocument();
        expect(within(panel).getByText('Users').nextSibling).toHaveTextContent('@pm.alice, (removed: u2)');
        expect(within(panel).getByText('Groups').nextSibling).toHaveTextContent('@helpdesk (Help desk)');

        await userEvent.click(within(panel).getByRole('button', {name: 'Edit access'}));
        const users = within(panel).getByRole('textbox', {name: /Usernames/});
        expect(users).toHaveValue('pm.alice');
        await userEvent.type(users, ', @Champ.Eve');
        await userEvent.click(within(panel).getByRole('button', {name: 'Save access'}));
        await within(panel).findByRole('button', {name: 'Edit access'});
        expect(fake.calls('PUT', StakeholderRoutes.access)[0].body).toEqual({
            expected_version: 2,
            usernames: ['pm.alice', 'champ.eve'],
            group_names: ['helpdesk'],
        });
        expect(within(panel).getByText('Users').nextSibling).toHaveTextContent('@pm.alice, @champ.eve');
    });

    it('a stale version says someone else saved; a bad name shows the server\'s reason', async () => {
        routeFetch({
            [`GET ${StakeholderRoutes.access}`]: {body: access},
            [`PUT ${StakeholderRoutes.access}`]: [
                {status: 409, body: {error: {id: 'cockpit.state.version_conflict', message: 'stale'}}},
                {status: 400, body: {error: {id: 'cockpit.request.invalid', message: 'Stakeholder access not saved: no user @nobody.'}}},
            ],
        });
        renderInConsole(<StakeholderAccessPanel client={client}/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Edit access'}));
        await userEvent.click(screen.getByRole('button', {name: 'Save access'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('Someone else changed the list meanwhile.');
        await userEvent.click(screen.getByRole('button', {name: 'Save access'}));
        expect(await screen.findByText(/no user @nobody/)).toBeInTheDocument();
    });

    it('parses names separated by commas, spaces and lines, drops @ and duplicates', () => {
        expect(parseNames(' @Alice, bob\ncarol;  alice ')).toEqual(['alice', 'bob', 'carol']);
        expect(parseNames('')).toEqual([]);
    });
});

describe('the way in from Mattermost', () => {
    const state = {
        entities: {
            teams: {currentTeamId: 't1', teams: {t1: {name: 'sales-team'}}},
            general: {config: {SiteURL: 'http://localhost:8065'}},
        },
    };
    const store = {getState: () => state, dispatch: jest.fn(), subscribe: jest.fn(), replaceReducer: jest.fn()};

    it('registers the page at /<team>/<plugin id>/status and, for a user it lets in, ' +
        'a translated main menu item that opens it', async () => {
        const fetched = routeFetch({[`GET ${StakeholderRoutes.allowed}`]: {body: {allowed: true}}});
        const registerNeedsTeamRoute = jest.fn();
        const registerMainMenuAction = jest.fn();
        const plugin = new Plugin();
        plugin.initialize({registerAdminConsoleCustomSetting: jest.fn(), registerNeedsTeamRoute, registerMainMenuAction}, store);
        expect(registerNeedsTeamRoute).toHaveBeenCalledWith('/status', StakeholderStatusPage);
        expect(await plugin.menuEntryRegistered).toBe(true);
        expect(fetched.calls('GET', StakeholderRoutes.allowed)).toHaveLength(1);
        expect(registerMainMenuAction).toHaveBeenCalledTimes(1);

        // The label is a FormattedMessage element: the host's IntlProvider translates it.
        const [label, action] = registerMainMenuAction.mock.calls[0];
        expect(React.isValidElement(label)).toBe(true);
        const {container} = render((
            <IntlProvider
                locale='de'
                messages={{'cockpit.stakeholders.menuItem': 'Einführungsstatus'}}
            >{label}</IntlProvider>
        ));
        expect(container).toHaveTextContent('Einführungsstatus');

        const push = jest.fn();
        (window as unknown as {WebappUtils: unknown}).WebappUtils = {browserHistory: {push}};
        action();
        expect(push).toHaveBeenCalledWith('/sales-team/onboarding-cockpit/status');
        delete (window as unknown as {WebappUtils?: unknown}).WebappUtils;
    });

    it('offers no menu item to a user the page would refuse, nor when the server cannot say', async () => {
        for (const answer of [{body: {allowed: false}}, {status: 500, body: {error: {id: 'x', message: 'down'}}}]) {
            routeFetch({[`GET ${StakeholderRoutes.allowed}`]: answer});
            const registerMainMenuAction = jest.fn();
            const plugin = new Plugin();
            plugin.initialize(
                {registerAdminConsoleCustomSetting: jest.fn(), registerNeedsTeamRoute: jest.fn(), registerMainMenuAction},
                store,
            );
            expect(await plugin.menuEntryRegistered).toBe(false);
            expect(registerMainMenuAction).not.toHaveBeenCalled();
        }
    });

    it('has no page path outside a team', () => {
        expect(stakeholderPagePath({entities: {teams: {currentTeamId: '', teams: {}}}})).toBeNull();
    });
});
