import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {WaveRoutes} from 'contract/routes';
import {WaveDefinitionSchema, type WaveResponse} from 'contract/waves';

import {WavesTab} from './waves_tab';

import {ReadOnlyProvider} from '../components/read_only';
import {renderInConsole, routeFetch} from '../test/helpers';
import {fakeChannel, fakeMattermost, fakeTeam} from '../test/mattermost';

// The editor's Feedback section: the welcome DM's one-click buttons and the help-desk channel, saved
// with the wave's other fields through PATCH /api/v1/waves/{id}.

jest.setTimeout(15000);

const waveId = 'w'.repeat(26);
const teamId = 't'.repeat(26);
const otherTeamId = 's'.repeat(26);
const helpDeskId = 'h'.repeat(26);
const helpDesk = fakeChannel(helpDeskId, 'Help desk', 'help-desk', otherTeamId);

// Teams and channels come from Mattermost's REST API through Client4: faked at that seam.
let mattermost: ReturnType<typeof fakeMattermost>;
beforeEach(() => {
    mattermost = fakeMattermost({
        teams: [fakeTeam(teamId, 'Rollout', 'rollout'), fakeTeam(otherTeamId, 'Support', 'support')],
        channels: [helpDesk],
    });
});

function wave(version = 1, feedback?: Record<string, unknown>): WaveResponse {
    const progress = {
        wave_id: waveId,
        state: 'draft' as const,
        total: 0,
        processed: 0,
        counts: {added: 0, already_member: 0, skipped: 0, failed: 0, welcomed: 0, created: 0, invited: 0},
        retrying: 0,
        pending: 0,
        started_at: null,
        finished_at: null,
        last_tick_at: null,
    };
    return {
        id: waveId,
        version,
        definition: WaveDefinitionSchema.parse({
            name: 'Pilot',
            cohort: {},
            targets: {teams: [{team_id: teamId}]},
            ...(feedback ? {feedback} : {}),
        }),
        state: 'draft',
        start_at: null,
        created_at: 1,
        created_by: 'u',
        updated_at: 1,
        updated_by: 'u',
        csv_problems: [],
        progress,
    };
}

async function openWave(routes: Parameters<typeof routeFetch>[0], w = wave(), readOnly = false) {
    const fake = routeFetch({
        [`GET ${WaveRoutes.waves}`]: {
            body: [
                {
                    id: w.id,
                    version: w.version,
                    name: w.definition.name,
                    state: w.state,
                    rolling: false,
                    csv_rows: 0,
                    progress: w.progress,
                },
            ],
        },
        [`GET ${WaveRoutes.wave(waveId)}`]: {body: w},

        // The journey panel under every wave (webapp/src/journey): no follow-ups.
        [`GET ${JourneyEndpoints.journey.toPath({waveId})}`]: {body: {wave_id: waveId, steps: [], version: 0, counts: {}, stopped: 0}},
        [`POST ${WaveRoutes.welcomePreview(waveId)}`]: {body: {markdown: 'Hi'}},
        ...routes,
    });
    renderInConsole(<ReadOnlyProvider readOnly={readOnly}><WavesTab/></ReadOnlyProvider>);
    await userEvent.click(await screen.findByRole('button', {name: w.definition.name}));
    return fake;
}

const feedbackSection = () => screen.getByRole('group', {name: 'Feedback'});

afterEach(() => {
    jest.clearAllMocks();
});

describe('feedback section', () => {
    it('is off by default; turning it on and picking a help-desk channel of any team saves feedback with the wave', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave(2, body.changes.feedback)}),
        });
        const box = await screen.findByRole('checkbox', {name: 'Ask for feedback under the welcome message'});
        expect(box).not.toBeChecked();

        // What each button does is said next to the checkbox; the channel choice only shows when it is on.
        expect(box).toHaveAccessibleDescription(
            /👍 Great: .*😐 OK: .*🆘 I need help: counted, and announced by the bot in the help-desk channel/,
        );
        expect(screen.queryByRole('searchbox', {name: 'Search channels for the help desk'})).toBeNull();

        await userEvent.click(box);
        expect(within(feedbackSection()).getByText('No help-desk channel: “I need help” is only counted.')).toBeInTheDocument();
        await userEvent.type(screen.getByRole('searchbox', {name: 'Search channels for the help desk'}), 'help');
        const options = await screen.findByRole('list', {name: 'Search channels for the help desk'});

        // Channels of every team, not only the target teams: the help desk usually sits elsewhere.
        await waitFor(() =>
            expect(mattermost.searchAllChannels).toHaveBeenLastCalledWith(
                'help',
                expect.objectContaining({team_ids: [teamId, otherTeamId]}),
            ),
        );
        await userEvent.click(await within(options).findByRole('button', {name: 'Add Help desk'}));

        // One channel: once chosen, it can be removed but the search is gone.
        expect(within(feedbackSection()).getByRole('button', {name: 'Remove Help desk'})).toBeInTheDocument();
        expect(screen.queryByRole('searchbox', {name: 'Search channels for the help desk'})).toBeNull();

        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body).toMatchObject({expected_version: 1, changes: {feedback: {enabled: true, help_desk_channel_id: helpDeskId}}});

        // The saved answer is what the editor shows now.
        expect(screen.getByRole('checkbox', {name: 'Ask for feedback under the welcome message'})).toBeChecked();
        expect(within(feedbackSection()).getByText('Help desk')).toBeInTheDocument();
    });

    it('shows a saved wave with feedback on as checked with its help-desk channel; removing the channel saves none', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave(2, body.changes.feedback)}),
        }, wave(1, {enabled: true, help_desk_channel_id: helpDeskId}));
        expect(await screen.findByRole('checkbox', {name: 'Ask for feedback under the welcome message'})).toBeChecked();
        expect(await within(feedbackSection()).findByText('Help desk')).toBeInTheDocument();
        expect(within(feedbackSection()).getByText('~help-desk')).toBeInTheDocument();
        expect(mattermost.getChannel).toHaveBeenCalledWith(helpDeskId, false);
        expect(screen.getByRole('button', {name: 'Save'})).toBeDisabled();

        await userEvent.click(within(feedbackSection()).getByRole('button', {name: 'Remove Help desk'}));
        expect(screen.getByRole('searchbox', {name: 'Search channels for the help desk'})).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        expect(calls('PATCH', WaveRoutes.wave(waveId))[0].body.changes.feedback).toEqual({enabled: true, help_desk_channel_id: ''});
    });

    it('turning it off saves enabled: false and hides the channel choice', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave(2, body.changes.feedback)}),
        }, wave(1, {enabled: true, help_desk_channel_id: ''}));
        await userEvent.click(await screen.findByRole('checkbox', {name: 'Ask for feedback under the welcome message'}));
        expect(screen.queryByRole('searchbox', {name: 'Search channels for the help desk'})).toBeNull();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        expect(calls('PATCH', WaveRoutes.wave(waveId))[0].body.changes.feedback).toEqual({enabled: false, help_desk_channel_id: ''});
    });

    it('is disabled for a read-only viewer', async () => {
        await openWave({}, wave(1, {enabled: true, help_desk_channel_id: helpDeskId}), true);
        const box = await screen.findByRole('checkbox', {name: 'Ask for feedback under the welcome message'});
        expect(box).toBeChecked();
        expect(box).toBeDisabled();
        expect(await within(feedbackSection()).findByRole('button', {name: 'Remove Help desk'})).toBeDisabled();
    });
});
