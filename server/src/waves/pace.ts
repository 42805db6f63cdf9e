import type {DryRunReport, WaveDefinition} from 'contract/waves';
import type {DryRunPace, PaceModel, WaveAdvice, WaveEstimate, WavePace} from 'contract/waves_pace';

import type {ServerConfig} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import {ConflictError} from '../kv/conflictError';
import {KvKeys, type Paced, type WaveRun} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// How fast a wave goes. A running wave measures its own pace from its checkpoints (pacedAfter) and its
// progress shows it with the time left (paceOf). Every batch also leaves a sample on this server (members
// of the target team, milliseconds per user), and the dry run fits a per-user cost model to them
// (fitModel) to estimate a wave before it starts (estimateWave). The cost grows with the team: each join
// makes system posts, and each post's notification pass reads every member of the channel.

/**
 * Until this server has run a batch: the engine's wall time measured on the project's benchmark machine
 * (2 cores, PostgreSQL kept like production; README, Waves at scale): 1,000 users into an empty team in
 * 75.3 s and 5,000 in 1,118.8 s fit 38 ms per user plus 0.074 ms per member the team already has.
 */
export const defaultPaceModel = {base_ms: 38, per_member_ms: 0.074};

/** Samples kept: the latest batches, so the model follows the server as it is now. */
export const maxPaceSamples = 64;

/** Below this spread of team sizes the samples cannot tell the per-member slope: the default slope is kept. */
const minMemberSpread = 200;

/**
 * Time between two checkpoints beyond the batch's own work that still counts as the wave's: the job's
 * wait between runs (a few seconds) and a run's wait for the wave's lock. A longer gap (a pause, a
 * stopped server) counts only this much.
 */
export const idleAllowanceMs = 5000;

/** The measurement from the share of the setting's posts in the benchmark (README, Waves at scale). */
export const joinLeaveSavingPercent = 15;

/** System Console > Experimental > Features, where the server's admin console shows the setting. */
export const experimentalFeaturesPath = '/admin_console/experimental/features';

/**
 * A measured pace after a checkpoint: the wall time since the previous checkpoint of the same record (the
 * run's, or a work shard's), so batches run side by side for it count once; but no more than the batch's
 * own time plus idleAllowanceMs, so a pause or a restart between them does not count.
 */
export function pacedAfter(before: Paced | undefined, lastAt: number | null, users: number, batchMs: number, now: number): Paced {
    const paced = before ?? {users: 0, ms: 0};
    const gap = lastAt === null ? batchMs : now - lastAt;
    const ms = Math.max(0, Math.min(gap, batchMs + idleAllowanceMs));
    return {users: paced.users + users, ms: paced.ms + ms};
}

/**
 * The pace of a wave worked in shards, possibly by several nodes at once: the shards at work now (begun,
 * not done) each go at their own measured pace, side by side, so the wave goes at the sum of their rates;
 * with none at work (between two shards on one node) at the pace of everything measured. As a Paced: the
 * users measured, and the time the wave's present rate takes for them.
 */
export function pacedAcross(all: ReadonlyArray<Paced | undefined>, working: ReadonlyArray<Paced | undefined>): Paced | undefined {
    const measured = all.filter((paced): paced is Paced => paced !== undefined && paced.users > 0);
    if (measured.length === 0) {
        return undefined;
    }
    const users = measured.reduce((sum, paced) => sum + paced.users, 0);
    const ms = measured.reduce((sum, paced) => sum + paced.ms, 0);
    const rates = working.filter((paced): paced is Paced => paced !== undefined && paced.users > 0 && paced.ms > 0);
    if (rates.length === 0) {
        return {users, ms};
    }
    return {users, ms: users / rates.reduce((sum, paced) => sum + (paced.users / paced.ms), 0)};
}

/** The measured pace and what it leaves: part of the wave's progress. `processed`: queue entries with a result. */
export function paceOf(run: WaveRun, processed: number): WavePace {
    const remaining = Math.max(0, run.queue_len - processed) + run.retry.length + run.pending.length;
    const paced = run.paced ?? {users: 0, ms: 0};
    const msPerUser = paced.users > 0 ? paced.ms / paced.users : null;
    return {
        ms_per_user: msPerUser,
        measured_users: paced.users,
        remaining,
        eta_ms: msPerUser === null ? null : remaining * msPerUser,
    };
}

export interface PaceSample {
    members: number;
    ms_per_user: number;
    users: number;
}

/**
 * Fits ms per user = base + slope × members to the samples, each weighted by its users (least squares).
 * The slope needs samples over teams of different sizes; until then (or if the fit says the cost
 * falls with the team, which is noise) the default slope is kept and only the base is learned.
 */
export function fitModel(samples: readonly PaceSample[]): PaceModel {
    const weight = samples.reduce((sum, sample) => sum + sample.users, 0);
    if (weight === 0) {
        return {...defaultPaceModel, source: 'default', samples: 0};
    }
    const meanX = samples.reduce((sum, sample) => sum + (sample.users * sample.members), 0) / weight;
    const meanY = samples.reduce((sum, sample) => sum + (sample.users * sample.ms_per_user), 0) / weight;
    const sxx = samples.reduce((sum, sample) => sum + (sample.users * ((sample.members - meanX) ** 2)), 0);
    const sxy = samples.reduce((sum, sample) => sum + (sample.users * (sample.members - meanX) * (sample.ms_per_user - meanY)), 0);
    const members = samples.map((sample) => sample.members);
    const spread = Math.max(...members) - Math.min(...members);
    const fitted = spread >= minMemberSpread && sxx > 0 ? sxy / sxx : -1;
    const slope = fitted >= 0 ? fitted : defaultPaceModel.per_member_ms;
    return {base_ms: Math.max(0, meanY - (slope * meanX)), per_member_ms: slope, source: 'learned', samples: samples.length};
}

export interface EstimateInput {
    model: PaceModel;

    /** Users the wave would process. */
    users: number;

    /** Of them, those who would join the largest target team. */
    joining: number;

    /** Members of the largest target team now. */
    teamMembers: number;
    usersPerSecond: number;
}

/**
 * The wave's duration: each user costs the model's base plus its slope times the members the team has
 * when they join (it grows by one per joining user), or the throttle's pace when that is slower.
 */
export function estimateWave(input: EstimateInput): WaveEstimate {
    const {model, users, teamMembers} = input;
    const joining = Math.min(users, input.joining);
    const memberSum = (users * teamMembers) + ((joining * (joining - 1)) / 2) + ((users - joining) * joining);
    const modelMs = (users * model.base_ms) + (model.per_member_ms * memberSum);
    const throttleMs = input.usersPerSecond > 0 ? (users / input.usersPerSecond) * 1000 : 0;
    return {users, team_members: teamMembers, model, ms: Math.max(modelMs, throttleMs), throttled: throttleMs > modelMs};
}

/**
 * One batch's sample, kept with the latest ones (a compare-and-set). The batch is checkpointed already:
 * a sample lost to a busy record (batches of several nodes at once) or a KV error is only a sample less.
 */
export function recordPaceSample(kv: KvStore, sample: PaceSample): void {
    if (sample.users <= 0 || !Number.isFinite(sample.ms_per_user)) {
        return;
    }
    try {
        kv.updateWithRetry(KvKeys.wavePaceSamples, (current) => ({samples: [...(current?.samples ?? []), sample].slice(-maxPaceSamples)}));
    } catch (error) {
        if (!(error instanceof ConflictError) && !isHostError(error)) {
            throw error;
        }
    }
}

export const learnedModel = (kv: KvReader) => fitModel(kv.readVersioned(KvKeys.wavePaceSamples).value?.samples ?? []);

/**
 * Active members of a team; 0 if it cannot be read: the estimate and the samples are only the poorer
 * for it (the dry run lists a missing target already, the engine fails on it where it matters).
 */
export function activeMembers(api: Pick<ReadOnlyMattermostApi, 'teams'>, teamId: string): number {
    try {
        return api.teams.stats(teamId).active_member_count;
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        return 0;
    }
}

/** The setting the dry run advises on, when it is on and the wave joins people to teams. */
export function adviceFor(config: ServerConfig, definition: WaveDefinition): WaveAdvice[] {
    const joinLeave = (config.ServiceSettings as {ExperimentalEnableDefaultChannelLeaveJoinMessages?: boolean} | undefined)?.
        ExperimentalEnableDefaultChannelLeaveJoinMessages;
    if (joinLeave === false || definition.targets.teams.length === 0) {
        return [];
    }
    return [{
        id: 'join_leave_messages',
        setting: 'ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages',
        saving_percent: joinLeaveSavingPercent,
        console_path: experimentalFeaturesPath,
    }];
}

/** The dry run's estimate and advice: from the report's counts, the target teams' sizes now and the learned model. */
export function dryRunPace(api: ReadOnlyMattermostApi, kv: KvReader, definition: WaveDefinition, report: DryRunReport): DryRunPace {
    const {cannot_add: cannot} = report;
    const users = Math.max(0, report.cohort_size - cannot.deactivated - cannot.bot - cannot.guest);
    const teams = report.targets.filter((target) => target.kind === 'team');
    const largest = teams.map((target) => ({target, members: activeMembers(api, target.id)})).
        sort((a, b) => b.members - a.members)[0];

    // Memberships were checked for up to membership_checked users: the share joining scales to the whole cohort.
    const checked = Math.max(1, report.membership_checked);
    const joining = largest ? Math.round((largest.target.would_add * users) / Math.max(checked, largest.target.would_add)) : 0;
    const estimate = estimateWave({
        model: learnedModel(kv),
        users,
        joining,
        teamMembers: largest?.members ?? 0,
        usersPerSecond: definition.throttle.users_per_second,
    });
    return {estimate, advice: adviceFor(api.config.get(), definition)};
}
