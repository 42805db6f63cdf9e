// Numbers in messages print the reader's way: a `{x, number}` argument groups digits as the locale does,
// in every catalogue (catalogues.test.ts keeps the argument a number in each translation).
import {render} from '@testing-library/react';
import React from 'react';
import {FormattedMessage, IntlProvider} from 'react-intl';

import {translationsFor} from './catalogues';

import {loadTestMessages} from '../loadtest/messages';

function verdictIn(locale: string): string {
    const {container} = render(
        <IntlProvider
            locale={locale}
            messages={translationsFor(locale)}
        >
            <FormattedMessage
                {...loadTestMessages.reached}
                values={{supported: 2150, target: 12000}}
            />
        </IntlProvider>,
    );
    return container.textContent ?? '';
}

describe('numbers in messages', () => {
    it.each([
        ['en', '2,150', '12,000'],
        ['de', '2.150', '12.000'],
        ['ja', '2,150', '12,000'],
    ])('the load-test verdict in %s groups digits as %s and %s', (locale, supported, target) => {
        const text = verdictIn(locale);
        expect(text).toContain(supported);
        expect(text).toContain(target);
        expect(text).not.toContain('2150');
    });

    it('reads the German text, not the English one, in de', () => {
        expect(verdictIn('de')).toBe(translationsFor('de')['cockpit.loadtest.verdict.reached'].
            replace('{supported, number}', '2.150').replace('{target, number}', '12.000'));
    });
});
