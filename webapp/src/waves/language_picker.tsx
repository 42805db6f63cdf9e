import React, {useId} from 'react';
import {FormattedMessage, useIntl, type MessageDescriptor} from 'react-intl';

import {type CockpitLocale, cockpitLocales} from 'contract/locales';

import {wavesMessages as m} from './messages';

/** The language a text is edited for: a cockpit locale, or '' for the fallback every other language gets. */
export type EditedLanguage = CockpitLocale | '';

/**
 * `translations` with the text of `language` set to `text`; `undefined` removes it, so the fallback
 * applies to that language again. The texts of the other languages are kept as they are.
 */
export function withTranslation<T>(
    translations: Partial<Record<CockpitLocale, T>> | undefined,
    language: CockpitLocale,
    text: T | undefined,
): Partial<Record<CockpitLocale, T>> {
    const {[language]: replaced, ...others} = translations ?? {};
    return text === undefined ? others : {...others, [language]: text};
}

interface LanguagePickerProps {
    label: MessageDescriptor;
    hint: MessageDescriptor;
    language: EditedLanguage;

    /** Whether a language has a text of its own (the option says so). */
    hasOwn: (locale: CockpitLocale) => boolean;
    onLanguage: (language: EditedLanguage) => void;

    /** Something wrong with one of the languages' texts ('' when nothing). */
    error?: string;
}

/** The select of the fallback and the cockpit's languages, each named in the admin's language. */
export function LanguagePicker({label, hint, language, hasOwn, onLanguage, error = ''}: LanguagePickerProps) {
    const intl = useIntl();
    const id = useId();
    const languageName = (locale: CockpitLocale) => intl.formatDisplayName(locale, {type: 'language'}) ?? locale;
    return (
        <div className='cockpit-field'>
            <label htmlFor={id}><FormattedMessage {...label}/></label>
            <select
                id={id}
                className='form-control'
                value={language}
                aria-invalid={error !== ''}
                onChange={(e) => onLanguage(e.target.value as EditedLanguage)}
            >
                <option value=''>{intl.formatMessage(m.welcomeLanguageFallback)}</option>
                {cockpitLocales.map((locale) => (
                    <option
                        key={locale}
                        value={locale}
                    >
                        {hasOwn(locale) ? intl.formatMessage(m.welcomeLanguageOwn, {language: languageName(locale)}) : languageName(locale)}
                    </option>
                ))}
            </select>
            <p className='cockpit-muted cockpit-waves__hint'><FormattedMessage {...hint}/></p>
            {error && <p className='cockpit-error-text'>{error}</p>}
        </div>
    );
}
