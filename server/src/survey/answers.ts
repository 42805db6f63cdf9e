import type {DialogElement} from '@mattermost/types/integrations';

import {fallbackLocale} from 'contract/locales';
import {helpOption, lowRating, maxTextAnswer, ratingScale, type Survey, type SurveyQuestion, type SurveyValues} from 'contract/survey';

import {type Speaker, speakerFor} from '../i18n/messages';

// A survey's answers as pure functions: the dialog's fields (pre-filled with the person's answers),
// a submission checked against the questions (the dialog's `errors` map, field by field), whether the
// survey is closed, and whether an answer set calls for help.

/** Whether the survey takes no more answers or changes at `now`. */
export const isClosed = (survey: Survey, now: number) => survey.closes_at !== null && now >= survey.closes_at;

const ratingOptions = ratingScale.map((rating) => ({text: String(rating), value: String(rating)}));

function element(question: SurveyQuestion, current: string | undefined): DialogElement {
    const common = {
        display_name: question.label,
        name: question.id,
        help_text: question.help,
        default: current ?? '',
        placeholder: '',
        subtype: '',
        min_length: 0,
        max_length: 0,
        data_source: '',
    };
    switch (question.kind) {
    case 'choice':
        return {...common, type: 'radio', optional: false, options: question.options.map((option) => ({text: option, value: option}))};
    case 'rating':
        return {...common, type: 'radio', optional: false, options: ratingOptions};
    case 'text':
        return {...common, type: 'textarea', optional: true, max_length: maxTextAnswer, options: []};
    }
    return question.kind satisfies never;
}

/** The dialog's fields, one per question, each showing the person's current answer. */
export const dialogElements = (survey: Survey, current: SurveyValues = {}): DialogElement[] =>
    survey.questions.map((question) => element(question, current[question.id]));

export type Checked = {values: SurveyValues} | {errors: Record<string, string>};

/**
 * A dialog submission checked against the questions: a choice must be one of its options, a rating
 * 1–5 (both required), a text at most 2,000 characters (optional; blank is no answer). Fields of no
 * question are dropped.
 */
export function checkSubmission(
    survey: Survey,
    submission: Record<string, unknown>,
    speaker: Speaker = speakerFor(fallbackLocale),
): Checked {
    const values: SurveyValues = {};
    const errors: Record<string, string> = {};
    for (const question of survey.questions) {
        const raw = submission[question.id];
        const given = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
        if (question.kind === 'text') {
            if (given.length > maxTextAnswer) {
                errors[question.id] = speaker.t('survey.tooLong', {max: maxTextAnswer});
            } else if (given !== '') {
                values[question.id] = given;
            }
        } else if (question.kind === 'choice' ? question.options.includes(given) : ratingOptions.some((o) => o.value === given)) {
            values[question.id] = given;
        } else {
            errors[question.id] = speaker.t(question.kind === 'choice' ? 'survey.chooseOption' : 'survey.chooseRating', {
                lowest: ratingScale[0],
                highest: ratingScale[ratingScale.length - 1],
            });
        }
    }
    return Object.keys(errors).length > 0 ? {errors} : {values};
}

/** What in an answer set calls for help ("I need help" chosen, a rating of 2 or less), as text; null: nothing. */
export function helpCall(survey: Survey, values: SurveyValues): string | null {
    const calls = survey.questions.flatMap((question) => {
        const value = values[question.id];
        if (value === undefined) {
            return [];
        }
        if (question.kind === 'rating' && Number(value) <= lowRating) {
            return [`${question.label}: ${value}/${ratingScale.length}`];
        }
        if (question.kind === 'choice' && value.trim().toLowerCase() === helpOption.toLowerCase()) {
            return [`${question.label}: ${value}`];
        }
        return [];
    });
    return calls.length > 0 ? calls.join('; ') : null;
}
