import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type {AdoptionResponse, AdoptionSnapshot} from 'contract/adoption';
import {AdoptionRoutes, StakeholderRoutes} from 'contract/routes';

import {AdoptionTab} from './adoption_tab';

import {localDate} from '../components/dates';
import * as files from '../components/files';
import {renderInConsole, routeFetch} from '../test/helpers';

// jsdom has no canvas: the chart component is replaced for rendering only; the tests assert on the data
// handed to it and on the accessible table next to it.
const lineProps: Array<{data: {labels: string[]; datasets: Array<{label: string; data: number[]; borderColor: string}>}}> = [];
const barProps: Array<{
    data: {labels: string[]; datasets: Array<{label: string; data: number[]; backgroundColor: string}>};
    options: {scales: {x: {stacked: boolean}}};
}> = [];
jest.mock('react-chartjs-2', () => ({
    Line: (props: never) => {
        lineProps.push(props);
        return null;
    },
    Bar: (props: never) => {
        barProps.push(props);
        return null;
    },
}));

const numbers = (dau: number, posts: number) => ({
    daily_active: dau,
    weekly_active: dau * 2,
    monthly_active: dau * 3,
    posts_last_day: posts,
    active_channels: 4,
    total_users: 100,
});
const snap = (day: string, dau: number, posts: number): AdoptionSnapshot => ({
    day,
    taken_at: Date.parse(`${day}T00:05:00Z`),
    numbers: numbers(dau, posts),
});

const answer: AdoptionResponse = {
    current: {...snap('2026-02-10', 20, 250), taken_at: Date.UTC(2026, 1, 10, 9)},
    cached: true,
    daily: [snap('2026-02-08', 10, 100), snap('2026-02-09', 15, 180)],
    targets_version: 3,
    progress: [
        {
            target: {
                id: 'mau',
                label: 'MAU 80 % by March',
                metric: 'monthly_active',
                kind: 'percent',
                threshold: 80,
                base: 'total_users',
                due: '2026-03-01',
            },
            current: 60,
            goal: 80,
            percent: 75,
            status: 'on_track',
        },
        {
            target: {
                id: 'posts',
                label: '',
                metric: 'posts_last_day',
                kind: 'count',
                threshold: 200,
                base: 'total_users',
                due: '2026-02-01',
            },
            current: 250,
            goal: 200,
            percent: 100,
            status: 'met',
        },
    ],
    load: [
        {taken_at: Date.UTC(2026, 1, 10, 8, 45), active_sessions: 40, db_connections: 18, db_max_connections: 100},
        {taken_at: Date.UTC(2026, 1, 10, 9), active_sessions: 55, db_connections: 25, db_max_connections: 100},
    ],
};

// The Adoption tab also holds the stakeholder access panel (stakeholders/access_panel.tsx): nobody listed.
const accessRoute = {[`GET ${StakeholderRoutes.access}`]: {body: {version: 0, users: [], groups: [], updated_at: 0}}};

beforeEach(() => {
    lineProps.length = 0;
    barProps.length = 0;
});

const wave = (name: string, cohort: number, loggedIn: number, feedback: [number, number, number]) => ({
    name,
    measured_at: Date.UTC(2026, 1, 10, 9),
    cohort,
    provisioned: cohort - 1,
    welcomed: cohort - 2,
    logged_in: loggedIn,
    posted: loggedIn - 1,
    feedback: {great: feedback[0], ok: feedback[1], help: feedback[2]},
});
const withWaves: AdoptionResponse = {
    ...answer,
    current: {
        ...answer.current!,
        numbers: {...answer.current!.numbers, provisioned: 57},
        waves: {w2: wave('Sales', 40, 20, [5, 2, 1]), w1: wave('Pilot', 20, 12, [3, 0, 2])},
    },
    daily: [
        {...snap('2026-02-08', 10, 100), waves: {w1: wave('Pilot', 20, 4, [0, 0, 0])}},
        {...snap('2026-02-09', 15, 180), waves: {w1: wave('Pilot', 20, 9, [1, 0, 0]), w2: wave('Sales', 40, 3, [0, 0, 0])}},
    ],
};
afterEach(() => jest.restoreAllMocks());

describe('Adoption tab', () => {
    it('shows the current numbers, targets with progress, and plots whose data is also a table', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: answer}});
        renderInConsole(<AdoptionTab/>);

        const current = await screen.findByRole('region', {name: 'Adoption today'});
        expect(within(current).getByText('Monthly active users').nextSibling).toHaveTextContent('60');
        expect(within(current).getByText('Posts in the last 24 hours').nextSibling).toHaveTextContent('250');

        const mau = screen.getByRole('progressbar', {name: 'MAU 80 % by March'});
        expect(mau).toHaveAttribute('aria-valuenow', '75');
        expect(mau).toHaveAttribute('aria-valuetext', '60 of 80 (75 %)');
        expect(screen.getByRole('progressbar', {name: 'Posts in the last 24 hours ≥ 200 by 2026-02-01'})).toHaveAttribute(
            'aria-valuenow',
            '100',
        );
        expect(screen.getByText('Met')).toBeInTheDocument();
        expect(screen.getByText('In progress')).toBeInTheDocument();

        // The plots got the daily series…
        expect(lineProps).not.toHaveLength(0);
        const charts = lineProps.map((p) => p.data);
        const users = charts.filter((d) => d.datasets[0]?.label === 'Daily active users').pop()!;
        const posts = charts.filter((d) => d.datasets[0]?.label === 'Posts in the last 24 hours').pop()!;
        expect(users.labels).toEqual(['2026-02-08', '2026-02-09']);
        expect(users.datasets.map((d) => [d.label, d.data])).toEqual([
            ['Daily active users', [10, 15]],
            ['Weekly active users', [20, 30]],
            ['Monthly active users', [30, 45]],
        ]);
        expect(posts.datasets.map((d) => d.data)).toEqual([[100, 180]]);

        // …and the same numbers are in the tables.
        const table = screen.getByRole('table', {name: 'Active users per day'});
        expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual([
            'DayDaily active usersWeekly active usersMonthly active users',
            '2026-02-08102030',
            '2026-02-09153045',
        ]);
        expect(table).toHaveClass('sr-only');
        await userEvent.click(screen.getAllByRole('button', {name: 'Show the data table'})[0]);
        expect(table).not.toHaveClass('sr-only');
    });

    it('without snapshots says so instead of plotting', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: {...answer, daily: [], progress: [], load: []}}});
        renderInConsole(<AdoptionTab/>);
        expect(await screen.findByText(/No daily snapshot yet/)).toBeInTheDocument();
        expect(screen.getByText('No targets yet.')).toBeInTheDocument();
        expect(lineProps).toHaveLength(0);
    });

    it('edits targets: sends the whole list with the version, then reloads', async () => {
        const saved = {...answer, targets_version: 4};
        const fake = routeFetch({...accessRoute,
            [`GET ${AdoptionRoutes.adoption}`]: [{body: answer}, {body: saved}],
            [`PUT ${AdoptionRoutes.targets}`]: (body) => ({
                body: {version: 4, targets: body.targets.map((t: object) => ({base: 'total_users', ...t}))},
            }),
        });
        renderInConsole(<AdoptionTab/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Edit targets'}));
        await userEvent.click(screen.getByRole('button', {name: 'Remove target 2'}));
        const threshold = screen.getByRole('spinbutton', {name: 'Threshold'});
        await userEvent.clear(threshold);
        await userEvent.type(threshold, '90');
        await userEvent.click(screen.getByRole('button', {name: 'Save targets'}));
        await screen.findByRole('button', {name: 'Edit targets'});
        expect(fake.calls('PUT', AdoptionRoutes.targets)[0].body).toEqual({
            expected_version: 3,
            targets: [
                {
                    id: 'mau',
                    label: 'MAU 80 % by March',
                    metric: 'monthly_active',
                    kind: 'percent',
                    threshold: 90,
                    base: 'total_users',
                    due: '2026-03-01',
                },
            ],
        });
        expect(fake.calls('GET', AdoptionRoutes.adoption)).toHaveLength(2);
    });

    it('a percent target can be a share of the users provisioned by waves; a count target has no base to choose', async () => {
        const fake = routeFetch({...accessRoute,
            [`GET ${AdoptionRoutes.adoption}`]: {body: answer},
            [`PUT ${AdoptionRoutes.targets}`]: (body) => ({body: {version: 4, targets: body.targets}}),
        });
        renderInConsole(<AdoptionTab/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Edit targets'}));

        // Target 1 is a percent: its base can be chosen; target 2 is a count: no base field.
        expect(screen.getAllByRole('combobox', {name: 'Percent of'})).toHaveLength(1);
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Percent of'}), 'Users provisioned by waves');
        await userEvent.click(screen.getByRole('button', {name: 'Save targets'}));
        await screen.findByRole('button', {name: 'Edit targets'});
        const sent = fake.calls('PUT', AdoptionRoutes.targets)[0].body as {targets: Array<{id: string; base: string}>};
        expect(sent.targets.map((t) => [t.id, t.base])).toEqual([['mau', 'provisioned'], ['posts', 'total_users']]);
    });

    it('names the base of a percent target: total users or provisioned by waves', async () => {
        const progress = [{...answer.progress[0], target: {...answer.progress[0].target, label: '', base: 'provisioned' as const}}];
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: {...withWaves, progress}}});
        renderInConsole(<AdoptionTab/>);
        expect(
            await screen.findByRole('progressbar', {
                name: 'Monthly active users ≥ 80 % of the users provisioned by waves (80) by 2026-03-01',
            }),
        ).toBeInTheDocument();
        const current = screen.getByRole('region', {name: 'Adoption today'});
        expect(within(current).getByText('Provisioned by waves').nextSibling).toHaveTextContent('57');
    });

    it('plots each wave\'s funnel and feedback as bar charts (tables too) and the logged-in series per day', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: withWaves}});
        renderInConsole(<AdoptionTab/>);
        const section = await screen.findByRole('region', {name: 'Rollout waves'});
        const funnel = barProps.map((p) => p.data).filter((d) => d.datasets[0]?.label === 'Cohort').pop()!;

        // Waves by name.
        expect(funnel.labels).toEqual(['Pilot', 'Sales']);
        expect(funnel.datasets.map((d) => [d.label, d.data])).toEqual([
            ['Cohort', [20, 40]], ['Provisioned', [19, 39]], ['Welcomed', [18, 38]], ['Logged in', [12, 20]], ['Posted', [11, 19]],
        ]);
        const feedbackProps = barProps.filter((p) => p.data.datasets[0]?.label === 'Great').pop()!;
        expect(feedbackProps.data.datasets.map((d) => d.data)).toEqual([[3, 5], [0, 2], [2, 1]]);
        expect(feedbackProps.options.scales.x.stacked).toBe(true);
        const funnelTable = within(section).getByRole('table', {name: 'Activation per wave'});
        expect(within(funnelTable).getAllByRole('row').map((r) => r.textContent)).toEqual([
            'WaveCohortProvisionedWelcomedLogged inPosted', 'Pilot2019181211', 'Sales4039382019',
        ]);
        expect(within(section).getByRole('table', {name: 'Feedback answers per wave'})).toHaveClass('sr-only');
        await userEvent.click(within(section).getAllByRole('button', {name: 'Show the data table'})[1]);
        expect(within(section).getByRole('table', {name: 'Feedback answers per wave'})).not.toHaveClass('sr-only');

        // A wave missing from a day's snapshot plots 0 that day.
        const trend = lineProps.map((p) => p.data).filter((d) => d.datasets[0]?.label === 'Pilot').pop()!;
        expect(trend.labels).toEqual(['2026-02-08', '2026-02-09']);
        expect(trend.datasets.map((d) => [d.label, d.data])).toEqual([['Pilot', [4, 9]], ['Sales', [0, 3]]]);
    });

    it('adds the invitation and account stages to the funnel when a wave has them', async () => {
        const invite = {...wave('Invitees', 30, 5, [0, 0, 0]), invited: 30, account: 12, provisioned: 12, welcomed: 12};
        const body: AdoptionResponse = {...withWaves, current: {...withWaves.current!, waves: {...withWaves.current!.waves, w3: invite}}};
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body}});
        renderInConsole(<AdoptionTab/>);
        const section = await screen.findByRole('region', {name: 'Rollout waves'});
        const funnel = barProps.map((p) => p.data).filter((d) => d.datasets[0]?.label === 'Cohort').pop()!;
        expect(funnel.labels).toEqual(['Invitees', 'Pilot', 'Sales']);

        // Waves measured without those stages plot 0 there.
        expect(funnel.datasets.map((d) => [d.label, d.data])).toEqual([
            ['Cohort', [30, 20, 40]],
            ['Invited', [30, 0, 0]],
            ['Has an account', [12, 0, 0]],
            ['Provisioned', [12, 19, 39]],
            ['Welcomed', [12, 18, 38]],
            ['Logged in', [5, 12, 20]],
            ['Posted', [4, 11, 19]],
        ]);
        const funnelTable = within(section).getByRole('table', {name: 'Activation per wave'});
        const [header] = within(funnelTable).getAllByRole('row');
        expect(header.textContent).toBe('WaveCohortInvitedHas an accountProvisionedWelcomedLogged inPosted');
    });

    it('without measured waves says so and plots no bars', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: answer}});
        renderInConsole(<AdoptionTab/>);
        const section = await screen.findByRole('region', {name: 'Rollout waves'});
        expect(within(section).getByText(/No wave measured yet/)).toBeInTheDocument();
        expect(barProps).toHaveLength(0);
    });

    it.each([
        ['current', 'Adoption today', 'Export CSV'],
        ['targets', 'Success targets', 'Export targets CSV'],
        ['waves', 'Rollout waves', 'Export waves CSV'],
        ['waves_daily', 'Rollout waves', 'Export waves per day CSV'],
    ])('exports the %s series as CSV from its panel', async (series, panel, button) => {
        const fake = routeFetch({...accessRoute,
            [`GET ${AdoptionRoutes.adoption}`]: {body: withWaves},
            [`GET ${AdoptionRoutes.export}?series=${series}`]: {text: '"x"\r\n'},
        });
        const save = jest.spyOn(files, 'saveTextFile').mockImplementation(() => undefined);
        renderInConsole(<AdoptionTab/>);
        await userEvent.click(within(await screen.findByRole('region', {name: panel})).getByRole('button', {name: button}));
        expect(fake.calls('GET', `${AdoptionRoutes.export}?series=${series}`)).toHaveLength(1);
        expect(save).toHaveBeenCalledWith('"x"\r\n', `cockpit-adoption-${series}-${localDate()}.csv`, 'text/csv');
    });

    it('a stale version shows the conflict and keeps the editor open', async () => {
        routeFetch({...accessRoute,
            [`GET ${AdoptionRoutes.adoption}`]: {body: answer},
            [`PUT ${AdoptionRoutes.targets}`]: {
                status: 409,
                body: {error: {id: 'cockpit.state.version_conflict', message: 'Changed by someone else.'}},
            },
        });
        renderInConsole(<AdoptionTab/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Edit targets'}));
        await userEvent.click(screen.getByRole('button', {name: 'Save targets'}));
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'The targets were not saved: Someone else changed this in the meantime. Reload and try again.',
        );
        expect(screen.getByRole('button', {name: 'Save targets'})).toBeEnabled();
    });

    it('shows the server load: the latest sample, both series plotted, where to find WebSocket connections', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: answer}});
        renderInConsole(<AdoptionTab/>);
        const load = await screen.findByRole('region', {name: 'Server load'});
        expect(within(load).getByText('Active sessions', {selector: 'dt'}).nextSibling).toHaveTextContent('55');
        expect(within(load).getByText('Database connections (all nodes)', {selector: 'dt'}).nextSibling).toHaveTextContent(
            '25 of 100 allowed (25 %)',
        );
        expect(within(load).getByRole('link', {name: 'Site Statistics'})).toHaveAttribute(
            'href',
            expect.stringMatching(/\/admin_console\/reporting\/system_analytics$/),
        );
        const chart = lineProps.map((p) => p.data).find((d) => d.datasets[0]?.label === 'Active sessions');
        expect(chart?.datasets.map((d) => d.data)).toEqual([[40, 55], [18, 25]]);
        const table = within(load).getByRole('table', {name: 'Sessions and database connections'});
        expect(within(table).getAllByRole('row')).toHaveLength(3);
    });

    it('without load samples says so', async () => {
        routeFetch({...accessRoute, [`GET ${AdoptionRoutes.adoption}`]: {body: {...answer, load: []}}});
        renderInConsole(<AdoptionTab/>);
        const load = await screen.findByRole('region', {name: 'Server load'});
        expect(within(load).getByText(/No sample yet/)).toBeInTheDocument();
    });

    it('exports the daily series as CSV', async () => {
        const fake = routeFetch({...accessRoute,
            [`GET ${AdoptionRoutes.adoption}`]: {body: answer},
            [`GET ${AdoptionRoutes.export}?series=daily`]: {text: '"day"\r\n'},
        });
        const save = jest.spyOn(files, 'saveTextFile').mockImplementation(() => undefined);
        renderInConsole(<AdoptionTab/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Export daily CSV'}));
        expect(fake.calls('GET', `${AdoptionRoutes.export}?series=daily`)).toHaveLength(1);
        expect(save).toHaveBeenCalledWith(
            '"day"\r\n',
            expect.stringMatching(/^cockpit-adoption-daily-\d{4}-\d{2}-\d{2}\.csv$/),
            'text/csv',
        );
    });
});
