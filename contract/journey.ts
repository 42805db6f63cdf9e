import {z} from 'zod';

import {lazySchema} from './lazy';
import {postActionRequestSchema} from './post_action';
import {SurveySchema} from './survey';
import {ExpectedVersionSchema} from './versioned';

// A wave's journey: the follow-up messages a wave's people get after its welcome DM, each after a delay
// and only if a condition on what the person has done by then holds. The welcome itself stays the
// wave's (contract/waves.ts); the journey's steps follow it, in order, each at most once per person.

/**
 * What a step's condition asks of the person when the step is due; the step is skipped for anyone else.
 * `not_answered_survey` reads the nearest survey step before it.
 */
export const JourneyConditionSchema = lazySchema(() => z.enum([
    'not_signed_in',
    'no_mobile_session',
    'no_desktop_session',
    'no_post',
    'no_profile_picture',
    'not_answered_survey',
]));
export type JourneyCondition = z.infer<typeof JourneyConditionSchema>;

/** What a step's delay counts from: the previous step (the welcome for the first), or the person's first sign-in. */
export const JourneyAnchorSchema = lazySchema(() => z.enum(['previous', 'first_sign_in']));
export type JourneyAnchor = z.infer<typeof JourneyAnchorSchema>;

/** 90 days: a longer journey is a new wave. */
export const maxDelayMinutes = 90 * 24 * 60;
export const maxJourneySteps = 10;

export const JourneyStepSchema = lazySchema(() => z.strictObject({
    /** Stable across edits: a person's progress names the steps done by id. */
    id: z.string().regex(/^[a-z0-9]{1,16}$/, {error: 'must be 1–16 lowercase letters or digits'}),
    after: JourneyAnchorSchema,
    delay_minutes: z.number().int().min(0).max(maxDelayMinutes),
    condition: JourneyConditionSchema.nullable(),

    /** Markdown with the welcome's {{variables}} (and {{getting_started}}). */
    template: z.string().trim().min(1, {error: 'must not be empty'}).max(4000),

    /** A survey step's questions: its message gets an "Answer" button (contract/survey.ts). */
    survey: SurveySchema.optional(),
}));
export type JourneyStep = z.infer<typeof JourneyStepSchema>;

export const JourneyStepsSchema = lazySchema(() => z.
    array(JourneyStepSchema).
    max(maxJourneySteps).
    refine((steps) => new Set(steps.map((step) => step.id)).size === steps.length, {error: 'step ids must be unique'}).
    superRefine((steps, context) => {
        steps.forEach((step, i) => {
            if (step.condition === 'not_answered_survey' && !steps.slice(0, i).some((earlier) => earlier.survey)) {
                context.addIssue({code: 'custom', path: [i, 'condition'], message: 'needs a survey step before this one'});
            }
        });
    }));

/** The survey a step's `not_answered_survey` condition reads: the nearest survey step before it. */
export function surveyBefore(steps: readonly JourneyStep[], stepId: string): JourneyStep | undefined {
    const index = steps.findIndex((step) => step.id === stepId);
    return steps.slice(0, Math.max(index, 0)).reverse().find((step) => step.survey);
}

/** PUT /api/v1/waves/:waveId/journey: the whole list, based on the version read (0 = none yet). */
export const JourneyUpdateRequestSchema = lazySchema(() => z.strictObject({
    steps: JourneyStepsSchema,
    expected_version: ExpectedVersionSchema,
}));
export type JourneyUpdateRequest = z.infer<typeof JourneyUpdateRequestSchema>;

/** How many people a step reached, and how many its condition or a "no more tips" left out. */
export const JourneyStepCountsSchema = lazySchema(() => z.object({sent: z.number(), skipped: z.number()}));
export type JourneyStepCounts = z.infer<typeof JourneyStepCountsSchema>;

export const JourneyResponseSchema = lazySchema(() => z.object({
    wave_id: z.string(),
    steps: z.array(JourneyStepSchema),
    version: z.number(),
    counts: z.record(z.string(), JourneyStepCountsSchema),

    /** People who clicked "No more tips". */
    stopped: z.number(),
}));
export type JourneyResponse = z.infer<typeof JourneyResponseSchema>;

/** What the server knows of a person when a step is due: the facts the conditions read. */
export const PersonStateSchema = lazySchema(() => z.object({
    signed_in: z.boolean(),
    mobile_session: z.boolean(),
    desktop_session: z.boolean(),
    posted: z.boolean(),
    profile_picture: z.boolean(),

    /** Whether they answered the survey the step's condition reads (false when it reads none). */
    answered_survey: z.boolean(),
}));
export type PersonState = z.infer<typeof PersonStateSchema>;

/** POST …/journey/preview and …/journey/test-send: a step's template (edited or not) for a chosen person. */
export const JourneyPreviewRequestSchema = lazySchema(() => z.strictObject({
    template: JourneyStepSchema.shape.template,
    condition: JourneyConditionSchema.nullable(),

    /** The person whose real state and names are used; the caller when absent. */
    user_id: z.string().max(64).optional(),

    /** The saved step previewed: a `not_answered_survey` condition reads the survey before it. */
    step_id: z.string().max(16).optional(),
}));
export type JourneyPreviewRequest = z.infer<typeof JourneyPreviewRequestSchema>;

export const JourneyPreviewResponseSchema = lazySchema(() => z.object({
    markdown: z.string(),
    state: PersonStateSchema,

    /** Whether the condition holds for this person now (true without a condition). */
    would_send: z.boolean(),
}));
export type JourneyPreviewResponse = z.infer<typeof JourneyPreviewResponseSchema>;

export const JourneyTestSendResponseSchema = lazySchema(() =>
    z.object({markdown: z.string(), post_id: z.string(), channel_id: z.string()}));
export type JourneyTestSendResponse = z.infer<typeof JourneyTestSendResponseSchema>;

/** The "No more tips" button's click, as the server posts it. */
export const JourneyStopRequestSchema = lazySchema(() =>
    postActionRequestSchema(z.strictObject({wave_id: z.string(), user_id: z.string()})));
export type JourneyStopRequest = z.infer<typeof JourneyStopRequestSchema>;
