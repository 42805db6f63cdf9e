import {StakeholderEndpoints} from 'contract/endpoints/stakeholders';

import {mayReadStatus, readAccess, requireStakeholder, resolveAccess, toAccessResponse} from './access';
import {stakeholderStatus} from './status';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {KvKeys} from '../kv/keys';

export const stakeholdersCapability: Capability = {
    name: 'stakeholders',
    routes(routes) {
        // Counts only (contract/stakeholders.ts): the guard lets system admins and listed stakeholders through.
        routes.handle(StakeholderEndpoints.status, ({kv}) => stakeholderStatus(kv, Date.now()), requireStakeholder);

        // The same decision as the status route's guard, as an answer instead of a 403, so the webapp offers the
        // page only to those it would let in. About the caller only: no list, no other user.
        routes.handle(StakeholderEndpoints.allowed, ({api, kv, userId}) => ({
            allowed: mayReadStatus(api, readAccess(kv).value, userId),
        }));

        routes.handle(StakeholderEndpoints.access, ({api, kv}) => toAccessResponse(api, readAccess(kv)));

        routes.handle(StakeholderEndpoints.saveAccess, (context) => {
            const {api, kv, body, userId} = context;
            const resolved = resolveAccess(api, body);
            const previous = readAccess(kv);
            const saved = kv.writeVersioned(
                KvKeys.stakeholdersAccess,
                {...resolved, updated_at: Date.now(), updated_by: userId},
                body.expected_version,
            );
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
