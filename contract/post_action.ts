import {z} from 'zod';

/**
 * model.PostActionIntegrationRequest as the server POSTs a message button's click to the plugin route
 * the button names: who clicked, where, and the button's own context (the only part each route shapes).
 */
export function postActionRequestSchema<C extends z.ZodType>(context: C) {
    return z.strictObject({
        user_id: z.string(),
        user_name: z.string().optional(),
        channel_id: z.string().optional(),
        channel_name: z.string().optional(),
        team_id: z.string().optional(),
        team_domain: z.string().optional(),
        post_id: z.string(),
        trigger_id: z.string().optional(),
        type: z.string().optional(),
        data_source: z.string().optional(),
        context,
    });
}
