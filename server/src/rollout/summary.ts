import type {AdoptionSnapshot, AdoptionTarget} from 'contract/adoption';
import {isTaskCompleted, planProgress, type PlanContent, type Task} from 'contract/plan';
import type {ReadinessReport} from 'contract/readiness';
import type {RolloutSummary, SummaryTask} from 'contract/rollout';
import type {ProposalSummary} from 'contract/templates';
import type {WaveProgress} from 'contract/waves';

import {targetProgress} from '../adoption/metrics';
import {utcDay} from '../dates/dates';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {readPlan} from '../plan/store';
import {currentReadiness} from '../readiness/readiness';
import {listProposals} from '../templates/proposals/read';
import {listWaveIds, loadWave, toProgress} from '../waves/store';

// The roll-out summary: one pure builder over the records the plan, readiness, waves, adoption and
// role-template routes answer with (gathered by summaryInputs through the same functions), so the
// Overview tab, the status post and those routes cannot disagree.

const dayMs = 86_400_000;

/** What the last status update reported: the "since the last update" of the next summary. */
export interface SummaryBaseline {
    at: number;
    score: number;
    checks: Record<string, ReadinessReport['results'][number]['status']>;
    completed: string[];
}

export interface SummaryWave {
    name: string;
    progress: WaveProgress;
}

export interface SummaryInputs {
    now: number;
    plan: PlanContent;
    readiness: ReadinessReport;
    waves: SummaryWave[];
    adoption: {current: AdoptionSnapshot | null; targets: AdoptionTarget[]};
    proposals: ProposalSummary[];
    baseline: SummaryBaseline | null;
    usernameOf: (userId: string) => string;
}

export function buildRolloutSummary(inputs: SummaryInputs): RolloutSummary {
    const {plan, readiness, baseline, now} = inputs;
    const today = utcDay(now);
    const horizon = utcDay(Date.parse(`${today}T00:00:00Z`) + (7 * dayMs));
    const progress = planProgress(plan);
    const usernames = new Map<string, string>();
    const usernameOf = (userId: string) => {
        if (!usernames.has(userId)) {
            usernames.set(userId, inputs.usernameOf(userId));
        }
        return usernames.get(userId) ?? '';
    };

    const dueThisWeek: SummaryTask[] = [];
    const overdue: SummaryTask[] = [];
    const blocked: SummaryTask[] = [];
    const completedSince: SummaryTask[] = [];
    const before = new Set(baseline?.completed ?? []);
    for (const phase of plan.phases) {
        for (const task of phase.tasks) {
            const item = (): SummaryTask => summaryTask(task, phase, usernameOf);
            const completed = isTaskCompleted(task);
            if (completed && !before.has(task.id)) {
                completedSince.push(item());
            }
            if (task.state === 'blocked') {
                blocked.push(item());
            }
            if (completed || task.state === 'skipped' || !task.due_date) {
                continue;
            }
            if (task.due_date < today) {
                overdue.push(item());
            } else if (task.due_date <= horizon) {
                dueThisWeek.push(item());
            }
        }
    }
    const byDue = (a: SummaryTask, b: SummaryTask) => (a.due_date ?? '').localeCompare(b.due_date ?? '');

    const waves = inputs.waves.map(({name, progress: wave}) => ({name, wave}));
    const openProposals = inputs.proposals.filter((proposal) => proposal.counts.pending + proposal.counts.approved > 0);

    return {
        generated_at: now,
        today,
        plan: {
            title: plan.title,
            percent: progress.percent,
            phases: plan.phases.map((phase, i) => ({
                id: phase.id,
                title: phase.title,
                required: progress.phases[i].required,
                completed: progress.phases[i].completed,
                percent: progress.phases[i].percent,
            })),
        },
        due_this_week: dueThisWeek.sort(byDue),
        overdue: overdue.sort(byDue),
        blocked,
        completed_since_last: completedSince,
        readiness: {
            score: readiness.score,
            checked_at: readiness.checked_at,
            previous_score: baseline ? baseline.score : null,
            changes: baseline ? readiness.results.
                filter((check) => baseline.checks[check.id] !== check.status).
                map((check) => ({id: check.id, title: check.title, before: baseline.checks[check.id] ?? null, after: check.status})) : [],
        },
        waves: {
            running: waves.filter(({wave}) => wave.state === 'running' || wave.state === 'paused').map(({name, wave}) => ({
                id: wave.wave_id,
                name,
                state: wave.state,
                total: wave.total,
                processed: wave.processed,
                failed: wave.counts.failed,
                eta_ms: wave.state === 'running' ? wave.pace?.eta_ms ?? null : null,
            })),
            scheduled: waves.filter(({wave}) => wave.state === 'scheduled').length,
            completed: waves.filter(({wave}) => wave.state === 'completed' || wave.state === 'completed_with_failures').length,
        },
        adoption: {
            measured_at: inputs.adoption.current?.taken_at ?? null,
            targets: targetProgress(inputs.adoption.targets, inputs.adoption.current?.numbers ?? null, today),
        },
        proposals: {
            open: openProposals.length,
            pending_channels: openProposals.reduce((sum, proposal) => sum + proposal.counts.pending, 0),
        },
        last_update_at: baseline?.at ?? null,
    };
}

function summaryTask(task: Task, phase: {id: string; title: string}, usernameOf: (userId: string) => string): SummaryTask {
    return {
        id: task.id,
        title: task.title,
        phase_id: phase.id,
        phase_title: phase.title,
        state: task.state,
        due_date: task.due_date,
        owner_id: task.owner_id ?? '',
        owner_username: task.owner_id ? usernameOf(task.owner_id) : '',
    };
}

/** What a status update reports, kept as the next update's baseline. */
export function baselineOf(summaryInputs: Pick<SummaryInputs, 'plan' | 'readiness'>, at: number): SummaryBaseline {
    return {
        at,
        score: summaryInputs.readiness.score,
        checks: Object.fromEntries(summaryInputs.readiness.results.map((check) => [check.id, check.status])),
        completed: summaryInputs.plan.phases.flatMap((phase) => phase.tasks.filter(isTaskCompleted).map((task) => task.id)),
    };
}

type SummaryApi = Pick<ReadOnlyMattermostApi, 'config' | 'system' | 'users'>;

/** Reads the records the summary is built from, through the functions their own routes use. */
export function summaryInputs(api: SummaryApi, kv: KvReader, now: number): SummaryInputs {
    return {
        now,
        plan: readPlan(kv).content,
        readiness: currentReadiness(api, kv),
        waves: listWaveIds(kv).map((waveId) => {
            const wave = loadWave(kv, waveId);
            return {name: wave.def.value.definition.name, progress: toProgress(waveId, wave.run.value)};
        }),
        adoption: {
            current: kv.get(KvKeys.adoptionCurrent) ?? null,
            targets: kv.readVersioned(KvKeys.adoptionTargets).value?.targets ?? [],
        },
        proposals: listProposals(kv),
        baseline: kv.readVersioned(KvKeys.rolloutLastUpdate).value?.baseline ?? null,
        usernameOf: (userId) => {
            try {
                return api.users.get(userId).username;
            } catch {
                return '';
            }
        },
    };
}
