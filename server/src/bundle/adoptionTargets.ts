import {emptyPreview, sameJson, type BundlePartHandler} from './part';

import {recordAudit} from '../audit/audit';
import {KvKeys} from '../kv/keys';

// The adoption-targets part: the complete list of success targets, written as the Adoption tab saves
// it (one record, compare-and-set on the version read). Targets are matched by id.

export const adoptionTargetsPart: BundlePartHandler<'adoption_targets'> = {
    export: ({kv}) => kv.readVersioned(KvKeys.adoptionTargets).value?.targets ?? [],

    plan: ({kv}, targets) => {
        const current = kv.readVersioned(KvKeys.adoptionTargets);
        const before = current.value?.targets ?? [];
        const byId = new Map(before.map((target) => [target.id, target]));
        const next = new Set(targets.map((target) => target.id));
        const preview = emptyPreview('adoption_targets');
        for (const target of targets) {
            const old = byId.get(target.id);
            if (old === undefined) {
                preview.added.push(target.id);
            } else if (sameJson(old, target)) {
                preview.unchanged++;
            } else {
                preview.changed.push(target.id);
            }
        }
        preview.removed.push(...before.filter((target) => !next.has(target.id)).map((target) => target.id));
        return {
            preview,
            apply: (context) => {
                const saved = context.kv.writeVersioned(KvKeys.adoptionTargets, {targets}, current.version);
                recordAudit(context, {
                    action: 'bundle.adoption_targets.import',
                    target: 'adoption:targets',
                    before,
                    after: saved.value.targets,
                });
                return undefined;
            },
        };
    },
};
