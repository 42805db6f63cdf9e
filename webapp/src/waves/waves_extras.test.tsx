import {fireEvent, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {WaveRoutes} from 'contract/routes';
import {WaveDefinitionSchema, type WaveResponse} from 'contract/waves';

import {WavesTab} from './waves_tab';

import {renderInConsole, routeFetch} from '../test/helpers';
import {fakeMattermost, fakeTeam} from '../test/mattermost';

// The wave editor's default-preferences picker and its 10 MB CSV limit.

jest.setTimeout(15000);

const waveId = 'w'.repeat(26);
const teamId = 't'.repeat(26);

beforeEach(() => {
    fakeMattermost({teams: [fakeTeam(teamId, 'Rollout', 'rollout')]});
});

function wave(version = 1, targets: Record<string, unknown> = {}): WaveResponse {
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
        definition: WaveDefinitionSchema.parse({name: 'Pilot', cohort: {}, targets: {teams: [{team_id: teamId}], ...targets}}),
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

async function openWave(routes: Parameters<typeof routeFetch>[0], w = wave()) {
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
    renderInConsole(<WavesTab/>);
    await userEvent.click(await screen.findByRole('button', {name: w.definition.name}));
    return fake;
}

describe('default preferences picker', () => {
    it('shows the saved choices and saves the chosen ones in catalogue order; "leave" removes one', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave(2, body.changes.targets)}),
        }, wave(1, {preferences: [{key: 'skip_tour', value: '999'}]}));
        const tour = await screen.findByRole('combobox', {name: 'Channels tour on first login'});
        expect(tour).toHaveValue('999');
        const email = screen.getByRole('combobox', {name: 'Email notifications'});
        expect(email).toHaveValue('');
        await userEvent.selectOptions(email, screen.getByRole('option', {name: 'Every hour'}));
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Collapsed reply threads'}), 'off');
        await userEvent.selectOptions(tour, 'Leave as the server default');
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body.changes.targets.preferences).toEqual([
            {key: 'collapsed_reply_threads', value: 'off'},
            {key: 'email_interval', value: '3600'},
        ]);
    });
});

describe('cohort CSV size limit', () => {
    // A real file of that many bytes (usernames, one per line), as a browser hands it over.
    const upload = (bytes: number) => {
        const content = new Uint8Array(bytes).fill(0x61);
        for (let i = 9; i < bytes; i += 10) {
            content[i] = 0x0a;
        }
        const file = new File([content], 'cohort.csv', {type: 'text/csv'});
        expect(file.size).toBe(bytes);
        fireEvent.change(screen.getByLabelText('Upload CSV'), {target: {files: [file]}});
    };

    it('refuses a 10 MB file (10,000,000 bytes) with a CSV-specific message and uploads nothing', async () => {
        const {calls} = await openWave({[`POST ${WaveRoutes.csv(waveId)}`]: {body: wave(2)}});
        await screen.findByLabelText('Upload CSV');
        upload(10_000_000);
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'cohort.csv is 10 MB: a cohort CSV must be smaller than 10 MB (10,000,000 bytes). Nothing was uploaded',
        );
        expect(calls('POST', WaveRoutes.csv(waveId))).toEqual([]);
    });

    it('reads and uploads a file just under the limit', async () => {
        const {calls} = await openWave({[`POST ${WaveRoutes.csv(waveId)}`]: {body: wave(2)}});
        await screen.findByLabelText('Upload CSV');
        const file = new File(['alice\nbob\n'], 'small.csv', {type: 'text/csv'});
        Object.defineProperty(file, 'size', {value: 9_999_999});
        fireEvent.change(screen.getByLabelText('Upload CSV'), {target: {files: [file]}});
        await waitFor(() => expect(calls('POST', WaveRoutes.csv(waveId))).toHaveLength(1));
        expect(screen.queryByText(/must be smaller than 10 MB/)).toBeNull();
    });
});
