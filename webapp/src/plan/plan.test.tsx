import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {SizingEndpoints} from 'contract/endpoints/sizing';
import {ErrorIds} from 'contract/errors';
import {evidenceFromLink} from 'contract/evidence';
import {PlanRoutes} from 'contract/routes';
import {SIZING_SOURCE} from 'contract/sizing';

import {PlanTab} from './plan_tab';

import {Cockpit} from '../cockpit/cockpit';
import {makeStore, renderInConsole, routeFetch, userProfile, type RouteAnswer} from '../test/helpers';
import {colleague, me, planFixture, planResponse, readinessFixture, withTask} from '../test/plan_fixtures';

const GET_PLAN = `GET ${PlanRoutes.plan}`;
const GET_READINESS = `GET ${PlanRoutes.readiness}`;
const GET_SIZING = `GET ${SizingEndpoints.get.toPath()}`;

function setup(routes: Record<string, RouteAnswer> = {}) {
    const fake = routeFetch({
        [GET_PLAN]: {body: planResponse()},
        [GET_READINESS]: {body: readinessFixture()},
        [GET_SIZING]: {body: {sizing: null, version: 0, updated_at: null, updated_by: null}},
        ...routes,
    });
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([userProfile('admin', 'Ada', 'Admin'), userProfile('bob')]);
    const view = renderInConsole(<PlanTab/>, makeStore({currentUserId: me}));
    return {...fake, ...view};
}

const task = (title: string) => screen.getByRole('listitem', {name: title});
const phase = (title: string) => screen.getByRole('region', {name: title});
const progressOf = (phaseTitle: string) => screen.getByRole('progressbar', {name: `Progress of ${phaseTitle}`});
const PILOT = 'Pilot with staging and production';

afterEach(() => {
    jest.restoreAllMocks();
});

describe('Plan tab', () => {
    it('shows phases with their tasks, progress bars, badges and owners', async () => {
        setup();
        expect(await screen.findByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();

        expect(screen.getByRole('progressbar', {name: 'Overall progress'})).toHaveAttribute('aria-valuenow', '25');
        expect(progressOf(PILOT)).toHaveAttribute('aria-valuenow', '0');
        expect(progressOf('Roll-out announcement')).toHaveAttribute('aria-valuenow', '50');
        expect(within(phase(PILOT)).getAllByRole('listitem', {name: /./})).toHaveLength(3);

        const roadmap = task('Try the roadmap feature');
        expect(within(roadmap).getByText('Optional')).toBeInTheDocument();
        expect(within(roadmap).getByText('Roadmap')).toBeInTheDocument();
        expect(within(task('Deploy the pilot')).getByText('Overdue')).toBeInTheDocument();
        expect(within(task('Send the announcement')).queryByText('Overdue')).not.toBeInTheDocument();
        expect(within(task('Book the launch room')).queryByText('Overdue')).not.toBeInTheDocument();

        expect(await within(task('Deploy the pilot')).findByText('@admin (Ada Admin)')).toBeInTheDocument();
        expect(within(task('Run a load test')).getByText('@bob')).toBeInTheDocument();
        expect(Client4.getProfilesByIds).toHaveBeenCalledTimes(1);
        expect(new Set((Client4.getProfilesByIds as jest.Mock).mock.calls[0][0])).toEqual(new Set([me, colleague]));
    });

    it('badges each task with its verification from the readiness report', async () => {
        setup();
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});

        // Its checks are ok on the settings alone: configured, not verified.
        expect(await within(task('Deploy the pilot')).findByText('Configured')).toHaveClass('cockpit-basis--configured');
        expect(within(task('Send the announcement')).getByText('Checks failing')).toBeInTheDocument();

        // needs_license is neither ok nor failing.
        expect(within(task('Try the roadmap feature')).getByText('Not verified')).toBeInTheDocument();

        // No checks listed: no badge at all.
        const plain = task('Run a load test');
        expect(within(plain).queryByText(/verified|failing|configured/i)).not.toBeInTheDocument();
    });

    it('shows "Verified by probe" only when live probes back every check of the task', async () => {
        const probed = {
            ...readinessFixture(),
            results: readinessFixture().results.map((r) => (r.id.startsWith('site.') ? {...r, verification: 'probe' as const} : r)),
        };
        setup({[`GET ${PlanRoutes.readiness}`]: {body: probed}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        expect(await within(task('Deploy the pilot')).findByText('Verified by probe')).toHaveClass('cockpit-basis--probe');
    });

    it('completing a task PATCHes it with the current version and the phase progress moves', async () => {
        const done = planResponse(withTask(planFixture(), 'pilot.deploy', {state: 'done'}), 8);
        const next = planResponse(withTask(done.plan, 'pilot.load-test', {state: 'in_progress'}), 9);
        const {calls} = setup({
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {body: done},
            [`PATCH ${PlanRoutes.task('pilot.load-test')}`]: {body: next},
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        expect(progressOf(PILOT)).toHaveAttribute('aria-valuenow', '0');

        await userEvent.selectOptions(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'}), 'Done');

        expect(await within(phase(PILOT)).findByText('1 of 2 required tasks completed (50%)')).toBeInTheDocument();
        expect(progressOf(PILOT)).toHaveAttribute('aria-valuenow', '50');
        expect(screen.getByRole('progressbar', {name: 'Overall progress'})).toHaveAttribute('aria-valuenow', '50');
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'done'}},
        ]);
        expect(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'})).toHaveValue('done');
        expect(within(task('Deploy the pilot')).queryByText('Overdue')).not.toBeInTheDocument();

        // The next write is based on the version the first one produced.
        await userEvent.selectOptions(within(task('Run a load test')).getByRole('combobox', {name: 'State'}), 'In progress');
        await screen.findByText(/Version 9/);
        expect(calls('PATCH', PlanRoutes.task('pilot.load-test'))[0].body).toEqual({expected_version: 8, changes: {state: 'in_progress'}});
    });

    it('on 409 says someone else changed the plan, keeps the typed notes, and Reload refetches', async () => {
        const theirs = planResponse(withTask(planFixture(), 'pilot.deploy', {title: 'Deploy the pilot (renamed)'}), 8);
        const {calls} = setup({
            [GET_PLAN]: [{body: planResponse()}, {body: theirs}],
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {
                status: 409,
                body: {error: {id: ErrorIds.conflict, message: 'the plan changed'}},
            },
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Deploy the pilot');
        await userEvent.click(within(row).getByRole('button', {name: 'Notes and evidence'}));
        await userEvent.type(within(row).getByRole('textbox', {name: 'Notes'}), 'Pilot hosts are ready');
        await userEvent.click(within(row).getByRole('button', {name: 'Save notes'}));

        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('Someone else changed the plan');
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy'))[0].body).toEqual({
            expected_version: 7,
            changes: {notes: 'Pilot hosts are ready'},
        });
        expect(within(row).getByRole('textbox', {name: 'Notes'})).toHaveValue('Pilot hosts are ready');

        await userEvent.click(within(alert).getByRole('button', {name: 'Reload'}));

        expect(await screen.findByRole('listitem', {name: 'Deploy the pilot (renamed)'})).toBeInTheDocument();
        expect(calls('GET', PlanRoutes.plan)).toHaveLength(2);
        expect(screen.queryByText('Someone else changed the plan')).not.toBeInTheDocument();
        expect(within(task('Deploy the pilot (renamed)')).getByRole('textbox', {name: 'Notes'})).toHaveValue('Pilot hosts are ready');
        expect(screen.getByText(/Version 8/)).toBeInTheDocument();
    });

    const fieldConflict = {
        status: 409,
        body: {error: {
            id: ErrorIds.planFieldConflict,
            message: '@bob changed the state',
            conflict: {task_id: 'pilot.deploy', field: 'state', by: colleague, by_username: 'bob', at: 1, value: 'blocked', version: 8},
        }},
    };

    it('on a field conflict names the person, the field and their value; Keep theirs reloads and drops the change', async () => {
        const theirs = planResponse(withTask(planFixture(), 'pilot.deploy', {state: 'blocked'}), 8);
        const {calls} = setup({
            [GET_PLAN]: [{body: planResponse()}, {body: theirs}],
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: fieldConflict,
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.selectOptions(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'}), 'Done');

        const alert = await screen.findByTestId('plan-field-conflict');
        expect(alert).toHaveTextContent('@bob changed the state of “Deploy the pilot” after you loaded the plan. Their value: blocked');
        expect(screen.queryByText('Someone else changed the plan')).not.toBeInTheDocument();
        await userEvent.click(within(alert).getByRole('button', {name: 'Keep theirs'}));

        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'})).toHaveValue('blocked');
        expect(screen.queryByTestId('plan-field-conflict')).not.toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy'))).toHaveLength(1);
    });

    it('on a field conflict Overwrite sends the same change again based on the version the conflict named', async () => {
        const mine = planResponse(withTask(planFixture(), 'pilot.deploy', {state: 'done'}), 9);
        const {calls} = setup({
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: [fieldConflict, {body: mine}],
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.selectOptions(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'}), 'Done');
        const alert = await screen.findByTestId('plan-field-conflict');
        await userEvent.click(within(alert).getByRole('button', {name: 'Overwrite with mine'}));

        expect(await screen.findByText(/Version 9/)).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'done'}},
            {expected_version: 8, changes: {state: 'done'}},
        ]);
        expect(screen.queryByTestId('plan-field-conflict')).not.toBeInTheDocument();
        expect(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'})).toHaveValue('done');
    });

    it('asks for a reason before saving a skipped task', async () => {
        const skipped = planResponse(
            withTask(planFixture(), 'pilot.load-test', {state: 'skipped', skip_reason: 'Covered by the vendor test'}),
            8,
        );
        const {calls} = setup({[`PATCH ${PlanRoutes.task('pilot.load-test')}`]: {body: skipped}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Run a load test');

        await userEvent.selectOptions(within(row).getByRole('combobox', {name: 'State'}), 'Skipped');

        expect(calls('PATCH', PlanRoutes.task('pilot.load-test'))).toHaveLength(0);
        const reason = within(row).getByRole('textbox', {name: 'Reason for skipping'});
        const save = within(row).getByRole('button', {name: 'Save reason'});
        expect(save).toBeDisabled();
        await userEvent.type(reason, '   ');
        expect(save).toBeDisabled();

        await userEvent.clear(reason);
        await userEvent.type(reason, 'Covered by the vendor test');
        await userEvent.click(save);

        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.load-test')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'skipped', skip_reason: 'Covered by the vendor test'}},
        ]);
        expect(progressOf(PILOT)).toHaveAttribute('aria-valuenow', '50');
    });

    it('cancelling a skip puts the previous state back without saving', async () => {
        const {calls} = setup();
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Run a load test');
        await userEvent.selectOptions(within(row).getByRole('combobox', {name: 'State'}), 'Skipped');
        await userEvent.click(within(row).getByRole('button', {name: 'Cancel'}));
        expect(within(row).getByRole('combobox', {name: 'State'})).toHaveValue('blocked');
        expect(within(row).queryByRole('textbox', {name: 'Reason for skipping'})).not.toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.load-test'))).toHaveLength(0);
    });

    it('filters: mine, overdue, blocked, all', async () => {
        setup();
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const filters = screen.getByRole('group', {name: 'Show tasks'});
        const titles = () => screen.getAllByRole('heading', {level: 4}).map((h) => h.textContent);
        expect(titles()).toHaveLength(5);

        await userEvent.click(within(filters).getByRole('button', {name: 'Mine (2)'}));
        expect(within(filters).getByRole('button', {name: 'Mine (2)'})).toHaveAttribute('aria-pressed', 'true');
        expect(titles()).toEqual(['Deploy the pilot', 'Send the announcement']);

        await userEvent.click(within(filters).getByRole('button', {name: 'Overdue (1)'}));
        expect(titles()).toEqual(['Deploy the pilot']);
        expect(screen.queryByRole('region', {name: 'Roll-out announcement'})).not.toBeInTheDocument();

        await userEvent.click(within(filters).getByRole('button', {name: 'Blocked (1)'}));
        expect(titles()).toEqual(['Run a load test']);

        await userEvent.click(within(filters).getByRole('button', {name: 'All'}));
        expect(titles()).toHaveLength(5);
    });

    it('renders a description with <script> as text', async () => {
        const {container} = setup();
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Send the announcement');
        expect(within(row).getByText(/Line one <script>window.__pwned = 1<\/script>/)).toBeInTheDocument();
        expect(within(row).getByText(/<b>not bold<\/b>/)).toBeInTheDocument();
        expect(container.querySelector('script')).toBeNull();
        expect(container.querySelector('b')).toBeNull();
        expect((window as unknown as Record<string, unknown>).__pwned).toBeUndefined();
    });

    it('picks an owner from a Mattermost user search and saves the user id', async () => {
        const carol = userProfile('carol', 'Carol', 'Chen');
        const search = jest.spyOn(Client4, 'autocompleteUsers').mockResolvedValue({users: [carol]} as any);
        const owned = planResponse(withTask(planFixture(), 'pilot.roadmap', {owner_id: carol.id}), 8);
        const {calls} = setup({[`PATCH ${PlanRoutes.task('pilot.roadmap')}`]: {body: owned}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Try the roadmap feature');
        expect(within(row).getByText('No owner')).toBeInTheDocument();

        await userEvent.type(within(row).getByRole('searchbox', {name: 'Owner'}), 'car');
        const option = await within(within(row).getByRole('list', {name: 'Owner'})).findByRole('button', {name: 'Add @carol (Carol Chen)'});
        expect(search).toHaveBeenLastCalledWith('car', '', '', {limit: 10});
        await userEvent.click(option);

        expect(await within(row).findByText('@carol (Carol Chen)')).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.roadmap'))[0].body).toEqual({expected_version: 7, changes: {owner_id: carol.id}});
    });

    it('adds dated evidence only when it is an http(s) link, and an admin accepts it', async () => {
        const added = {...evidenceFromLink('https://wiki.example.com/pilot'), dated: '2026-11-30', added_by: 'o'.repeat(26), added_at: 1};
        const linked = planResponse(withTask(planFixture(), 'pilot.deploy', {evidence: [added]}), 8);
        const acceptedItem = {...added, accepted_by: 'a'.repeat(26), accepted_at: 2};
        const accepted = planResponse(withTask(planFixture(), 'pilot.deploy', {evidence: [acceptedItem]}), 9);
        const {calls} = setup({
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {body: linked},
            [`POST ${PlanRoutes.acceptEvidence('pilot.deploy')}`]: {body: accepted},
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const row = task('Deploy the pilot');
        await userEvent.click(within(row).getByRole('button', {name: 'Notes and evidence'}));
        const input = within(row).getByRole('textbox', {name: 'Evidence link'});

        await userEvent.type(input, 'javascript:alert(1)');
        await userEvent.click(within(row).getByRole('button', {name: 'Add evidence'}));
        expect(within(row).getByText('A link must start with http:// or https:// and contain no spaces.')).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy'))).toHaveLength(0);

        await userEvent.clear(input);
        await userEvent.type(input, 'https://wiki.example.com/pilot');
        await userEvent.type(within(row).getByLabelText('Date of the evidence'), '2026-11-30');
        await userEvent.click(within(row).getByRole('button', {name: 'Add evidence'}));

        const link = await within(row).findByRole('link', {name: 'https://wiki.example.com/pilot'});
        expect(link).toHaveAttribute('href', 'https://wiki.example.com/pilot');
        expect(link).toHaveAttribute('rel', 'noopener noreferrer');
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy'))[0].body).toEqual({
            expected_version: 7,
            changes: {evidence: [{...evidenceFromLink('https://wiki.example.com/pilot'), dated: '2026-11-30'}]},
        });
        expect(within(row).getAllByText('Awaiting acceptance').length).toBeGreaterThan(0);
        expect(within(row).getByText(/from 2026-11-30/)).toBeInTheDocument();

        await userEvent.click(within(row).getByRole('button', {name: 'Accept evidence https://wiki.example.com/pilot'}));
        expect(await within(row).findAllByText('Evidence accepted')).not.toHaveLength(0);
        expect(calls('POST', PlanRoutes.acceptEvidence('pilot.deploy'))[0].body).toEqual({expected_version: 8, index: 0});
        expect(within(row).queryByRole('button', {name: /Accept evidence/})).not.toBeInTheDocument();
    });

    it('saves a due date when the field is left', async () => {
        const dated = planResponse(withTask(planFixture(), 'pilot.roadmap', {due_date: '2027-03-01'}), 8);
        const {calls} = setup({[`PATCH ${PlanRoutes.task('pilot.roadmap')}`]: {body: dated}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const input = within(task('Try the roadmap feature')).getByLabelText('Due date');
        await userEvent.type(input, '2027-03-01');
        expect(calls('PATCH', PlanRoutes.task('pilot.roadmap'))).toHaveLength(0);
        await userEvent.tab();
        await screen.findByText(/Version 8/);
        expect(calls('PATCH', PlanRoutes.task('pilot.roadmap')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {due_date: '2027-03-01'}},
        ]);
    });

    it('moves a task down with the keyboard and sends the complete new order', async () => {
        const content = planFixture();
        const moved = {
            ...content,
            phases: [
                {...content.phases[0], tasks: [content.phases[0].tasks[1], content.phases[0].tasks[0], content.phases[0].tasks[2]]},
                content.phases[1],
            ],
        };
        const {calls} = setup({[`POST ${PlanRoutes.reorder}`]: {body: planResponse(moved, 8)}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        expect(within(task('Deploy the pilot')).getByRole('button', {name: 'Move “Deploy the pilot” up'})).toBeDisabled();

        within(task('Deploy the pilot')).getByRole('button', {name: 'Move “Deploy the pilot” down'}).focus();
        await userEvent.keyboard('{Enter}');

        await screen.findByText(/Version 8/);
        expect(calls('POST', PlanRoutes.reorder)[0].body).toEqual({
            expected_version: 7,
            phase_order: ['pilot', 'rollout'],
            task_order: {pilot: ['pilot.load-test', 'pilot.deploy', 'pilot.roadmap'], rollout: ['rollout.mail', 'rollout.done']},
        });
        const titles = within(phase(PILOT)).getAllByRole('heading', {level: 4}).map((h) => h.textContent);
        expect(titles).toEqual(['Run a load test', 'Deploy the pilot', 'Try the roadmap feature']);
        await act(async () => new Promise((r) => setTimeout(r, 0)));
        expect(within(task('Deploy the pilot')).getByRole('button', {name: 'Move “Deploy the pilot” down'})).toHaveFocus();
    });

    it('moves a phase up and keeps focus on it', async () => {
        const content = planFixture();
        const moved = {...content, phases: [content.phases[1], content.phases[0]]};
        const {calls} = setup({[`POST ${PlanRoutes.reorder}`]: {body: planResponse(moved, 8)}});
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.click(within(phase('Roll-out announcement')).getByRole('button', {name: 'Move phase “Roll-out announcement” up'}));
        await screen.findByText(/Version 8/);
        expect(calls('POST', PlanRoutes.reorder)[0].body.phase_order).toEqual(['rollout', 'pilot']);
        expect(screen.getAllByRole('heading', {level: 3}).map((h) => h.textContent).slice(1, 3)).toEqual(['Roll-out announcement', PILOT]);
        await act(async () => new Promise((r) => setTimeout(r, 0)));

        // At the top now, so "up" is disabled and focus moves to "down".
        expect(within(phase('Roll-out announcement')).getByRole('button', {name: 'Move phase “Roll-out announcement” down'})).toHaveFocus();
    });

    it('adds a task with a fresh id, renames and removes a phase', async () => {
        const content = planFixture();
        const {calls} = setup({
            [`POST ${PlanRoutes.phaseTasks('rollout')}`]: (body) => {
                const added = {
                    ...content,
                    phases: [content.phases[0], {...content.phases[1], tasks: [...content.phases[1].tasks, body.task]}],
                };
                return {body: planResponse(added, 8)};
            },
            [`PATCH ${PlanRoutes.phase('rollout')}`]: {
                body: planResponse({...content, phases: [content.phases[0], {...content.phases[1], title: 'Launch'}]}, 9),
            },
            [`DELETE ${PlanRoutes.phase('pilot')}`]: {
                body: planResponse({...content, phases: [{...content.phases[1], title: 'Launch'}]}, 10),
            },
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});

        const rollout = phase('Roll-out announcement');
        await userEvent.type(
            within(rollout).getByRole('textbox', {name: 'New task in Roll-out announcement'}),
            'Train the help desk{Enter}',
        );
        expect(await screen.findByRole('listitem', {name: 'Train the help desk'})).toBeInTheDocument();
        const added = calls('POST', PlanRoutes.phaseTasks('rollout'))[0].body;
        expect(added.expected_version).toBe(7);
        expect(added.task).toMatchObject({
            id: 'rollout.train-the-help-desk',
            title: 'Train the help desk',
            state: 'not_started',
            owner_id: null,
        });

        await userEvent.click(within(rollout).getByRole('button', {name: 'Edit phase “Roll-out announcement”'}));
        const titleInput = within(rollout).getByRole('textbox', {name: 'Title'});
        await userEvent.clear(titleInput);
        await userEvent.type(titleInput, 'Launch{Enter}');
        expect(await screen.findByRole('region', {name: 'Launch'})).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.phase('rollout'))[0].body).toEqual({expected_version: 8, changes: {title: 'Launch'}});

        await userEvent.click(within(phase(PILOT)).getByRole('button', {name: `Remove phase “${PILOT}”`}));
        const confirm = within(phase(PILOT)).getByRole('group', {name: `Remove phase “${PILOT}”`});
        expect(confirm).toHaveTextContent('and its 3 tasks?');
        expect(calls('DELETE', PlanRoutes.phase('pilot'))).toHaveLength(0);
        await userEvent.click(within(confirm).getByRole('button', {name: 'Remove phase'}));
        await screen.findByText(/Version 10/);
        expect(screen.queryByRole('region', {name: PILOT})).not.toBeInTheDocument();
        expect(calls('DELETE', PlanRoutes.phase('pilot'))[0].body).toEqual({expected_version: 9});
    });

    it('shows a refused write with the server message', async () => {
        setup({
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {
                status: 400,
                body: {error: {id: ErrorIds.invalid, message: 'title: too long'}},
            },
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.selectOptions(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'}), 'Done');
        expect(await screen.findByRole('alert')).toHaveTextContent('The change was not saved. The server answered 400: title: too long');
        expect(screen.queryByText('Someone else changed the plan')).not.toBeInTheDocument();
        expect(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'})).toHaveValue('in_progress');
    });

    it('exports the plan as a JSON file', async () => {
        const exported = JSON.stringify(planFixture());
        const {calls} = setup({[`GET ${PlanRoutes.exportPlan}`]: {text: exported}});
        const created: Blob[] = [];
        URL.createObjectURL = jest.fn((blob: Blob) => {
            created.push(blob);
            return 'blob:plan';
        });
        URL.revokeObjectURL = jest.fn();
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
            expect(this.download).toMatch(/^enterprise-roll-out-\d{4}-\d{2}-\d{2}\.json$/);
            expect(this.href).toBe('blob:plan');
        });
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.click(screen.getByRole('button', {name: 'Export plan'}));
        await act(async () => undefined);
        expect(calls('GET', PlanRoutes.exportPlan)).toHaveLength(1);
        expect(click).toHaveBeenCalledTimes(1);
        expect(created).toHaveLength(1);
        expect(created[0].size).toBe(exported.length);
    });

    it('links the sizing advice to the load-test task and cites its source', async () => {
        setup();
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        const sizing = screen.getByRole('region', {name: 'Hardware sizing'});
        await userEvent.type(within(sizing).getByRole('spinbutton', {name: 'Planned users'}), '5000');
        await userEvent.type(within(sizing).getByRole('spinbutton', {name: 'Concurrent users'}), '1500');
        expect(within(sizing).getByRole('link', {name: SIZING_SOURCE.title})).toHaveAttribute('href', SIZING_SOURCE.url);
        const goTo = within(sizing).getByRole('link', {name: 'Go to the load-test task'});
        expect(goTo).toHaveAttribute('href', '#cockpit-task-pilot.load-test');
        await userEvent.click(goTo);
        await act(async () => new Promise((r) => setTimeout(r, 0)));
        expect(task('Run a load test')).toHaveFocus();
    });

    it('shows the load error with a Retry', async () => {
        const {calls} = setup({
            [GET_PLAN]: [{status: 500, body: {error: {id: ErrorIds.internal, message: 'KV down'}}}, {body: planResponse()}],
        });
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('The server answered 500: Something went wrong on the server; the plugin log has the details.');
        await userEvent.click(within(alert).getByRole('button', {name: 'Retry'}));
        expect(await screen.findByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();
        expect(calls('GET', PlanRoutes.plan)).toHaveLength(2);
    });
});

describe('Plan tab in the cockpit', () => {
    it('is the second tab and shares the readiness report with the Readiness tab', async () => {
        const {calls} = routeFetch({
            [GET_PLAN]: {body: planResponse()},
            [GET_READINESS]: {body: readinessFixture()},
            'GET /api/v1/status': {status: 500, body: {error: {id: ErrorIds.internal, message: 'n/a'}}},
        });
        jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
        renderInConsole(<Cockpit variant='setting'/>, makeStore({currentUserId: me}));
        expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
            'Overview',
            'Plan',
            'Readiness',
            'Branding',
            'Templates',
            'Waves',
            'Adoption',
            'Audit',
        ]);

        await userEvent.click(screen.getByRole('tab', {name: 'Plan'}));
        expect(await screen.findByRole('heading', {name: 'Enterprise roll-out'})).toBeInTheDocument();
        expect(await within(task('Deploy the pilot')).findByText('Configured')).toBeInTheDocument();

        await userEvent.click(screen.getByRole('tab', {name: 'Readiness'}));
        expect(await screen.findByRole('region', {name: 'Pilot with staging and production'})).toBeInTheDocument();

        // The Readiness tab refreshes the report; the plan it takes phase titles from is already loaded.
        expect(calls('GET', PlanRoutes.readiness)).toHaveLength(2);
        expect(calls('GET', PlanRoutes.plan)).toHaveLength(1);
    });

    it('works when the host store has no plugin slice', async () => {
        routeFetch({
            [GET_PLAN]: {body: planResponse()},
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {body: planResponse(withTask(planFixture(), 'pilot.deploy', {state: 'done'}), 8)},
        });
        jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
        renderInConsole(<PlanTab/>, makeStore({withPluginReducer: false}));
        await screen.findByRole('heading', {name: 'Enterprise roll-out'});
        await userEvent.selectOptions(within(task('Deploy the pilot')).getByRole('combobox', {name: 'State'}), 'Done');
        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(progressOf(PILOT)).toHaveAttribute('aria-valuenow', '50');
    });
});
