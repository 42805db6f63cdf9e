import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {PrivacyEndpoints} from 'contract/endpoints/privacy';
import {noPersonRecords, type PersonLookup, type PrivacyState} from 'contract/privacy';

import {PrivacyPanel} from './privacy_panel';

import {Client} from '../client';
import {renderInConsole, routeFetch, userId} from '../test/helpers';

const state = (overrides: Partial<PrivacyState> = {}): PrivacyState => ({
    version: 2,
    settings: {retention_days: null, erase_on_deactivation: false},
    waves: [],
    pending: 0,
    ...overrides,
});

const records = {...noPersonRecords(), wave_results: 1, wave_markers: 1};
const lookup: PersonLookup = {
    user: {id: userId('ada'), username: 'ada', email: 'ada@example.com', deactivated: false},
    email: null,
    records,
};

const client = () => new Client(() => 'http://localhost:8065/plugins/onboarding-cockpit');

describe('PrivacyPanel', () => {
    test('a saved retention is the state the panel holds and reports: the next save names its version', async () => {
        const user = userEvent.setup();
        const saved = state({version: 3, settings: {retention_days: 30, erase_on_deactivation: false}});
        const calls = routeFetch({
            [`GET ${PrivacyEndpoints.state.path}`]: {body: state()},
            [`PUT ${PrivacyEndpoints.saveSettings.path}`]: [{body: saved}, {body: state({...saved, version: 4})}],
        });
        const reported: PrivacyState[] = [];
        renderInConsole(
            <PrivacyPanel
                client={client()}
                onState={(s) => reported.push(s)}
            />,
        );
        const days = await screen.findByLabelText(/Remove per-user data of finished waves/);
        await user.type(days, '30');
        await user.click(screen.getByRole('button', {name: 'Save'}));
        expect(await screen.findByText('Saved.')).toBeInTheDocument();
        await waitFor(() => expect(reported.at(-1)?.version).toBe(3));
        expect(calls.calls('PUT', PrivacyEndpoints.saveSettings.path)[0].body).toEqual({
            expected_version: 2,
            settings: {retention_days: 30, erase_on_deactivation: false},
        });

        await user.click(screen.getByRole('button', {name: 'Save'}));
        await waitFor(() => expect(calls.calls('PUT', PrivacyEndpoints.saveSettings.path)).toHaveLength(2));
        expect(calls.calls('PUT', PrivacyEndpoints.saveSettings.path)[1].body).toMatchObject({expected_version: 3});
        await waitFor(() => expect(reported.at(-1)?.version).toBe(4));
    });

    test('a refused value is named in the reader\'s words, the server\'s English as its detail', async () => {
        const user = userEvent.setup();
        const refused = 'body.settings.retention_days: Too big';
        routeFetch({
            [`GET ${PrivacyEndpoints.state.path}`]: {body: state()},
            [`PUT ${PrivacyEndpoints.saveSettings.path}`]: {
                status: 400,
                body: {error: {id: 'cockpit.request.invalid', message: refused, field: 'settings.retention_days'}},
            },
        });
        renderInConsole(<PrivacyPanel client={client()}/>);
        await user.type(await screen.findByLabelText(/Remove per-user data of finished waves/), '30');
        await user.click(screen.getByRole('button', {name: 'Save'}));
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'settings.retention_days: this value is not valid. (Details: body.settings.retention_days: Too big)',
        );
    });

    test('the erase confirmation is a group named by its question', async () => {
        const user = userEvent.setup();
        routeFetch({
            [`GET ${PrivacyEndpoints.state.path}`]: {body: state()},
            [`GET ${PrivacyEndpoints.person.path}?term=ada`]: {body: lookup},
        });
        renderInConsole(<PrivacyPanel client={client()}/>);
        await user.type(screen.getByLabelText('Username, email or user ID'), 'ada');
        await user.click(screen.getByRole('button', {name: 'Find'}));
        await user.click(await screen.findByRole('button', {name: 'Erase this person’s cockpit data'}));
        const group = screen.getByRole('group', {name: 'Erase for good? This cannot be undone.'});
        expect(within(group).getByRole('button', {name: 'Erase'})).toBeEnabled();
        expect(within(group).getByRole('button', {name: 'Cancel'})).toBeInTheDocument();
    });
});
