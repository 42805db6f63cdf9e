import React, {useEffect, useState} from 'react';
import {FormattedMessage} from 'react-intl';

import {wavesMessages as m} from './messages';
import {RunView} from './run_view';
import {useWave} from './use_waves';
import {WaveEditor} from './wave_editor';
import {StateChip} from './wave_status';

import {useReadOnly} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {JourneyPanel} from '../journey/journey_panel';

/** One wave: the editor while it is a draft, the run view once launched. */
export function WaveView({waveId, onBack}: {waveId: string; onBack: () => void}) {
    const wave = useWave(waveId);
    const readOnly = useReadOnly();

    // A reload discards the editor's unsaved changes: the editor is mounted again from the new version.
    const [generation, setGeneration] = useState(0);
    const [reloading, setReloading] = useState(false);
    const reload = () => {
        setReloading(true);
        wave.reload();
    };
    useEffect(() => {
        if (reloading && !wave.loading) {
            setReloading(false);
            setGeneration((g) => g + 1);
        }
    }, [reloading, wave.loading]);
    const data = wave.data;
    return (
        <>
            <div className='cockpit-toolbar cockpit-toolbar--start cockpit-waves__header'>
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    onClick={onBack}
                >
                    <FormattedMessage {...m.back}/>
                </button>
                {data && (
                    <>
                        <h3 className='cockpit-waves__title'>{data.definition.name}</h3>
                        {/* Once launched, the run view shows the live state next to its progress. */}
                        {data.state === 'draft' && <StateChip state={data.state}/>}
                    </>
                )}
            </div>
            {wave.error && (
                <RequestErrorNotice
                    error={wave.error}
                    onRetry={wave.reload}
                    retrying={wave.loading}
                />
            )}
            {!data && wave.loading && (
                <p
                    role='status'
                    className='cockpit-muted'
                ><FormattedMessage {...m.loading}/></p>
            )}
            {data && data.state === 'draft' && (
                <WaveEditor
                    key={`${data.id}-${generation}`}
                    wave={data}
                    onWave={wave.set}
                    onReload={reload}
                    onLaunched={wave.set}
                />
            )}
            {data && data.state !== 'draft' && (
                <RunView
                    key={data.id}
                    wave={data}
                    onReload={wave.reload}
                />
            )}
            {data && (
                <JourneyPanel
                    key={`journey-${data.id}`}
                    waveId={data.id}
                    readOnly={readOnly || data.state === 'cancelled'}
                />
            )}
        </>
    );
}
