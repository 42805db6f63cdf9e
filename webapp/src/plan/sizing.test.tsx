import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {SIZING_SOURCE} from 'contract/sizing';

import {SizingPanel} from './sizing_panel';

import {renderInConsole} from '../test/helpers';

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
    it('always cites its source and asks for numbers first', () => {
        renderInConsole(<SizingPanel onGoToTask={jest.fn()}/>);
        expect(screen.getByText('Enter the planned and concurrent users to see a recommendation.')).toBeInTheDocument();
        expect(screen.queryByRole('table')).not.toBeInTheDocument();
        const source = screen.getByRole('link', {name: SIZING_SOURCE.title});
        expect(source).toHaveAttribute('href', SIZING_SOURCE.url);
        expect(source).toHaveAttribute('rel', 'noopener noreferrer');
    });

    it('shows the reference architecture for the concurrent load and the storage per year', async () => {
        renderInConsole(<SizingPanel onGoToTask={jest.fn()}/>);
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
        renderInConsole(<SizingPanel onGoToTask={jest.fn()}/>);
        await enter('800', '150');
        expect(screen.getByText(/a single server is also an option: 1 vCPU and 2 GiB/)).toBeInTheDocument();
        expect(screen.queryByText(/load test/)).not.toBeInTheDocument();
    });

    it('warns beyond the largest tested architecture', async () => {
        renderInConsole(<SizingPanel onGoToTask={jest.fn()}/>);
        await enter('500000', '250000');
        expect(screen.getByText(/More than 200,000 concurrent users is beyond the largest tested architecture/)).toBeInTheDocument();
        expect(row('Redis')).toBe('1 × 8 vCPU, 32 GiB (cache.m7g.2xlarge)');
    });

    it('the load-test link goes to the task', async () => {
        const onGoToTask = jest.fn();
        renderInConsole((
            <SizingPanel
                loadTestTaskId='pilot.load-test'
                onGoToTask={onGoToTask}
            />
        ));
        await enter('5000', '1000');
        await userEvent.click(screen.getByRole('link', {name: 'Go to the load-test task'}));
        expect(onGoToTask).toHaveBeenCalledWith('pilot.load-test');
    });
});
