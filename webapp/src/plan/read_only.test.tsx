// The Plan and Readiness tabs for a viewer the System Console marks read-only (the custom setting's
// `disabled`): everything stays readable, filters, details and exports work, nothing can be changed.
import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {PlanRoutes} from 'contract/routes';

import {PlanTab} from './plan_tab';

import {ReadOnlyProvider} from '../components/read_only';
import {ReadinessTab} from '../readiness/readiness_tab';
import {makeStore, renderInConsole, routeFetch, userProfile} from '../test/helpers';
import {me, planResponse, readinessFixture} from '../test/plan_fixtures';

function setup(ui: React.ReactElement, readOnly: boolean) {
    routeFetch({
        [`GET ${PlanRoutes.plan}`]: {body: planResponse()},
        [`GET ${PlanRoutes.readiness}`]: {body: readinessFixture()},
    });
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([userProfile('admin', 'Ada', 'Admin'), userProfile('bob')]);
    return renderInConsole(<ReadOnlyProvider readOnly={readOnly}>{ui}</ReadOnlyProvider>, makeStore({currentUserId: me}));
}

afterEach(() => {
    jest.restoreAllMocks();
});

describe('read-only Plan tab', () => {
    it('disables every write control and keeps filters, details and the export usable', async () => {
        setup(<PlanTab/>, true);
        const task = await screen.findByRole('listitem', {name: 'Deploy the pilot'});
        expect(within(task).getByRole('combobox', {name: 'State'})).toBeDisabled();
        expect(within(task).getByLabelText('Due date')).toBeDisabled();
        expect(within(task).getByRole('button', {name: /^Edit /})).toBeDisabled();
        expect(within(task).getByRole('button', {name: /^Remove /})).toBeDisabled();
        expect(screen.getByRole('textbox', {name: 'New phase title'})).toBeDisabled();

        await userEvent.click(within(task).getByRole('button', {name: /^Notes and evidence/}));
        expect(within(task).getByRole('textbox', {name: 'Notes'})).toBeDisabled();
        expect(screen.getByRole('button', {name: 'Export plan'})).toBeEnabled();
        const filters = screen.getByRole('group', {name: 'Show tasks'});
        for (const button of within(filters).getAllByRole('button')) {
            expect(button).toBeEnabled();
        }
    });

    it('leaves the same controls enabled for a system admin', async () => {
        setup(<PlanTab/>, false);
        const task = await screen.findByRole('listitem', {name: 'Deploy the pilot'});
        expect(within(task).getByRole('combobox', {name: 'State'})).toBeEnabled();
        expect(within(task).getByRole('button', {name: /^Edit /})).toBeEnabled();
    });
});

describe('read-only Readiness tab', () => {
    it('shows the checks but cannot run them, nor download or compare config snapshots (system admins only)', async () => {
        setup(<ReadinessTab/>, true);
        const run = await screen.findByRole('button', {name: 'Run checks now'});
        expect(run).toBeDisabled();
        expect(screen.getByRole('button', {name: 'Download snapshot'})).toBeDisabled();
    });
});
