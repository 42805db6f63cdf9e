import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {ErrorIds} from 'contract/errors';
import {PhaseSchema, type PlanContent} from 'contract/plan';
import {PlanRoutes} from 'contract/routes';

import {PlanTab} from './plan_tab';
import {filterRows, matchesTableFilters, noTableFilters, ownerChoices, tableRows, toggled} from './table_filters';
import {defaultView} from './view_mode';

import {makeStore, renderInConsole, routeFetch, userProfile, type RouteAnswer} from '../test/helpers';
import {colleague, me, planFixture, planResponse, readinessFixture, withTask} from '../test/plan_fixtures';

// Typing- and keyboard-heavy tests on a machine shared by several builds: more than the default 5 s.
jest.setTimeout(20_000);

const GET_PLAN = `GET ${PlanRoutes.plan}`;
const GET_READINESS = `GET ${PlanRoutes.readiness}`;
const TODAY = '2026-12-05';

/** The fixture's 5 tasks and a third phase of 7 more: 12 tasks, past the cards' limit. */
function bigPlan(): PlanContent {
    const base = planFixture();
    const training = PhaseSchema.parse({
        id: 'training',
        title: 'Training',
        tasks: Array.from({length: 7}, (_, i) => ({
            id: `training.t${i + 1}`,
            title: `Training session ${i + 1}`,
            owner_id: i === 0 ? colleague : null,
            state: i === 1 ? 'blocked' : 'not_started',
            evidence: i === 0 ? ['https://wiki.example.com/a', 'https://wiki.example.com/b'] : [],
        })),
    });
    return {...base, phases: [...base.phases, training]};
}

function setup(routes: Record<string, RouteAnswer> = {}, content: PlanContent = bigPlan()) {
    const fake = routeFetch({
        [GET_PLAN]: {body: planResponse(content)},
        [GET_READINESS]: {body: readinessFixture()},
        ...routes,
    });
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([userProfile('admin', 'Ada', 'Admin'), userProfile('bob')]);
    const view = renderInConsole(<PlanTab/>, makeStore({currentUserId: me}));
    return {...fake, ...view};
}

const table = () => screen.getByRole('table', {name: 'Plan tasks'});
const row = (title: string) => screen.getByRole('button', {name: title}).closest('tr') as HTMLElement;
const titles = () => within(table()).getAllByRole('rowheader').map((h) => within(h).getByRole('button').textContent);

beforeEach(() => {
    window.localStorage.clear();
});

afterEach(() => {
    jest.restoreAllMocks();
});

describe('table filters', () => {
    const rows = tableRows(bigPlan());
    const ids = (f = noTableFilters) => filterRows(rows, f, me, TODAY).map((r) => r.task.id);

    it('without a filter keeps every task in plan order', () => {
        expect(ids()).toHaveLength(12);
        expect(ids().slice(0, 3)).toEqual(['pilot.deploy', 'pilot.load-test', 'pilot.roadmap']);
    });

    it('mine, overdue and blocked each narrow the rows', () => {
        expect(ids({...noTableFilters, mine: true})).toEqual(['pilot.deploy', 'rollout.mail']);
        expect(ids({...noTableFilters, overdue: true})).toEqual(['pilot.deploy']);
        expect(ids({...noTableFilters, blocked: true})).toEqual(['pilot.load-test', 'training.t2']);
    });

    it('combines kinds with AND and several owners or phases with OR', () => {
        expect(ids({...noTableFilters, owners: [colleague]})).toEqual(['pilot.load-test', 'training.t1']);
        expect(ids({...noTableFilters, owners: [colleague, me]})).toEqual(
            ['pilot.deploy', 'pilot.load-test', 'rollout.mail', 'training.t1'],
        );
        expect(ids({...noTableFilters, owners: [colleague], phases: ['training']})).toEqual(['training.t1']);
        expect(ids({...noTableFilters, owners: [colleague], blocked: true})).toEqual(['pilot.load-test']);
        expect(ids({...noTableFilters, phases: ['pilot', 'rollout'], mine: true, overdue: true})).toEqual(['pilot.deploy']);
        expect(ids({...noTableFilters, mine: true, blocked: true})).toEqual([]);
    });

    it('"no owner" is an owner filter of its own', () => {
        expect(ids({...noTableFilters, owners: [null], phases: ['pilot', 'rollout']})).toEqual(['pilot.roadmap', 'rollout.done']);
    });

    it('mine matches nothing without a signed-in user', () => {
        expect(rows.filter((r) => matchesTableFilters(r, {...noTableFilters, mine: true}, undefined, TODAY))).toEqual([]);
    });

    it('offers each owner once, then "no owner"', () => {
        expect(ownerChoices(rows)).toEqual([me, colleague, null]);
        expect(ownerChoices(rows.filter((r) => r.task.owner_id))).toEqual([me, colleague]);
    });

    it('toggles a value in a list filter', () => {
        expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
        expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
        expect(toggled<string | null>([], null)).toEqual([null]);
    });

    it('opens plans of more than 10 tasks as a table', () => {
        expect(defaultView(10)).toBe('cards');
        expect(defaultView(11)).toBe('table');
    });
});

describe('Plan table', () => {
    it('is the default past 10 tasks, with a row per task and its owner, due date, state, check and evidence', async () => {
        setup();
        expect(await screen.findByRole('table', {name: 'Plan tasks'})).toBeInTheDocument();
        expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(
            ['Task', 'Owner', 'Due', 'State', 'Check', 'Evidence'],
        );
        expect(titles()).toHaveLength(12);
        expect(screen.queryByRole('listitem', {name: 'Deploy the pilot'})).not.toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Table'})).toHaveAttribute('aria-pressed', 'true');

        const deploy = row('Deploy the pilot');
        expect(within(deploy).getByText(PILOT)).toBeInTheDocument();
        expect(await within(deploy).findByText('@admin (Ada Admin)')).toBeInTheDocument();
        expect(within(deploy).getByRole('combobox', {name: 'State of “Deploy the pilot”'})).toHaveValue('in_progress');
        expect(within(deploy).getByLabelText('Due date of “Deploy the pilot”')).toHaveValue('2020-01-15');
        expect(within(deploy).getByText('Overdue')).toBeInTheDocument();
        expect(await within(deploy).findByText('Configured')).toBeInTheDocument();
        expect(within(deploy).getByText('Site URL is set and 1 more')).toBeInTheDocument();

        expect(within(row('Send the announcement')).getByText('SMTP server configured')).toBeInTheDocument();
        expect(within(row('Send the announcement')).getByText('Checks failing')).toBeInTheDocument();
        expect(within(row('Run a load test')).getByText('None')).toBeInTheDocument();
        expect(within(row('Run a load test')).getByText('@bob')).toBeInTheDocument();
        expect(within(row('Try the roadmap feature')).getByText('No owner')).toBeInTheDocument();
        expect(within(row('Training session 1')).getByLabelText('2 evidence links')).toHaveTextContent('2');
        expect(Client4.getProfilesByIds).toHaveBeenCalledTimes(1);
    });

    it('remembers Cards or Table per admin in this browser', async () => {
        const first = setup();
        await screen.findByRole('table', {name: 'Plan tasks'});
        await userEvent.click(screen.getByRole('button', {name: 'Cards'}));
        expect(screen.queryByRole('table')).not.toBeInTheDocument();
        expect(screen.getByRole('listitem', {name: 'Deploy the pilot'})).toBeInTheDocument();
        first.unmount();

        setup();
        expect(await screen.findByRole('listitem', {name: 'Deploy the pilot'})).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Cards'})).toHaveAttribute('aria-pressed', 'true');
        expect(window.localStorage.getItem(`onboarding-cockpit.plan.view.${me}`)).toBe('cards');
        expect(window.localStorage.getItem(`onboarding-cockpit.plan.view.${colleague}`)).toBeNull();
    });

    it('small plans open as cards and can switch to the table', async () => {
        setup({}, planFixture());
        expect(await screen.findByRole('listitem', {name: 'Deploy the pilot'})).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Table'}));
        expect(titles()).toHaveLength(5);
    });

    it('combines filter chips and removes them one by one', async () => {
        setup();
        await screen.findByRole('table', {name: 'Plan tasks'});
        const bar = screen.getByRole('group', {name: 'Filter tasks'});
        expect(await within(bar).findByRole('option', {name: '@bob'})).toBeInTheDocument();
        const ownerMenu = within(bar).getByRole('combobox', {name: 'Filter by owner'});
        expect(within(ownerMenu).getAllByRole('option').map((o) => o.textContent)).toEqual(
            ['Owner…', '@admin (Ada Admin)', '@bob', 'No owner'],
        );

        await userEvent.selectOptions(within(bar).getByRole('combobox', {name: 'Filter by owner'}), '@bob');
        expect(titles()).toEqual(['Run a load test', 'Training session 1']);
        await userEvent.selectOptions(within(bar).getByRole('combobox', {name: 'Filter by phase'}), 'Training');
        expect(titles()).toEqual(['Training session 1']);
        expect(within(bar).getByRole('status')).toHaveTextContent('Showing 1 of 12 tasks');

        const chips = within(bar).getByRole('list', {name: 'Active filters'});
        expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(
            ['Owner: @bob×', 'Phase: Training×', 'Clear all'],
        );
        await userEvent.click(within(chips).getByRole('button', {name: 'Remove filter Phase: Training'}));
        expect(titles()).toEqual(['Run a load test', 'Training session 1']);

        await userEvent.click(within(bar).getByRole('button', {name: 'Blocked (2)'}));
        expect(within(bar).getByRole('button', {name: 'Blocked (2)'})).toHaveAttribute('aria-pressed', 'true');
        expect(titles()).toEqual(['Run a load test']);

        await userEvent.click(within(bar).getByRole('button', {name: 'Clear all'}));
        expect(titles()).toHaveLength(12);
        expect(within(bar).queryByRole('list', {name: 'Active filters'})).not.toBeInTheDocument();

        await userEvent.click(within(bar).getByRole('button', {name: 'Mine (2)'}));
        await userEvent.click(within(bar).getByRole('button', {name: 'Overdue (1)'}));
        expect(titles()).toEqual(['Deploy the pilot']);
        await userEvent.selectOptions(within(bar).getByRole('combobox', {name: 'Filter by owner'}), '@bob');
        expect(screen.queryByRole('table')).not.toBeInTheDocument();
        expect(screen.getByText('No tasks match this filter.')).toBeInTheDocument();
    });

    it('moves between rows with the arrow keys, opens the card with Enter and closes it with Escape', async () => {
        setup();
        await screen.findByRole('table', {name: 'Plan tasks'});
        const first = screen.getByRole('button', {name: 'Deploy the pilot'});
        expect(first).toHaveAttribute('tabindex', '0');
        expect(screen.getByRole('button', {name: 'Run a load test'})).toHaveAttribute('tabindex', '-1');

        await userEvent.tab();
        while (document.activeElement !== first) {
            await userEvent.tab();
        }
        await userEvent.keyboard('{ArrowDown}');
        expect(screen.getByRole('button', {name: 'Run a load test'})).toHaveFocus();
        await userEvent.keyboard('{ArrowDown}{ArrowUp}{ArrowDown}');
        expect(screen.getByRole('button', {name: 'Try the roadmap feature'})).toHaveFocus();
        expect(screen.getByRole('button', {name: 'Try the roadmap feature'})).toHaveAttribute('tabindex', '0');
        expect(first).toHaveAttribute('tabindex', '-1');
        await userEvent.keyboard('{End}');
        expect(screen.getByRole('button', {name: 'Training session 7'})).toHaveFocus();
        await userEvent.keyboard('{ArrowDown}');
        expect(screen.getByRole('button', {name: 'Training session 7'})).toHaveFocus();
        await userEvent.keyboard('{Home}{ArrowDown}');
        const loadTest = screen.getByRole('button', {name: 'Run a load test'});
        expect(loadTest).toHaveFocus();

        await userEvent.keyboard('{Enter}');
        const card = screen.getByRole('region', {name: 'Card of “Run a load test”'});
        expect(loadTest).toHaveAttribute('aria-expanded', 'true');
        expect(loadTest).toHaveAttribute('aria-controls', card.id);
        expect(within(card).getByRole('listitem', {name: 'Run a load test'})).toBeInTheDocument();
        expect(within(card).getByRole('combobox', {name: 'State'})).toHaveValue('blocked');

        within(card).getByRole('button', {name: 'Notes and evidence'}).focus();
        await userEvent.keyboard('{Escape}');
        expect(screen.queryByRole('region', {name: 'Card of “Run a load test”'})).not.toBeInTheDocument();
        expect(loadTest).toHaveFocus();
        expect(loadTest).toHaveAttribute('aria-expanded', 'false');

        // Escape on the row closes its card too; a click opens it.
        await userEvent.click(loadTest);
        expect(screen.getByRole('region', {name: 'Card of “Run a load test”'})).toBeInTheDocument();
        await userEvent.keyboard('{Escape}');
        expect(screen.queryByRole('region', {name: 'Card of “Run a load test”'})).not.toBeInTheDocument();
    });

    it('saves a state, a due date and an owner from the row through the plan\'s versioned PATCH', async () => {
        const carol = userProfile('carol', 'Carol', 'Chen');
        type Autocomplete = Awaited<ReturnType<typeof Client4.autocompleteUsers>>;
        jest.spyOn(Client4, 'autocompleteUsers').mockResolvedValue({users: [carol]} as unknown as Autocomplete);
        const v8 = withTask(bigPlan(), 'pilot.deploy', {state: 'done'});
        const v9 = withTask(v8, 'pilot.roadmap', {due_date: '2027-03-01'});
        const v10 = withTask(v9, 'pilot.roadmap', {owner_id: carol.id});
        const {calls} = setup({
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: {body: planResponse(v8, 8)},
            [`PATCH ${PlanRoutes.task('pilot.roadmap')}`]: [{body: planResponse(v9, 9)}, {body: planResponse(v10, 10)}],
        });
        await screen.findByRole('table', {name: 'Plan tasks'});

        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'State of “Deploy the pilot”'}), 'Done');
        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(screen.getByRole('combobox', {name: 'State of “Deploy the pilot”'})).toHaveValue('done');
        expect(within(row('Deploy the pilot')).queryByText('Overdue')).not.toBeInTheDocument();

        const due = screen.getByLabelText('Due date of “Try the roadmap feature”');
        await userEvent.type(due, '2027-03-01');
        expect(calls('PATCH', PlanRoutes.task('pilot.roadmap'))).toHaveLength(0);
        await userEvent.keyboard('{Enter}');
        expect(await screen.findByText(/Version 9/)).toBeInTheDocument();
        expect(due).toHaveValue('2027-03-01');

        const roadmap = row('Try the roadmap feature');
        await userEvent.click(within(roadmap).getByRole('button', {name: 'Change the owner of “Try the roadmap feature”'}));
        await userEvent.type(within(roadmap).getByRole('searchbox', {name: 'Owner'}), 'car');
        await userEvent.click(await within(roadmap).findByRole('button', {name: 'Add @carol (Carol Chen)'}));
        expect(await screen.findByText(/Version 10/)).toBeInTheDocument();
        expect(await within(row('Try the roadmap feature')).findByText('@carol (Carol Chen)')).toBeInTheDocument();
        expect(within(row('Try the roadmap feature')).queryByRole('searchbox')).not.toBeInTheDocument();

        expect(calls('PATCH', PlanRoutes.task('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'done'}},
        ]);
        expect(calls('PATCH', PlanRoutes.task('pilot.roadmap')).map((c) => c.body)).toEqual([
            {expected_version: 8, changes: {due_date: '2027-03-01'}},
            {expected_version: 9, changes: {owner_id: carol.id}},
        ]);
    });

    it('asks for a skip reason in the card before saving "Skipped"', async () => {
        const skipped = withTask(bigPlan(), 'pilot.load-test', {state: 'skipped', skip_reason: 'Vendor test'});
        const {calls} = setup({[`PATCH ${PlanRoutes.task('pilot.load-test')}`]: {body: planResponse(skipped, 8)}});
        await screen.findByRole('table', {name: 'Plan tasks'});
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'State of “Run a load test”'}), 'Skipped');
        expect(calls('PATCH', PlanRoutes.task('pilot.load-test'))).toHaveLength(0);

        const card = screen.getByRole('region', {name: 'Card of “Run a load test”'});
        await userEvent.type(within(card).getByRole('textbox', {name: 'Reason for skipping'}), 'Vendor test');
        await userEvent.click(within(card).getByRole('button', {name: 'Save reason'}));
        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(calls('PATCH', PlanRoutes.task('pilot.load-test')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'skipped', skip_reason: 'Vendor test'}},
        ]);
        expect(screen.getByRole('combobox', {name: 'State of “Run a load test”'})).toHaveValue('skipped');
    });

    it('a field conflict from a row shows the same notice; Keep theirs shows their value, Overwrite resends', async () => {
        const conflict = {
            status: 409,
            body: {error: {
                id: ErrorIds.planFieldConflict,
                message: '@bob changed the state',
                conflict: {task_id: 'pilot.deploy', field: 'state', by: colleague, by_username: 'bob', at: 1, value: 'blocked', version: 8},
            }},
        };
        const theirs = planResponse(withTask(bigPlan(), 'pilot.deploy', {state: 'blocked'}), 8);
        const mine = planResponse(withTask(bigPlan(), 'pilot.deploy', {state: 'done'}), 9);
        const {calls} = setup({
            [GET_PLAN]: [{body: planResponse(bigPlan())}, {body: theirs}],
            [`PATCH ${PlanRoutes.task('pilot.deploy')}`]: [conflict, conflict, {body: mine}],
        });
        await screen.findByRole('table', {name: 'Plan tasks'});
        const state = () => screen.getByRole('combobox', {name: 'State of “Deploy the pilot”'});

        await userEvent.selectOptions(state(), 'Done');
        let alert = await screen.findByTestId('plan-field-conflict');
        expect(alert).toHaveTextContent('@bob changed the state of “Deploy the pilot” after you loaded the plan. Their value: blocked');
        await userEvent.click(within(alert).getByRole('button', {name: 'Keep theirs'}));
        expect(await screen.findByText(/Version 8/)).toBeInTheDocument();
        expect(state()).toHaveValue('blocked');
        expect(screen.queryByTestId('plan-field-conflict')).not.toBeInTheDocument();

        await userEvent.selectOptions(state(), 'Done');
        alert = await screen.findByTestId('plan-field-conflict');
        await userEvent.click(within(alert).getByRole('button', {name: 'Overwrite with mine'}));
        expect(await screen.findByText(/Version 9/)).toBeInTheDocument();
        expect(state()).toHaveValue('done');
        expect(calls('PATCH', PlanRoutes.task('pilot.deploy')).map((c) => c.body)).toEqual([
            {expected_version: 7, changes: {state: 'done'}},
            {expected_version: 8, changes: {state: 'done'}},
            {expected_version: 8, changes: {state: 'done'}},
        ]);
    });

    it('the sizing panel\'s link opens the load-test task\'s card in the table', async () => {
        setup();
        await screen.findByRole('table', {name: 'Plan tasks'});
        await userEvent.click(within(screen.getByRole('group', {name: 'Filter tasks'})).getByRole('button', {name: 'Mine (2)'}));
        const sizing = screen.getByRole('region', {name: 'Hardware sizing'});
        await userEvent.type(within(sizing).getByRole('spinbutton', {name: 'Planned users'}), '5000');
        await userEvent.type(within(sizing).getByRole('spinbutton', {name: 'Concurrent users'}), '1500');
        await userEvent.click(within(sizing).getByRole('link', {name: 'Go to the load-test task'}));
        expect(await screen.findByRole('region', {name: 'Card of “Run a load test”'})).toBeInTheDocument();
        expect(titles()).toHaveLength(12);
    });
});

const PILOT = 'Pilot with staging and production';
