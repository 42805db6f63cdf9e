import {z} from 'zod';

import {Access, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {
    PostUpdateRequestSchema,
    PostUpdateResponseSchema,
    RolloutSummarySchema,
    SaveUpdateSettingsRequestSchema,
    TimelinePageSchema,
    UpdatePreviewSchema,
    UpdateSettingsResponseSchema,
} from '../rollout';

/** The roll-out at a glance (the Overview tab), the status updates to the project channel, the plan's timeline. */
export const RolloutEndpoints = {
    summary: read('/api/v1/rollout/summary', {access: Access.consoleReader, answer: RolloutSummarySchema}),

    updateSettings: read('/api/v1/rollout/updates', {access: Access.systemAdmin, answer: UpdateSettingsResponseSchema}),
    saveUpdateSettings: write('PUT', '/api/v1/rollout/updates', {
        access: Access.systemAdmin,
        body: SaveUpdateSettingsRequestSchema,
        answer: UpdateSettingsResponseSchema,
    }),
    updatePreview: read('/api/v1/rollout/updates/preview', {access: Access.systemAdmin, answer: UpdatePreviewSchema}),
    postUpdate: write('POST', '/api/v1/rollout/updates/post', {
        access: Access.systemAdmin,
        body: PostUpdateRequestSchema,
        answer: PostUpdateResponseSchema,
        status: 201,
    }),

    /** `before`: an audit entry number to continue below (from `next_before`); `per_page` up to 100. */
    timeline: read('/api/v1/rollout/timeline', {
        access: Access.consoleReader,
        query: lazySchema(() => z.object({before: z.string().optional(), per_page: z.string().optional()})),
        answer: TimelinePageSchema,
    }),
};
