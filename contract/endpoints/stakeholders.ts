import {Access, read, write} from './endpoint';

import {
    SaveStakeholderAccessRequestSchema,
    StakeholderAccessResponseSchema,
    StakeholderPageAccessSchema,
    StakeholderStatusSchema,
} from '../stakeholders';

/** The stakeholder status page (counts only) and who may read it. */
export const StakeholderEndpoints = {
    /** System admins and the users/groups on the access list; everybody else 403. */
    status: read('/api/v1/stakeholders/status', {access: {kind: 'listed', list: 'stakeholders:access'}, answer: StakeholderStatusSchema}),

    /** Whether the caller may open the status page; only about the caller. */
    allowed: read('/api/v1/stakeholders/allowed', {access: Access.user, answer: StakeholderPageAccessSchema}),
    access: read('/api/v1/stakeholders/access', {access: Access.consoleReader, answer: StakeholderAccessResponseSchema}),

    /** The complete lists by name (409 on a stale expected_version). */
    saveAccess: write('PUT', '/api/v1/stakeholders/access', {
        access: Access.systemAdmin,
        body: SaveStakeholderAccessRequestSchema,
        answer: StakeholderAccessResponseSchema,
    }),
};
