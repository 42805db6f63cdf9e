import React, {useState} from 'react';
import {defineMessages, FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import type {ActivationFunnel} from 'contract/waves';

import {useWavesClient} from './use_waves';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {fileSlug, saveTextFile} from '../components/files';
import {ProgressBar} from '../components/progress_bar';
import {RequestErrorNotice} from '../components/request_error';
import {useAnswer} from '../resource';

const m = defineMessages({
    title: {id: 'cockpit.waves.activation.title', defaultMessage: 'Activation'},
    subtitle: {
        id: 'cockpit.waves.activation.subtitle',
        defaultMessage: 'How far the people of this wave got. Logins and posts count from the moment the wave reached each person.',
    },
    cohort: {id: 'cockpit.waves.activation.cohort', defaultMessage: 'In the cohort'},
    provisioned: {id: 'cockpit.waves.activation.provisioned', defaultMessage: 'Added to the teams and channels'},
    welcomed: {id: 'cockpit.waves.activation.welcomed', defaultMessage: 'Welcomed (DM sent)'},
    invited: {id: 'cockpit.waves.activation.invited', defaultMessage: 'Invitation email sent'},
    account: {id: 'cockpit.waves.activation.account', defaultMessage: 'Has an account (created by the wave or signed up)'},
    accountDetail: {
        id: 'cockpit.waves.activation.accountDetail',
        defaultMessage: '{created, number} created by the wave · {signed_up, number} signed up',
    },
    tableTitle: {id: 'cockpit.waves.activation.tableTitle', defaultMessage: 'The funnel in numbers'},
    colStage: {id: 'cockpit.waves.activation.colStage', defaultMessage: 'Stage'},
    colPeople: {id: 'cockpit.waves.activation.colPeople', defaultMessage: 'People'},
    colShare: {id: 'cockpit.waves.activation.colShare', defaultMessage: 'Share of the cohort'},
    share: {id: 'cockpit.waves.activation.share', defaultMessage: '{percent, number} %'},
    loggedIn: {id: 'cockpit.waves.activation.loggedIn', defaultMessage: 'Logged in'},
    posted: {id: 'cockpit.waves.activation.posted', defaultMessage: 'Posted a first message'},
    stageText: {id: 'cockpit.waves.activation.stageText', defaultMessage: '{count, number} of {cohort, number} ({percent, number} %)'},
    feedbackTitle: {id: 'cockpit.waves.activation.feedbackTitle', defaultMessage: 'Feedback from the welcome message'},
    feedbackNone: {id: 'cockpit.waves.activation.feedbackNone', defaultMessage: 'No answers yet.'},
    great: {id: 'cockpit.waves.activation.great', defaultMessage: '👍 Great'},
    ok: {id: 'cockpit.waves.activation.ok', defaultMessage: '😐 OK'},
    help: {id: 'cockpit.waves.activation.help', defaultMessage: '🆘 I need help'},
    answerText: {
        id: 'cockpit.waves.activation.answerText',
        defaultMessage: '{count, number} of {answered, number} answers ({percent, number} %)',
    },
    download: {id: 'cockpit.waves.activation.download', defaultMessage: 'Download per-user CSV'},
    downloading: {id: 'cockpit.waves.activation.downloading', defaultMessage: 'Preparing the CSV…'},
    refresh: {id: 'cockpit.waves.activation.refresh', defaultMessage: 'Refresh'},
    loading: {id: 'cockpit.waves.activation.loading', defaultMessage: 'Loading the funnel…'},
    measuredAt: {id: 'cockpit.waves.activation.measuredAt', defaultMessage: 'Measured {when}'},
});

type Stage = 'cohort' | 'invited' | 'account' | 'provisioned' | 'welcomed' | 'loggedIn' | 'posted';

/**
 * The funnel's stages in order: invited → has an account (created, or signed up after the invitation)
 * → provisioned → welcomed → logged in → posted, each a count of the cohort. The invitation and account
 * stages appear for waves that send invitations or reach people without an account.
 */
export function funnelStages(funnel: ActivationFunnel): Array<[Stage, number]> {
    const account = funnel.created + funnel.signed_up;
    return [
        ['cohort', funnel.cohort],
        ...(funnel.invited > 0 ? [['invited', funnel.invited] as [Stage, number]] : []),
        ...(account > 0 ? [['account', account] as [Stage, number]] : []),
        ['provisioned', funnel.provisioned],
        ['welcomed', funnel.welcomed],
        ['loggedIn', funnel.logged_in],
        ['posted', funnel.posted],
    ];
}

// One bar per line, like the run view's progress; no bullets.
const funnelList: React.CSSProperties = {listStyle: 'none', padding: 0, margin: '0 0 16px', maxWidth: 720};

const percentOf = (count: number, total: number) => (total > 0 ? Math.round((count / total) * 100) : 0);

/** The funnel as labelled progress bars (each a share of the cohort), the feedback split, and the CSV download. */
export function ActivationPanel({waveId}: {waveId: string}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const answer = useAnswer(() => client.getWaveActivation(waveId), [client, waveId]);
    const {data: funnel, loading} = answer;
    const [downloadError, setDownloadError] = useState<RequestError | null>(null);
    const error = answer.error ?? downloadError;
    const [downloading, setDownloading] = useState(false);
    const load = () => {
        setDownloadError(null);
        answer.reload();
    };

    const download = async () => {
        setDownloading(true);
        try {
            const text = await client.exportWaveActivation(waveId);
            saveTextFile(text, `cockpit-wave-activation-${fileSlug(waveId, 'wave')}.csv`, 'text/csv');
            setDownloadError(null);
        } catch (err) {
            setDownloadError(toRequestError(err));
        } finally {
            setDownloading(false);
        }
    };

    const stages = funnel ? funnelStages(funnel) : [];
    const answered = funnel ? funnel.feedback.great + funnel.feedback.ok + funnel.feedback.help : 0;

    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={load}
                />
            )}
            {!funnel && loading && <p role='status'><FormattedMessage {...m.loading}/></p>}
            {funnel && (
                <>
                    <ul
                        style={funnelList}
                        aria-label={intl.formatMessage(m.title)}
                        data-testid='activation-funnel'
                    >
                        {stages.map(([stage, count]) => {
                            const label = intl.formatMessage(m[stage]);
                            const percent = percentOf(count, funnel.cohort);
                            return (
                                <li key={stage}>
                                    <div>{label}</div>
                                    <ProgressBar
                                        label={label}
                                        percent={percent}
                                        text={intl.formatMessage(m.stageText, {count, cohort: funnel.cohort, percent})}
                                    />
                                </li>
                            );
                        })}
                    </ul>
                    <table
                        className='cockpit-table'
                        data-testid='activation-funnel-table'
                    >
                        <caption><FormattedMessage {...m.tableTitle}/></caption>
                        <thead>
                            <tr>
                                <th><FormattedMessage {...m.colStage}/></th>
                                <th><FormattedMessage {...m.colPeople}/></th>
                                <th><FormattedMessage {...m.colShare}/></th>
                            </tr>
                        </thead>
                        <tbody>
                            {stages.map(([stage, count]) => (
                                <tr key={stage}>
                                    <td>
                                        <FormattedMessage {...m[stage]}/>
                                        {stage === 'account' && (
                                            <div className='cockpit-muted'>
                                                <FormattedMessage
                                                    {...m.accountDetail}
                                                    values={{created: funnel.created, signed_up: funnel.signed_up}}
                                                />
                                            </div>
                                        )}
                                    </td>
                                    <td><FormattedNumber value={count}/></td>
                                    <td>
                                        <FormattedMessage
                                            {...m.share}
                                            values={{percent: percentOf(count, funnel.cohort)}}
                                        />
                                    </td>
                                </tr>
                            ))}
                        </tbody>
                    </table>
                    <h4><FormattedMessage {...m.feedbackTitle}/></h4>
                    {answered === 0 ? <p><FormattedMessage {...m.feedbackNone}/></p> : (
                        <ul
                            style={funnelList}
                            aria-label={intl.formatMessage(m.feedbackTitle)}
                        >
                            {(['great', 'ok', 'help'] as const).map((answer) => {
                                const label = intl.formatMessage(m[answer]);
                                const count = funnel.feedback[answer];
                                const percent = percentOf(count, answered);
                                return (
                                    <li key={answer}>
                                        <div>{label}</div>
                                        <ProgressBar
                                            label={label}
                                            percent={percent}
                                            text={intl.formatMessage(m.answerText, {count, answered, percent})}
                                        />
                                    </li>
                                );
                            })}
                        </ul>
                    )}
                    <p className='text-muted'>
                        <FormattedMessage
                            {...m.measuredAt}
                            values={{when: <DateTime value={funnel.measured_at}/>}}
                        />
                    </p>
                </>
            )}
            <div className='cockpit-inline-form'>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={load}
                    disabled={loading}
                >
                    <FormattedMessage {...m.refresh}/>
                </button>
                <button
                    type='button'
                    className='btn btn-primary'
                    onClick={download}
                    disabled={downloading}
                    aria-busy={downloading}
                >
                    <FormattedMessage {...(downloading ? m.downloading : m.download)}/>
                </button>
            </div>
        </AdminPanel>
    );
}
