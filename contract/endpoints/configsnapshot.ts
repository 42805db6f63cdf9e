import {Access, fileAnswer, read, write} from './endpoint';

import {CompareRequestSchema, SettingDifferencesSchema} from '../plan_api';

/**
 * The masked config snapshot and the comparison with another environment's. System admins only, unlike
 * the cockpit's other reads: the whole configuration, next to secrets however well masked.
 */
export const ConfigSnapshotEndpoints = {
    configSnapshot: read('/api/v1/config/snapshot', {access: Access.systemAdmin, answer: fileAnswer}),

    /** Reads only: another environment's snapshot against this server's, taken now. */
    configCompare: write('POST', '/api/v1/config/compare', {
        access: Access.systemAdmin,
        body: CompareRequestSchema,
        answer: SettingDifferencesSchema,
    }),
};
