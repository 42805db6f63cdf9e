import React, {useId, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {PlanEndpoints} from 'contract/endpoints/plan';
import {SurveyEndpoints} from 'contract/endpoints/survey';
import {type SurveyQuestionResult, type SurveyResults, surveyTextsPerPage} from 'contract/survey';

import {surveyMessages as m} from './messages';

import {BarChart} from '../adoption/bar_chart';
import {toRequestError, type RequestError} from '../client';
import {DateTime} from '../components/date_time';
import {fileSlug, saveTextFile} from '../components/files';
import {RequestErrorNotice} from '../components/request_error';
import {useAnswer} from '../resource';
import {isConflict, useWavesClient} from '../waves/use_waves';

/** A choice or rating question's answers as a bar chart (every option, zeros included), with a rating's mean. */
function QuestionChart({question}: {question: SurveyQuestionResult}) {
    const intl = useIntl();
    return (
        <div data-testid={`survey-chart-${question.id}`}>
            <BarChart
                title={`${question.label} · ${intl.formatMessage(m.answered, {count: question.answered})}`}
                categoryLabel={intl.formatMessage(m.answerValue)}
                categories={question.counts.map((count) => count.value)}
                series={[{
                    label: intl.formatMessage(m.answers),
                    values: question.counts.map((count) => count.count),
                    colorVar: '--button-bg',
                    fallback: '#1c58d9',
                }]}
            />
            {question.average !== null && (
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.average}
                        values={{average: question.average}}
                    />
                </p>
            )}
        </div>
    );
}

type TaskSource = {kind: 'chosen'} | {kind: 'question'; id: string};

/** "Make a plan task from answers": the chosen free-text answers or every answer to one question, into a chosen phase. */
function TaskFromAnswers({results, chosen}: {results: SurveyResults; chosen: readonly string[]}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const ids = {from: useId(), phase: useId(), title: useId()};
    const planAnswer = useAnswer(() => client.call(PlanEndpoints.plan), [client]);
    const plan = planAnswer.data;
    const [source, setSource] = useState<TaskSource>({kind: 'chosen'});
    const [chosenPhaseId, setPhaseId] = useState('');
    const phaseId = chosenPhaseId || plan?.plan.phases[0]?.id || '';
    const [title, setTitle] = useState('');
    const [done, setDone] = useState<{taskId: string; count: number} | null>(null);
    const [conflict, setConflict] = useState(false);
    const [writeError, setError] = useState<RequestError | null>(null);
    const error = writeError ?? planAnswer.error;

    const create = async () => {
        if (!plan) {
            return;
        }
        try {
            const picked = source.kind === 'chosen' ? {answer_ids: [...chosen]} : {question_id: source.id};
            const answer = await client.call(SurveyEndpoints.createTask, {
                params: {waveId: results.wave_id, stepId: results.step_id},
                body: {phase_id: phaseId, title, expected_version: plan.plan.version, ...picked},
            });
            setDone({taskId: answer.task_id, count: answer.answers});
            setConflict(false);
            setError(null);
            planAnswer.reload();
        } catch (err) {
            const failure = toRequestError(err);
            if (isConflict(failure)) {
                setConflict(true);
                planAnswer.reload();
            } else {
                setError(failure);
            }
        }
    };
    const fromValue = source.kind === 'chosen' ? '' : source.id;
    const ready = plan !== null && phaseId !== '' && title.trim() !== '' && (source.kind === 'question' || chosen.length > 0);

    return (
        <div
            className='cockpit-survey__task'
            data-testid='survey-task'
        >
            <h5><FormattedMessage {...m.taskTitle}/></h5>
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <div className='cockpit-field'>
                    <label htmlFor={ids.from}><FormattedMessage {...m.taskFrom}/></label>
                    <select
                        id={ids.from}
                        className='form-control'
                        value={fromValue}
                        onChange={(e) => setSource(e.target.value === '' ? {kind: 'chosen'} : {kind: 'question', id: e.target.value})}
                    >
                        <option value=''>{intl.formatMessage(m.taskFromChosen, {count: chosen.length})}</option>
                        {results.questions.map((question) => (
                            <option
                                key={question.id}
                                value={question.id}
                            >{intl.formatMessage(m.taskFromQuestion, {label: question.label})}</option>
                        ))}
                    </select>
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.phase}><FormattedMessage {...m.taskPhase}/></label>
                    <select
                        id={ids.phase}
                        className='form-control'
                        value={phaseId}
                        onChange={(e) => setPhaseId(e.target.value)}
                    >
                        {plan?.plan.phases.map((phase) => (
                            <option
                                key={phase.id}
                                value={phase.id}
                            >{phase.title}</option>
                        ))}
                    </select>
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.title}><FormattedMessage {...m.taskName}/></label>
                    <input
                        id={ids.title}
                        className='form-control'
                        maxLength={200}
                        value={title}
                        onChange={(e) => setTitle(e.target.value)}
                    />
                </div>
                <button
                    type='button'
                    className='btn btn-primary btn-sm'
                    disabled={!ready}
                    onClick={create}
                ><FormattedMessage {...m.createTask}/></button>
            </div>
            {done && (
                <p role='status'>
                    <FormattedMessage
                        {...m.taskCreated}
                        values={done}
                    />
                </p>
            )}
            {conflict && <p role='status'><FormattedMessage {...m.taskConflict}/></p>}
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={() => {
                        setError(null);
                        planAnswer.reload();
                    }}
                />
            )}
        </div>
    );
}

/**
 * A survey step's results (server/src/survey): the response rate, a bar chart per choice or rating
 * question, the free-text answers page by page (to choose from for a plan task), and the CSV export.
 */
export function SurveyResultsView({waveId, stepId}: {waveId: string; stepId: string}) {
    const {client} = useWavesClient();
    const [page, setPage] = useState(0);
    const answer = useAnswer(
        () => client.call(SurveyEndpoints.results, {params: {waveId, stepId}, query: {page: String(page)}}),
        [client, waveId, stepId, page],
    );
    const results = answer.data;
    const [chosen, setChosen] = useState<string[]>([]);
    const [downloadError, setDownloadError] = useState<RequestError | null>(null);
    const error = answer.error ?? downloadError;

    const download = async () => {
        try {
            const text = await client.call(SurveyEndpoints.export, {params: {waveId, stepId}});
            saveTextFile(text, `cockpit-survey-${fileSlug(stepId, 'survey')}.csv`, 'text/csv');
            setDownloadError(null);
        } catch (err) {
            setDownloadError(toRequestError(err));
        }
    };

    if (error) {
        return (
            <RequestErrorNotice
                error={error}
                onRetry={() => {
                    setDownloadError(null);
                    answer.reload();
                }}
            />
        );
    }
    if (!results) {
        return <p role='status'><FormattedMessage {...m.loading}/></p>;
    }
    const pages = Math.ceil(results.texts_total / surveyTextsPerPage);
    return (
        <div
            className='cockpit-survey__results'
            data-testid={`survey-results-${stepId}`}
        >
            <h5>
                <FormattedMessage
                    {...m.resultsTitle}
                    values={{title: results.title}}
                />
            </h5>
            <p data-testid='survey-summary'>
                <FormattedMessage
                    {...m.summary}
                    values={{asked: results.asked, answered: results.answered, rate: results.response_rate}}
                />
            </p>
            {results.closed && <p className='cockpit-muted'><FormattedMessage {...m.closed}/></p>}
            {results.questions.filter((question) => question.kind !== 'text').map((question) => (
                <QuestionChart
                    key={question.id}
                    question={question}
                />
            ))}
            <h5>
                <FormattedMessage
                    {...m.texts}
                    values={{total: results.texts_total}}
                />
            </h5>
            {results.texts.length === 0 && <p className='cockpit-muted'><FormattedMessage {...m.noTexts}/></p>}
            <ul className='cockpit-survey__texts'>
                {results.texts.map((text) => (
                    <li key={text.id}>
                        <label>
                            <input
                                type='checkbox'
                                checked={chosen.includes(text.id)}
                                aria-label={`${text.username}: ${text.text}`}
                                onChange={(e) => setChosen(e.target.checked ? [...chosen, text.id] : chosen.filter((id) => id !== text.id))}
                            />
                            {' '}
                            <strong>{text.username}</strong>
                            {' · '}
                            <DateTime value={text.at}/>
                            {' · '}
                            {results.questions.find((question) => question.id === text.question_id)?.label ?? text.question_id}
                        </label>

                        {/* People's words as plain text: React escapes them, no Markdown or links. */}
                        <blockquote>{text.text}</blockquote>
                    </li>
                ))}
            </ul>
            {pages > 1 && (
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        disabled={page === 0}
                        onClick={() => setPage(page - 1)}
                    ><FormattedMessage {...m.previous}/></button>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        disabled={page + 1 >= pages}
                        onClick={() => setPage(page + 1)}
                    ><FormattedMessage {...m.next}/></button>
                </div>
            )}
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    onClick={download}
                ><FormattedMessage {...m.download}/></button>
            </div>
            <TaskFromAnswers
                results={results}
                chosen={chosen}
            />
        </div>
    );
}
