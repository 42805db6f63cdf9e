import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import type {RolloutSummary, SummaryTask} from 'contract/rollout';
import {Routes} from 'contract/routes';

import {Diagnostics, Overview} from './overview';

import {Cockpit} from '../cockpit/cockpit';
import {pluginStateKey} from '../reducer';
import {deferredFetch, makeStore, mockFetch, renderInConsole, routeFetch, statusFixture} from '../test/helpers';

/** The value (dd) next to a label (dt) inside the panel named `region`. */
function fact(region: string, label: string): HTMLElement {
    const panel = screen.getByRole('region', {name: region});
    const term = within(panel).getAllByRole('term').find((t) => t.textContent === label);
    if (!term) {
        throw new Error(`no "${label}" in ${region}`);
    }
    return term.nextElementSibling as HTMLElement;
}

function overviewRoutes(summary = summaryFixture()) {
    return {[`GET ${Routes.status}`]: {body: statusFixture()}, [`GET ${RolloutEndpoints.summary.path}`]: {body: summary}};
}

function summaryFixture(overrides: Partial<RolloutSummary> = {}): RolloutSummary {
    const task = (id: string, extra: Partial<SummaryTask>): SummaryTask => ({
        id,
        title: `Task ${id}`,
        phase_id: 'pilot',
        phase_title: 'Pilot',
        state: 'in_progress',
        due_date: '2027-03-12',
        owner_id: 'dana0000000000000000000000',
        owner_username: 'dana',
        ...extra,
    });
    return {
        generated_at: Date.UTC(2027, 2, 10, 8),
        today: '2027-03-10',
        plan: {title: 'Roll-out',
            percent: 40,
            phases: [
                {id: 'planning', title: 'Planning', required: 5, completed: 5, percent: 100},
                {id: 'pilot', title: 'Pilot', required: 5, completed: 1, percent: 20},
            ]},
        due_this_week: [task('soon', {})],
        overdue: [task('late', {due_date: '2027-03-01', owner_id: '', owner_username: ''})],
        blocked: [],
        completed_since_last: [task('did', {state: 'done'})],
        readiness: {
            score: 72,
            checked_at: 1,
            previous_score: 68,
            changes: [{id: 'site.url', title: 'Site URL', before: 'error', after: 'ok'}],
        },
        waves: {
            running: [{id: 'w', name: 'Pilot users', state: 'running', total: 400, processed: 100, failed: 0, eta_ms: 600_000}],
            scheduled: 1,
            completed: 2,
        },
        adoption: {measured_at: 1,
            targets: [{
                target: {
                    id: 't',
                    label: 'Monthly actives',
                    metric: 'monthly_active',
                    kind: 'count',
                    threshold: 500,
                    base: 'total_users',
                    due: '2027-04-01',
                },
                current: 340,
                goal: 500,
                percent: 68,
                status: 'on_track',
            }]},
        proposals: {open: 2, pending_channels: 7},
        last_update_at: Date.UTC(2027, 2, 3, 9),
        ...overrides,
    };
}

describe('Overview: the roll-out at a glance', () => {
    it('shows the status post\'s numbers, each section linking to its tab; the diagnostics collapsed', async () => {
        routeFetch(overviewRoutes());
        renderInConsole(<Cockpit variant='setting'/>);
        const plan = await screen.findByRole('region', {name: 'Plan progress'}, {timeout: 5000});
        expect(within(plan).getByRole('progressbar', {name: 'Roll-out'})).toHaveAttribute('aria-valuenow', '40');
        expect(within(plan).getByRole('progressbar', {name: 'Pilot'})).toHaveAttribute('aria-valuetext', 'Pilot: 1 of 5 (20 %)');
        expect(plan).toHaveTextContent('Completed since the last status update: 1');

        const week = screen.getByRole('region', {name: 'Due this week and overdue'});
        const overdue = within(week).getByRole('table', {name: 'Overdue (1)'});
        expect(overdue).toHaveTextContent('Task late');
        expect(overdue).toHaveTextContent('No owner');
        expect(within(week).getByRole('table', {name: 'Due this week (1)'})).toHaveTextContent('@dana');

        const readiness = screen.getByRole('region', {name: 'Readiness'});
        expect(readiness).toHaveTextContent('72 / 100');
        expect(readiness).toHaveTextContent('+4');
        expect(readiness).toHaveTextContent('Site URL: Error → OK');

        const waves = screen.getByRole('region', {name: 'Waves'});
        expect(waves).toHaveTextContent('1 running, 1 scheduled, 2 completed');
        expect(within(waves).getByRole('progressbar', {name: 'Pilot users'})).
            toHaveAttribute('aria-valuetext', 'Pilot users: 100 of 400 users, about 10 minutes left');
        expect(screen.getByRole('region', {name: 'Adoption against targets'})).
            toHaveTextContent('Monthly actives: 340 of 500, due 2027-04-01 · In progress');
        expect(screen.getByRole('region', {name: 'Role-template proposals'})).
            toHaveTextContent('2 proposals open, 7 channels waiting for a team admin');

        const details = screen.getByText('Diagnostics').closest('details')!;
        expect(details.open).toBe(false);
        expect(within(details).getByRole('region', {name: 'Script engines', hidden: true})).toBeInTheDocument();

        await userEvent.click(within(waves).getByRole('button', {name: 'Open Waves'}));
        expect(screen.getByRole('tab', {name: 'Waves'})).toHaveAttribute('aria-selected', 'true');

    // The whole cockpit, then the Waves tab it opens: more than the default 5 s on a busy machine.
    }, 20_000);

    it('says so when nothing is due and no proposal is open', async () => {
        routeFetch({[`GET ${Routes.status}`]: {body: statusFixture()},
            [`GET ${RolloutEndpoints.summary.path}`]: {
                body: summaryFixture({overdue: [], due_this_week: [], proposals: {open: 0, pending_channels: 0}}),
            }});
        renderInConsole(<Overview/>);
        expect(await screen.findByText('Nothing is due this week and nothing is overdue.', {}, {timeout: 5000})).toBeInTheDocument();
        expect(screen.getByText('No proposal is open.')).toBeInTheDocument();
    });
});

describe('Overview tab diagnostics', () => {
    it('shows the live status inside the cockpit, under the Overview tab', async () => {
        const {fn: fetchMock} = routeFetch(overviewRoutes());
        renderInConsole(<Cockpit variant='setting'/>, makeStore({siteURL: 'https://chat.example.com/team-chat'}));

        const tab = screen.getByRole('tab', {name: 'Overview'});
        expect(tab).toHaveAttribute('aria-selected', 'true');
        expect(screen.getByRole('tabpanel', {name: 'Overview'})).toBeInTheDocument();

        expect(await screen.findByRole('region', {name: 'Plugin'})).toBeInTheDocument();
        expect(fetchMock).toHaveBeenCalledWith(`/team-chat/plugins/${manifest.id}${Routes.status}`, expect.anything());

        expect(fact('Plugin', 'Plugin version')).toHaveTextContent(manifest.version);
        expect(fact('Plugin', 'Server version')).toHaveTextContent('10.11.3');
        expect(fact('License', 'License')).toHaveTextContent('Licensed');
        expect(fact('License', 'Edition')).toHaveTextContent('enterprise');
        expect(fact('License', 'Trial')).toHaveTextContent('No');
        expect(fact('License', 'Expires')).toHaveTextContent('June 30, 2031');
        expect(fact('License', 'Seats')).toHaveTextContent('2,500');
        expect(fact('Script engines', 'Idle')).toHaveTextContent('3');
        expect(fact('Script engines', 'Busy')).toHaveTextContent('1');
        expect(fact('Script engines', 'Maximum')).toHaveTextContent('64');
        expect(fact('Script engines', 'Engines created')).toHaveTextContent('5');
        expect(fact('Script engines', 'Engines discarded')).toHaveTextContent('2');
        expect(fact('Script engines', 'Calls served')).toHaveTextContent('1,234');
        expect(fact('Script engines', 'Calls failed')).toHaveTextContent('7');
        expect(screen.queryByRole('note')).not.toBeInTheDocument();
        expect(screen.getAllByText(/^Updated /)).toHaveLength(2);
    });

    it('keeps the data in the plugin redux slice', async () => {
        mockFetch({body: statusFixture()});
        const {store} = renderInConsole(<Diagnostics/>);
        await screen.findByRole('region', {name: 'Plugin'});
        const slice = (store.getState() as Record<string, any>)[pluginStateKey];
        expect(slice.status.data.server_version).toBe('10.11.3');
        expect(slice.status.loading).toBe(false);
    });

    it('shows "Unlicensed" and no license details when the server has no license', async () => {
        mockFetch({body: statusFixture({license: {licensed: false, sku: '', is_trial: false, expires_at: 0, users: 0}})});
        renderInConsole(<Diagnostics/>);
        expect(await screen.findByText('Unlicensed')).toBeInTheDocument();
        const panel = screen.getByRole('region', {name: 'License'});
        expect(within(panel).queryByText('Edition')).not.toBeInTheDocument();
        expect(within(panel).queryByText('Seats')).not.toBeInTheDocument();
    });

    it('marks a trial and an expired license, and unknown seats', async () => {
        mockFetch({
            body: statusFixture({
                license: {licensed: true, sku: 'professional', is_trial: true, expires_at: Date.UTC(2020, 0, 15), users: 0},
            }),
        });
        renderInConsole(<Diagnostics/>);
        await screen.findByRole('region', {name: 'License'});
        expect(fact('License', 'Trial')).toHaveTextContent('Yes');
        expect(fact('License', 'Expires')).toHaveTextContent('January 15, 2020 (expired)');
        expect(fact('License', 'Seats')).toHaveTextContent('Unknown');
    });

    it('shows a loading state until the answer arrives', async () => {
        const {answer} = deferredFetch();
        renderInConsole(<Diagnostics/>);
        expect(screen.getByRole('status')).toHaveTextContent('Loading status…');
        expect(screen.getByRole('button', {name: /refresh/i})).toBeDisabled();

        await act(async () => answer({body: statusFixture()}));

        expect(screen.queryByRole('status')).not.toBeInTheDocument();
        expect(screen.getByRole('button', {name: /refresh/i})).toBeEnabled();
        expect(screen.getByRole('region', {name: 'Script engines'})).toBeInTheDocument();
    });

    it('tells a non-admin that the cockpit is for system admins only, without a Retry', async () => {
        mockFetch({status: 403, body: {error: {id: ErrorIds.forbidden, message: 'forbidden'}}});
        renderInConsole(<Diagnostics/>);
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('System admins only');
        expect(alert).toHaveTextContent('Only system admins can use the Onboarding Cockpit.');
        expect(within(alert).queryByRole('button', {name: /retry/i})).not.toBeInTheDocument();
        expect(screen.queryByRole('region', {name: 'Plugin'})).not.toBeInTheDocument();
    });

    it('shows the server\'s error in the reader\'s words with a Retry that loads again', async () => {
        const fetchMock = mockFetch(
            {status: 500, body: {error: {id: ErrorIds.internal, message: 'KV store unavailable'}}},
            {body: statusFixture()},
        );
        renderInConsole(<Diagnostics/>);
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('The server answered 500: Something went wrong on the server; the plugin log has the details.');

        await userEvent.click(within(alert).getByRole('button', {name: /retry/i}));

        expect(await screen.findByRole('region', {name: 'Plugin'})).toBeInTheDocument();
        expect(screen.queryByRole('alert')).not.toBeInTheDocument();
        expect(fetchMock).toHaveBeenCalledTimes(2);
    });

    it('reports a malformed answer instead of crashing', async () => {
        mockFetch({body: {plugin_id: manifest.id}});
        renderInConsole(<Diagnostics/>);
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('The server sent an answer the cockpit cannot read');
        expect(within(alert).getByRole('button', {name: /retry/i})).toBeInTheDocument();
    });

    it('reloads on Refresh and shows the new numbers', async () => {
        const first = statusFixture();
        const second = statusFixture({host: {...first.host, calls_served: 99999, pool_busy: 6}});
        const fetchMock = mockFetch({body: first}, {body: second});
        renderInConsole(<Diagnostics/>);
        await screen.findByRole('region', {name: 'Script engines'});
        expect(fact('Script engines', 'Calls served')).toHaveTextContent('1,234');

        await userEvent.click(screen.getByRole('button', {name: /refresh/i}));

        expect(await screen.findByText('99,999')).toBeInTheDocument();
        expect(fact('Script engines', 'Busy')).toHaveTextContent('6');
        expect(fetchMock).toHaveBeenCalledTimes(2);
    });

    it('ignores an older answer that arrives after a newer one', async () => {
        const {fn, answer} = deferredFetch();
        const {store} = renderInConsole(<Diagnostics/>);

        // While the first load is pending, a second mount on the same store starts a newer one.
        renderInConsole(<Diagnostics/>, store);
        expect(fn).toHaveBeenCalledTimes(2);
        await act(async () => answer({body: statusFixture({server_version: 'new'})}, 1));
        await act(async () => answer({body: statusFixture({server_version: 'old'})}, 0));
        expect(((store.getState() as Record<string, any>)[pluginStateKey]).status.data.server_version).toBe('new');
    });

    it('works when the host store has no plugin slice', async () => {
        mockFetch({status: 500, text: 'oops'}, {body: statusFixture()});
        const store = makeStore({withPluginReducer: false});
        renderInConsole(<Diagnostics/>, store);
        const alert = await screen.findByRole('alert');
        await userEvent.click(within(alert).getByRole('button', {name: /retry/i}));
        expect(await screen.findByRole('region', {name: 'Plugin'})).toBeInTheDocument();
        expect(fact('Plugin', 'Server version')).toHaveTextContent('10.11.3');
    });

    it('renders server-provided text inertly', async () => {
        const payload = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
        mockFetch({body: statusFixture({server_version: payload, license: {...statusFixture().license, sku: payload}})});
        const {container} = renderInConsole(<Diagnostics/>);
        await screen.findByRole('region', {name: 'Plugin'});
        expect(fact('Plugin', 'Server version').textContent).toBe(payload);
        expect(container.querySelector('img')).toBeNull();
        expect(container.querySelector('b')).toBeNull();
    });

    it('points out a webapp older than the server side', async () => {
        mockFetch({body: statusFixture({plugin_version: '9.9.9'})});
        renderInConsole(<Diagnostics/>);
        expect(await screen.findByRole('note')).toHaveTextContent(
            `This page runs version ${manifest.version} of the cockpit. Reload the page to use version 9.9.9.`,
        );
    });
});
