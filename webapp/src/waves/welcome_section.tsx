import React, {useId, useRef, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {useInsertVariable} from './insert_variable';
import {LanguagePicker, withTranslation, type EditedLanguage} from './language_picker';
import {MattermostMarkdown} from './markdown_preview';
import {wavesMessages as m} from './messages';
import {useWavesClient} from './use_waves';
import type {Draft} from './wave_editor';

import {toRequestError, type RequestError} from '../client';
import {RequestErrorText} from '../components/request_error';
import {useAnswer} from '../resource';

/**
 * The template variables (server/src/welcome/template.ts renders them; unknown names stay as written).
 * `getting_started` is the personal checklist (apps, profile picture, notifications, the wave's channels).
 */
export const welcomeVariables = [
    'first_name',
    'username',
    'team',
    'channels',
    'help_link',
    'wave',
    'start_date',
    'today',
    'getting_started',
] as const;

const previewDelayMs = 400;

interface WelcomeSectionProps {
    waveId: string;

    /** The wave's name and targets as edited: the preview names them before they are saved. */
    name: string;
    targets: Draft['targets'];
    welcome: Draft['welcome'];
    error: string;
    onWelcome: (welcome: Draft['welcome']) => void;
}

/** The welcome with the text of `language` ('' = the fallback) set to `text`; an empty translation is removed (the fallback applies). */
export function withWelcomeText(welcome: Draft['welcome'], language: EditedLanguage, text: string): Draft['welcome'] {
    if (language === '') {
        return {...welcome, template: text};
    }
    return {...welcome, translations: withTranslation(welcome.translations, language, text === '' ? undefined : text)};
}

/**
 * The welcome DM: template with variable chips, help link, a live preview (rendered on the server
 * for the admin as the sample user, then by Mattermost's post renderer) and a test-send to oneself.
 */
export function WelcomeSection({waveId, name, targets, welcome, error, onWelcome}: WelcomeSectionProps) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const templateId = useId();
    const linkId = useId();
    const enabledId = useId();
    const textarea = useRef<HTMLTextAreaElement>(null);
    const [sent, setSent] = useState<'sending' | 'sent' | RequestError | null>(null);
    const [language, setLanguage] = useState<EditedLanguage>('');

    // The text being edited: the fallback, or the chosen language's own text ('' while it has none).
    const text = language === '' ? welcome.template : welcome.translations?.[language] ?? '';
    const setText = (value: string) => onWelcome(withWelcomeText(welcome, language, value));

    // Preview and test-send show what a person of the chosen language gets: its own text, else the fallback.
    const shown = language === '' ? welcome.template : welcome.translations?.[language] ?? welcome.template;
    const edits = () => ({
        template: shown,
        help_link: welcome.help_link,
        targets,
        ...(name.trim() ? {name} : {}),
        ...(language === '' ? {} : {locale: language}),
    });
    const targetsKey = JSON.stringify(targets);

    // Asked again when the template, language, link, name or targets change, once the admin stops typing.
    const preview = useAnswer(
        () => client.previewWelcome(waveId, edits()),
        [client, waveId, shown, language, welcome.help_link, name, targetsKey],
        previewDelayMs,
    );

    const insert = useInsertVariable(textarea, text, setText);

    const testSend = async () => {
        setSent('sending');
        try {
            await client.testSendWelcome(waveId, edits());
            setSent('sent');
        } catch (err) {
            setSent(toRequestError(err));
        }
    };

    return (
        <fieldset>
            <legend><FormattedMessage {...m.welcomeTitle}/></legend>
            <div className='cockpit-check-row'>
                <input
                    id={enabledId}
                    type='checkbox'
                    checked={welcome.enabled}
                    onChange={(e) => onWelcome({...welcome, enabled: e.target.checked})}
                />
                <label htmlFor={enabledId}><FormattedMessage {...m.welcomeEnabled}/></label>
            </div>
            <div className='cockpit-waves__welcome'>
                <div>
                    <LanguagePicker
                        label={m.welcomeLanguage}
                        hint={m.welcomeLanguageHint}
                        language={language}
                        hasOwn={(locale) => welcome.translations?.[locale] !== undefined}
                        onLanguage={setLanguage}
                    />
                    <div className='cockpit-field'>
                        <label htmlFor={templateId}><FormattedMessage {...m.welcomeTemplate}/></label>
                        <div
                            className='cockpit-badges'
                            role='group'
                            aria-label={intl.formatMessage(m.variables)}
                        >
                            {welcomeVariables.map((name) => (
                                <button
                                    key={name}
                                    type='button'
                                    className='cockpit-chip cockpit-chip--info cockpit-waves__variable'
                                    aria-label={intl.formatMessage(m.insertVariable, {name})}
                                    onClick={() => insert(name)}
                                >
                                    {`{{${name}}}`}
                                </button>
                            ))}
                        </div>
                        <textarea
                            ref={textarea}
                            id={templateId}
                            className='form-control cockpit-waves__template'
                            rows={7}
                            value={text}
                            placeholder={language === '' ? undefined : welcome.template}
                            aria-invalid={error !== ''}
                            onChange={(e) => setText(e.target.value)}
                        />
                        {error && <p className='cockpit-error-text'>{error}</p>}
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={linkId}><FormattedMessage {...m.helpLink}/></label>
                        <input
                            id={linkId}
                            className='form-control'
                            placeholder='https://help.example.com/start'
                            value={welcome.help_link}
                            maxLength={500}
                            onChange={(e) => onWelcome({...welcome, help_link: e.target.value})}
                        />
                    </div>
                </div>
                <section
                    className='cockpit-waves__preview'
                    aria-label={intl.formatMessage(m.previewTitle)}
                >
                    <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.previewTitle}/></h4>
                    <p className='cockpit-muted cockpit-waves__hint'><FormattedMessage {...m.previewHint}/></p>
                    <div
                        className='cockpit-waves__post'
                        data-testid='welcome-preview'
                    >
                        {preview.data === null && preview.error === null && (
                            <span className='cockpit-muted'><FormattedMessage {...m.previewLoading}/></span>
                        )}
                        {preview.data && !preview.error && <MattermostMarkdown markdown={preview.data.markdown}/>}
                        {preview.error && (
                            <p
                                role='alert'
                                className='cockpit-error-text'
                            >{<RequestErrorText error={preview.error}/>}</p>
                        )}
                    </div>
                    <div className='cockpit-inline-form'>
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            disabled={sent === 'sending' || error !== ''}
                            onClick={() => {
                                testSend();
                            }}
                        >
                            <FormattedMessage {...m.testSend}/>
                        </button>
                        {sent === 'sent' && <span role='status'><FormattedMessage {...m.testSent}/></span>}
                        {sent !== null && typeof sent === 'object' && (
                            <span
                                role='alert'
                                className='cockpit-error-text'
                            ><RequestErrorText error={sent}/></span>
                        )}
                    </div>
                </section>
            </div>
        </fieldset>
    );
}
