import {z} from 'zod';

import {lazySchema} from './lazy';
import {postActionRequestSchema} from './post_action';
import {ExpectedVersionSchema} from './versioned';

// Surveys: a journey step (contract/journey.ts) may carry one. Its follow-up DM then has an "Answer"
// button that opens an interactive dialog with the questions; each person keeps one answer set per
// survey, editable until the survey closes. The dialog's limits are the server's (model.Dialog):
// a title and a field's label at most 24 characters, a field's help text 150.

export const SurveyQuestionKindSchema = lazySchema(() => z.enum(['choice', 'rating', 'text']));
export type SurveyQuestionKind = z.infer<typeof SurveyQuestionKindSchema>;

/** The lowest and highest rating; ratings up to `lowRating` count as a call for help. */
export const ratingScale = [1, 2, 3, 4, 5] as const;
export const lowRating = 2;

/** A choice answer that asks for help (compared without case and surrounding spaces). */
export const helpOption = 'I need help';

export const maxSurveyQuestions = 10;
export const maxChoiceOptions = 10;
export const maxTextAnswer = 2000;

export const SurveyQuestionSchema = lazySchema(() => z.strictObject({
    id: z.string().regex(/^[a-z0-9]{1,16}$/, {error: 'must be 1–16 lowercase letters or digits'}),
    kind: SurveyQuestionKindSchema,

    /** The dialog field's label. */
    label: z.string().trim().min(1, {error: 'must not be empty'}).max(24),

    /** The question in full, under the field. */
    help: z.string().trim().max(150).default(''),

    /** A choice question's options (at least two, distinct); empty for the other kinds. */
    options: z.array(z.string().trim().min(1).max(80)).max(maxChoiceOptions).default([]),
}).superRefine((question, context) => {
    if (question.kind === 'choice') {
        if (question.options.length < 2) {
            context.addIssue({code: 'custom', path: ['options'], message: 'a choice question needs at least two options'});
        } else if (new Set(question.options).size !== question.options.length) {
            context.addIssue({code: 'custom', path: ['options'], message: 'options must be distinct'});
        }
    } else if (question.options.length > 0) {
        context.addIssue({code: 'custom', path: ['options'], message: 'only a choice question has options'});
    }
}));
export type SurveyQuestion = z.infer<typeof SurveyQuestionSchema>;

export const SurveySchema = lazySchema(() => z.strictObject({
    /** The dialog's title. */
    title: z.string().trim().min(1, {error: 'must not be empty'}).max(24),
    questions: z.
        array(SurveyQuestionSchema).
        min(1, {error: 'a survey needs a question'}).
        max(maxSurveyQuestions).
        refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, {
            error: 'question ids must be unique',
        }),

    /** When answers stop being taken or changed (ms); null: open until an admin sets it. */
    closes_at: z.number().int().nonnegative().nullable().default(null),
}));
export type Survey = z.infer<typeof SurveySchema>;

/** One answer set's values, question id → the option, the rating ("1"–"5") or the text. */
export const SurveyValuesSchema = lazySchema(() => z.record(z.string(), z.string()));
export type SurveyValues = z.infer<typeof SurveyValuesSchema>;

/** The "Answer" button's click, as the server posts it. */
export const SurveyAnswerActionRequestSchema = lazySchema(() => postActionRequestSchema(z.strictObject({
    wave_id: z.string(),
    step_id: z.string(),
    user_id: z.string(),
})));
export type SurveyAnswerActionRequest = z.infer<typeof SurveyAnswerActionRequestSchema>;

/** model.SubmitDialogRequest as the server posts a dialog's submission (its `url` removed). */
export const SurveyDialogSubmitSchema = lazySchema(() => z.strictObject({
    type: z.string().optional(),
    url: z.string().optional(),
    callback_id: z.string(),
    state: z.string(),
    user_id: z.string(),
    channel_id: z.string(),
    team_id: z.string(),
    submission: z.record(z.string(), z.unknown()).nullable(),
    cancelled: z.boolean(),
}));
export type SurveyDialogSubmit = z.infer<typeof SurveyDialogSubmitSchema>;

/** model.SubmitDialogResponse: nothing closes the dialog; `errors` marks fields, `error` the whole form. */
export const SurveyDialogAnswerSchema = lazySchema(() => z.object({
    error: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional(),
}));
export type SurveyDialogAnswer = z.infer<typeof SurveyDialogAnswerSchema>;

/** One option's (or rating's) count. */
export const SurveyCountSchema = lazySchema(() => z.object({value: z.string(), count: z.number().int()}));

export const SurveyQuestionResultSchema = lazySchema(() => z.object({
    id: z.string(),
    kind: SurveyQuestionKindSchema,
    label: z.string(),
    help: z.string(),

    /** How many answer sets answer it. */
    answered: z.number().int(),

    /** Every option or rating in order, with its count (empty for a text question). */
    counts: z.array(SurveyCountSchema),

    /** A rating question's mean, null without answers (and for the other kinds). */
    average: z.number().nullable(),
}));
export type SurveyQuestionResult = z.infer<typeof SurveyQuestionResultSchema>;

/** A free-text answer. Its id (`<userId>:<questionId>`) names it for a plan task's link. */
export const SurveyTextAnswerSchema = lazySchema(() => z.object({
    id: z.string(),
    question_id: z.string(),
    user_id: z.string(),
    username: z.string(),
    text: z.string(),
    at: z.number(),
}));
export type SurveyTextAnswer = z.infer<typeof SurveyTextAnswerSchema>;

export const surveyTextsPerPage = 50;

export const SurveyResultsSchema = lazySchema(() => z.object({
    wave_id: z.string(),
    step_id: z.string(),
    title: z.string(),

    /** People the survey was sent to, and the answer sets in. */
    asked: z.number().int(),
    answered: z.number().int(),

    /** answered / asked (0 when nobody was asked). */
    response_rate: z.number(),
    closes_at: z.number().nullable(),
    closed: z.boolean(),
    questions: z.array(SurveyQuestionResultSchema),

    /** One page of the free-text answers, newest first (`page` from 0, 50 a page). */
    texts: z.array(SurveyTextAnswerSchema),
    texts_total: z.number().int(),
    page: z.number().int(),
}));
export type SurveyResults = z.infer<typeof SurveyResultsSchema>;

/**
 * POST …/surveys/:stepId/tasks: a plan task made from answers — chosen ones (`answer_ids`, as the
 * results name them), or every answer to one question (`question_id`) — added to a phase, based on
 * the plan version read.
 */
export const SurveyTaskRequestSchema = lazySchema(() => z.strictObject({
    phase_id: z.string().max(100),
    title: z.string().trim().min(1).max(200),
    answer_ids: z.array(z.string().max(100)).max(200).optional(),
    question_id: z.string().max(16).optional(),
    expected_version: ExpectedVersionSchema,
}).refine((body) => (body.answer_ids === undefined) !== (body.question_id === undefined), {
    error: 'name either answer_ids or question_id',
}));
export type SurveyTaskRequest = z.infer<typeof SurveyTaskRequestSchema>;

export const SurveyTaskResponseSchema = lazySchema(() =>
    z.object({task_id: z.string(), plan_version: z.number().int(), answers: z.number().int()}));
export type SurveyTaskResponse = z.infer<typeof SurveyTaskResponseSchema>;
