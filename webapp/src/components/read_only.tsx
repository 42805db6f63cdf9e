import React, {createContext, useContext, type ReactNode} from 'react';
import {defineMessages, FormattedMessage} from 'react-intl';

const messages = defineMessages({
    title: {id: 'cockpit.readOnly.title', defaultMessage: 'View only'},
    body: {
        id: 'cockpit.readOnly.body',
        defaultMessage: 'Your role can view the cockpit but not change it. Plans, checks and exports are available; changes need a system admin.',
    },
});

/**
 * True where the System Console shows the cockpit to someone who may read the plugin's settings but not
 * write them (e.g. system_read_only_admin: sysconsole_read_plugins without sysconsole_write_plugins). The
 * console tells the plugin with `disabled` (custom setting) or `disabled`/`isDisabled` (its own page).
 */
const ReadOnlyContext = createContext(false);

export function ReadOnlyProvider({readOnly, children}: {readOnly: boolean; children: ReactNode}) {
    return <ReadOnlyContext.Provider value={readOnly}>{children}</ReadOnlyContext.Provider>;
}

export function useReadOnly(): boolean {
    return useContext(ReadOnlyContext);
}

/**
 * Wraps controls that change something. When read-only, a disabled fieldset disables every input and
 * button inside at once, including those added later; reads, exports and navigation stay outside it.
 */
export function WriteControls({children}: {children: ReactNode}) {
    const readOnly = useReadOnly();
    return (
        <fieldset
            className='cockpit-write-controls'

            // Only a means to disable; not a group for assistive technology.
            role='presentation'
            disabled={readOnly}
        >
            {children}
        </fieldset>
    );
}

/** Says why the controls are disabled. */
export function ReadOnlyNotice() {
    if (!useReadOnly()) {
        return null;
    }
    return (
        <div
            role='status'
            className='cockpit-notice cockpit-notice--info cockpit-read-only'
        >
            <strong><FormattedMessage {...messages.title}/></strong>
            <p><FormattedMessage {...messages.body}/></p>
        </div>
    );
}
