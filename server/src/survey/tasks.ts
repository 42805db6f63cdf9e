import {PLAN_LIMITS, type PlanContent, type Task, TaskSchema} from 'contract/plan';
import type {Survey, SurveyTaskRequest} from 'contract/survey';

import {answerId, type AnswerSet} from './results';

import {ApiError} from '../errors/apiError';
import {escapeMarkdown} from '../welcome/template';

// "Incorporated into the on-going plan": a plan task made from survey answers, chosen one by one or
// every answer to one question. The task quotes them (escaped: people's words show as typed, mention
// nobody and link nowhere) and names them in its `survey` link (wave, step, answer ids), so the plan
// leads back to the answers. It is added through the plan's structure edit (plan/store.ts applyEdit).

export interface ChosenAnswer {
    id: string;
    userId: string;
    label: string;
    value: string;
}

/** The answers a request names, in the results' order; 400 for an id that names no answer, or none at all. */
export function chooseAnswers(
    survey: Survey,
    sets: readonly AnswerSet[],
    request: Pick<SurveyTaskRequest, 'answer_ids' | 'question_id'>,
): ChosenAnswer[] {
    const all = sets.flatMap((set) => survey.questions.flatMap((question) => {
        const value = set.values[question.id];
        const id = answerId(set.userId, question.id);
        return value === undefined ? [] : [{id, userId: set.userId, questionId: question.id, label: question.label, value}];
    }));
    let chosen: typeof all;
    if (request.question_id === undefined) {
        const wanted = new Set(request.answer_ids ?? []);
        chosen = all.filter((answer) => wanted.has(answer.id));
        const unknown = [...wanted].filter((id) => !chosen.some((answer) => answer.id === id));
        if (unknown.length > 0) {
            throw ApiError.invalid(`answer_ids: no answer ${unknown.slice(0, 5).join(', ')}`);
        }
    } else {
        chosen = all.filter((answer) => answer.questionId === request.question_id);
    }
    if (chosen.length === 0) {
        throw ApiError.invalid('There are no answers to make a task from.');
    }
    return chosen.slice(0, 200).map(({id, userId, label, value}) => ({id, userId, label, value}));
}

/** The first `survey-<step>-<n>` id the plan does not use. */
export function freeTaskId(content: PlanContent, stepId: string): string {
    const used = new Set(content.phases.flatMap((phase) => [phase.id, ...phase.tasks.map((task) => task.id)]));
    for (let n = 1; ; n++) {
        const id = `survey-${stepId}-${n}`;
        if (!used.has(id)) {
            return id;
        }
    }
}

export interface TaskSource {
    waveId: string;
    waveName: string;
    stepId: string;
    survey: Survey;
}

/** The task: the answers quoted (as many as fit the description), linked back by id. */
export function taskFromAnswers(
    id: string,
    title: string,
    source: TaskSource,
    answers: readonly ChosenAnswer[],
    usernameOf: (userId: string) => string,
): Task {
    const survey = escapeMarkdown(source.survey.title);
    const intro = `Made from ${answers.length} answer(s) to the survey “${survey}” of the wave “${escapeMarkdown(source.waveName)}”.`;
    const lines = [intro, ''];
    let length = intro.length;
    for (const answer of answers) {
        const who = escapeMarkdown(usernameOf(answer.userId));
        const line = `> **${escapeMarkdown(answer.label)}** (${who}): ${escapeMarkdown(answer.value)}`;
        if (length + line.length + 40 > PLAN_LIMITS.text) {
            lines.push(`…and ${answers.length - ((lines.length - 2) / 2)} more (see the survey's results).`);
            break;
        }
        lines.push(line, '>');
        length += line.length + 2;
    }
    return TaskSchema.parse({
        id,
        title,
        description: lines.join('\n').replace(/\n>$/, ''),
        survey: {wave_id: source.waveId, step_id: source.stepId, answer_ids: answers.map((answer) => answer.id)},
    });
}
