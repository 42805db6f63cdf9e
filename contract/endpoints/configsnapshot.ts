import {Access, fileAnswer, read, write} from './endpoint';

import {
    ConfigApplyHistorySchema,
    ConfigApplyRequestSchema,
    ConfigApplySchema,
    ConfigPatchPreviewSchema,
    ConfigPatchRequestSchema,
    ConfigRollbackRequestSchema,
} from '../configsnapshot';
import {CompareRequestSchema, SettingDifferencesSchema} from '../plan_api';

/**
 * The masked config snapshot, the comparison with another environment's, and the promotion of picked
 * differences (preview, apply, rollback, history). System admins only, unlike the cockpit's other
 * reads: the whole configuration, next to secrets however well masked.
 */
export const ConfigSnapshotEndpoints = {
    configSnapshot: read('/api/v1/config/snapshot', {access: Access.systemAdmin, answer: fileAnswer}),

    /** Reads only: another environment's snapshot against this server's, taken now. */
    configCompare: write('POST', '/api/v1/config/compare', {
        access: Access.systemAdmin,
        body: CompareRequestSchema,
        answer: SettingDifferencesSchema,
    }),

    /** Reads only: the exact patch the picked differences make (also the file `mmctl config patch` takes). */
    patchPreview: write('POST', '/api/v1/config/patch/preview', {
        access: Access.systemAdmin,
        body: ConfigPatchRequestSchema,
        answer: ConfigPatchPreviewSchema,
    }),
    apply: write('POST', '/api/v1/config/apply', {access: Access.systemAdmin, body: ConfigApplyRequestSchema, answer: ConfigApplySchema}),
    rollback: write('POST', '/api/v1/config/rollback', {
        access: Access.systemAdmin,
        body: ConfigRollbackRequestSchema,
        answer: ConfigApplySchema,
    }),
    applies: read('/api/v1/config/applies', {access: Access.systemAdmin, answer: ConfigApplyHistorySchema}),
};
