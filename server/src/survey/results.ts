import {toCsv} from 'contract/csv';
import {
    ratingScale,
    type Survey,
    type SurveyQuestion,
    type SurveyQuestionResult,
    type SurveyTextAnswer,
    type SurveyValues,
} from 'contract/survey';

import {isoTime} from '../dates/dates';

// A survey's results as pure functions of its answer sets: per question the count of every option or
// rating (in the question's order, zeros included, so the chart's bars stay put), a rating's mean, the
// free-text answers newest first, the response rate, and the CSV export (one row per person).

export interface AnswerSet {
    userId: string;
    values: SurveyValues;
    at: number;
    edited_at: number;
}

const scale = ratingScale.map(String);

function questionResult(question: SurveyQuestion, sets: readonly AnswerSet[]): SurveyQuestionResult {
    const given = sets.map((set) => set.values[question.id]).filter((value): value is string => value !== undefined);
    const values = {choice: question.options, rating: scale, text: []}[question.kind];
    const counts = values.map((value) => ({value, count: given.filter((answer) => answer === value).length}));
    const ratings = question.kind === 'rating' ? given.map(Number) : [];
    return {
        id: question.id,
        kind: question.kind,
        label: question.label,
        help: question.help,
        answered: given.length,
        counts,
        average: ratings.length > 0 ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    };
}

export const questionResults = (survey: Survey, sets: readonly AnswerSet[]) =>
    survey.questions.map((question) => questionResult(question, sets));

/** A free-text answer's id: the answer set (the person) and the question. */
export const answerId = (userId: string, questionId: string) => `${userId}:${questionId}`;

/** Every free-text answer, newest first (then by id, so pages are stable); `username` left for the caller. */
export function textAnswers(survey: Survey, sets: readonly AnswerSet[]): Array<Omit<SurveyTextAnswer, 'username'>> {
    const texts = survey.questions.filter((question) => question.kind === 'text');
    return sets.
        flatMap((set) => texts.flatMap((question) => {
            const text = set.values[question.id];
            const id = answerId(set.userId, question.id);
            return text === undefined ? [] : [{id, question_id: question.id, user_id: set.userId, text, at: set.edited_at}];
        })).
        sort((a, b) => b.at - a.at || a.id.localeCompare(b.id));
}

export const responseRate = (answered: number, asked: number) => (asked > 0 ? answered / asked : 0);

/** One row per answer set: who, when, then each question's answer (the header names the questions by label and id). */
export function resultsCsv(survey: Survey, sets: readonly AnswerSet[], usernameOf: (userId: string) => string): string {
    const questions = survey.questions.map((question) => `${question.label} (${question.id})`);
    const header = ['user_id', 'username', 'answered_at', 'changed_at', ...questions];
    const rows = [...sets].
        sort((a, b) => a.at - b.at || a.userId.localeCompare(b.userId)).
        map((set) => [
            set.userId,
            usernameOf(set.userId),
            isoTime(set.at),
            isoTime(set.edited_at),
            ...survey.questions.map((question) => set.values[question.id] ?? ''),
        ]);
    return toCsv(header, rows);
}
