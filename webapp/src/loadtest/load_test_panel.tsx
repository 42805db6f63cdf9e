import React, {useEffect, useId, useRef, useState} from 'react';
import {FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import {LoadTestEndpoints} from 'contract/endpoints/loadtest';
import type {LoadTestOverview, LoadTestVerdict} from 'contract/loadtest';
import {chosenArchitecture} from 'contract/sizing';

import {loadTestMessages as m} from './messages';

import {toRequestError, type Client} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {errorText} from '../components/error_text';
import {readFileText} from '../components/files';
import {WriteControls} from '../components/read_only';

type Notice = {kind: 'info' | 'error'; text: string} | null;

function VerdictNotice({verdict}: {verdict: LoadTestVerdict}) {
    const values = {supported: verdict.supported_users ?? 0, target: verdict.concurrent_users ?? 0};
    const message = {reached: m.reached, below: m.below, no_run: m.noRun, no_target: m.noTarget}[verdict.state];
    const tone = {reached: 'success', below: 'error', no_run: 'warning', no_target: 'info'}[verdict.state];
    return (
        <p
            className={`cockpit-notice cockpit-notice--${tone}`}
            data-verdict={verdict.state}
        >
            <FormattedMessage
                {...message}
                values={values}
            />
        </p>
    );
}

/** The newest load-test run against the plan's saved sizing (set in the Plan tab), an upload, and the history of runs. */
export function LoadTestPanel({client, onChanged}: {client: Client; onChanged?: () => void}) {
    const intl = useIntl();
    const id = useId();
    const input = useRef<HTMLInputElement>(null);
    const [overview, setOverview] = useState<LoadTestOverview | null>(null);
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<Notice>(null);

    useEffect(() => {
        client.call(LoadTestEndpoints.overview).then(setOverview, (err) => {
            setNotice({kind: 'error', text: errorText(intl, toRequestError(err))});
        });
    }, [client, intl]);

    const upload = async (file: File | undefined) => {
        if (!file) {
            return;
        }
        setBusy(true);
        try {
            const content = await readFileText(file);
            const answer = await client.call(LoadTestEndpoints.upload, {body: {file_name: file.name, content}});
            setOverview(answer.overview);
            setNotice({kind: 'info', text: intl.formatMessage(m.uploaded, {file: file.name, users: answer.run.supported_users})});
            onChanged?.();
        } catch (err) {
            const message = errorText(intl, toRequestError(err));
            setNotice({kind: 'error', text: intl.formatMessage(m.refused, {file: file.name, message})});
        } finally {
            setBusy(false);
            if (input.current) {
                input.current.value = '';
            }
        }
    };

    const none = <FormattedMessage {...m.none}/>;
    const unknown = <FormattedMessage {...m.unknown}/>;
    const target = overview?.target ?? null;
    const architecture = target ? chosenArchitecture(target) : null;

    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            <WriteControls>
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <label
                        htmlFor={`${id}-file`}
                        className='btn btn-primary cockpit-file-button'
                    >
                        <FormattedMessage {...m.upload}/>
                    </label>
                    <input
                        ref={input}
                        id={`${id}-file`}
                        type='file'
                        accept='.json,.txt,application/json,text/plain'
                        className='cockpit-file-input'
                        disabled={busy}
                        onChange={(e) => {
                            upload(e.target.files?.[0]);
                        }}
                    />
                </div>
            </WriteControls>
            {overview && (
                <p data-testid='loadtest-target'>
                    {target && target.concurrent_users > 0 ? (
                        <FormattedMessage
                            {...m.plannedTarget}
                            values={{
                                concurrent: <FormattedNumber value={target.concurrent_users}/>,
                                total: <FormattedNumber value={target.total_users}/>,
                            }}
                        />
                    ) : <FormattedMessage {...m.noSavedTarget}/>}
                </p>
            )}
            {architecture && (
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.architecture}
                        values={{
                            users: <FormattedNumber value={architecture.concurrent_users}/>,
                            nodes: architecture.app.nodes,
                            vcpu: architecture.app.vcpu,
                            gib: architecture.app.gib,
                            instance: architecture.app.instance,
                        }}
                    />
                </p>
            )}
            {busy && <p role='status'><FormattedMessage {...m.uploading}/></p>}
            {notice && (
                <p
                    role={notice.kind === 'error' ? 'alert' : 'status'}
                    className={`cockpit-notice cockpit-notice--${notice.kind}`}
                >
                    {notice.text}
                </p>
            )}
            {overview && <VerdictNotice verdict={overview.verdict}/>}
            {overview && overview.runs.length > 0 && (
                <table className='cockpit-table'>
                    <caption>
                        <FormattedMessage
                            {...m.historyCaption}
                            values={{count: overview.total_runs}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.run}/></th>
                            <th scope='col'><FormattedMessage {...m.supported}/></th>
                            <th scope='col'><FormattedMessage {...m.target}/></th>
                            <th scope='col'><FormattedMessage {...m.period}/></th>
                            <th scope='col'><FormattedMessage {...m.errors}/></th>
                            <th scope='col'><FormattedMessage {...m.file}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview.runs.map((run) => (
                            <tr key={run.seq}>
                                <th scope='row'>{run.label ? `#${run.seq} ${run.label}` : `#${run.seq}`}</th>
                                <td><FormattedNumber value={run.supported_users}/></td>
                                <td>{run.target_at_upload > 0 ? <FormattedNumber value={run.target_at_upload}/> : none}</td>
                                <td>{run.started_at === null ? unknown : <DateTime value={run.started_at}/>}</td>
                                <td>{run.num_errors === null ? unknown : <FormattedNumber value={run.num_errors}/>}</td>
                                <td><code>{run.file_name}</code></td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </AdminPanel>
    );
}
