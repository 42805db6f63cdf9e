import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import type {JourneyResponse} from 'contract/journey';

import {JourneyPanel} from './journey_panel';

import {renderInConsole, routeFetch} from '../test/helpers';

const waveId = 'w'.repeat(26);
const path = JourneyEndpoints.journey.toPath({waveId});

const journey = (overrides: Partial<JourneyResponse> = {}): JourneyResponse => ({
    wave_id: waveId,
    steps: [{id: 'app', after: 'previous', delay_minutes: 1, condition: 'no_mobile_session', template: 'Get the app, {{first_name}}'}],
    version: 3,
    counts: {app: {sent: 4, skipped: 2}},
    stopped: 1,
    ...overrides,
});

describe('JourneyPanel', () => {
    test('shows each follow-up with its counts, previews it with the person\'s state, and saves based on the version read', async () => {
        const user = userEvent.setup();
        const calls = routeFetch({
            [`GET ${path}`]: {body: journey()},
            [`POST ${path}/preview`]: {
                body: {
                    markdown: 'Get the app, Ada',
                    state: {
                        signed_in: true,
                        mobile_session: true,
                        desktop_session: false,
                        posted: false,
                        profile_picture: false,
                        answered_survey: false,
                    },
                    would_send: false,
                },
            },
            [`PUT ${path}`]: (body) => ({body: journey({steps: (body as {steps: JourneyResponse['steps']}).steps, version: 4})}),
        });
        renderInConsole(
            <JourneyPanel
                waveId={waveId}
                readOnly={false}
            />,
        );
        const step = await screen.findByTestId('journey-step-app');
        expect(within(step).getByText('Sent to 4 · left out 2')).toBeInTheDocument();
        expect(within(step).getByLabelText('Send only to people who')).toHaveValue('no_mobile_session');
        expect(screen.getByText('1 person asked for no more tips.')).toBeInTheDocument();

        await user.click(within(step).getByRole('button', {name: 'Preview'}));
        expect(await within(step).findByText(/would be left out/)).toBeInTheDocument();
        expect(within(step).getByText(/Mobile app: yes/)).toBeInTheDocument();
        expect(calls.all.find((c) => c.method === 'POST')?.body).toEqual({
            template: 'Get the app, {{first_name}}',
            condition: 'no_mobile_session',
            step_id: 'app',
        });

        await user.click(screen.getByRole('button', {name: 'Add a follow-up'}));
        const second = screen.getByTestId('journey-step-step2');
        await user.type(within(second).getByRole('textbox'), 'Second tip');
        await user.click(screen.getByRole('button', {name: 'Save the journey'}));
        expect(await screen.findByText('Journey saved.')).toBeInTheDocument();
        const put = calls.all.find((c) => c.method === 'PUT')!;
        expect(put.body).toMatchObject({expected_version: 3, steps: [{id: 'app'}, {id: 'step2', template: 'Second tip', condition: null}]});

        // The saved journey is the one the panel shows and builds on: the next save names its version.
        await user.click(screen.getByRole('button', {name: 'Save the journey'}));
        await waitFor(() => expect(calls.calls('PUT', path)).toHaveLength(2));
        expect(calls.calls('PUT', path)[1].body).toMatchObject({expected_version: 4});
        expect(screen.getByTestId('journey-step-step2')).toBeInTheDocument();
    });

    test('a refused save says why in the reader\'s words, not the server\'s English', async () => {
        const user = userEvent.setup();
        routeFetch({
            [`GET ${path}`]: {body: journey()},
            [`PUT ${path}`]: {
                status: 409,
                body: {error: {id: 'cockpit.waves.invalid_transition', message: 'A cancelled wave sends no more messages.'}},
            },
        });
        renderInConsole(
            <JourneyPanel
                waveId={waveId}
                readOnly={false}
            />,
        );
        await screen.findByTestId('journey-step-app');
        await user.click(screen.getByRole('button', {name: 'Save the journey'}));
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('The server answered 409: The wave’s current state does not allow this. Reload to see its state.');
        expect(alert).not.toHaveTextContent('cancelled');
    });

    test('read-only: no edits, no saving, the preview stays', async () => {
        routeFetch({[`GET ${path}`]: {body: journey()}});
        renderInConsole(
            <JourneyPanel
                waveId={waveId}
                readOnly={true}
            />,
        );
        await screen.findByTestId('journey-step-app');
        expect(screen.queryByRole('button', {name: 'Save the journey'})).toBeNull();
        expect(screen.getByRole('button', {name: 'Preview'})).toBeEnabled();
        expect(screen.getByLabelText(/Delay/)).toBeDisabled();
    });
});
