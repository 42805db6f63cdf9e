import type {BundleTemplate} from 'contract/bundle';
import type {TemplateDefinition} from 'contract/templates';
import type {StoredTemplate} from 'contract/templates_stored';

import {idsOf, namesOf, notOnThisServer} from './names';
import {emptyPreview, hasChanges, indexAdds, runAll, sameJson, type BundlePartHandler, type UndoableWrite} from './part';

import {recordAudit} from '../audit/audit';
import {KvKeys} from '../kv/keys';
import {listTemplates} from '../templates/catalog';

// The role-templates part: each template's definition (never its proposals, approvals or the
// moderation credential), with its channel-admin people and groups by name. A template keeps its id,
// so the starters and a second import find theirs; templates only this server has are kept.

export const templatesPart: BundlePartHandler<'templates'> = {
    export: ({api, kv}) => {
        const names = namesOf(api);
        return listTemplates(kv).map((template): BundleTemplate => {
            const {channel_admins: admins, ...rest} = template.definition;
            return {
                id: template.id,
                definition: {
                    ...rest,
                    channel_admins: {
                        usernames: admins.user_ids.map(names.user),
                        group_names: admins.group_ids.map(names.group),
                        channel_creator: admins.channel_creator,
                    },
                },
            };
        });
    },

    plan: ({api, kv}, templates) => {
        const ids = idsOf(api);
        const preview = emptyPreview('templates');
        const writes: UndoableWrite[] = [];
        const created: string[] = [];
        const audit: Array<{id: string; name: string; change: 'added' | 'changed'}> = [];
        for (const template of templates) {
            const {channel_admins: admins, ...rest} = template.definition;
            const definition: TemplateDefinition = {
                ...rest,
                channel_admins: {
                    user_ids: admins.usernames.map(ids.user),
                    group_ids: admins.group_names.map(ids.group),
                    channel_creator: admins.channel_creator,
                },
            };
            const record = KvKeys.template(template.id);
            const current = kv.readVersioned(record);
            if (current.value !== undefined && sameJson(current.value.definition, definition)) {
                preview.unchanged++;
                continue;
            }
            const previous = current.value;
            const change = previous === undefined ? 'added' : 'changed';
            preview[change].push(definition.name);
            audit.push({id: template.id, name: definition.name, change});
            let written = 0;
            writes.push({
                run: (context) => {
                    const now = Date.now();
                    const stored: StoredTemplate = {
                        id: template.id,
                        definition,
                        starter: previous?.starter ?? null,
                        created_at: previous?.created_at ?? now,
                        created_by: previous?.created_by ?? context.userId,
                        updated_at: now,
                        updated_by: context.userId,
                    };
                    written = context.kv.writeVersioned(record, stored, current.version).version;
                },
                undo: (context) => {
                    if (previous === undefined) {
                        context.kv.delete(record);
                    } else {
                        context.kv.writeVersioned(record, previous, written);
                    }
                },
            });
            if (previous === undefined) {
                created.push(template.id);
            }
        }
        preview.problems.push(...notOnThisServer(ids));
        return {
            preview,
            apply: (context) => {
                runAll(context, 'templates', created.length > 0 ? [...writes, indexAdds(KvKeys.templatesIndex, created)] : writes);
                if (hasChanges(preview)) {
                    recordAudit(context, {action: 'bundle.templates.import', target: 'templates', before: null, after: audit});
                }
                return undefined;
            },
        };
    },
};
