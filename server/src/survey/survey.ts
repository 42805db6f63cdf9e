import {SurveyEndpoints} from 'contract/endpoints/survey';
import {ErrorIds} from 'contract/errors';
import {type SurveyResults, surveyTextsPerPage} from 'contract/survey';

import {handleAnswerClick, handleDialogSubmit} from './action';
import {isClosed} from './answers';
import {questionResults, resultsCsv, responseRate, textAnswers} from './results';
import {readAnswerSets, surveyStep} from './store';
import {chooseAnswers, freeTaskId, taskFromAnswers} from './tasks';

import type {Capability} from '../app/capability';
import {ApiError} from '../errors/apiError';
import {Download} from '../http/responses';
import {readStepCounts} from '../journey/journey';
import type {KvReader} from '../kv/store';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';
import {addTask} from '../plan/edits';
import {applyEdit} from '../plan/store';
import {requireClickingUser} from '../waves/feedback';
import {loadWave} from '../waves/store';

// The survey capability: a journey step's survey (its questions are the step's, saved with the journey)
// answered through an interactive dialog (action.ts), its results and export, and plan tasks made from
// its answers (tasks.ts).

function stepOf(kv: KvReader, waveId: string, stepId: string) {
    const wave = loadWave(kv, waveId);
    const step = surveyStep(kv, waveId, stepId);
    if (step === undefined) {
        throw new ApiError(404, ErrorIds.notFound, `Wave ${waveId} has no survey step ${stepId}.`);
    }
    return {wave, step};
}

/** Usernames of a few people, read in one call; an unknown person shows as their id. */
function usernamesOf(api: ReadOnlyMattermostApi, userIds: readonly string[]): (userId: string) => string {
    const ids = [...new Set(userIds)];
    const names = new Map(ids.length === 0 ? [] : api.users.getMany(ids).map((user) => [user.id, user.username]));
    return (userId) => names.get(userId) ?? userId;
}

function resultsOf(api: ReadOnlyMattermostApi, kv: KvReader, waveId: string, stepId: string, page: number, now: number): SurveyResults {
    const {wave, step} = stepOf(kv, waveId, stepId);
    const sets = readAnswerSets(kv, waveId, stepId);
    const asked = readStepCounts(kv, waveId, wave.run.value.queue_len)[stepId]?.sent ?? 0;
    const texts = textAnswers(step.survey, sets);
    const shown = texts.slice(page * surveyTextsPerPage, (page + 1) * surveyTextsPerPage);
    const usernameOf = usernamesOf(api, shown.map((text) => text.user_id));
    return {
        wave_id: waveId,
        step_id: stepId,
        title: step.survey.title,
        asked,
        answered: sets.length,
        response_rate: responseRate(sets.length, asked),
        closes_at: step.survey.closes_at,
        closed: isClosed(step.survey, now),
        questions: questionResults(step.survey, sets),
        texts: shown.map((text) => ({...text, username: usernameOf(text.user_id)})),
        texts_total: texts.length,
        page,
    };
}

export function surveyCapabilityWith(now: () => number): Capability {
    return {
        name: 'survey',
        routes(routes) {
            routes.handle(
                SurveyEndpoints.answerAction,
                ({api, kv, userId, body}) => handleAnswerClick({api, kv, userId, now: now()}, body),
                requireClickingUser,
            );
            routes.handle(
                SurveyEndpoints.dialogSubmit,
                ({api, kv, userId, body}) => handleDialogSubmit({api, kv, userId, now: now()}, body),
                requireClickingUser,
            );

            routes.handle(SurveyEndpoints.results, ({api, kv, params, query}) =>
                resultsOf(api, kv, params.waveId, params.stepId, Number(query.page ?? 0), now()),
            );

            routes.handle(SurveyEndpoints.export, ({api, kv, params}) => {
                const {step} = stepOf(kv, params.waveId, params.stepId);
                const sets = readAnswerSets(kv, params.waveId, params.stepId);
                const csv = resultsCsv(step.survey, sets, usernamesOf(api, sets.map((set) => set.userId)));
                return new Download(`cockpit-survey-${params.waveId}-${params.stepId}.csv`, 'text/csv; charset=utf-8', csv);
            });

            routes.handle(SurveyEndpoints.createTask, (context) => {
                const {api, kv, params, body} = context;
                const {wave, step} = stepOf(kv, params.waveId, params.stepId);
                const answers = chooseAnswers(step.survey, readAnswerSets(kv, params.waveId, params.stepId), body);
                const usernameOf = usernamesOf(api, answers.map((answer) => answer.userId));
                const waveName = wave.def.value.definition.name;
                const source = {waveId: params.waveId, waveName, stepId: params.stepId, survey: step.survey};
                let taskId = '';
                const {after} = applyEdit(context, body.expected_version, 'plan.task.add', (content) => {
                    taskId = freeTaskId(content, params.stepId);
                    return addTask(content, body.phase_id, taskFromAnswers(taskId, body.title, source, answers, usernameOf));
                });
                return {task_id: taskId, plan_version: after.version, answers: answers.length};
            });
        },
    };
}

export const surveyCapability: Capability = surveyCapabilityWith(() => Date.now());
