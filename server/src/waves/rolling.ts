import type {UserProfile} from '@mattermost/types/users';

import type {WaveDefinition} from 'contract/waves';

import {invitedByEmail, matchesByProfile} from './cohort';
import {madeByWave} from './newcomers';
import {addArrival} from './runSteps';
import {listWaveIds, newRun} from './store';

import type {HookContext} from '../app/capability';
import {cockpitBot} from '../bot/bot';
import {isHostError} from '../host/errors';
import {KvKeys, type WaveRun, waveShardSize} from '../kv/keys';

// Rolling waves take in people who join the cohort later. New accounts and team joins arrive through
// the UserHasBeenCreated / UserHasJoinedTeam hooks (waves.ts). Group membership has no hook: the plugin
// API (server v11, plugin/hooks.go) offers none for group member changes, LDAP-synced or custom. So the
// `waves.groups` job (and POST …/tick for one wave) re-reads the cohort groups of open rolling waves every few minutes and queues only
// the members the wave does not know yet: the known set is the wave's queue (one KV read per 1,000
// users) plus its pending arrivals, and group members come 200 per call. Nothing is written for people
// already in the wave; a newcomer costs one marker CAS and one run-record update, exactly as a hook arrival.

export const groupRollingJobId = 'waves.groups';
export const groupRollingSeconds = 300;
const pageSize = 200;

const openStates: ReadonlyArray<WaveRun['state']> = ['running', 'paused', 'completed', 'completed_with_failures'];

/** Whether the wave takes arrivals now: started, cohort resolved, not cancelled. */
export function openToArrivals(run: WaveRun | undefined): run is WaveRun {
    return Boolean(run && run.resolved && openStates.includes(run.state));
}

/**
 * Queues a user who joined the cohort after the wave started, once per user and wave: the marker
 * `wave:<id>:rolling:<userId>` is claimed first, so repeated deliveries (or two nodes) queue them once.
 * A completed wave is reopened; the engine moves `pending` into the queue on its next run.
 */
export function queueArrival(context: HookContext, waveId: string, userId: string): boolean {
    const {api, kv, log} = context;
    if (!api.kv.compareAndSet(KvKeys.waveRolling(waveId, userId).key, null, JSON.stringify('queued'))) {
        return false;
    }
    kv.updateWithRetry(KvKeys.waveRun(waveId), (current) => addArrival(current ?? newRun(), userId));
    log.info('Rolling wave: user queued', {waveId, userId});
    return true;
}

/** Queues several arrivals into one wave: a marker each (as queueArrival), then one run-record update for those it claimed. */
export function queueArrivals(context: HookContext, waveId: string, userIds: readonly string[]): number {
    const {api, kv, log} = context;
    const claimed = [...new Set(userIds)].filter((userId) =>
        api.kv.compareAndSet(KvKeys.waveRolling(waveId, userId).key, null, JSON.stringify('queued')));
    if (claimed.length > 0) {
        kv.updateWithRetry(KvKeys.waveRun(waveId), (current) => claimed.reduce(addArrival, current ?? newRun()));
        log.info('Rolling wave: users queued', {waveId, users: claimed.length});
    }
    return claimed.length;
}

/** A new account the wave takes: a rolling wave's cohort matches it, or an invite wave invited its email (not one it made itself). */
export const takesNewAccount = (definition: WaveDefinition, waveId: string, user: UserProfile) =>
    !madeByWave(user, waveId) &&
    ((definition.rolling && matchesByProfile(definition.cohort, user)) || invitedByEmail(definition, user.email));

/** A team join the wave takes: a rolling wave whose cohort names the team. */
export const takesTeamJoin = (definition: WaveDefinition, teamId: string) =>
    definition.rolling && definition.cohort.team_ids.includes(teamId);

/**
 * Whether the cockpit's bot made the join (the actor the server names is the requestor of the add): only the
 * wave engine adds people to teams as the bot, and its batch queues its joins into the other waves itself.
 */
export const joinedByCockpit = (actor: UserProfile | null) => Boolean(actor?.is_bot && actor.username === cockpitBot.username);

/**
 * What the hooks do for arrivals, done by a wave's batch for the accounts and team joins it made itself:
 * those hooks return at once (waves.ts), so a wave's own users cost it no KV read per user. The waves are
 * read once per batch; `pick` names, per other open wave, the users it takes. Returns how many were queued.
 */
export function queueBatchArrivals(
    context: HookContext,
    fromWaveId: string,
    pick: (definition: WaveDefinition, waveId: string) => string[],
): number {
    const {kv} = context;
    let queued = 0;
    for (const waveId of listWaveIds(kv)) {
        if (waveId === fromWaveId || !openToArrivals(kv.readVersioned(KvKeys.waveRun(waveId)).value)) {
            continue;
        }
        const definition = kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition;
        const userIds = definition ? pick(definition, waveId) : [];
        queued += userIds.length > 0 ? queueArrivals(context, waveId, userIds) : 0;
    }
    return queued;
}

function knownUsers(context: HookContext, waveId: string, run: WaveRun): Set<string> {
    const known = new Set<string>(run.pending);
    for (let chunk = 0; chunk * waveShardSize < run.queue_len; chunk++) {
        (context.kv.readVersioned(KvKeys.waveQueue(waveId, chunk)).value?.ids ?? []).forEach((id) => known.add(id));
    }
    return known;
}

/** The job (or a tick of one wave): new members of the cohort groups of open rolling waves are queued. Returns how many. */
export function queueNewGroupMembers(context: HookContext, waveIds: readonly string[] = listWaveIds(context.kv)): number {
    const {api, kv, log} = context;
    let queued = 0;
    for (const waveId of waveIds) {
        const run = kv.readVersioned(KvKeys.waveRun(waveId)).value;
        if (!openToArrivals(run)) {
            continue;
        }
        const definition = kv.readVersioned(KvKeys.waveDef(waveId)).value?.definition;
        if (!definition?.rolling || definition.cohort.group_ids.length === 0) {
            continue;
        }
        const known = knownUsers(context, waveId, run);
        for (const groupId of definition.cohort.group_ids) {
            try {
                for (let page = 0; ; page++) {
                    const members = api.groups.members(groupId, page, pageSize);
                    for (const user of members) {
                        if (!known.has(user.id)) {
                            known.add(user.id);
                            queued += queueArrival(context, waveId, user.id) ? 1 : 0;
                        }
                    }
                    if (members.length < pageSize) {
                        break;
                    }
                }
            } catch (error) {
                // A deleted group must not stop the other groups and waves.
                log.warn('Rolling wave: cannot read a cohort group', {
                    waveId,
                    groupId,
                    error: isHostError(error) ? error.message : String(error),
                });
            }
        }
    }
    return queued;
}
