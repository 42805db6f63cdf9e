import {useCallback, useEffect, useMemo, useState} from 'react';
import {useStore} from 'react-redux';
import type {Store} from 'redux';

import {ErrorIds} from 'contract/errors';
import type {WaveProgress, WaveResponse, WaveState, WaveSummary} from 'contract/waves';

import {clientFor, toRequestError, type Client, type RequestError} from '../client';
import {inComponentState, resourceSlice, useResource, type Resource} from '../resource';

/** The one client of this tab, following the host store's site URL. */
export function useWavesClient(): {client: Client; store: Store} {
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    return {client, store};
}

/** A stale expected_version: someone else saved the wave in between. */
export function isConflict(error: RequestError): boolean {
    return error.id === ErrorIds.conflict || (error.status === 409 && error.id !== ErrorIds.waveBadTransition);
}

interface Loaded<T> {
    data: T | null;
    loading: boolean;
    error: RequestError | null;
    reload: () => void;
    set: (data: T) => void;
}

const waveListSlice = resourceSlice<WaveSummary[]>('waves/list');
const waveSlice = resourceSlice<WaveResponse>('waves/wave');
const fetchWaveList = (client: Client) => client.listWaves();

function loaded<T>({state, load, set}: Resource<T>): Loaded<T> {
    return {data: state.data, loading: state.loading, error: state.error, reload: load, set};
}

/** The list of waves, loaded on mount. */
export function useWaveList(): Loaded<WaveSummary[]> {
    return loaded(useResource(waveListSlice, inComponentState, fetchWaveList, 'always'));
}

/** One wave, loaded on mount (the view is mounted once per opened wave). */
export function useWave(waveId: string): Loaded<WaveResponse> {
    const fetchWave = useCallback((client: Client) => client.getWave(waveId), [waveId]);
    return loaded(useResource(waveSlice, inComponentState, fetchWave, 'always'));
}

/** States in which the engine is (or will soon be) working: progress is polled then. */
export const activeStates: readonly WaveState[] = ['running', 'scheduled'];
export const pollIntervalMs = 2000;

/**
 * Polls GET …/progress every 2 s while the wave is running or scheduled; stops when it is not, and
 * when the component unmounts (no request is started after that, and late answers are dropped).
 */
export function useProgressPolling(
    waveId: string,
    initial: WaveProgress,
): {progress: WaveProgress; setProgress: (p: WaveProgress) => void; pollError: RequestError | null} {
    const {client} = useWavesClient();
    const [progress, setProgress] = useState(initial);
    const [pollError, setPollError] = useState<RequestError | null>(null);
    const active = activeStates.includes(progress.state);
    useEffect(() => {
        if (!active) {
            return undefined;
        }
        let stopped = false;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = () => {
            client.getWaveProgress(waveId).then((next) => {
                if (!stopped) {
                    setPollError(null);
                    setProgress(next);
                }
            }, (err: unknown) => {
                if (!stopped) {
                    setPollError(toRequestError(err));
                }
            }).finally(() => {
                if (!stopped) {
                    timer = setTimeout(tick, pollIntervalMs);
                }
            });
        };
        timer = setTimeout(tick, pollIntervalMs);
        return () => {
            stopped = true;
            clearTimeout(timer);
        };
    }, [active, client, waveId]);
    return {progress, setProgress, pollError};
}
