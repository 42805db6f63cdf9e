import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {ErrorIds} from 'contract/errors';
import {evidenceFromLink} from 'contract/evidence';
import type {Task} from 'contract/plan';
import type {MyTask, MyTasksResponse} from 'contract/plan_api';
import {PlanRoutes, StakeholderRoutes} from 'contract/routes';

import {MyTasksTeamPage} from './my_tasks_page';

import {Plugin} from '../plugin';
import {renderInConsole, routeFetch} from '../test/helpers';

// The owners' page and its way in: a member who owns tasks sees them with phase, due date, checks and
// evidence, changes state, notes and evidence through the owner route; the menu entry is for owners only.

function myTask(id: string, title: string, extra: Partial<Task> = {}): MyTask {
    return {
        phase_id: 'pilot',
        phase_title: 'Pilot',
        task: {
            id,
            title,
            description: 'Describe <b>it</b>',
            optional: false,
            roadmap: false,
            owner_id: 'me'.padEnd(26, 'x'),
            due_date: '2027-01-15',
            state: 'not_started',
            skip_reason: '',
            notes: '',
            evidence: [],
            evidence_valid_days: null,
            checks: ['smtp'],
            ...extra,
        },
        checks: [{id: 'smtp', title: 'Email is configured', status: 'ok'}],
        verification: 'verified',
        evidence_status: {state: 'none', valid_days: null, valid_until: null, expired_on: null},
    };
}

const answer = (version: number, ...tasks: MyTask[]): {body: MyTasksResponse} => ({body: {version, tasks}});
const card = (id: string) => screen.getByTestId(`my-task-${id}`);

describe('My roll-out tasks', () => {
    it('shows each task with its phase, due date, checks and inert description', async () => {
        routeFetch({[`GET ${PlanRoutes.myTasks}`]: answer(4, myTask('pilot.deploy', 'Deploy the pilot'), myTask('pilot.mail', 'Mail'))});
        renderInConsole(<MyTasksTeamPage/>);

        // The first render of the file loads the page's modules: give it more than the default second.
        expect(await screen.findByRole('heading', {name: 'Deploy the pilot'}, {timeout: 5000})).toBeInTheDocument();
        const deploy = card('pilot.deploy');
        expect(within(deploy).getByText('Phase: Pilot')).toBeInTheDocument();
        expect(within(deploy).getByText('Due 2027-01-15')).toBeInTheDocument();
        expect(within(deploy).getByText('Email is configured: ok')).toBeInTheDocument();
        expect(within(deploy).getByText('Describe <b>it</b>')).toBeInTheDocument();
        expect(deploy.querySelector('b')).toBeNull();
        expect(screen.getByRole('heading', {name: 'Mail'})).toBeInTheDocument();
    });

    it('marking a task done PATCHes the owner route with the version read; the answer is shown', async () => {
        const fake = routeFetch({
            [`GET ${PlanRoutes.myTasks}`]: answer(4, myTask('pilot.deploy', 'Deploy the pilot')),
            [`PATCH ${PlanRoutes.myTask('pilot.deploy')}`]: answer(5, myTask('pilot.deploy', 'Deploy the pilot', {state: 'done'})),
        });
        renderInConsole(<MyTasksTeamPage/>);
        await screen.findByRole('heading', {name: 'Deploy the pilot'});
        await userEvent.selectOptions(within(card('pilot.deploy')).getByRole('combobox', {name: 'State'}), 'Done');
        expect(await screen.findByText('Saved.')).toBeInTheDocument();
        expect(fake.calls('PATCH', PlanRoutes.myTask('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 4, changes: {state: 'done'}},
        ]);
        expect(within(card('pilot.deploy')).getByRole('combobox', {name: 'State'})).toHaveValue('done');
    });

    it('saves notes, adds an evidence link with its date, and refuses a link that is not http(s) without asking the server', async () => {
        const fake = routeFetch({
            [`GET ${PlanRoutes.myTasks}`]: answer(4, myTask('pilot.deploy', 'Deploy the pilot')),
            [`PATCH ${PlanRoutes.myTask('pilot.deploy')}`]: [
                answer(5, myTask('pilot.deploy', 'Deploy the pilot', {notes: 'Hosts ready'})),
                answer(6, myTask('pilot.deploy', 'Deploy the pilot', {notes: 'Hosts ready', evidence: [{...evidenceFromLink('https://wiki.example/pilot'), dated: '2026-11-30'}]})),
            ],
        });
        renderInConsole(<MyTasksTeamPage/>);
        await screen.findByRole('heading', {name: 'Deploy the pilot'});
        const deploy = card('pilot.deploy');
        await userEvent.type(within(deploy).getByRole('textbox', {name: 'Notes'}), 'Hosts ready');
        await userEvent.click(within(deploy).getByRole('button', {name: 'Save notes'}));
        await screen.findByText('Saved.');

        await userEvent.type(within(deploy).getByRole('textbox', {name: 'Evidence link'}), 'ftp://nope');
        await userEvent.click(within(deploy).getByRole('button', {name: 'Add evidence'}));
        expect(within(deploy).getByRole('alert')).toHaveTextContent('start with http:// or https://');
        await userEvent.clear(within(deploy).getByRole('textbox', {name: 'Evidence link'}));
        await userEvent.type(within(deploy).getByRole('textbox', {name: 'Evidence link'}), 'https://wiki.example/pilot');
        await userEvent.type(within(deploy).getByLabelText('Date of the evidence'), '2026-11-30');
        await userEvent.click(within(deploy).getByRole('button', {name: 'Add evidence'}));
        expect(await within(deploy).findByRole('link', {name: 'https://wiki.example/pilot'})).toHaveAttribute('rel', 'noopener noreferrer');
        expect(fake.calls('PATCH', PlanRoutes.myTask('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 4, changes: {notes: 'Hosts ready'}},
            {expected_version: 5, changes: {evidence: [{...evidenceFromLink('https://wiki.example/pilot'), dated: '2026-11-30'}]}},
        ]);
    });

    it('a field someone else changed first: says who, and shows their value', async () => {
        routeFetch({
            [`GET ${PlanRoutes.myTasks}`]: [
                answer(4, myTask('pilot.deploy', 'Deploy the pilot')),
                answer(5, myTask('pilot.deploy', 'Deploy the pilot', {state: 'blocked'})),
            ],
            [`PATCH ${PlanRoutes.myTask('pilot.deploy')}`]: {status: 409,
                body: {error: {
                    id: ErrorIds.planFieldConflict,
                    message: 'conflict',
                    conflict: {
                        task_id: 'pilot.deploy',
                        field: 'state',
                        by: 'a'.repeat(26),
                        by_username: 'ada',
                        at: 1,
                        value: 'blocked',
                        version: 5,
                    },
                }}},
        });
        renderInConsole(<MyTasksTeamPage/>);
        await screen.findByRole('heading', {name: 'Deploy the pilot'});
        await userEvent.selectOptions(within(card('pilot.deploy')).getByRole('combobox', {name: 'State'}), 'Done');
        expect(await screen.findByText(/@ada changed the state of this task/)).toBeInTheDocument();
        expect(await within(card('pilot.deploy')).findByDisplayValue('Blocked')).toBeInTheDocument();
    });

    it('says so when the caller owns nothing', async () => {
        routeFetch({[`GET ${PlanRoutes.myTasks}`]: answer(4)});
        renderInConsole(<MyTasksTeamPage/>);
        expect(await screen.findByText('You own no roll-out task.')).toBeInTheDocument();
    });
});

describe('the way in for owners', () => {
    const state = {
        entities: {
            teams: {currentTeamId: 't1', teams: {t1: {name: 'sales-team'}}},
            general: {config: {SiteURL: 'http://localhost:8065'}},
        },
    };
    const store = {getState: () => state, dispatch: jest.fn(), subscribe: jest.fn(), replaceReducer: jest.fn()};

    it('registers the page at /<team>/<plugin id>/tasks and a menu entry that opens it, for owners only', async () => {
        routeFetch({
            [`GET ${PlanRoutes.myTasks}`]: answer(4, myTask('pilot.deploy', 'Deploy the pilot')),
            [`GET ${StakeholderRoutes.allowed}`]: {body: {allowed: false}},
        });
        const registerNeedsTeamRoute = jest.fn();
        const registerMainMenuAction = jest.fn();
        const plugin = new Plugin();
        plugin.initialize({registerAdminConsoleCustomSetting: jest.fn(), registerNeedsTeamRoute, registerMainMenuAction}, store);
        expect(registerNeedsTeamRoute).toHaveBeenCalledWith('/tasks', MyTasksTeamPage);
        expect(await plugin.myTasksEntryRegistered).toBe(true);
        expect(registerMainMenuAction).toHaveBeenCalledTimes(1);
        const push = jest.fn();
        (window as unknown as {WebappUtils: unknown}).WebappUtils = {browserHistory: {push}};
        registerMainMenuAction.mock.calls[0][1]();
        expect(push).toHaveBeenCalledWith('/sales-team/onboarding-cockpit/tasks');
        delete (window as unknown as {WebappUtils?: unknown}).WebappUtils;
    });

    it('offers no entry to someone who owns nothing, nor when the server cannot say', async () => {
        for (const tasks of [answer(4), {status: 500, body: {error: {id: 'x', message: 'down'}}}]) {
            routeFetch({[`GET ${PlanRoutes.myTasks}`]: tasks, [`GET ${StakeholderRoutes.allowed}`]: {body: {allowed: false}}});
            const registerMainMenuAction = jest.fn();
            const plugin = new Plugin();
            const registry = {registerAdminConsoleCustomSetting: jest.fn(), registerNeedsTeamRoute: jest.fn(), registerMainMenuAction};
            plugin.initialize(registry, store);
            expect(await plugin.myTasksEntryRegistered).toBe(false);
            expect(registerMainMenuAction).not.toHaveBeenCalled();
        }
    });
});
