import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {SizingEndpoints} from 'contract/endpoints/sizing';
import {SIZING_SOURCE, type SizingAnswer} from 'contract/sizing';

import {SizingPanel} from './sizing_panel';

import {Client} from '../client';
import {renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';

const sizingPath = SizingEndpoints.get.toPath();
const nothingSaved: SizingAnswer = {sizing: null, version: 0, updated_at: null, updated_by: null};

/** The panel against fake routes (nothing saved unless `routes` says otherwise). */
type PanelProps = {loadTestTaskId?: string; onGoToTask?: (taskId: string) => void};

function renderPanel(props: PanelProps = {}, routes: Record<string, RouteAnswer> = {}) {
    const fake = routeFetch({[`GET ${sizingPath}`]: {body: nothingSaved}, ...routes});
    const client = new Client(() => 'http://localhost:8065/plugins/onboarding-cockpit');
    renderInConsole((
        <SizingPanel
            client={client}
            loadTestTaskId={props.loadTestTaskId}
            onGoToTask={props.onGoToTask ?? jest.fn()}
        />
    ));
    return fake;
}

function row(label: string): string {
    const header = screen.getByRole('rowheader', {name: label});
    return header.closest('tr')?.querySelector('td')?.textContent ?? '';
}

async function enter(total: string, concurrent: string) {
    const panel = screen.getByRole('region', {name: 'Hardware sizing'});
    const totalInput = within(panel).getByRole('spinbutton', {name: 'Planned users'});
    const concurrentInput = within(panel).getByRole('spinbutton', {name: 'Concurrent users'});
    await userEvent.clear(totalInput);
    await userEvent.type(totalInput, total);
    await userEvent.clear(concurrentInput);
    await userEvent.type(concurrentInput, concurrent);
}

describe('Sizing panel', () => {
    it('always cites its source and asks for numbers first', async () => {
        renderPanel();
        expect(await screen.findByText('Not saved yet.')).toBeInTheDocument();
        expect(screen.getByText('Enter the planned and concurrent users to see a recommendation.')).toBeInTheDocument();
        expect(screen.queryByRole('table')).not.toBeInTheDocument();
        const source = screen.getByRole('link', {name: SIZING_SOURCE.title});
        expect(source).toHaveAttribute('href', SIZING_SOURCE.url);
        expect(source).toHaveAttribute('rel', 'noopener noreferrer');
    });

    it('shows the reference architecture for the concurrent load and the storage per year', async () => {
        renderPanel();
        await screen.findByText('Not saved yet.');
        await enter('20000', '12000');
        expect(screen.getByRole('table', {name: 'Reference architecture for up to 15,000 concurrent users'})).toBeInTheDocument();
        expect(row('Application nodes')).toBe('2 × 4 vCPU, 8 GiB (c7i.xlarge)');
        expect(row('Database writer')).toBe('1 × 4 vCPU, 32 GiB (db.r7g.xlarge)');
        expect(row('Database readers')).toBe('1 × 4 vCPU, 32 GiB (db.r7g.xlarge)');
        expect(row('Search nodes (Elasticsearch or OpenSearch)')).toBe('2 × 4 vCPU, 32 GiB (r6g.xlarge.search)');
        expect(row('Proxy')).toBe('1 × 16 vCPU, 64 GiB (m7i.4xlarge)');
        expect(row('Redis')).toBe('Not needed');

        // 20,000 users × 5–25 MB × 12 months × 2 safety.
        expect(row('File storage per year')).toBe('2,400 to 12,000 GB');
        expect(screen.getByText(/confirm the sizing with a load test/)).toBeInTheDocument();
        expect(screen.queryByText(/single server/)).not.toBeInTheDocument();
    });

    it('offers a single server for small deployments and no load test', async () => {
        renderPanel();
        await screen.findByText('Not saved yet.');
        await enter('800', '150');
        expect(screen.getByText(/a single server is also an option: 1 vCPU and 2 GiB/)).toBeInTheDocument();
        expect(screen.queryByText(/load test/)).not.toBeInTheDocument();
    });

    it('warns beyond the largest tested architecture', async () => {
        renderPanel();
        await screen.findByText('Not saved yet.');
        await enter('500000', '250000');
        expect(screen.getByText(/More than 200,000 concurrent users is beyond the largest tested architecture/)).toBeInTheDocument();
        expect(row('Redis')).toBe('1 × 8 vCPU, 32 GiB (cache.m7g.2xlarge)');
    });

    it('the load-test link goes to the task', async () => {
        const onGoToTask = jest.fn();
        renderPanel({loadTestTaskId: 'pilot.load-test', onGoToTask});
        await screen.findByText('Not saved yet.');
        await enter('5000', '1000');
        await userEvent.click(screen.getByRole('link', {name: 'Go to the load-test task'}));
        expect(onGoToTask).toHaveBeenCalledWith('pilot.load-test');
    });

    it('shows the saved sizing, saves a chosen architecture by compare-and-set, and shows a refusal', async () => {
        const saved: SizingAnswer = {
            sizing: {total_users: 8000, concurrent_users: 2100, architecture_users: 2000},
            version: 3,
            updated_at: Date.UTC(2026, 11, 1),
            updated_by: 'a'.repeat(26),
        };

        // The server's answer is what the form shows after the save (here another admin's planned users too).
        const after: SizingAnswer = {...saved, sizing: {...saved.sizing!, total_users: 8500, architecture_users: 30000}, version: 4};
        const {calls} = renderPanel({}, {
            [`GET ${sizingPath}`]: {body: saved},
            [`PUT ${sizingPath}`]: [
                {body: after},
                {status: 409, body: {error: {id: 'cockpit.conflict', message: 'Someone else saved first.'}}},
            ],
        });
        const panel = await screen.findByRole('region', {name: 'Hardware sizing'});
        expect(await within(panel).findByText(/^Saved .*2026.*2,100 concurrent users\.$/)).toBeInTheDocument();
        expect(within(panel).getByRole('spinbutton', {name: 'Concurrent users'})).toHaveValue(2100);
        expect(screen.getByRole('table', {name: 'Reference architecture for up to 2,000 concurrent users'})).toBeInTheDocument();
        expect(within(panel).getByText('The chosen architecture was tested for fewer concurrent users than planned.')).toBeInTheDocument();

        const architecture = within(panel).getByRole('combobox', {name: 'Reference architecture'});
        await userEvent.selectOptions(architecture, 'Up to 30,000 concurrent users');
        expect(screen.getByRole('table', {name: 'Reference architecture for up to 30,000 concurrent users'})).toBeInTheDocument();
        await userEvent.click(within(panel).getByRole('button', {name: 'Save the sizing'}));
        await screen.findByRole('table', {name: 'Reference architecture for up to 30,000 concurrent users'});
        expect(calls('PUT', sizingPath)[0].body).toEqual({
            expected_version: 3,
            sizing: {total_users: 8000, concurrent_users: 2100, architecture_users: 30000},
        });
        expect(within(panel).getByRole('spinbutton', {name: 'Planned users'})).toHaveValue(8500);

        await userEvent.click(within(panel).getByRole('button', {name: 'Save the sizing'}));
        expect(await within(panel).findByRole('alert')).toHaveTextContent('The sizing was not saved: Someone else saved first.');
        expect(calls('PUT', sizingPath)[1].body).toMatchObject({expected_version: 4});
    });
});
