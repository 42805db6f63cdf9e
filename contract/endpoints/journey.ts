import {z} from 'zod';

import {Access, read, write} from './endpoint';

import {
    JourneyPreviewRequestSchema,
    JourneyPreviewResponseSchema,
    JourneyResponseSchema,
    JourneyStopRequestSchema,
    JourneyTestSendResponseSchema,
    JourneyUpdateRequestSchema,
} from '../journey';
import {lazySchema} from '../lazy';

const journey = '/api/v1/waves/:waveId/journey' as const;

/** A wave's journey (contract/journey.ts): its follow-up steps, their preview and test-send, and the "No more tips" button. */
export const JourneyEndpoints = {
    journey: read(journey, {access: Access.consoleReader, answer: JourneyResponseSchema}),

    /** Any state but cancelled: a running wave's people get the steps they have not had yet. */
    update: write('PUT', journey, {access: Access.systemAdmin, body: JourneyUpdateRequestSchema, answer: JourneyResponseSchema}),

    /** A step rendered for a chosen person (the caller by default), with that person's state. Changes nothing. */
    preview: write('POST', `${journey}/preview`, {
        access: Access.systemAdmin,
        body: JourneyPreviewRequestSchema,
        answer: JourneyPreviewResponseSchema,
    }),

    /** The bot DMs that rendering to the caller only. */
    testSend: write('POST', `${journey}/test-send`, {
        access: Access.systemAdmin,
        body: JourneyPreviewRequestSchema,
        answer: JourneyTestSendResponseSchema,
    }),

    /**
     * Called by the server for a click on a follow-up's "No more tips" button, for the clicking user; the
     * handler checks it is the person the follow-up was sent to.
     */
    stopAction: write('POST', '/api/v1/journey/actions/stop', {
        access: {kind: 'actionCallback'},
        body: JourneyStopRequestSchema,
        answer: lazySchema(() => z.object({ephemeral_text: z.string()})),
    }),
};
