import React, {useCallback, useEffect, useId, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {
    JourneyConditionSchema,
    type JourneyCondition,
    type JourneyPreviewResponse,
    type JourneyStep,
} from 'contract/journey';

import {journeyMessages as m} from './messages';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {freshId} from '../components/fresh_id';
import {ChosenList, Picker, type PickOption} from '../components/picker';
import {RequestErrorNotice} from '../components/request_error';
import {useHostDispatch} from '../mattermost/dispatch';
import {searchUsers, userOption} from '../mattermost/users';
import {useAnswer} from '../resource';
import {surveyMessages} from '../survey/messages';
import {cleanSurvey, newSurvey, SurveyEditor, SurveyPreview, surveyComplete} from '../survey/survey_editor';
import {SurveyResultsView} from '../survey/survey_results';
import {MattermostMarkdown} from '../waves/markdown_preview';
import {isConflict, useWavesClient} from '../waves/use_waves';

/** A step the editor cannot save yet: no text, or a survey with an unlabelled question or a choice with fewer than two options. */
const incomplete = (step: JourneyStep) => step.template.trim() === '' || (step.survey !== undefined && !surveyComplete(step.survey));

/** A new step; its id stays once saved (people's progress names it). */
const newStep = (steps: readonly JourneyStep[]): JourneyStep => ({
    id: freshId('step', steps.map((step) => step.id)),
    after: 'previous',
    delay_minutes: 24 * 60,
    condition: null,
    template: '',
});

interface StepEditorProps {
    waveId: string;
    number: number;
    step: JourneyStep;

    /** Whether the step is saved as a survey (its results can be shown). */
    savedSurvey: boolean;
    counts: {sent: number; skipped: number} | undefined;
    person: PickOption | null;
    readOnly: boolean;
    onChange: (step: JourneyStep) => void;
    onRemove: () => void;
}

/** One follow-up: its timing, condition and text, with a preview for the chosen person and a test-send. */
function StepEditor({waveId, number, step, savedSurvey, counts, person, readOnly, onChange, onRemove}: StepEditorProps) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const ids = {delay: useId(), after: useId(), condition: useId(), template: useId(), survey: useId()};
    const [preview, setPreview] = useState<JourneyPreviewResponse | null>(null);
    const [sent, setSent] = useState(false);
    const [showResults, setShowResults] = useState(false);
    const [error, setError] = useState<RequestError | null>(null);
    const body = {template: step.template, condition: step.condition, step_id: step.id, ...(person ? {user_id: person.id} : {})};
    const toggleSurvey = (on: boolean) => {
        const {survey, ...rest} = step;
        onChange(on ? {...rest, survey: survey ?? newSurvey()} : rest);
    };
    const yesNo = (value: boolean) => intl.formatMessage(value ? m.yes : m.no);

    const runPreview = async () => {
        try {
            setPreview(await client.call(JourneyEndpoints.preview, {params: {waveId}, body}));
            setError(null);
        } catch (err) {
            setError(toRequestError(err));
        }
    };
    const testSend = async () => {
        try {
            await client.call(JourneyEndpoints.testSend, {params: {waveId}, body});
            setSent(true);
            setError(null);
        } catch (err) {
            setError(toRequestError(err));
        }
    };

    return (
        <fieldset
            className='cockpit-journey__step'
            data-testid={`journey-step-${step.id}`}
        >
            <legend>
                <FormattedMessage
                    {...m.stepTitle}
                    values={{number}}
                />
            </legend>
            {counts && (
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.counts}
                        values={counts}
                    />
                </p>
            )}
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <div className='cockpit-field'>
                    <label htmlFor={ids.delay}><FormattedMessage {...m.delay}/></label>
                    <input
                        id={ids.delay}
                        className='form-control'
                        type='number'
                        min={0}
                        value={step.delay_minutes}
                        disabled={readOnly}
                        onChange={(e) => onChange({...step, delay_minutes: Math.max(0, Math.floor(Number(e.target.value) || 0))})}
                    />
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.after}><FormattedMessage {...m.after}/></label>
                    <select
                        id={ids.after}
                        className='form-control'
                        value={step.after}
                        disabled={readOnly}
                        onChange={(e) => onChange({...step, after: e.target.value === 'first_sign_in' ? 'first_sign_in' : 'previous'})}
                    >
                        <option value='previous'>{intl.formatMessage(m.afterPrevious)}</option>
                        <option value='first_sign_in'>{intl.formatMessage(m.afterSignIn)}</option>
                    </select>
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={ids.condition}><FormattedMessage {...m.condition}/></label>
                    <select
                        id={ids.condition}
                        className='form-control'
                        value={step.condition ?? ''}
                        disabled={readOnly}
                        onChange={(e) => {
                            const parsed = JourneyConditionSchema.safeParse(e.target.value);
                            onChange({...step, condition: parsed.success ? parsed.data : null});
                        }}
                    >
                        <option value=''>{intl.formatMessage(m.conditionNone)}</option>
                        {JourneyConditionSchema.options.map((condition: JourneyCondition) => (
                            <option
                                key={condition}
                                value={condition}
                            >{intl.formatMessage(m[condition])}</option>
                        ))}
                    </select>
                </div>
            </div>
            <div className='cockpit-field'>
                <label htmlFor={ids.template}>
                    <FormattedMessage
                        {...m.template}
                        values={{example: '{{first_name}}'}}
                    />
                </label>
                <textarea
                    id={ids.template}
                    className='form-control'
                    rows={4}
                    value={step.template}
                    disabled={readOnly}
                    onChange={(e) => onChange({...step, template: e.target.value})}
                />
            </div>
            <div className='cockpit-field'>
                <label htmlFor={ids.survey}>
                    <input
                        id={ids.survey}
                        type='checkbox'
                        checked={step.survey !== undefined}
                        disabled={readOnly}
                        onChange={(e) => toggleSurvey(e.target.checked)}
                    />
                    {' '}
                    <FormattedMessage {...surveyMessages.isSurvey}/>
                </label>
            </div>
            {step.survey && (
                <SurveyEditor
                    survey={step.survey}
                    readOnly={readOnly}
                    onChange={(survey) => onChange({...step, survey})}
                />
            )}
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    disabled={step.template.trim() === ''}
                    onClick={runPreview}
                ><FormattedMessage {...m.preview}/></button>
                {savedSurvey && (
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        aria-expanded={showResults}
                        onClick={() => setShowResults(!showResults)}
                    ><FormattedMessage {...(showResults ? surveyMessages.hideResults : surveyMessages.showResults)}/></button>
                )}
                {!readOnly && (
                    <>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            disabled={step.template.trim() === ''}
                            onClick={testSend}
                        ><FormattedMessage {...m.testSend}/></button>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm btn-danger'
                            onClick={onRemove}
                        ><FormattedMessage {...m.remove}/></button>
                    </>
                )}
            </div>
            {sent && <p role='status'><FormattedMessage {...m.testSent}/></p>}
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={() => setError(null)}
                />
            )}
            {preview && (
                <div data-testid='journey-preview'>
                    <p role='status'>
                        <FormattedMessage {...(preview.would_send ? m.wouldSend : m.wouldSkip)}/>
                    </p>
                    <p className='cockpit-muted'>
                        <FormattedMessage
                            {...m.state}
                            values={{
                                signedIn: yesNo(preview.state.signed_in),
                                mobile: yesNo(preview.state.mobile_session),
                                desktop: yesNo(preview.state.desktop_session),
                                posted: yesNo(preview.state.posted),
                                picture: yesNo(preview.state.profile_picture),
                            }}
                        />
                    </p>
                    <MattermostMarkdown markdown={preview.markdown}/>
                    {step.survey && <SurveyPreview survey={step.survey}/>}
                </div>
            )}
            {savedSurvey && showResults && (
                <SurveyResultsView
                    waveId={waveId}
                    stepId={step.id}
                />
            )}
        </fieldset>
    );
}

/**
 * A wave's journey (server/src/journey): the welcome, then the follow-ups, each with its delay, condition
 * and text, previewed for a chosen person with that person's real state. Saved as a whole, based on
 * the version read (a stale save is refused and the journey reloaded).
 */
export function JourneyPanel({waveId, readOnly}: {waveId: string; readOnly: boolean}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const dispatch = useHostDispatch();
    const [steps, setSteps] = useState<JourneyStep[]>([]);
    const [person, setPerson] = useState<PickOption | null>(null);
    const [notice, setNotice] = useState<'saved' | 'conflict' | null>(null);
    const [saving, setSaving] = useState(false);

    const loaded = useAnswer(() => client.call(JourneyEndpoints.journey, {params: {waveId}}), [client, waveId]);
    const journey = loaded.data;
    const [writeError, setError] = useState<RequestError | null>(null);
    const error = writeError ?? loaded.error;
    const load = () => {
        setError(null);
        loaded.reload();
    };

    // The editor starts from each journey read from or saved to the server.
    useEffect(() => {
        if (journey) {
            setSteps(journey.steps);
        }
    }, [journey]);

    const findPeople = useCallback(async (term: string) => (await searchUsers(dispatch, term)).map(userOption), [dispatch]);

    const save = async () => {
        if (!journey) {
            return;
        }
        setSaving(true);
        try {
            const saved = steps.map((step) => (step.survey ? {...step, survey: cleanSurvey(step.survey)} : step));
            const body = {steps: saved, expected_version: journey.version};
            loaded.setData(await client.call(JourneyEndpoints.update, {params: {waveId}, body}));
            setNotice('saved');
            setError(null);
        } catch (err) {
            const failure = toRequestError(err);
            if (isConflict(failure)) {
                setNotice('conflict');
                load();
            } else {
                setError(failure);
                setNotice(null);
            }
        } finally {
            setSaving(false);
        }
    };

    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={load}
                />
            )}
            {!journey && !error && <p role='status'><FormattedMessage {...m.loading}/></p>}
            {journey && (
                <div data-testid='journey-editor'>
                    <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.previewFor}/></h4>
                    <p className='cockpit-muted'><FormattedMessage {...m.previewSelf}/></p>
                    <ChosenList
                        items={person ? [person.id] : []}
                        names={new Map(person ? [[person.id, person]] : [])}
                        emptyText={<FormattedMessage {...m.noPerson}/>}
                        onRemove={() => setPerson(null)}
                    />
                    {!person && (
                        <Picker
                            label={intl.formatMessage(m.searchPerson)}
                            search={findPeople}
                            chosen={[]}
                            onPick={setPerson}
                        />
                    )}
                    <p><FormattedMessage {...m.welcomeStep}/></p>
                    {steps.length === 0 && <p className='cockpit-muted'><FormattedMessage {...m.noSteps}/></p>}
                    {steps.map((step, i) => (
                        <StepEditor
                            key={step.id}
                            waveId={waveId}
                            number={i + 2}
                            step={step}
                            savedSurvey={journey.steps.some((saved) => saved.id === step.id && saved.survey !== undefined)}
                            counts={journey.counts[step.id]}
                            person={person}
                            readOnly={readOnly}
                            onChange={(changed) => setSteps(steps.map((s) => (s.id === step.id ? changed : s)))}
                            onRemove={() => setSteps(steps.filter((s) => s.id !== step.id))}
                        />
                    ))}
                    {journey.stopped > 0 && (
                        <p className='cockpit-muted'>
                            <FormattedMessage
                                {...m.stopped}
                                values={{count: journey.stopped}}
                            />
                        </p>
                    )}
                    {notice && (
                        <p role='status'><FormattedMessage {...(notice === 'saved' ? m.saved : m.conflict)}/></p>
                    )}
                    {!readOnly && (
                        <div className='cockpit-toolbar cockpit-toolbar--start'>
                            <button
                                type='button'
                                className='btn btn-tertiary'
                                onClick={() => setSteps([...steps, newStep(steps)])}
                            ><FormattedMessage {...m.add}/></button>
                            <button
                                type='button'
                                className='btn btn-primary'
                                disabled={saving || steps.some(incomplete)}
                                onClick={save}
                            ><FormattedMessage {...(saving ? m.saving : m.save)}/></button>
                        </div>
                    )}
                </div>
            )}
        </AdminPanel>
    );
}
