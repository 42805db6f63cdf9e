import {StakeholderRoutes} from 'contract/routes';
import {SaveStakeholderAccessRequestSchema, type StakeholderStatus} from 'contract/stakeholders';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {requireSystemAdmin} from '../http/guards';
import {KvKeys} from '../kv/keys';

import {readAccess, requireStakeholder, resolveAccess, toAccessResponse} from './access';
import {stakeholderStatus} from './status';

export const stakeholdersCapability: Capability = {
    name: 'stakeholders',
    routes(routes) {
        // Counts only (contract/stakeholders.ts): the guard lets system admins and listed stakeholders through.
        routes.get(StakeholderRoutes.status, requireStakeholder, ({kv}): StakeholderStatus => stakeholderStatus(kv, Date.now()));

        routes.get(StakeholderRoutes.access, requireSystemAdmin, ({api, kv}) => toAccessResponse(api, readAccess(kv)));

        routes.put(StakeholderRoutes.access, requireSystemAdmin, SaveStakeholderAccessRequestSchema, (context) => {
            const {api, kv, body, userId} = context;
            const resolved = resolveAccess(api, body);
            const previous = readAccess(kv);
            const saved = kv.writeVersioned(KvKeys.stakeholdersAccess, {...resolved, updated_at: Date.now(), updated_by: userId}, body.expected_version);
            recordAudit(context, {
                action: 'stakeholders.access.update',
                target: 'stakeholders:access',
                before: previous.value ? {user_ids: previous.value.user_ids, group_ids: previous.value.group_ids} : null,
                after: {...resolved, usernames: body.usernames, group_names: body.group_names},
            });
            return toAccessResponse(api, saved);
        });
    },
};
