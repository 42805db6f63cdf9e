import {act, screen} from '@testing-library/react';
import React from 'react';

import {WaveRoutes} from 'contract/routes';
import {WaveDefinitionSchema, type DryRunReport as DryRunReportData, type WaveProgress, type WaveResponse} from 'contract/waves';

import {DryRunReport} from './dry_run_report';
import {durationMessage} from './pace_view';
import {RunView} from './run_view';

import {makeStore, renderInConsole, routeFetch} from '../test/helpers';

const waveId = 'w'.repeat(26);

function progress(overrides: Partial<WaveProgress> = {}): WaveProgress {
    return {
        wave_id: waveId,
        state: 'running',
        total: 1000,
        processed: 250,
        counts: {added: 250, already_member: 0, skipped: 0, failed: 0, welcomed: 250, created: 0, invited: 0},
        retrying: 0,
        pending: 0,
        started_at: 1,
        finished_at: null,
        last_tick_at: 2,
        pace: {ms_per_user: 120, measured_users: 250, remaining: 750, eta_ms: 90_000},
        ...overrides,
    };
}

const wave = (p: WaveProgress): WaveResponse => ({
    id: waveId,
    version: 1,
    definition: WaveDefinitionSchema.parse({name: 'Pilot', cohort: {}, targets: {teams: [{team_id: 't'.repeat(26)}]}}),
    state: p.state,
    start_at: null,
    created_at: 1,
    created_by: 'u',
    updated_at: 1,
    updated_by: 'u',
    csv_problems: [],
    progress: p,
});

const noResults = {body: {page: 0, per_page: 50, total: 0, results: []}};

describe('durations', () => {
    it.each([
        [400, 'durationSeconds', {seconds: 1}],
        [59_000, 'durationSeconds', {seconds: 59}],
        [90_000, 'durationMinutes', {minutes: 2}],
        [59 * 60_000, 'durationMinutes', {minutes: 59}],
        [(2 * 3_600_000) + (5 * 60_000), 'durationHours', {hours: 2, minutes: 5}],
    ])('%d ms → %s %j', (ms, key, values) => {
        const {message, values: got} = durationMessage(ms);
        expect(message.id).toBe(`cockpit.waves.${key}`);
        expect(got).toEqual(values);
    });
});

describe('run view: pace and time left', () => {
    it('shows the measured pace and a time left that follows the polled progress', async () => {
        jest.useFakeTimers();
        routeFetch({
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: noResults,
            [`GET ${WaveRoutes.progress(waveId)}`]: [
                {body: progress({processed: 750, pace: {ms_per_user: 100, measured_users: 750, remaining: 250, eta_ms: 25_000}})},
                {body: progress({
                    state: 'paused',
                    processed: 800,
                    pace: {ms_per_user: 100, measured_users: 800, remaining: 200, eta_ms: 20_000},
                })},
            ],
        });
        renderInConsole((
            <RunView
                wave={wave(progress())}
                onReload={() => undefined}
            />
        ));
        await act(async () => {
            await jest.advanceTimersByTimeAsync(0);
        });
        expect(screen.getByTestId('wave-pace')).toHaveTextContent('0.12 s per user (measured over 250 users)');
        expect(screen.getByTestId('wave-time-left')).toHaveTextContent('About 2 min for 750 users');
        await act(async () => {
            await jest.advanceTimersByTimeAsync(2000);
        });
        expect(screen.getByTestId('wave-pace')).toHaveTextContent('0.10 s per user (measured over 750 users)');
        expect(screen.getByTestId('wave-time-left')).toHaveTextContent('About 25 s for 250 users');
        await act(async () => {
            await jest.advanceTimersByTimeAsync(2000);
        });
        expect(screen.getByTestId('wave-time-left')).toHaveTextContent('About 20 s for 200 users once resumed');
        jest.useRealTimers();
    });

    it('says the pace is not measured before the first batch, and shows no time left once done', async () => {
        routeFetch({[`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: noResults});
        const {unmount} = renderInConsole((
            <RunView
                wave={wave(progress({state: 'paused', pace: {ms_per_user: null, measured_users: 0, remaining: 1000, eta_ms: null}}))}
                onReload={() => undefined}
            />
        ));
        await screen.findByRole('table', {name: '0 results'});
        expect(screen.getByTestId('wave-pace')).toHaveTextContent('Not measured yet');
        expect(screen.getByTestId('wave-time-left')).toHaveTextContent('Not measured yet');
        unmount();
        renderInConsole((
            <RunView
                wave={wave(progress({
                    state: 'completed',
                    finished_at: 9,
                    pace: {ms_per_user: 90, measured_users: 1000, remaining: 0, eta_ms: 0},
                }))}
                onReload={() => undefined}
            />
        ));
        await screen.findByRole('table', {name: '0 results'});
        expect(screen.getByTestId('wave-time-left')).toHaveTextContent('–');
    });

    it('an older server without a pace shows neither row', async () => {
        routeFetch({[`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: noResults});
        renderInConsole((
            <RunView
                wave={wave(progress({state: 'completed', pace: undefined}))}
                onReload={() => undefined}
            />
        ));
        await screen.findByRole('table', {name: '0 results'});
        expect(screen.queryByTestId('wave-pace')).toBeNull();
        expect(screen.queryByText('Time left')).toBeNull();
    });
});

describe('dry run: estimate and advice', () => {
    const report = (extra: Partial<DryRunReportData>): DryRunReportData => ({
        cohort_size: 1000,
        people: {existing: 0, create: 0, invite: 0, skip: 0, by_auth_service: {}, sample: []},
        sources: {csv: 0, groups: 0, teams: 1000, email_domains: 0},
        duplicates: 0,
        csv_problems: [],
        cannot_add: {deactivated: 0, bot: 0, guest: 0, group_synced: 0},
        membership_checked: 1000,
        targets: [],
        target_problems: [],
        sample: [],
        welcome_languages: [],
        outside_languages: 0,
        ...extra,
    });
    const advice = [{
        id: 'join_leave_messages' as const,
        setting: 'ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages',
        saving_percent: 15,
        console_path: '/admin_console/experimental/features',
    }];

    it('shows the estimate from the default model, says it is a default, and links the advice to the System Console', () => {
        renderInConsole(
            (
                <DryRunReport
                    report={report({
                        estimate: {
                            users: 1000,
                            team_members: 500,
                            model: {base_ms: 50, per_member_ms: 0.1, source: 'default', samples: 0},
                            ms: 150_000,
                            throttled: false,
                        },
                        advice,
                    })}
                />
            ),
            makeStore({siteURL: 'https://chat.example.com/mm'}),
        );
        const estimate = screen.getByTestId('dry-run-estimate');
        expect(estimate).toHaveTextContent('Estimated duration: About 3 min for 1,000 users (largest target team: 500 members now)');
        expect(estimate).toHaveTextContent('A default, until a wave runs on this server: 50 ms per user plus 0.1 ms per member');
        expect(estimate).not.toHaveTextContent('throttle');
        const tip = screen.getByTestId('dry-run-advice');
        expect(tip).toHaveTextContent('ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages');
        expect(tip).toHaveTextContent('about 15 % less time');
        expect(screen.getByRole('link', {name: 'Open System Console > Experimental > Features'})).
            toHaveAttribute('href', '/mm/admin_console/experimental/features');
    });

    it('a learned, throttled estimate says so; no advice, no advice block', () => {
        renderInConsole((
            <DryRunReport
                report={report({
                    estimate: {
                        users: 10,
                        team_members: 0,
                        model: {base_ms: 80.25, per_member_ms: 0.125, source: 'learned', samples: 7},
                        ms: 10_000,
                        throttled: true,
                    },
                    advice: [],
                })}
            />
        ));
        const estimate = screen.getByTestId('dry-run-estimate');
        expect(estimate).toHaveTextContent('Learned on this server from 7 batches: 80.3 ms per user plus 0.125 ms per member');
        expect(estimate).toHaveTextContent('The throttle of the wave sets this pace, not the server.');
        expect(screen.queryByTestId('dry-run-advice')).toBeNull();
    });
});
