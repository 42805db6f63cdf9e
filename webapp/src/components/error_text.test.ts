import {createIntl} from 'react-intl';

import {ErrorIds} from 'contract/errors';
import {cockpitLocales} from 'contract/locales';

import {errorText, errorWordings, errorWords} from './error_text';

import {ClientErrorIds} from '../client';
import {catalogues, translationsFor} from '../i18n/catalogues';

const intlFor = (locale: string) => createIntl({locale, messages: translationsFor(locale), onError: () => undefined});

describe('the words of each error id', () => {
    test.each(Object.entries(ErrorIds))('%s (%s) has a translated sentence, or says why the English alone is shown', (_name, id) => {
        const wording = errorWordings[id];
        expect(wording).toBeDefined();
        if ('detailOnly' in wording) {
            expect(wording.detailOnly.length).toBeGreaterThan(40);
            return;
        }
        const messageId = String(wording.message.id);
        for (const locale of cockpitLocales) {
            expect(catalogues[locale][messageId]).toEqual(expect.any(String));
        }
    });

    test('no wording for an id the contract does not declare', () => {
        expect(Object.keys(errorWordings).sort()).toEqual(Object.values(ErrorIds).sort());
    });
});

describe('errorWords', () => {
    const de = intlFor('de');
    const en = intlFor('en');

    test('an id that is one fact: the sentence in the reader\'s language, the English left out', () => {
        const error = {id: ErrorIds.waveNotFound, message: 'Wave abc does not exist.'};
        expect(errorWords(de, error)).toEqual({text: 'Diese Welle gibt es nicht (mehr).'});
        expect(errorWords(en, error)).toEqual({text: 'This wave does not exist (any more).'});
        expect(errorText(intlFor('ja'), {id: ErrorIds.waveSmtpNotConfigured, message: 'Email is not configured'})).not.toMatch(/[A-Za-z]{6}/);
    });

    test('an id whose English says which part or why: the sentence, the English as the detail', () => {
        const error = {id: ErrorIds.configNotPromotable, message: 'These settings … are never copied: SqlSettings.DataSource.'};
        expect(errorWords(de, error)).toEqual({
            text: 'Einige dieser Einstellungen gehören zu einer Umgebung oder sind Geheimnisse und werden nie übernommen.',
            detail: error.message,
        });
        expect(errorText(de, error)).toBe(
            'Einige dieser Einstellungen gehören zu einer Umgebung oder sind Geheimnisse und werden nie übernommen. ' +
            '(Details: These settings … are never copied: SqlSettings.DataSource.)',
        );
    });

    test('a refused value: the field named in the reader\'s language, the English as the detail; without a field, the English', () => {
        const refused = {id: ErrorIds.invalid, message: 'body.settings.retention_days: Too big', field: 'settings.retention_days'};
        expect(errorWords(de, refused)).toEqual({text: 'settings.retention_days: Dieser Wert ist nicht gültig.', detail: refused.message});
        expect(errorWords(de, {id: ErrorIds.invalid, message: 'No user abc.'})).toEqual({text: 'No user abc.'});
    });

    test('what the browser or Mattermost itself answered', () => {
        expect(errorWords(de, {id: ClientErrorIds.network, message: 'Failed to fetch'}).text).toBe(
            'Der Server war nicht erreichbar: Failed to fetch',
        );
        expect(errorWords(de, {id: 'api.context.session_expired.app_error', message: 'Ungültige oder abgelaufene Sitzung'})).toEqual({
            text: 'Ungültige oder abgelaufene Sitzung',
        });
    });
});
