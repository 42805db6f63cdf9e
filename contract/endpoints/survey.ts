import {z} from 'zod';

import {Access, fileAnswer, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {
    SurveyAnswerActionRequestSchema,
    SurveyDialogAnswerSchema,
    SurveyDialogSubmitSchema,
    SurveyResultsSchema,
    SurveyTaskRequestSchema,
    SurveyTaskResponseSchema,
} from '../survey';

const survey = '/api/v1/waves/:waveId/surveys/:stepId' as const;

/**
 * A journey's surveys (contract/survey.ts): the "Answer" button, the dialog's submission, the results,
 * their export, a plan task from answers.
 */
export const SurveyEndpoints = {
    /**
     * Called by the server for a click on a survey's "Answer" button, for the clicking user: opens the
     * dialog (with their answers so far) when they are the person the survey was sent to and it is open.
     */
    answerAction: write('POST', '/api/v1/survey/actions/answer', {
        access: {kind: 'actionCallback'},
        body: SurveyAnswerActionRequestSchema,
        answer: lazySchema(() => z.object({ephemeral_text: z.string().optional()})),
    }),

    /**
     * The dialog's submission, posted by the server for the submitting user; the handler checks the
     * dialog's post was the survey sent to that user. Field errors and a closed survey are answered in
     * the dialog's own shape (200), as the server shows only those.
     */
    dialogSubmit: write('POST', '/api/v1/survey/dialogs/submit', {
        access: {kind: 'actionCallback'},
        body: SurveyDialogSubmitSchema,
        answer: SurveyDialogAnswerSchema,
    }),

    /** Per question counts, the free-text answers (`page` from 0, 50 a page), the response rate. */
    results: read(`${survey}/results`, {
        access: Access.systemAdmin,
        query: lazySchema(() => z.object({page: z.string().regex(/^\d{1,6}$/, {error: 'must be a page number'}).optional()})),
        answer: SurveyResultsSchema,
    }),

    /** One row per answer set (formula-safe CSV). */
    export: read(`${survey}/export`, {access: Access.systemAdmin, answer: fileAnswer}),

    /** A plan task made from answers, linked back to them. */
    createTask: write('POST', `${survey}/tasks`, {
        access: Access.systemAdmin,
        body: SurveyTaskRequestSchema,
        answer: SurveyTaskResponseSchema,
        status: 201,
    }),
};
