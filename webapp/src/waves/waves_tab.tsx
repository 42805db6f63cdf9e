import React, {useCallback, useId, useState} from 'react';
import {FormattedMessage} from 'react-intl';

import type {PrivacyState, WaveRetention} from 'contract/privacy';
import {WaveDefinitionSchema, type WaveSummary} from 'contract/waves';

import {wavesMessages as m} from './messages';
import {wavesCss} from './styles';
import {useWaveList, useWavesClient} from './use_waves';
import {StateChip, WaveProgressBar} from './wave_status';
import {WaveView} from './wave_view';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {DateTime} from '../components/date_time';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice, RequestErrorText} from '../components/request_error';
import {PrivacyPanel, WaveRetentionNote} from '../privacy/privacy_panel';

function NewWaveForm({onCreated, onCancel}: {onCreated: (id: string) => void; onCancel: () => void}) {
    const {client} = useWavesClient();
    const id = useId();
    const [name, setName] = useState('');
    const [error, setError] = useState<RequestError | null>(null);
    const [busy, setBusy] = useState(false);
    const valid = WaveDefinitionSchema.shape.name.safeParse(name).success;
    const create = async () => {
        setBusy(true);
        try {
            const wave = await client.createWave(WaveDefinitionSchema.parse({name, cohort: {}, targets: {}}));
            onCreated(wave.id);
        } catch (err) {
            setError(toRequestError(err));
            setBusy(false);
        }
    };
    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-inline-form cockpit-waves__new'
                onSubmit={() => {
                    create();
                }}
            >
                <label htmlFor={id}><FormattedMessage {...m.newWaveName}/></label>
                <input
                    id={id}
                    className='form-control'
                    value={name}
                    maxLength={200}
                    autoFocus={true}
                    onChange={(e) => setName(e.target.value)}
                />
                <button
                    type='submit'
                    className='btn btn-primary'
                    disabled={!valid || busy}
                >
                    <FormattedMessage {...m.create}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={onCancel}
                >
                    <FormattedMessage {...m.cancel}/>
                </button>
                {error && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >{<RequestErrorText error={error}/>}</p>
                )}
            </CockpitForm>
        </WriteControls>
    );
}

function WaveRow({wave, retention, onOpen}: {wave: WaveSummary; retention?: WaveRetention; onOpen: () => void}) {
    const {counts} = wave.progress;
    return (
        <tr>
            <td>
                <button
                    type='button'
                    className='btn btn-link cockpit-waves__open'
                    onClick={onOpen}
                >
                    {wave.name}
                </button>
                {wave.rolling && <>{' '}<span className='cockpit-chip cockpit-chip--info'><FormattedMessage {...m.rolling}/></span></>}
            </td>
            <td><StateChip state={wave.state}/></td>
            <td className='cockpit-waves__progress-cell'>
                <WaveProgressBar
                    name={wave.name}
                    progress={wave.progress}
                />
            </td>
            <td>
                <FormattedMessage
                    {...m.countsShort}
                    values={{added: counts.added, already: counts.already_member, skipped: counts.skipped, failed: counts.failed}}
                />
                {(counts.created > 0 || counts.invited > 0) && (
                    <FormattedMessage
                        {...m.countsNewcomers}
                        values={{created: counts.created, invited: counts.invited}}
                    />
                )}
            </td>
            <td>
                {wave.progress.started_at === null ? (
                    <span className='cockpit-muted'><FormattedMessage {...m.notStarted}/></span>
                ) : (
                    <>
                        <DateTime value={wave.progress.started_at}/>
                        {wave.progress.finished_at !== null && (
                            <div className='cockpit-muted'>
                                <FormattedMessage
                                    {...m.finishedAt}
                                    values={{when: <DateTime value={wave.progress.finished_at}/>}}
                                />
                            </div>
                        )}
                        {retention && (
                            <div className='cockpit-muted'>
                                <WaveRetentionNote retention={retention}/>
                            </div>
                        )}
                    </>
                )}
            </td>
        </tr>
    );
}

function WaveList({onOpen, retention}: {onOpen: (id: string) => void; retention: ReadonlyMap<string, WaveRetention>}) {
    const list = useWaveList();
    const [creating, setCreating] = useState(false);
    return (
        <AdminPanel
            title={m.listTitle}
            subtitle={m.listSubtitle}
        >
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                {creating ? (
                    <NewWaveForm
                        onCreated={onOpen}
                        onCancel={() => setCreating(false)}
                    />
                ) : (
                    <WriteControls>
                        <button
                            type='button'
                            className='btn btn-primary'
                            onClick={() => setCreating(true)}
                        >
                            <FormattedMessage {...m.newWave}/>
                        </button>
                    </WriteControls>
                )}
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={list.reload}
                    disabled={list.loading}
                >
                    <FormattedMessage {...m.refresh}/>
                </button>
            </div>
            {list.error && (
                <RequestErrorNotice
                    error={list.error}
                    onRetry={list.reload}
                    retrying={list.loading}
                />
            )}
            {list.loading && !list.data && (
                <p
                    role='status'
                    className='cockpit-muted'
                ><FormattedMessage {...m.loading}/></p>
            )}
            {list.data && list.data.length === 0 && <p className='cockpit-muted'><FormattedMessage {...m.noWaves}/></p>}
            {list.data && list.data.length > 0 && (
                <table className='cockpit-table'>
                    <caption className='sr-only'><FormattedMessage {...m.listTitle}/></caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colName}/></th>
                            <th><FormattedMessage {...m.colState}/></th>
                            <th><FormattedMessage {...m.colProgress}/></th>
                            <th><FormattedMessage {...m.colCounts}/></th>
                            <th><FormattedMessage {...m.colStarted}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.data.map((wave) => (
                            <WaveRow
                                key={wave.id}
                                wave={wave}
                                retention={retention.get(wave.id)}
                                onOpen={() => onOpen(wave.id)}
                            />
                        ))}
                    </tbody>
                </table>
            )}
        </AdminPanel>
    );
}

/** The Waves tab: the list of waves, or one wave (its editor while a draft, its run view after). */
export function WavesTab() {
    const [openId, setOpenId] = useState<string | null>(null);
    const {client} = useWavesClient();
    const [retention, setRetention] = useState<ReadonlyMap<string, WaveRetention>>(new Map());
    const onPrivacy = useCallback((state: PrivacyState) => setRetention(new Map(state.waves.map((wave) => [wave.wave_id, wave]))), []);
    return (
        <div className='cockpit-waves'>
            <style>{wavesCss}</style>
            {openId === null ? (
                <>
                    <WaveList
                        onOpen={setOpenId}
                        retention={retention}
                    />
                    <PrivacyPanel
                        client={client}
                        onState={onPrivacy}
                    />
                </>
            ) : (
                <WaveView
                    key={openId}
                    waveId={openId}
                    onBack={() => setOpenId(null)}
                />
            )}
        </div>
    );
}
