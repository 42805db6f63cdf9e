import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {SizingEndpoints} from 'contract/endpoints/sizing';
import {ErrorIds} from 'contract/errors';
import type {ImportPreview} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {PlanTab} from './plan_tab';

import {makeStore, renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {me, planFixture, planResponse} from '../test/plan_fixtures';

const preview: ImportPreview = {
    added_phases: ['security'],
    removed_phases: [],
    added_tasks: ['security.pentest', 'security.load-test'],
    removed_tasks: ['rollout.done'],
    changed_tasks: ['pilot.deploy'],
    task_count: 6,
};

function importedPlan() {
    const content = planFixture();
    return {
        ...content,
        title: 'Imported roll-out',
        phases: [...content.phases, {id: 'security', title: 'Security testing', description: '', tasks: []}],
    };
}

function setup(routes: Record<string, RouteAnswer>) {
    const fake = routeFetch({
        [`GET ${PlanRoutes.plan}`]: {body: planResponse()},
        [`GET ${PlanRoutes.readiness}`]: {status: 404, body: {error: {id: ErrorIds.notFound, message: 'no report yet'}}},
        [`GET ${SizingEndpoints.get.toPath()}`]: {body: {sizing: null, version: 0, updated_at: null, updated_by: null}},
        ...routes,
    });
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
    renderInConsole(<PlanTab/>, makeStore({currentUserId: me}));
    return fake;
}

const jsonFile = (content: string, name = 'plan.json') => new File([content], name, {type: 'application/json'});

afterEach(() => {
    jest.restoreAllMocks();
});

describe('Plan import', () => {
    it('previews the changes of a file, then applies it with the current version', async () => {
        const {calls} = setup({
            [`POST ${PlanRoutes.importPreview}`]: {body: preview},
            [`POST ${PlanRoutes.importPlan}`]: {body: planResponse(importedPlan(), 8)},
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});

        await userEvent.upload(screen.getByLabelText('Import a plan file'), jsonFile(JSON.stringify(importedPlan()), 'staging-plan.json'));

        const region = await screen.findByRole('region', {name: 'Import preview'});
        expect(region).toHaveTextContent('Applying staging-plan.json replaces the whole plan. After the import the plan has 6 tasks.');
        const value = (label: string) =>
            within(region).
                getAllByRole('term').
                find((t) => t.textContent?.startsWith(label))?.nextElementSibling;
        expect(value('Phases added (1)')).toHaveTextContent('security');
        expect(value('Phases removed (0)')).toHaveTextContent('None');
        expect(value('Tasks added (2)')).toHaveTextContent('security.pentest, security.load-test');
        expect(value('Tasks removed (1)')).toHaveTextContent('rollout.done');
        expect(value('Tasks changed (1)')).toHaveTextContent('pilot.deploy');
        expect(calls('POST', PlanRoutes.importPreview)[0].body).toEqual({plan: importedPlan()});

        // Nothing is applied before the admin says so.
        expect(calls('POST', PlanRoutes.importPlan)).toHaveLength(0);
        expect(screen.getByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();

        await userEvent.click(within(region).getByRole('button', {name: 'Apply import'}));

        expect(await screen.findByRole('heading', {name: 'Imported roll-out'})).toBeInTheDocument();
        expect(screen.getByRole('region', {name: 'Security testing'})).toBeInTheDocument();
        expect(screen.getByText('The plan was imported.')).toBeInTheDocument();
        expect(screen.queryByRole('region', {name: 'Import preview'})).not.toBeInTheDocument();
        expect(calls('POST', PlanRoutes.importPlan)[0].body).toEqual({expected_version: 7, plan: importedPlan()});
    });

    it('shows the server message for an invalid plan and changes nothing', async () => {
        const {calls} = setup({
            [`POST ${PlanRoutes.importPreview}`]: {
                status: 400,
                body: {error: {id: ErrorIds.invalid, message: 'phases.0.tasks.1.id: use lower-case letters, digits, dots and dashes'}},
            },
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});

        await userEvent.upload(screen.getByLabelText('Import a plan file'), jsonFile('{"schema_version":1,"title":"x","phases":[]}'));

        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent(
            'The plan cannot be imported: phases.0.tasks.1.id: use lower-case letters, digits, dots and dashes',
        );
        expect(screen.queryByRole('button', {name: 'Apply import'})).not.toBeInTheDocument();
        expect(calls('POST', PlanRoutes.importPlan)).toHaveLength(0);
        expect(screen.getByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();
    });

    it('says so when the file is not JSON, without asking the server', async () => {
        const {calls} = setup({});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});

        await userEvent.upload(screen.getByLabelText('Import a plan file'), jsonFile('not json at all', 'notes.json'));

        expect(await screen.findByRole('alert')).toHaveTextContent(/The file notes\.json is not JSON/);
        expect(calls('POST', PlanRoutes.importPreview)).toHaveLength(0);
    });

    it('a stale apply shows the conflict notice', async () => {
        setup({
            [`POST ${PlanRoutes.importPreview}`]: {body: preview},
            [`POST ${PlanRoutes.importPlan}`]: {status: 409, body: {error: {id: ErrorIds.conflict, message: 'stale'}}},
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.upload(screen.getByLabelText('Import a plan file'), jsonFile(JSON.stringify(importedPlan())));
        await userEvent.click(await screen.findByRole('button', {name: 'Apply import'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('Someone else changed the plan');
        expect(screen.getByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();

        // The preview stays, to apply again after a reload.
        expect(screen.getByRole('button', {name: 'Apply import'})).toBeInTheDocument();
    });
});
