import React, {useId, useRef, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {fallbackLocale} from 'contract/locales';
import {
    invitationVariableNames,
    InvitationTextSchema,
    type InvitationPreview,
    type InvitationPreviewRequest,
    type InvitationText,
} from 'contract/waves';

import {useInsertVariable} from './insert_variable';
import {LanguagePicker, withTranslation, type EditedLanguage} from './language_picker';
import {wavesMessages as m} from './messages';
import {useWavesClient} from './use_waves';
import type {Draft} from './wave_editor';

import {toRequestError, type RequestError} from '../client';
import {RequestErrorText} from '../components/request_error';

interface InvitationSectionProps {
    waveId: string;
    invitation: Draft['invitation'];
    subjectError: string;
    templateError: string;

    /** A translation that is incomplete (a subject without a body, or the reverse), whichever language is shown. */
    translationsError: string;

    /** What the last dry run said about the server's email (undefined: no dry run yet). */
    smtpConfigured: boolean | undefined;
    onInvitation: (invitation: Draft['invitation']) => void;
}

/**
 * The invitation with the text of `language` ('' = the fallback) set to `text`; a translation whose subject
 * and body are both empty is removed (the fallback applies to that language again).
 */
export function withInvitationText(invitation: Draft['invitation'], language: EditedLanguage, text: InvitationText): Draft['invitation'] {
    if (language === '') {
        return {...invitation, ...text};
    }
    const empty = text.subject.trim() === '' && text.html_template.trim() === '';
    return {...invitation, translations: withTranslation(invitation.translations, language, empty ? undefined : text)};
}

type Sent = {kind: 'sending'} | {kind: 'sent'; address: string} | {kind: 'failed'; error: RequestError};

/**
 * The invitation email (server/src/waves/invitation.ts): subject, HTML body with variable chips, a
 * preview rendered by the server for one person of the file or for the admin, and a test-send to the
 * admin's own address. The server escapes every variable; the preview's HTML is the admin's own
 * template and is shown in a sandboxed frame (no scripts, no forms, no same-origin access), so nothing
 * in it can act on the System Console.
 */
export function InvitationSection({
    waveId,
    invitation,
    subjectError,
    templateError,
    translationsError,
    smtpConfigured,
    onInvitation,
}: InvitationSectionProps) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const enabledId = useId();
    const subjectId = useId();
    const templateId = useId();
    const lineId = useId();
    const textarea = useRef<HTMLTextAreaElement>(null);
    const [line, setLine] = useState('');
    const [preview, setPreview] = useState<{loading: boolean; answer: InvitationPreview | null; error: RequestError | null}>({
        loading: false,
        answer: null,
        error: null,
    });
    const [sent, setSent] = useState<Sent | null>(null);

    // What the last answer said about the server's email, kept when its rendering is put away.
    const [answeredSmtp, setAnsweredSmtp] = useState<boolean | undefined>(undefined);
    const [language, setLanguage] = useState<EditedLanguage>('');

    // The text being edited: the fallback, or the chosen language's own text (empty fields while it has none).
    const fallback: InvitationText = {subject: invitation.subject, html_template: invitation.html_template};
    const own = language === '' ? undefined : invitation.translations?.[language];
    const text: InvitationText = language === '' ? fallback : own ?? {subject: '', html_template: ''};

    // A language's first edit starts from the fallback, so its other field is never left empty by accident.
    const setText = (change: Partial<InvitationText>) => {
        onInvitation(withInvitationText(invitation, language, {...(own ?? fallback), ...change}));
    };
    const fieldError = (field: keyof InvitationText): string => {
        if (language === '') {
            return field === 'subject' ? subjectError : templateError;
        }
        if (own === undefined || InvitationTextSchema.shape[field].safeParse(own[field]).success) {
            return '';
        }
        return intl.formatMessage(field === 'subject' ? m.errorInvitationSubject : m.errorInvitationTemplate);
    };
    const shownSubjectError = fieldError('subject');
    const shownTemplateError = fieldError('html_template');

    // Either the dry run or the last preview can tell that the server sends no email.
    const noSmtp = smtpConfigured === false || answeredSmtp === false;
    const invalid = shownSubjectError !== '' || shownTemplateError !== '';
    const lineNumber = Number(line);
    const lineValid = line === '' || (Number.isInteger(lineNumber) && lineNumber >= 1);

    // What a reader of the chosen language gets: its own text in its language, else the fallback, whose
    // sentences the server writes in the fallback language; the fallback itself keeps the recipient's.
    const edits = (): InvitationPreviewRequest => ({
        ...(own ?? fallback),
        ...(line === '' ? {} : {line: lineNumber}),
        ...(language === '' ? {} : {locale: own ? language : fallbackLocale}),
    });

    const runPreview = async () => {
        setPreview((p) => ({...p, loading: true, error: null}));
        try {
            const answer = await client.previewInvitation(waveId, edits());
            setPreview({loading: false, answer, error: null});
            setAnsweredSmtp(answer.smtp_configured);
        } catch (err) {
            setPreview({loading: false, answer: null, error: toRequestError(err)});
        }
    };

    const testSend = async () => {
        setSent({kind: 'sending'});
        try {
            const answer = await client.testSendInvitation(waveId, edits());
            setPreview({loading: false, answer, error: null});
            setAnsweredSmtp(answer.smtp_configured);
            setSent({kind: 'sent', address: answer.sent_to});
        } catch (err) {
            setSent({kind: 'failed', error: toRequestError(err)});
        }
    };

    const insert = useInsertVariable(textarea, text.html_template, (html) => setText({html_template: html}));

    // A rendering and a test-send result belong to the language they were asked for.
    const chooseLanguage = (chosen: EditedLanguage) => {
        setLanguage(chosen);
        setPreview({loading: false, answer: null, error: null});
        setSent(null);
    };

    const answer = preview.answer;
    return (
        <fieldset>
            <legend><FormattedMessage {...m.invitationTitle}/></legend>
            <div className='cockpit-check-row'>
                <input
                    id={enabledId}
                    type='checkbox'
                    checked={invitation.enabled}
                    aria-describedby={`${enabledId}-help`}
                    onChange={(e) => onInvitation({...invitation, enabled: e.target.checked})}
                />
                <label htmlFor={enabledId}><FormattedMessage {...m.invitationEnabled}/></label>
            </div>
            <p
                id={`${enabledId}-help`}
                className='cockpit-muted cockpit-waves__hint'
            ><FormattedMessage {...m.invitationHelp}/></p>
            {noSmtp && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--warning'
                    data-testid='invitation-smtp-warning'
                ><FormattedMessage {...m.smtpNotConfigured}/></p>
            )}
            <div className='cockpit-waves__welcome'>
                <div>
                    <LanguagePicker
                        label={m.invitationLanguage}
                        hint={m.invitationLanguageHint}
                        language={language}
                        hasOwn={(locale) => invitation.translations?.[locale] !== undefined}
                        error={translationsError}
                        onLanguage={chooseLanguage}
                    />
                    <div className='cockpit-field'>
                        <label htmlFor={subjectId}><FormattedMessage {...m.invitationSubject}/></label>
                        <input
                            id={subjectId}
                            className='form-control'
                            value={text.subject}
                            placeholder={language === '' ? undefined : invitation.subject}
                            maxLength={200}
                            aria-invalid={shownSubjectError !== ''}
                            onChange={(e) => setText({subject: e.target.value})}
                        />
                        {shownSubjectError && <p className='cockpit-error-text'>{shownSubjectError}</p>}
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={templateId}><FormattedMessage {...m.invitationTemplate}/></label>
                        <div
                            className='cockpit-badges'
                            role='group'
                            aria-label={intl.formatMessage(m.invitationVariables)}
                        >
                            {invitationVariableNames.map((name) => (
                                <button
                                    key={name}
                                    type='button'
                                    className='cockpit-chip cockpit-chip--info cockpit-waves__variable'
                                    aria-label={intl.formatMessage(m.insertInvitationVariable, {name})}
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
                            rows={9}
                            value={text.html_template}
                            placeholder={language === '' ? undefined : invitation.html_template}
                            aria-invalid={shownTemplateError !== ''}
                            onChange={(e) => setText({html_template: e.target.value})}
                        />
                        {shownTemplateError && <p className='cockpit-error-text'>{shownTemplateError}</p>}
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={lineId}><FormattedMessage {...m.invitationLine}/></label>
                        <input
                            id={lineId}
                            type='number'
                            min={1}
                            className='form-control cockpit-waves__number'
                            value={line}
                            aria-invalid={!lineValid}
                            aria-describedby={`${lineId}-help`}
                            onChange={(e) => setLine(e.target.value)}
                        />
                        <p
                            id={`${lineId}-help`}
                            className='cockpit-muted cockpit-waves__hint'
                        ><FormattedMessage {...m.invitationLineHelp}/></p>
                    </div>
                    <div className='cockpit-inline-form'>
                        <button
                            type='button'
                            className='btn btn-secondary'
                            disabled={invalid || !lineValid || preview.loading}
                            onClick={() => {
                                runPreview();
                            }}
                        >
                            <FormattedMessage {...(preview.loading ? m.previewLoading : m.invitationPreview)}/>
                        </button>
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            disabled={invalid || !lineValid || noSmtp || sent?.kind === 'sending'}
                            onClick={() => {
                                testSend();
                            }}
                        >
                            <FormattedMessage {...m.invitationTestSend}/>
                        </button>
                        {sent?.kind === 'sent' && (
                            <span role='status'>
                                <FormattedMessage
                                    {...m.invitationTestSent}
                                    values={{address: sent.address}}
                                />
                            </span>
                        )}
                        {sent?.kind === 'failed' && (
                            <span
                                role='alert'
                                className='cockpit-error-text'
                            >{<RequestErrorText error={sent.error}/>}</span>
                        )}
                    </div>
                    {preview.error && (
                        <p
                            role='alert'
                            className='cockpit-error-text'
                        >{<RequestErrorText error={preview.error}/>}</p>
                    )}
                </div>
                {answer && (
                    <section
                        className='cockpit-waves__preview'
                        aria-label={intl.formatMessage(m.invitationPreviewTitle)}
                        data-testid='invitation-preview'
                    >
                        <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.invitationPreviewTitle}/></h4>
                        <dl className='cockpit-waves__mail-head'>
                            <div>
                                <dt><FormattedMessage {...m.invitationPreviewTo}/></dt>
                                <dd data-testid='invitation-preview-recipient'>{answer.recipient}</dd>
                            </div>
                            <div>
                                <dt><FormattedMessage {...m.invitationPreviewSubject}/></dt>
                                <dd data-testid='invitation-preview-subject'>{answer.subject}</dd>
                            </div>
                        </dl>
                        <iframe
                            title={intl.formatMessage(m.invitationPreviewFrame)}
                            sandbox=''
                            srcDoc={answer.html}
                            className='cockpit-waves__mail'
                            data-testid='invitation-preview-frame'
                        />
                        <h5><FormattedMessage {...m.invitationTextPart}/></h5>
                        <pre
                            className='cockpit-waves__mail-text'
                            data-testid='invitation-preview-text'
                        >{answer.text}</pre>
                    </section>
                )}
            </div>
        </fieldset>
    );
}
