import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {WaveRoutes} from 'contract/routes';
import type {ActivationFunnel} from 'contract/waves';

import {ActivationPanel} from './activation_panel';

import * as files from '../components/files';
import {renderInConsole, routeFetch} from '../test/helpers';

const waveId = 'w'.repeat(26);

function funnel(overrides: Partial<ActivationFunnel> = {}): ActivationFunnel {
    return {
        wave_id: waveId,
        cohort: 200,
        created: 0,
        signed_up: 0,
        provisioned: 190,
        welcomed: 180,
        invited: 0,
        logged_in: 90,
        posted: 45,
        feedback: {great: 6, ok: 3, help: 1},
        measured_at: 1_767_225_600_000,
        ...overrides,
    };
}

describe('ActivationPanel', () => {
    test('draws each stage of the funnel as a share of the cohort, and the feedback split', async () => {
        routeFetch({[`GET ${WaveRoutes.activation(waveId)}`]: {body: funnel()}});
        renderInConsole(<ActivationPanel waveId={waveId}/>);
        const stages = await screen.findByRole('list', {name: 'Activation'});
        const bars = within(stages).getAllByRole('progressbar');
        expect(bars.map((bar) => [bar.getAttribute('aria-label'), bar.getAttribute('aria-valuenow')])).toEqual([
            ['In the cohort', '100'],
            ['Added to the teams and channels', '95'],
            ['Welcomed (DM sent)', '90'],
            ['Logged in', '45'],
            ['Posted a first message', '23'],
        ]);
        expect(within(stages).getByRole('progressbar', {name: 'Logged in'})).toHaveAttribute('aria-valuetext', '90 of 200 (45 %)');
        const feedback = screen.getByRole('list', {name: 'Feedback from the welcome message'});
        expect(within(feedback).getByRole('progressbar', {name: '👍 Great'})).toHaveAttribute('aria-valuetext', '6 of 10 answers (60 %)');
        expect(within(feedback).getByRole('progressbar', {name: '🆘 I need help'})).toHaveAttribute('aria-valuenow', '10');
    });

    test('shows the invitation stage only for waves that send one; no answers yet is said in words', async () => {
        routeFetch({[`GET ${WaveRoutes.activation(waveId)}`]: {body: funnel({invited: 150, feedback: {great: 0, ok: 0, help: 0}})}});
        renderInConsole(<ActivationPanel waveId={waveId}/>);
        expect(await screen.findByRole('progressbar', {name: 'Invitation email sent'})).toHaveAttribute('aria-valuenow', '75');
        expect(screen.getByText('No answers yet.')).toBeInTheDocument();
    });

    test('without accounts yet: invited → has an account (created + signed up) → provisioned…, numbers in a table', async () => {
        const answer = funnel({invited: 120, created: 60, signed_up: 40, provisioned: 100});
        routeFetch({[`GET ${WaveRoutes.activation(waveId)}`]: {body: answer}});
        renderInConsole(<ActivationPanel waveId={waveId}/>);
        const stages = await screen.findByRole('list', {name: 'Activation'});
        const bars = within(stages).getAllByRole('progressbar');
        expect(bars.map((bar) => [bar.getAttribute('aria-label'), bar.getAttribute('aria-valuenow')])).toEqual([
            ['In the cohort', '100'],
            ['Invitation email sent', '60'],
            ['Has an account (created by the wave or signed up)', '50'],
            ['Added to the teams and channels', '50'],
            ['Welcomed (DM sent)', '90'],
            ['Logged in', '45'],
            ['Posted a first message', '23'],
        ]);
        const table = screen.getByRole('table', {name: 'The funnel in numbers'});
        const rows = within(table).getAllByRole('row').map((row) => within(row).queryAllByRole('cell').map((cell) => cell.textContent));
        expect(rows).toEqual([
            [],
            ['In the cohort', '200', '100 %'],
            ['Invitation email sent', '120', '60 %'],
            ['Has an account (created by the wave or signed up)60 created by the wave · 40 signed up', '100', '50 %'],
            ['Added to the teams and channels', '100', '50 %'],
            ['Welcomed (DM sent)', '180', '90 %'],
            ['Logged in', '90', '45 %'],
            ['Posted a first message', '45', '23 %'],
        ]);
    });

    test('downloads the per-user CSV the server exports', async () => {
        const save = jest.spyOn(files, 'saveTextFile').mockImplementation(() => undefined);
        const fake = routeFetch({
            [`GET ${WaveRoutes.activation(waveId)}`]: {body: funnel()},
            [`GET ${WaveRoutes.activationExport(waveId)}`]: {text: '"username","user_id"\r\n"ada","u1"\r\n'},
        });
        renderInConsole(<ActivationPanel waveId={waveId}/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Download per-user CSV'}));
        await waitFor(() =>
            expect(save).toHaveBeenCalledWith(
                '"username","user_id"\r\n"ada","u1"\r\n',
                `cockpit-wave-activation-${waveId}.csv`,
                'text/csv',
            ),
        );
        expect(fake.calls('GET', WaveRoutes.activationExport(waveId))).toHaveLength(1);
        save.mockRestore();
    });

    test('a refused request shows the error with a retry, and the retry loads the funnel', async () => {
        routeFetch({[`GET ${WaveRoutes.activation(waveId)}`]: [
            {status: 500, body: {error: {id: 'cockpit.internal', message: 'database timeout'}}},
            {body: funnel()},
        ]});
        renderInConsole(<ActivationPanel waveId={waveId}/>);
        expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on the server; the plugin log has the details.');
        await userEvent.click(screen.getByRole('button', {name: 'Retry'}));
        expect(await screen.findByRole('list', {name: 'Activation'})).toBeInTheDocument();
    });
});
