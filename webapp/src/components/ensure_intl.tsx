import React, {useContext, type ReactNode} from 'react';
import {IntlContext, IntlProvider} from 'react-intl';

import en from '../i18n/en.json';

/** Uses the host's IntlProvider (always present in Mattermost); provides an English one only if there is none. */
export function EnsureIntl({children}: {children: ReactNode}) {
    const intl = useContext(IntlContext);
    if (intl) {
        return <>{children}</>;
    }
    return (
        <IntlProvider
            locale='en'
            defaultLocale='en'
            messages={en}
        >
            {children}
        </IntlProvider>
    );
}
