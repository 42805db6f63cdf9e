import React, {useId} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {ratingScale, type Survey, type SurveyQuestion, type SurveyQuestionKind, SurveyQuestionKindSchema} from 'contract/survey';

import {surveyMessages as m} from './messages';

import {freshId} from '../components/fresh_id';

/** A new question; its id stays once saved (answers name it). */
const newQuestion = (questions: readonly SurveyQuestion[]): SurveyQuestion => ({
    id: freshId('q', questions.map((question) => question.id)),
    kind: 'rating',
    label: '',
    help: '',
    options: [],
});

export const newSurvey = (): Survey => ({title: 'Survey', questions: [newQuestion([])], closes_at: null});

/** The survey as saved: a choice's options without blank lines (the editor keeps them while typing). */
export const cleanSurvey = (survey: Survey): Survey => ({
    ...survey,
    questions: survey.questions.map((question) => ({...question, options: question.options.map((o) => o.trim()).filter((o) => o !== '')})),
});

/** Whether the survey can be saved as it is (the server checks it all again). */
export const surveyComplete = (survey: Survey) =>
    survey.title.trim() !== '' &&
    survey.questions.length > 0 &&
    cleanSurvey(survey).questions.every((question) =>
        question.label.trim() !== '' && (question.kind !== 'choice' || question.options.length >= 2));

/** The date input's YYYY-MM-DD as closes_at: that day's start, UTC (empty: no closing date). */
const closesAtOf = (day: string) => (day ? Date.parse(`${day}T00:00:00Z`) : null);

/** closes_at (ms) as the date input's YYYY-MM-DD, UTC. */
const dayOf = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));

function QuestionEditor({question, number, readOnly, onChange, onRemove}: {
    question: SurveyQuestion;
    number: number;
    readOnly: boolean;
    onChange: (question: SurveyQuestion) => void;
    onRemove: () => void;
}) {
    const intl = useIntl();
    const ids = {kind: useId(), label: useId(), help: useId(), options: useId()};
    return (
        <fieldset
            className='cockpit-survey__question'
            data-testid={`survey-question-${question.id}`}
        >
            <legend>
                <FormattedMessage
                    {...m.question}
                    values={{number}}
                />
            </legend>
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <div className='cockpit-field'>
                    <label htmlFor={ids.kind}><FormattedMessage {...m.kind}/></label>
                    <select
                        id={ids.kind}
                        className='form-control'
                        value={question.kind}
                        disabled={readOnly}
                        onChange={(e) => {
                            const kind: SurveyQuestionKind = SurveyQuestionKindSchema.parse(e.target.value);
                            onChange({...question, kind, options: kind === 'choice' ? question.options : []});
                        }}
                    >
                        {SurveyQuestionKindSchema.options.map((kind) => (
                            <option
                                key={kind}
                                value={kind}
                            >{intl.formatMessage(m[kind])}</option>
                        ))}
                    </select>
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.label}><FormattedMessage {...m.label}/></label>
                    <input
                        id={ids.label}
                        className='form-control'
                        maxLength={24}
                        value={question.label}
                        disabled={readOnly}
                        onChange={(e) => onChange({...question, label: e.target.value})}
                    />
                </div>
            </div>
            <div className='cockpit-field'>
                <label htmlFor={ids.help}><FormattedMessage {...m.help}/></label>
                <input
                    id={ids.help}
                    className='form-control'
                    maxLength={150}
                    value={question.help}
                    disabled={readOnly}
                    onChange={(e) => onChange({...question, help: e.target.value})}
                />
            </div>
            {question.kind === 'choice' && (
                <div className='cockpit-field'>
                    <label htmlFor={ids.options}><FormattedMessage {...m.options}/></label>
                    <textarea
                        id={ids.options}
                        className='form-control'
                        rows={3}
                        value={question.options.join('\n')}
                        disabled={readOnly}
                        onChange={(e) => onChange({...question, options: e.target.value.split('\n')})}
                    />
                </div>
            )}
            {!readOnly && (
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm btn-danger'
                    onClick={onRemove}
                ><FormattedMessage {...m.removeQuestion}/></button>
            )}
        </fieldset>
    );
}

/** A step's survey: its title, questions and closing date. */
export function SurveyEditor({survey, readOnly, onChange}: {survey: Survey; readOnly: boolean; onChange: (survey: Survey) => void}) {
    const ids = {title: useId(), closes: useId()};
    const setQuestion = (id: string, question: SurveyQuestion) =>
        onChange({...survey, questions: survey.questions.map((q) => (q.id === id ? question : q))});
    return (
        <div
            className='cockpit-survey'
            data-testid='survey-editor'
        >
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <div className='cockpit-field'>
                    <label htmlFor={ids.title}><FormattedMessage {...m.title}/></label>
                    <input
                        id={ids.title}
                        className='form-control'
                        maxLength={24}
                        value={survey.title}
                        disabled={readOnly}
                        onChange={(e) => onChange({...survey, title: e.target.value})}
                    />
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.closes}><FormattedMessage {...m.closesAt}/></label>
                    <input
                        id={ids.closes}
                        className='form-control'
                        type='date'
                        value={dayOf(survey.closes_at)}
                        disabled={readOnly}
                        onChange={(e) => onChange({...survey, closes_at: closesAtOf(e.target.value)})}
                    />
                </div>
                {!readOnly && (
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={() => onChange({...survey, closes_at: Date.now()})}
                    ><FormattedMessage {...m.closeNow}/></button>
                )}
            </div>
            {survey.questions.map((question, i) => (
                <QuestionEditor
                    key={question.id}
                    question={question}
                    number={i + 1}
                    readOnly={readOnly}
                    onChange={(changed) => setQuestion(question.id, changed)}
                    onRemove={() => onChange({...survey, questions: survey.questions.filter((q) => q.id !== question.id)})}
                />
            ))}
            {!readOnly && (
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    onClick={() => onChange({...survey, questions: [...survey.questions, newQuestion(survey.questions)]})}
                ><FormattedMessage {...m.addQuestion}/></button>
            )}
        </div>
    );
}

const choicesOf = (question: SurveyQuestion) => (question.kind === 'choice' ? question.options : ratingScale.map(String));

/** The dialog as a person will see it: each question with its choices. */
export function SurveyPreview({survey}: {survey: Survey}) {
    return (
        <div
            className='cockpit-survey__preview'
            data-testid='survey-preview'
        >
            <h5>
                <FormattedMessage
                    {...m.previewTitle}
                    values={{title: survey.title}}
                />
            </h5>
            <ol>
                {survey.questions.map((question) => (
                    <li key={question.id}>
                        <strong>{question.label}</strong>
                        {question.kind === 'text' && <>{' '}<FormattedMessage {...m.previewOptional}/></>}
                        {question.help && <div className='cockpit-muted'>{question.help}</div>}
                        <div>
                            {question.kind === 'text' ? <FormattedMessage {...m.previewText}/> : choicesOf(question).map((option) => (
                                <span
                                    key={option}
                                    className='cockpit-badge'
                                >{`○ ${option}`}</span>
                            ))}
                        </div>
                    </li>
                ))}
            </ol>
        </div>
    );
}
