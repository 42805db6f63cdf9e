import {planProgress} from 'contract/plan';
import type {StakeholderStatus, StakeholderWave} from 'contract/stakeholders';
import {STAKEHOLDER_DAYS_SHOWN} from 'contract/stakeholders';
import type {WaveState} from 'contract/waves';

import {targetProgress} from '../adoption/metrics';
import {utcDay} from '../dates/dates';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import {readPlan} from '../plan/store';
import {listWaveIds, loadWave, toProgress} from '../waves/store';

// The stakeholder status answer, built from the records the cockpit already keeps: the plan, the
// waves' run state and the adoption job's last measurement. Reads a handful of keys plus two per wave
// (definition and run state), never the user directory or a wave's per-user results, so its cost does
// not grow with the number of users (bench/adoption.sh), and it can only carry counts: every field is
// copied by name below, never spread from a stored record. The waves' activation funnels are left
// out on purpose: they read every result of a wave and its users' logins and posts on each view.

/** Waves shown, most relevant first. */
export const STAKEHOLDER_WAVES_SHOWN = 50;

const stateOrder: Record<WaveState, number> = {
    running: 0,
    paused: 1,
    scheduled: 2,
    draft: 3,
    completed_with_failures: 4,
    completed: 5,
    cancelled: 6,
};

function waveSortKey(wave: StakeholderWave): [number, number] {
    // Within a group: the soonest start first for upcoming waves, the latest finish first for finished ones.
    const finished = stateOrder[wave.state] >= stateOrder.completed_with_failures;
    return [stateOrder[wave.state], finished ? -(wave.finished_at ?? 0) : (wave.start_at ?? wave.started_at ?? Number.MAX_SAFE_INTEGER)];
}

export function stakeholderWaves(kv: KvReader): StakeholderWave[] {
    const waves = listWaveIds(kv).map((waveId): StakeholderWave => {
        const wave = loadWave(kv, waveId);
        const run = wave.run.value;
        const progress = toProgress(waveId, run);
        return {
            name: wave.def.value.definition.name,
            state: run.state,
            start_at: run.start_at,
            started_at: run.started_at,
            finished_at: run.finished_at,
            total: progress.total,
            processed: progress.processed,
            added: run.counts.added,
            already_member: run.counts.already_member,
            skipped: run.counts.skipped,
            failed: run.counts.failed,
            welcomed: run.counts.welcomed,
        };
    });
    return waves.sort((a, b) => {
        const [groupA, timeA] = waveSortKey(a);
        const [groupB, timeB] = waveSortKey(b);
        return groupA - groupB || timeA - timeB;
    }).slice(0, STAKEHOLDER_WAVES_SHOWN);
}

export function stakeholderStatus(kv: KvReader, now: number): StakeholderStatus {
    const plan = readPlan(kv).content;
    const progress = planProgress(plan);
    const current = kv.get(KvKeys.adoptionCurrent);
    const targets = kv.readVersioned(KvKeys.adoptionTargets).value?.targets ?? [];
    const days = kv.readVersioned(KvKeys.adoptionRecent).value?.days ?? [];
    return {
        generated_at: now,
        plan: {
            title: plan.title,
            percent: progress.percent,
            phases: plan.phases.map((phase, i) => ({
                title: phase.title,
                required: progress.phases[i].required,
                completed: progress.phases[i].completed,
                percent: progress.phases[i].percent,
                complete: progress.phases[i].complete,
            })),
        },
        waves: stakeholderWaves(kv),
        adoption: {
            measured_at: current?.taken_at ?? null,
            numbers: current ? {...current.numbers} : null,
            targets: targetProgress(targets, current?.numbers ?? null, utcDay(now)).map(
                ({target, current: value, goal, percent, status}) => ({
                    label: target.label,
                    metric: target.metric,
                    kind: target.kind,
                    threshold: target.threshold,
                    base: target.base,
                    due: target.due,
                    current: value,
                    goal,
                    percent,
                    status,
                }),
            ),
            daily: days.slice(-STAKEHOLDER_DAYS_SHOWN).map((snapshot) => ({
                day: snapshot.day,
                daily_active: snapshot.numbers.daily_active,
                weekly_active: snapshot.numbers.weekly_active,
                monthly_active: snapshot.numbers.monthly_active,
            })),
        },
    };
}
