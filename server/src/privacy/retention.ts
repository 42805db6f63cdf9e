import type {PrivacySettings, WaveRetention} from 'contract/privacy';
import type {WaveState} from 'contract/waves';

import {everybody} from './scrub';
import {scrubWave} from './wave';

import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import {listWaveIds} from '../waves/store';

// Retention: a wave that finished more than `retention_days` ago loses its per-user data (results lose
// who, feedback, journey and survey entries move to anonymous keys, markers, the cohort file's rows and
// the queue's ids go); its counts stay (the run record's counts are never touched). The marker
// `privacy:retained:<waveId>` is written after the wave is done: a crash before it means the next sweep
// runs the wave again, which finds nothing left to change.

const dayMs = 24 * 60 * 60 * 1000;

/** States after which a wave never runs again. */
const finishedStates: readonly WaveState[] = ['completed', 'completed_with_failures', 'cancelled'];

/** Pure: when a finished wave's per-user data goes, or null (retention off, or the wave not finished). */
export function removesAt(settings: PrivacySettings, state: WaveState, finishedAt: number | null): number | null {
    if (settings.retention_days === null || finishedAt === null || !finishedStates.includes(state)) {
        return null;
    }
    return finishedAt + (settings.retention_days * dayMs);
}

/** Pure: the waves whose per-user data is due for removal at `now` (not removed yet). */
export function dueWaves(settings: PrivacySettings, waves: readonly WaveRetention[], now: number): string[] {
    return waves.
        filter((wave) => wave.removed_at === null && wave.removes_at !== null && wave.removes_at <= now).
        map((wave) => wave.wave_id);
}

export function readSettings(kv: KvReader): {settings: PrivacySettings; version: number} {
    const stored = kv.readVersioned(KvKeys.privacySettings);
    return {settings: stored.value ?? {retention_days: null, erase_on_deactivation: false}, version: stored.version};
}

/** Every finished wave with its retention dates. */
export function retentionOf(kv: KvReader, settings: PrivacySettings): WaveRetention[] {
    const waves: WaveRetention[] = [];
    for (const waveId of listWaveIds(kv)) {
        const run = kv.readVersioned(KvKeys.waveRun(waveId)).value;
        if (!run || run.finished_at === null || !finishedStates.includes(run.state)) {
            continue;
        }
        waves.push({
            wave_id: waveId,
            finished_at: run.finished_at,
            removes_at: removesAt(settings, run.state, run.finished_at),
            removed_at: kv.get(KvKeys.privacyRetained(waveId))?.at ?? null,
        });
    }
    return waves;
}

/** Removes the per-user data of every wave due; answers how many waves. */
export function applyRetention(kv: KvStore, now: number): string[] {
    const {settings} = readSettings(kv);
    const due = dueWaves(settings, retentionOf(kv, settings), now);
    for (const waveId of due) {
        scrubWave(kv, kv, waveId, everybody);
        kv.set(KvKeys.privacyRetained(waveId), {at: now});
    }
    return due;
}
