import {fireEvent, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import type {TimelineEntry, UpdateSettingsResponse} from 'contract/rollout';

import {RolloutPlanPanels} from './plan_panels';
import {StatusUpdates} from './status_updates';
import {Timeline} from './timeline';

import {Client4} from '../mattermost/client4';
import {renderInConsole, routeFetch} from '../test/helpers';

// The Plan tab's status-update settings (channel, schedule, preview, Post now) and the timeline.

const CHANNEL = 'chan0000000000000000000000';

function settings(overrides: Partial<UpdateSettingsResponse> = {}): UpdateSettingsResponse {
    return {
        version: 1,
        channel_id: CHANNEL,
        channel_display_name: 'Roll-out project',
        team_name: 'Engineering',
        schedule: {kind: 'off'},
        next_at: null,
        last_update: null,
        ...overrides,
    };
}

const settingsPath = RolloutEndpoints.updateSettings.path;
const posted = {post_id: 'p', channel_id: CHANNEL, at: Date.UTC(2027, 2, 10)};

beforeEach(() => {
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
});

afterEach(() => jest.restoreAllMocks());

describe('StatusUpdates', () => {
    it('saves a weekly schedule with the version it read', async () => {
        const fake = routeFetch({
            [`GET ${settingsPath}`]: {body: settings()},
            [`PUT ${settingsPath}`]: (body) => ({body: settings({version: 2, schedule: body.schedule, next_at: Date.UTC(2027, 2, 15, 9)})}),
        });
        renderInConsole(<StatusUpdates/>);
        expect(await screen.findByTestId('rollout-channel')).toHaveTextContent('Roll-out project (Engineering)');
        expect(screen.getByText(/Nothing posted yet/)).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Save'})).toBeDisabled();

        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Schedule'}), 'weekly');
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Day'}), 'Thursday');
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Hour (UTC)'}), '14:00 UTC');
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));

        expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
        expect(fake.calls('PUT', settingsPath)[0].body).toEqual({
            expected_version: 1,
            channel_id: CHANNEL,
            schedule: {kind: 'weekly', weekday: 4, hour: 14},
        });
        expect(screen.getByText(/Next scheduled post:/)).toBeInTheDocument();
    });

    it('reports a preview answer it cannot read, and offers no Post now', async () => {
        const message = '**Plan:** 40 % (4 of 10 required tasks)\n- `<img src=x onerror=alert(1)>`';
        const fake = routeFetch({
            [`GET ${settingsPath}`]: {body: settings()},
            [`GET ${RolloutEndpoints.updatePreview.path}`]: {body: {message, summary: undefined}},
            [`POST ${RolloutEndpoints.postUpdate.path}`]: {status: 201, body: posted},
        });
        renderInConsole(<StatusUpdates/>);
        await screen.findByTestId('rollout-channel');
        expect(screen.queryByRole('button', {name: 'Post now'})).not.toBeInTheDocument();

        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));

        // The preview answer lacks its summary: the client refuses it rather than show half of it.
        expect(await screen.findByRole('alert')).toHaveTextContent('cannot read');
        expect(screen.queryByRole('button', {name: 'Post now'})).not.toBeInTheDocument();
        expect(fake.calls('POST', RolloutEndpoints.postUpdate.path)).toHaveLength(0);
    });

    it('renders the preview inert and posts on Post now', async () => {
        const message = '**Plan:** 40 %\n- `<img src=x onerror=alert(1)>`';
        const summary = {
            generated_at: 1,
            today: '2027-03-10',
            plan: {title: 'P', percent: 40, phases: []},
            due_this_week: [],
            overdue: [],
            blocked: [],
            completed_since_last: [],
            readiness: {score: 1, checked_at: 1, previous_score: null, changes: []},
            waves: {running: [], scheduled: 0, completed: 0},
            adoption: {measured_at: null, targets: []},
            proposals: {open: 0, pending_channels: 0},
            last_update_at: null,
        };
        const fake = routeFetch({
            [`GET ${settingsPath}`]: {body: settings()},
            [`GET ${RolloutEndpoints.updatePreview.path}`]: {body: {message, summary}},
            [`POST ${RolloutEndpoints.postUpdate.path}`]: {status: 201, body: posted},
        });
        const {container} = renderInConsole(<StatusUpdates/>);
        await screen.findByTestId('rollout-channel');
        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));
        const preview = await screen.findByRole('region', {name: 'The next post, as the channel will show it'});
        expect(within(preview).getByTestId('rollout-preview-markdown').textContent).toBe(message);
        expect(container.querySelector('img')).toBeNull();

        await userEvent.click(screen.getByRole('button', {name: 'Post now'}));
        expect(await screen.findByRole('status')).toHaveTextContent('Posted to the project channel.');
        expect(fake.calls('POST', RolloutEndpoints.postUpdate.path)[0].body).toEqual({});
        expect(screen.getByText(/Last posted:/)).toBeInTheDocument();
    });
});

describe('Timeline', () => {
    const entry = (id: string, extra: Partial<TimelineEntry>): TimelineEntry => ({
        id, at: Date.UTC(2027, 2, 10, 9), user_id: '', kind: 'task_state', target: 'task:a', from: 'not_started', to: 'done', ...extra,
    });

    it('describes each event with the task\'s title and pages back', async () => {
        const path = RolloutEndpoints.timeline.path;
        const fake = routeFetch({
            [`GET ${path}?per_page=20`]: {body: {entries: [
                entry('3:task_state', {}),
                entry('2:readiness_changed', {kind: 'readiness_changed', target: 'readiness', from: '60', to: '72'}),
            ],
            next_before: 2}},
            [`GET ${path}?per_page=20&before=2`]: {body: {entries: [
                entry('1:wave_finished', {kind: 'wave_finished', target: 'wave:w1', from: 'running', to: 'completed'}),
            ],
            next_before: null}},
        });
        const plan = {phases: [{id: 'p', title: 'P', description: '', tasks: [{id: 'a', title: 'Choose the database'} as never]}]};
        renderInConsole(<Timeline plan={plan}/>);
        const table = await screen.findByRole('table', {name: 'Timeline'});
        expect(table).toHaveTextContent('Choose the database: Not started → Done');
        expect(table).toHaveTextContent('Readiness score 60 → 72');
        expect(table).toHaveTextContent('The cockpit');

        await userEvent.click(screen.getByRole('button', {name: 'Older'}));
        expect(await screen.findByText('Wave w1 finished: completed')).toBeInTheDocument();
        expect(screen.queryByRole('button', {name: 'Older'})).not.toBeInTheDocument();
        expect(fake.calls('GET', `${path}?per_page=20&before=2`)).toHaveLength(1);

        await userEvent.click(screen.getByRole('button', {name: 'Newest'}));
        expect(await screen.findByText('Readiness score 60 → 72')).toBeInTheDocument();
    });
});

describe('RolloutPlanPanels', () => {
    it('loads nothing until a section is opened', async () => {
        const fake = routeFetch({
            [`GET ${settingsPath}`]: {body: settings()},
            [`GET ${RolloutEndpoints.timeline.path}?per_page=20`]: {body: {entries: [], next_before: null}},
        });
        const {container} = renderInConsole(<RolloutPlanPanels plan={null}/>);
        expect(fake.all).toHaveLength(0);
        const [updates, timeline] = container.querySelectorAll('details');
        updates.open = true;
        fireEvent(updates, new Event('toggle'));
        expect(await screen.findByTestId('rollout-channel')).toHaveTextContent('Roll-out project (Engineering)');
        timeline.open = true;
        fireEvent(timeline, new Event('toggle'));
        expect(await screen.findByText('Nothing has happened yet.')).toBeInTheDocument();
    });
});
