import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {useStore} from 'react-redux';
import type {Store} from 'redux';

import {ErrorIds} from 'contract/errors';
import type {WaveProgress, WaveResponse, WaveState, WaveSummary} from 'contract/waves';

import {clientFor, toRequestError, type Client, type RequestError} from '../client';

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
}

/** Loads something with the client; `reload` asks again (answers of older requests are dropped). */
function useLoad<T>(load: (client: Client) => Promise<T>, key: string): Loaded<T> & {reload: () => void; set: (data: T) => void} {
    const {client} = useWavesClient();
    const [state, setState] = useState<Loaded<T>>({data: null, loading: true, error: null});
    const seq = useRef(0);
    const reload = useCallback(() => {
        const mine = ++seq.current;
        setState((s) => ({...s, loading: true, error: null}));
        load(client).then((data) => {
            if (mine === seq.current) {
                setState({data, loading: false, error: null});
            }
        }, (err: unknown) => {
            if (mine === seq.current) {
                setState((s) => ({...s, loading: false, error: toRequestError(err)}));
            }
        });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loads again when the client or the key changes; load itself is recreated each render.
    }, [client, key]);
    useEffect(() => {
        reload();
        return () => {
            seq.current++;
        };
    }, [reload]);
    const set = useCallback((data: T) => {
        seq.current++;
        setState({data, loading: false, error: null});
    }, []);
    return {...state, reload, set};
}

export const useWaveList = () => useLoad<WaveSummary[]>((client) => client.listWaves(), 'list');
export const useWave = (waveId: string) => useLoad<WaveResponse>((client) => client.getWave(waveId), waveId);

/** States in which the engine is (or will soon be) working: progress is polled then. */
export const activeStates: readonly WaveState[] = ['running', 'scheduled'];
export const pollIntervalMs = 2000;

/**
 * Polls GET …/progress every 2 s while the wave is running or scheduled; stops when it is not, and
 * when the component unmounts (no request is started after that, and late answers are dropped).
 */
export function useProgressPolling(waveId: string, initial: WaveProgress): {progress: WaveProgress; setProgress: (p: WaveProgress) => void; pollError: RequestError | null} {
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
