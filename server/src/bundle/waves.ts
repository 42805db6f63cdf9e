import type {BundleWave, BundleWaveDefinition} from 'contract/bundle';
import type {JourneyStep} from 'contract/journey';
import type {WaveDefinition} from 'contract/waves';

import {idsOf, namesOf, notOnThisServer, type IdsOf, type NamesOf} from './names';
import {emptyPreview, hasChanges, indexAdds, runAll, sameJson, type BundlePartHandler, type UndoableWrite} from './part';

import {recordAudit} from '../audit/audit';
import {KvKeys, type StoredWave} from '../kv/keys';
import type {KvReader} from '../kv/store';
import {newId} from '../templates/catalog';
import {listWaveIds, loadWave, newRun} from '../waves/store';

// The waves part: each wave's definition (targets, schedule settings, welcome, invitation, throttle,
// feedback, cohort rules) and its journey steps, with teams, channels and groups by name. Never a
// wave's run state, queue, per-person results or markers; its cohort file only when the admin asked
// for the people. Waves are matched by name; a wave only this server has is kept, and only a draft
// is changed (a wave that has started runs as it was started).

export function portableWave(names: NamesOf, definition: WaveDefinition, includePeople: boolean): BundleWaveDefinition {
    const {cohort, targets, feedback, ...rest} = definition;
    return {
        ...rest,
        cohort: {
            csv: includePeople ? cohort.csv : [],
            group_names: cohort.group_ids.map(names.group),
            team_names: cohort.team_ids.map(names.team),
            email_domains: cohort.email_domains,
        },
        targets: {
            teams: targets.teams.map((target) => ({team: names.team(target.team_id), role: target.role})),
            channels: targets.channels.map((target) => ({...names.channel(target.channel_id), role: target.role})),
            create_channels: targets.create_channels.map(({team_id: teamId, ...channel}) => ({...channel, team: names.team(teamId)})),
            ...(targets.preferences === undefined ? {} : {preferences: targets.preferences}),
        },
        feedback: {
            enabled: feedback.enabled,
            help_desk: feedback.help_desk_channel_id === '' ? null : names.channel(feedback.help_desk_channel_id),
        },
    };
}

/** The definition on this server; `csv` is the cohort file to keep when the bundle carries no people. */
export function localWave(ids: IdsOf, definition: BundleWaveDefinition, csv: WaveDefinition['cohort']['csv']): WaveDefinition {
    const {cohort, targets, feedback, ...rest} = definition;
    return {
        ...rest,
        cohort: {
            csv,
            group_ids: cohort.group_names.map(ids.group),
            team_ids: cohort.team_names.map(ids.team),
            email_domains: cohort.email_domains,
        },
        targets: {
            teams: targets.teams.map((target) => ({team_id: ids.team(target.team), role: target.role})),
            channels: targets.channels.map(({role, ...ref}) => ({channel_id: ids.channel(ref), role})),
            create_channels: targets.create_channels.map(({team, ...channel}) => ({...channel, team_id: ids.team(team)})),
            ...(targets.preferences === undefined ? {} : {preferences: targets.preferences}),
        },
        feedback: {enabled: feedback.enabled, help_desk_channel_id: feedback.help_desk === null ? '' : ids.channel(feedback.help_desk)},
    };
}

interface LocalWave {
    id: string;
    def: {value: StoredWave; version: number};
    state: string;
    journey: {steps: JourneyStep[]; version: number};
}

function localWavesByName(kv: KvReader): Map<string, LocalWave[]> {
    const byName = new Map<string, LocalWave[]>();
    for (const waveId of listWaveIds(kv)) {
        const wave = loadWave(kv, waveId);
        const journey = kv.readVersioned(KvKeys.journey(waveId));
        const local = {
            id: waveId,
            def: wave.def,
            state: wave.run.value.state,
            journey: {steps: journey.value?.steps ?? [], version: journey.version},
        };
        const name = wave.def.value.definition.name;
        byName.set(name, [...(byName.get(name) ?? []), local]);
    }
    return byName;
}

/** Writes a wave's journey by compare-and-set; taking it back restores the steps it had. */
function journeyWrite(waveId: string, steps: JourneyStep[], before: {steps: JourneyStep[]; version: number}): UndoableWrite {
    let written = 0;
    return {
        run: ({kv, userId}) => {
            const journey = {steps, updated_at: Date.now(), updated_by: userId};
            written = kv.writeVersioned(KvKeys.journey(waveId), journey, before.version).version;
        },
        undo: ({kv, userId}) => {
            if (before.version === 0) {
                kv.delete(KvKeys.journey(waveId));
            } else {
                kv.writeVersioned(KvKeys.journey(waveId), {steps: before.steps, updated_at: Date.now(), updated_by: userId}, written);
            }
        },
    };
}

function createWrites(waveId: string, definition: WaveDefinition, steps: JourneyStep[]): UndoableWrite[] {
    return [
        {
            run: ({kv, userId}) => {
                const now = Date.now();
                const stored = {id: waveId, definition, created_at: now, created_by: userId, updated_at: now, updated_by: userId};
                kv.writeVersioned(KvKeys.waveDef(waveId), stored, 0);
                kv.writeVersioned(KvKeys.waveRun(waveId), newRun(), 0);
            },
            undo: ({kv}) => {
                kv.delete(KvKeys.waveRun(waveId));
                kv.delete(KvKeys.waveDef(waveId));
            },
        },
        ...(steps.length > 0 ? [journeyWrite(waveId, steps, {steps: [], version: 0})] : []),
    ];
}

function updateWrites(local: LocalWave, definition: WaveDefinition, steps: JourneyStep[]): UndoableWrite[] {
    const writes: UndoableWrite[] = [];
    if (!sameJson(local.def.value.definition, definition)) {
        let written = 0;
        writes.push({
            run: ({kv, userId}) => {
                written = kv.writeVersioned(
                    KvKeys.waveDef(local.id),
                    {...local.def.value, definition, updated_at: Date.now(), updated_by: userId},
                    local.def.version,
                ).version;
            },
            undo: ({kv}) => {
                kv.writeVersioned(KvKeys.waveDef(local.id), local.def.value, written);
            },
        });
    }
    if (!sameJson(local.journey.steps, steps)) {
        writes.push(journeyWrite(local.id, steps, local.journey));
    }
    return writes;
}

export const wavesPart: BundlePartHandler<'waves'> = {
    export: ({api, kv}, {includePeople}) => {
        const names = namesOf(api);
        return listWaveIds(kv).map((waveId): BundleWave => ({
            definition: portableWave(names, loadWave(kv, waveId).def.value.definition, includePeople),
            journey: kv.readVersioned(KvKeys.journey(waveId)).value?.steps ?? [],
        }));
    },

    plan: ({api, kv}, waves, bundle) => {
        const ids = idsOf(api);
        const preview = emptyPreview('waves');
        const here = localWavesByName(kv);
        const writes: UndoableWrite[] = [];
        const created: string[] = [];
        const audit: Array<{wave_id: string; name: string; change: 'added' | 'changed'}> = [];
        for (const wave of waves) {
            const name = wave.definition.name;
            const matches = here.get(name) ?? [];
            if (matches.length > 1) {
                preview.problems.push(`${matches.length} waves here are named "${name}": rename all but one first`);
                continue;
            }
            const local = matches[0];
            const csv = bundle.include_people || local === undefined ? wave.definition.cohort.csv : local.def.value.definition.cohort.csv;
            const definition = localWave(ids, wave.definition, csv);
            if (local === undefined) {
                const waveId = newId(Date.now());
                created.push(waveId);
                writes.push(...createWrites(waveId, definition, wave.journey));
                preview.added.push(name);
                audit.push({wave_id: waveId, name, change: 'added'});
                continue;
            }
            const changes = updateWrites(local, definition, wave.journey);
            if (changes.length === 0) {
                preview.unchanged++;
                continue;
            }
            if (local.state !== 'draft') {
                preview.problems.push(`the wave "${name}" is ${local.state.replace(/_/g, ' ')} here: only a draft wave can be changed`);
                continue;
            }
            writes.push(...changes);
            preview.changed.push(name);
            audit.push({wave_id: local.id, name, change: 'changed'});
        }
        preview.problems.push(...notOnThisServer(ids));
        if (!bundle.include_people && waves.length > 0) {
            preview.notes.push('The bundle carries no cohort files: new waves start without one, existing ones keep theirs.');
        }
        return {
            preview,
            apply: (context) => {
                runAll(context, 'waves', created.length > 0 ? [...writes, indexAdds(KvKeys.wavesIndex, created)] : writes);
                if (hasChanges(preview)) {
                    recordAudit(context, {action: 'bundle.waves.import', target: 'waves', before: null, after: audit});
                }
                return undefined;
            },
        };
    },
};
