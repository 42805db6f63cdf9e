import type {Channel} from '@mattermost/types/channels';

import type {DryRunExtras, NewChannelTarget, PreparedChannel, WaveDefinition} from 'contract/waves';

import {feedbackOf, helpDeskProblem} from './feedback';
import {invitationOf, inviteNeedsInvitation, smtpConfigured, smtpWarning} from './invitation';
import {newcomersOf} from './people';
import {badTransition} from './store';

import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {KvKeys, type StoredWave} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// What a wave's optional parts need before launch: the checks the dry run reports as warnings and the
// start refuses with a 400 (SMTP for invitations, the help-desk channel), and the channels to create.
//
// Channels are created when the wave starts, before the first batch: found by name first (a channel
// created by an earlier start that crashed before recording it, or by an admin), else created as the
// plugin bot. Each one is recorded in `wave:<id>:channels` right after, so a later start or a plugin
// restart reads the record and never creates it twice. The recorded channels are then added to the
// definition's target channels (one CAS on the definition version), so the engine, the dry run and the
// UI treat them like any chosen channel.

const newChannelsOf = (definition: WaveDefinition): NewChannelTarget[] => definition.targets.create_channels ?? [];

/** The dry run's view: warnings, the channels a start would create, whether email works. Changes nothing. */
export function dryRunExtras(api: ReadOnlyMattermostApi, definition: WaveDefinition): DryRunExtras {
    const warnings: string[] = [];
    const smtp = smtpConfigured(api.config.get());
    if (invitationOf(definition).enabled && !smtp) {
        warnings.push(smtpWarning);
    }
    const helpDesk = helpDeskProblem(api, definition);
    if (helpDesk) {
        warnings.push(`Feedback: ${helpDesk}.`);
    }
    if (feedbackOf(definition).enabled && !definition.welcome.enabled) {
        warnings.push('Feedback buttons are part of the welcome message, which is turned off: nobody will see them.');
    }
    const teamIds = new Set(definition.targets.teams.map((team) => team.team_id));
    const channelsToCreate = newChannelsOf(definition).map((spec) => {
        if (!teamIds.has(spec.team_id)) {
            warnings.push(`Channel ${spec.name}: its team is not one of the target teams.`);
        }
        return {team_id: spec.team_id, name: spec.name, exists: findChannel(api, spec) !== null};
    });
    return {warnings, channels_to_create: channelsToCreate, smtp_configured: smtp};
}

function findChannel(api: Pick<ReadOnlyMattermostApi, 'channels'>, spec: NewChannelTarget): Channel | null {
    try {
        return api.channels.getByName(spec.team_id, spec.name);
    } catch (error) {
        if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
            return null;
        }
        throw error;
    }
}

export function preparedChannels(kv: KvReader, waveId: string): PreparedChannel[] {
    return kv.readVersioned(KvKeys.waveChannels(waveId)).value?.channels ?? [];
}

interface LaunchContext {
    api: MattermostApi;
    kv: KvStore;
}

/**
 * Before a start: refuses (400, nothing changed) what cannot work, then creates the missing channels and
 * adds them to the targets. Returns the definition and its version to start with.
 */
export function prepareLaunch(
    {api, kv}: LaunchContext,
    waveId: string,
    wave: {def: {value: StoredWave; version: number}; run: {value: {state: string}}},
    botId: string,
    now: number,
): {definition: WaveDefinition; version: number} {
    const {definition} = wave.def.value;
    const state = wave.run.value.state as Parameters<typeof badTransition>[1];
    if (state !== 'draft' && state !== 'scheduled') {
        throw badTransition('start', state);
    }
    if (newcomersOf(definition).mode === 'invite' && !invitationOf(definition).enabled) {
        throw ApiError.invalid(inviteNeedsInvitation);
    }
    if (invitationOf(definition).enabled && !smtpConfigured(api.config.get())) {
        throw ApiError.invalid(`${smtpWarning} Turn the invitation off or configure email first.`);
    }
    const helpDesk = helpDeskProblem(api, definition);
    if (helpDesk) {
        throw ApiError.invalid(`Feedback: ${helpDesk}.`);
    }
    const specs = newChannelsOf(definition);
    if (specs.length === 0) {
        return {definition, version: wave.def.version};
    }
    const teamIds = new Set(definition.targets.teams.map((team) => team.team_id));
    const outside = specs.filter((spec) => !teamIds.has(spec.team_id));
    if (outside.length > 0) {
        throw ApiError.invalid(`Channels to create must be in a target team: ${outside.map((spec) => spec.name).join(', ')}.`);
    }

    const recorded = preparedChannels(kv, waveId);
    const isRecorded = (spec: NewChannelTarget) =>
        recorded.some((channel) => channel.team_id === spec.team_id && channel.name === spec.name);
    for (const spec of specs.filter((candidate) => !isRecorded(candidate))) {
        let channel = findChannel(api, spec);
        let created = false;
        if (!channel) {
            try {
                channel = api.channels.create({
                    team_id: spec.team_id,
                    name: spec.name,
                    display_name: spec.display_name,
                    type: spec.type,
                    creator_id: botId,
                });
                created = true;
            } catch (error) {
                const reason = isHostError(error) ? error.message : String(error);
                throw ApiError.invalid(`Channel ${spec.name} could not be created: ${reason}`);
            }
        } else if (channel.type !== 'O' && channel.type !== 'P') {
            throw ApiError.invalid(`Channel ${spec.name} exists and is not a public or private channel.`);
        }
        const entry: PreparedChannel = {team_id: spec.team_id, name: spec.name, channel_id: channel.id, created};
        kv.updateWithRetry(KvKeys.waveChannels(waveId), (current) => ({
            channels: [...(current?.channels ?? []).filter((c) => c.channel_id !== entry.channel_id), entry],
        }));
        recorded.push(entry);
    }

    const targets = definition.targets.channels;
    const additions = specs.flatMap((spec) => {
        const channel = recorded.find((candidate) => candidate.team_id === spec.team_id && candidate.name === spec.name);
        return !channel || targets.some((target) => target.channel_id === channel.channel_id) ?
            [] :
            [{channel_id: channel.channel_id, role: spec.role}];
    });
    if (additions.length === 0) {
        return {definition, version: wave.def.version};
    }
    const updated: WaveDefinition = {...definition, targets: {...definition.targets, channels: [...targets, ...additions]}};

    // The version the caller checked: a concurrent edit makes this a 409 and the start stops here.
    const written = kv.writeVersioned(KvKeys.waveDef(waveId), {...wave.def.value, definition: updated, updated_at: now}, wave.def.version);
    return {definition: updated, version: written.version};
}
