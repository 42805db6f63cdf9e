import type {z} from 'zod';

import {ErrorIds} from 'contract/errors';
import {
    DELEGATED_ROLES,
    TemplateDefinitionSchema,
    type CreateTemplateRequest,
    type DelegatedRole,
    type DelegationState,
    type LicenseAllows,
    type Template,
    type TemplateDefinition,
} from 'contract/templates';
import type {StoredTemplate} from 'contract/templates_stored';

import announcements from '../../../assets/templates/announcements.json';
import moderatedQa from '../../../assets/templates/moderated-qa.json';
import openCollaboration from '../../../assets/templates/open-collaboration.json';
import {recordAudit, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The template catalogue (system admins): the shipped starters, create / edit / delete with a version
// check, and delegated administration (the built-in admin roles) where the license allows it.

/**
 * The starters shipped as data (assets/templates/*.json); seeded once, then ordinary editable templates.
 * Parsed when seeding, not when the bundle loads: that would build the template schemas in every engine.
 */
export function starterTemplates(): Array<{id: string; definition: TemplateDefinition}> {
    return [announcements, moderatedQa, openCollaboration].
        map((starter) => ({id: starter.id, definition: TemplateDefinitionSchema.parse(starter.definition)}));
}

/** A Mattermost-style id: 26 lowercase alphanumerics (goja has no crypto; ids only need to be unique). */
export function newId(now: number): string {
    let id = now.toString(36);
    while (id.length < 26) {
        id += Math.floor(Math.random() * 36).toString(36);
    }
    return id.slice(0, 26);
}

/** Seeds the starters once (on activation): a second node or a later activation finds the index and stops. */
export function seedStarters(kv: KvStore, now: number): void {
    if (kv.readVersioned(KvKeys.templatesIndex).version !== 0) {
        return;
    }
    const starters = starterTemplates();
    for (const starter of starters) {
        if (kv.readVersioned(KvKeys.template(starter.id)).version === 0) {
            try {
                kv.writeVersioned(KvKeys.template(starter.id), {id: starter.id,
                    definition: starter.definition,
                    starter: starter.id,
                    created_at: now,
                    created_by: '',
                    updated_at: now,
                    updated_by: ''}, 0);
            } catch (error) {
                if (!(error instanceof ConflictError)) {
                    throw error;
                }
            }
        }
    }
    try {
        kv.writeVersioned(KvKeys.templatesIndex, {ids: starters.map((starter) => starter.id)}, 0);
    } catch (error) {
        if (!(error instanceof ConflictError)) {
            throw error;
        }
    }
}

function toTemplate(stored: StoredTemplate, version: number): Template {
    return {...stored, version};
}

export function readTemplate(kv: KvReader, templateId: string): Template {
    const record = kv.readVersioned(KvKeys.template(templateId));
    if (!record.value) {
        throw new ApiError(404, ErrorIds.templateNotFound, `No template ${templateId}.`);
    }
    return toTemplate(record.value, record.version);
}

export function listTemplates(kv: KvReader): Template[] {
    const ids = kv.readVersioned(KvKeys.templatesIndex).value?.ids ?? [];
    return ids.flatMap((id) => {
        const record = kv.readVersioned(KvKeys.template(id));
        return record.value ? [toTemplate(record.value, record.version)] : [];
    });
}

type Definition = z.infer<typeof TemplateDefinitionSchema>;

export function createTemplate(context: AuditContext, definition: Definition, now: number): Template {
    const id = newId(now);
    const stored: StoredTemplate = {
        id,
        definition,
        starter: null,
        created_at: now,
        created_by: context.userId,
        updated_at: now,
        updated_by: context.userId,
    };
    const written = context.kv.writeVersioned(KvKeys.template(id), stored, 0);
    context.kv.updateWithRetry(KvKeys.templatesIndex, (current) => ({ids: [...(current?.ids ?? []), id]}), 10);
    recordAudit(context, {action: 'templates.template.create', target: `template:${id}`, before: null, after: definition}, now);
    return toTemplate(written.value, written.version);
}

export type {CreateTemplateRequest};

export function updateTemplate(
    context: AuditContext,
    templateId: string,
    definition: Definition,
    expectedVersion: number,
    now: number,
): Template {
    const current = readTemplate(context.kv, templateId);
    const stored: StoredTemplate = {id: templateId,
        definition,
        starter: current.starter,
        created_at: current.created_at,
        created_by: current.created_by,
        updated_at: now,
        updated_by: context.userId};
    const written = context.kv.writeVersioned(KvKeys.template(templateId), stored, expectedVersion);
    recordAudit(
        context,
        {action: 'templates.template.update', target: `template:${templateId}`, before: current.definition, after: definition},
        now,
    );
    return toTemplate(written.value, written.version);
}

/** Deletes with a version check (compare-and-set on the stored bytes). Proposals keep their own copy. */
export function deleteTemplate(
    context: AuditContext & {api: Pick<MattermostApi, 'kv'>},
    templateId: string,
    expectedVersion: number,
    now: number,
): void {
    const record = KvKeys.template(templateId);
    const current = readTemplate(context.kv, templateId);
    if (current.version !== expectedVersion) {
        throw new ConflictError(record.key, expectedVersion, current.version);
    }
    const raw = context.api.kv.get(record.key);
    if (raw === null || !context.api.kv.setWithOptions(record.key, null, {atomic: true, old_value: raw})) {
        throw new ConflictError(record.key, expectedVersion, context.kv.readVersioned(record).version);
    }
    context.kv.updateWithRetry(KvKeys.templatesIndex, (index) => ({ids: (index?.ids ?? []).filter((id) => id !== templateId)}), 10);
    recordAudit(
        context,
        {action: 'templates.template.delete', target: `template:${templateId}`, before: current.definition, after: null},
        now,
    );
}

// ---- delegated administration ----

export function licenseAllows(api: Pick<ReadOnlyMattermostApi, 'system'>): LicenseAllows {
    const license = api.system.getLicense();
    return {
        licensed: license !== null,
        sku: license?.sku_short_name ?? '',
        channel_moderation: license !== null,

        // As api4/user.go updateUserRoles: the new system roles need CustomPermissionsSchemes.
        delegated_roles: license?.features?.custom_permissions_schemes === true,
    };
}

function delegatedRolesOf(roles: string): DelegatedRole[] {
    const held = roles.split(' ');
    return DELEGATED_ROLES.filter((role) => held.includes(role));
}

export function delegationState(api: Pick<ReadOnlyMattermostApi, 'system' | 'users'>, kv: KvReader): DelegationState {
    const record = kv.readVersioned(KvKeys.delegation);
    const admins = Object.keys(record.value?.admins ?? {}).flatMap((userId) => {
        try {
            const user = api.users.get(userId);

            // Roles read from the user, so a change made in the System Console shows here too.
            return [{user_id: user.id, username: user.username, roles: delegatedRolesOf(user.roles)}];
        } catch (error) {
            if (isHostError(error) && error.status_code === 404) {
                return [];
            }
            throw error;
        }
    });
    return {license: licenseAllows(api), version: record.version, admins};
}

export function assignDelegatedRoles(
    context: AuditContext & {api: MattermostApi},
    body: {expected_version: number; user_id: string; roles: DelegatedRole[]},
    now: number,
): DelegationState {
    const {api, kv} = context;
    if (!licenseAllows(api).delegated_roles && body.roles.length > 0) {
        throw new ApiError(
            400,
            ErrorIds.templatesNeedsLicense,
            'The license does not allow delegated admin roles (it needs custom permission schemes).',
        );
    }
    let user;
    try {
        user = api.users.get(body.user_id);
    } catch (error) {
        if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
            throw ApiError.invalid(`No user ${body.user_id}.`);
        }
        throw error;
    }
    if (user.is_bot || user.delete_at !== 0 || user.roles.split(' ').includes('system_guest')) {
        throw ApiError.invalid('Delegated admin roles go to active people, not bots, guests or deactivated accounts.');
    }
    const record = kv.readVersioned(KvKeys.delegation);
    if (record.version !== body.expected_version) {
        throw new ConflictError(KvKeys.delegation.key, body.expected_version, record.version);
    }
    const admins = {...(record.value?.admins ?? {})};
    if (body.roles.length > 0) {
        admins[user.id] = [...body.roles];
    } else {
        delete admins[user.id];
    }
    kv.writeVersioned(KvKeys.delegation, {admins}, body.expected_version);
    const before = delegatedRolesOf(user.roles);
    const kept = user.roles.split(' ').filter((role) => role !== '' && !(DELEGATED_ROLES as readonly string[]).includes(role));
    try {
        api.admin.updateUserRoles(user.id, [...kept, ...body.roles].join(' '));
    } catch (error) {
        // The record claimed the version first (so two admins cannot both win); put the entry back.
        const previous = record.value?.admins?.[user.id];
        kv.updateWithRetry(KvKeys.delegation, (current) => {
            const restored = {...(current?.admins ?? {})};
            if (previous) {
                restored[user.id] = previous;
            } else {
                delete restored[user.id];
            }
            return {admins: restored};
        });
        throw error;
    }
    recordAudit(
        context,
        {action: 'templates.delegation.assign', target: `user:${user.id}`, before: {roles: before}, after: {roles: body.roles}},
        now,
    );
    return delegationState(api, kv);
}
