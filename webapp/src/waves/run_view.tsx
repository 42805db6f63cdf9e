import React, {useId, useState} from 'react';
import {FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import {
    OutcomeSchema,
    type Outcome,
    type UserResult,
    type WaveProgress,
    type WaveResponse,
    type WaveState,
} from 'contract/waves';

import {ActivationPanel} from './activation_panel';
import {resultsCsv} from './csv';
import {wavesMessages as m} from './messages';
import {paceRows} from './pace_view';
import {isConflict, useProgressPolling, useWavesClient} from './use_waves';
import {StateChip, WaveProgressBar} from './wave_status';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel, Facts} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {fileSlug, saveTextFile} from '../components/files';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {useAnswer} from '../resource';

type Action = 'pause' | 'resume' | 'cancel' | 'retryFailed';

/** Which actions a state allows (the server's transitions, server/src/waves/waves.ts). */
export function allowedActions(progress: WaveProgress): Record<Action, boolean> {
    const state: WaveState = progress.state;
    return {
        pause: state === 'running' || state === 'scheduled',
        resume: state === 'paused',
        cancel: state === 'scheduled' || state === 'running' || state === 'paused',
        retryFailed: progress.counts.failed > 0 && (state === 'completed_with_failures' || state === 'paused' || state === 'running'),
    };
}

const perPage = 50;
const exportPerPage = 1000;

/** Who a result is for: the username, else the file's email (a person without an account), else the id. */
const userCell = (result: UserResult) => (result.username ? `@${result.username}` : result.email || result.user_id);

function ResultsTable({waveId, processed}: {waveId: string; processed: number}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const filterId = useId();
    const [outcome, setOutcome] = useState<Outcome | ''>('');
    const [page, setPage] = useState(0);
    const [exporting, setExporting] = useState(false);
    const [exportError, setExportError] = useState<RequestError | null>(null);

    // Reloaded when the filter or page changes, and as users get results.
    const answer = useAnswer(
        () => client.getWaveResults(waveId, page, perPage, outcome || undefined),
        [client, waveId, page, outcome, processed],
    );
    const data = answer.data;
    const error = answer.error ?? exportError;

    const download = async () => {
        setExporting(true);
        try {
            const all: UserResult[] = [];
            for (let p = 0; ; p++) {
                // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
                const answer = await client.getWaveResults(waveId, p, exportPerPage, outcome || undefined);
                all.push(...answer.results);
                if (answer.results.length < exportPerPage || all.length >= answer.total) {
                    break;
                }
            }
            saveTextFile(resultsCsv(all), `wave-${fileSlug(waveId, 'results')}-${outcome || 'all'}.csv`, 'text/csv');
            setExportError(null);
        } catch (err) {
            setExportError(toRequestError(err));
        } finally {
            setExporting(false);
        }
    };

    const pages = data ? Math.max(1, Math.ceil(data.total / perPage)) : 1;

    // The invitation column appears for waves that send one (a result without it: none was due).
    const withInvitation = data?.results.some((result) => result.invitation !== undefined) ?? false;
    return (
        <>
            <div className='cockpit-inline-form'>
                <label htmlFor={filterId}><FormattedMessage {...m.outcomeFilter}/></label>
                <select
                    id={filterId}
                    className='form-control cockpit-waves__role'
                    value={outcome}
                    onChange={(e) => {
                        setOutcome(e.target.value as Outcome | '');
                        setPage(0);
                    }}
                >
                    <option value=''>{intl.formatMessage(m.outcomeAll)}</option>
                    {OutcomeSchema.options.map((o) => (
                        <option
                            key={o}
                            value={o}
                        >{intl.formatMessage(m[`outcome_${o}`])}</option>
                    ))}
                </select>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={exporting}
                    onClick={() => {
                        download();
                    }}
                >
                    <FormattedMessage {...m.downloadCsv}/>
                </button>
            </div>
            {error && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{<RequestErrorText error={error}/>}</p>
            )}
            {data && (
                <table className='cockpit-table'>
                    <caption>
                        <FormattedMessage
                            {...m.resultsTable}
                            values={{total: data.total}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colUser}/></th>
                            <th><FormattedMessage {...m.colOutcome}/></th>
                            <th><FormattedMessage {...m.colReason}/></th>
                            <th><FormattedMessage {...m.colWelcome}/></th>
                            {withInvitation && <th><FormattedMessage {...m.colInvitation}/></th>}
                            <th><FormattedMessage {...m.colAttempts}/></th>
                            <th><FormattedMessage {...m.colAt}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.results.map((result) => (
                            <tr key={result.index}>
                                <td>{userCell(result)}</td>
                                <td><FormattedMessage {...m[`outcome_${result.outcome}`]}/></td>
                                <td>{result.reason || '–'}</td>
                                <td><FormattedMessage {...m[`welcome_${result.welcome}`]}/></td>
                                {withInvitation && (
                                    <td>{result.invitation ? <FormattedMessage {...m[`invitation_${result.invitation}`]}/> : '–'}</td>
                                )}
                                <td><FormattedNumber value={result.attempts}/></td>
                                <td><DateTime value={result.at}/></td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {data && data.total > perPage && (
                <div className='cockpit-pager'>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        disabled={page === 0}
                        onClick={() => setPage(page - 1)}
                    >
                        <FormattedMessage {...m.previousPage}/>
                    </button>
                    <span>
                        <FormattedMessage
                            {...m.pageOf}
                            values={{page: page + 1, pages}}
                        />
                    </span>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        disabled={page + 1 >= pages}
                        onClick={() => setPage(page + 1)}
                    >
                        <FormattedMessage {...m.nextPage}/>
                    </button>
                </div>
            )}
        </>
    );
}

/**
 * The live run view: progress (polled every 2 s while running or scheduled), the counts, the actions
 * the state allows, per-user results with a filter and paging, and the CSV download.
 */
export function RunView({wave, onReload}: {wave: WaveResponse; onReload: () => void}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const {progress, setProgress, pollError} = useProgressPolling(wave.id, wave.progress);
    const [busy, setBusy] = useState<Action | null>(null);
    const [actionError, setActionError] = useState<RequestError | null>(null);
    const allowed = allowedActions(progress);
    const act = async (action: Action) => {
        // eslint-disable-next-line no-alert -- cancelling a wave asks the browser's own confirmation first.
        if (action === 'cancel' && !window.confirm(intl.formatMessage(m.confirmCancel, {name: wave.definition.name}))) {
            return;
        }
        setBusy(action);
        setActionError(null);
        try {
            setProgress(await client.waveAction(wave.id, action));
        } catch (err) {
            const error = toRequestError(err);
            setActionError(error);
            if (isConflict(error)) {
                onReload();
            }
        } finally {
            setBusy(null);
        }
    };
    const {counts} = progress;

    // Accounts created and invitations: for waves that reach people without an account.
    const newcomerCounts: Array<[typeof m.countCreated, string]> =
        wave.definition.newcomers.mode !== 'skip' || counts.created > 0 || counts.invited > 0 ? [
            [m.countCreated, String(counts.created)],
            [m.countInvited, String(counts.invited)],
        ] : [];
    let startedAt: React.ReactNode = '–';
    if (progress.started_at !== null) {
        startedAt = (
            <DateTime
                key='s'
                value={progress.started_at}
            />
        );
    } else if (wave.start_at !== null) {
        startedAt = (
            <FormattedMessage
                key='at'
                {...m.scheduledFor}
                values={{when: <DateTime value={wave.start_at}/>}}
            />
        );
    }
    const buttons: Array<[Action, typeof m.pause]> = [
        ['pause', m.pause],
        ['resume', m.resume],
        ['retryFailed', m.retryFailed],
        ['cancel', m.cancelWave],
    ];
    return (
        <>
            <AdminPanel
                title={m.runViewTitle}
                subtitle={m.runViewSubtitle}
            >
                <div className='cockpit-waves__state'>
                    <StateChip state={progress.state}/>
                </div>
                <WaveProgressBar
                    name={wave.definition.name}
                    progress={progress}
                    large={true}
                />
                <Facts
                    rows={[
                        [m.countAdded, String(counts.added)],
                        [m.countAlready, String(counts.already_member)],
                        ...newcomerCounts,
                        [m.countSkipped, String(counts.skipped)],
                        [m.countFailed, String(counts.failed)],
                        [m.countWelcomed, String(counts.welcomed)],
                        [m.countRetrying, String(progress.retrying)],
                        [m.countPending, String(progress.pending)],
                        ...paceRows(intl, progress),
                        [m.startedAt, startedAt],
                        [m.finished, progress.finished_at === null ? '–' : (
                            <DateTime
                                key='f'
                                value={progress.finished_at}
                            />
                        )],
                    ]}
                />
                {pollError && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >
                        <FormattedMessage
                            {...m.pollFailed}
                            values={{message: <RequestErrorText error={pollError}/>}}
                        />
                    </p>
                )}
                {actionError && (
                    <p
                        role='alert'
                        className='cockpit-notice cockpit-notice--error'
                    >{<RequestErrorText error={actionError}/>}</p>
                )}
                <WriteControls>
                    <div className='cockpit-form__buttons cockpit-waves__actions'>
                        {buttons.map(([action, label]) => (
                            <button
                                key={action}
                                type='button'
                                className={`btn ${action === 'cancel' ? 'btn-danger' : 'btn-secondary'}`}
                                disabled={!allowed[action] || busy !== null}
                                onClick={() => {
                                    act(action);
                                }}
                            >
                                <FormattedMessage {...label}/>
                            </button>
                        ))}
                    </div>
                </WriteControls>
            </AdminPanel>
            {/* Mounted again when the run changes state (e.g. running → completed), so the funnel is measured anew. */}
            <ActivationPanel
                key={progress.state}
                waveId={wave.id}
            />
            <AdminPanel
                title={m.resultsTitle}
                subtitle={m.resultsSubtitle}
            >
                <ResultsTable
                    waveId={wave.id}
                    processed={progress.processed}
                />
            </AdminPanel>
        </>
    );
}
