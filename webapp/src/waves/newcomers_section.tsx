import React, {useId, useState} from 'react';
import {FormattedMessage, useIntl, type IntlShape} from 'react-intl';

import {authServices, mattermostLocales, NewcomerModeSchema, type AuthService, type NewcomerMode} from 'contract/waves';

import {wavesMessages as m} from './messages';
import type {Draft} from './wave_editor';

/** Whether `zone` is empty (automatic) or a time zone the browser's Intl knows (the IANA database). */
export function isTimeZone(zone: string): boolean {
    if (zone === '') {
        return true;
    }
    try {
        // eslint-disable-next-line no-new -- constructing it is the check: an unknown zone throws a RangeError.
        new Intl.DateTimeFormat('en', {timeZone: zone});
        return true;
    } catch {
        return false;
    }
}

/** A locale code with its name in the admin's language ("German (de)"); the code alone where Intl has no name. */
function localeLabel(intl: IntlShape, code: string): string {
    try {
        const name = new Intl.DisplayNames([intl.locale], {type: 'language'}).of(code);
        return name && name !== code ? intl.formatMessage(m.localeOption, {name, code}) : code;
    } catch {
        return code;
    }
}

const modeHelp: Record<NewcomerMode, typeof m.newcomersModeHelp_skip> = {
    skip: m.newcomersModeHelp_skip,
    create: m.newcomersModeHelp_create,
    invite: m.newcomersModeHelp_invite,
};

interface NewcomersSectionProps {
    newcomers: Draft['newcomers'];

    /** The time zone's problem ('' when it is fine); shown once the field is left, or with every error. */
    timezoneError: string;
    showErrors: boolean;

    /** Why the wave cannot launch as set here (invite mode without the invitation email); '' when it can. */
    launchError: string;

    /** Whether the wave sends the invitation email (new email accounts learn of their password link from it). */
    invitationEnabled: boolean;
    onNewcomers: (newcomers: Draft['newcomers']) => void;
}

/**
 * What a wave does for people of its CSV who have no account (contract/waves_people.ts): skip them,
 * create their accounts, or invite them, and the defaults for rows that leave a column empty.
 */
export function NewcomersSection(props: NewcomersSectionProps) {
    const {newcomers, timezoneError, showErrors, launchError, invitationEnabled, onNewcomers} = props;
    const intl = useIntl();
    const groupId = useId();
    const authId = useId();
    const localeId = useId();
    const zoneId = useId();
    const [zoneLeft, setZoneLeft] = useState(false);
    const zoneShown = (zoneLeft || showErrors) && timezoneError !== '';
    const set = (change: Partial<Draft['newcomers']>) => onNewcomers({...newcomers, ...change});
    return (
        <fieldset>
            <legend><FormattedMessage {...m.newcomersTitle}/></legend>
            <p className='cockpit-muted cockpit-waves__hint'><FormattedMessage {...m.newcomersHelp}/></p>
            <div
                role='radiogroup'
                aria-label={intl.formatMessage(m.newcomersMode)}
                data-testid='newcomers-mode'
            >
                {NewcomerModeSchema.options.map((mode) => (
                    <div
                        key={mode}
                        className='radio'
                    >
                        <label>
                            <input
                                type='radio'
                                name={`${groupId}-mode`}
                                value={mode}
                                checked={newcomers.mode === mode}
                                aria-describedby={`${groupId}-${mode}`}
                                onChange={() => set({mode})}
                            />
                            <FormattedMessage {...m[`newcomersMode_${mode}`]}/>
                        </label>
                        <div
                            id={`${groupId}-${mode}`}
                            className='help-text cockpit-muted'
                        >
                            <FormattedMessage {...modeHelp[mode]}/>
                        </div>
                    </div>
                ))}
            </div>
            {launchError && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{launchError}</p>
            )}
            {newcomers.mode === 'create' && !invitationEnabled && (
                <p
                    className='cockpit-notice cockpit-notice--warning'
                    data-testid='newcomers-invitation-hint'
                ><FormattedMessage {...m.createWithoutInvitation}/></p>
            )}
            {newcomers.mode !== 'skip' && (
                <>
                    <div className='cockpit-field'>
                        <label htmlFor={authId}><FormattedMessage {...m.newcomersAuthService}/></label>
                        <select
                            id={authId}
                            className='form-control cockpit-waves__short'
                            value={newcomers.auth_service}
                            aria-describedby={`${authId}-help`}
                            onChange={(e) => set({auth_service: e.target.value as AuthService})}
                        >
                            {authServices.map((service) => (
                                <option
                                    key={service}
                                    value={service}
                                >{intl.formatMessage(m[`auth_${service}`])}</option>
                            ))}
                        </select>
                        <p
                            id={`${authId}-help`}
                            className='cockpit-muted cockpit-waves__hint'
                        ><FormattedMessage {...m.newcomersAuthServiceHelp}/></p>
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={localeId}><FormattedMessage {...m.newcomersLocale}/></label>
                        <select
                            id={localeId}
                            className='form-control cockpit-waves__short'
                            value={newcomers.locale}
                            onChange={(e) => set({locale: e.target.value})}
                        >
                            <option value=''>{intl.formatMessage(m.localeServerDefault)}</option>
                            {mattermostLocales.map((code) => (
                                <option
                                    key={code}
                                    value={code}
                                >{localeLabel(intl, code)}</option>
                            ))}
                        </select>
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={zoneId}><FormattedMessage {...m.newcomersTimezone}/></label>
                        <input
                            id={zoneId}
                            className='form-control cockpit-waves__short'
                            placeholder='Europe/Berlin'
                            maxLength={64}
                            value={newcomers.timezone}
                            aria-invalid={zoneShown}
                            aria-describedby={`${zoneId}-help`}
                            onChange={(e) => {
                                setZoneLeft(false);
                                set({timezone: e.target.value});
                            }}
                            onBlur={() => setZoneLeft(true)}
                        />
                        <p
                            id={`${zoneId}-help`}
                            className='cockpit-muted cockpit-waves__hint'
                        ><FormattedMessage {...m.newcomersTimezoneHelp}/></p>
                        {zoneShown && <p className='cockpit-error-text'>{timezoneError}</p>}
                    </div>
                </>
            )}
        </fieldset>
    );
}
