import type {WaveAdoption} from 'contract/adoption';

import type {Logger} from '../host/log';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {activationFunnel} from '../waves/activation';
import {listWaveIds, loadWave} from '../waves/store';

// The waves' side of adoption, read through the waves capability's own exports (read-only).
//
// provisionedByWaves is cheap (two small records per wave: the run counts, plus one per 200 users of a
// wave still running, its work shards' counts), so every measurement has
// it, a page view's too. measureWaves is not: a wave's funnel reads every result of the wave and its
// users' logins and posts (one query per 1,000 users), so only the scheduled job runs it, within a time
// budget, and stores the counts in the snapshot; page views read them from there.

/** Users provisioned by all waves: added, already a member of the wave's targets, or an account the wave created. */
export function provisionedByWaves(kv: KvReader): number {
    let total = 0;
    for (const waveId of listWaveIds(kv)) {
        try {
            const {counts} = loadWave(kv, waveId).run.value;
            total += counts.added + counts.already_member + (counts.created ?? 0);
        } catch {
            // A wave deleted between reading the index and its records counts nothing.
        }
    }
    return total;
}

/** The job's share of one run for the waves' funnels; the call limit is 30 s for the whole job. */
export const WAVE_MEASURE_BUDGET_MS = 10_000;

/**
 * Each queued wave's funnel and feedback. Waves measured longest ago go first; once `budgetMs` has
 * passed, the rest keep their previous counts (so on a server with many large waves every wave is
 * still measured within a few runs). A wave whose measurement fails keeps its previous counts too.
 * Waves with an empty queue (drafts, scheduled) and deleted waves are left out.
 */
export function measureWaves(
    api: ReadOnlyMattermostApi,
    kv: KvReader,
    previous: Readonly<Record<string, WaveAdoption>>,
    clock: () => number,
    log: Pick<Logger, 'warn'>,
    budgetMs = WAVE_MEASURE_BUDGET_MS,
): Record<string, WaveAdoption> {
    const started = clock();
    const queued: Array<{id: string; name: string}> = [];
    for (const waveId of listWaveIds(kv)) {
        try {
            const wave = loadWave(kv, waveId);
            if (wave.run.value.queue_len > 0) {
                queued.push({id: waveId, name: wave.def.value.definition.name});
            }
        } catch {
            // Deleted meanwhile: left out.
        }
    }
    queued.sort((a, b) => (previous[a.id]?.measured_at ?? -1) - (previous[b.id]?.measured_at ?? -1));
    const measured: Record<string, WaveAdoption> = {};
    for (const {id, name} of queued) {
        const kept = previous[id] ? {...previous[id], name} : undefined;
        if (clock() - started >= budgetMs) {
            if (kept) {
                measured[id] = kept;
            }
            continue;
        }
        try {
            const now = clock();
            const funnel = activationFunnel(api, kv, id, now);
            measured[id] = {
                name,
                measured_at: now,
                cohort: funnel.cohort,
                invited: funnel.invited,
                account: funnel.created + funnel.signed_up,
                provisioned: funnel.provisioned,
                welcomed: funnel.welcomed,
                logged_in: funnel.logged_in,
                posted: funnel.posted,
                feedback: {great: funnel.feedback.great, ok: funnel.feedback.ok, help: funnel.feedback.help},
            };
        } catch (error) {
            log.warn('Wave activation not measured', {wave_id: id, error: String(error)});
            if (kept) {
                measured[id] = kept;
            }
        }
    }
    return measured;
}
