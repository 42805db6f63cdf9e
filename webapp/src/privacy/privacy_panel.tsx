import React, {useEffect, useId, useState} from 'react';
import {FormattedMessage} from 'react-intl';

import type {PersonLookup, PrivacyState, WaveRetention} from 'contract/privacy';

import {privacyMessages as m} from './messages';

import {toRequestError, type Client, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {DateTime} from '../components/date_time';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {useAnswer} from '../resource';

function ErrorText({error}: {error: RequestError}) {
    return (
        <p
            role='alert'
            className='cockpit-error-text'
        >
            <RequestErrorText error={error}/>
        </p>
    );
}

const total = (lookup: PersonLookup) => Object.values(lookup.records).reduce((sum, count) => sum + count, 0);

/** A finished wave's retention line for the Waves tab: removed (counts kept) or when it will be; null when neither. */
export function WaveRetentionNote({retention}: {retention: WaveRetention | undefined}) {
    if (retention?.removed_at) {
        return (
            <FormattedMessage
                {...m.waveRemoved}
                values={{date: <DateTime value={retention.removed_at}/>}}
            />
        );
    }
    if (retention?.removes_at) {
        return (
            <FormattedMessage
                {...m.waveRemoves}
                values={{date: <DateTime value={retention.removes_at}/>}}
            />
        );
    }
    return null;
}

function PersonFinder({client}: {client: Client}) {
    const termId = useId();
    const confirmId = useId();
    const [term, setTerm] = useState('');
    const [lookup, setLookup] = useState<PersonLookup | null>(null);
    const [confirming, setConfirming] = useState(false);
    const [erased, setErased] = useState<number | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [busy, setBusy] = useState(false);

    const run = async (action: () => Promise<void>) => {
        setBusy(true);
        setError(null);
        try {
            await action();
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setBusy(false);
        }
    };
    const find = () => run(async () => {
        setErased(null);
        setConfirming(false);
        setLookup(await client.findPerson(term.trim()));
    });
    const erase = () => run(async () => {
        if (!lookup) {
            return;
        }
        const body = lookup.user || !lookup.email ? {user_id: lookup.user?.id ?? term.trim()} : {email: lookup.email};
        const answer = await client.erasePerson(body);
        setErased(Object.values(answer.records).reduce((sum, count) => sum + count, 0));
        setConfirming(false);
        setLookup(await client.findPerson(term.trim()));
    });

    return (
        <>
            {/* A search box, not a form: this panel shows even before anything loads, and the System Console
                already wraps the page in its settings form. Enter in the field searches, as a form would. */}
            <div
                role='search'
                className='cockpit-inline-form'
            >
                <label htmlFor={termId}><FormattedMessage {...m.termLabel}/></label>
                <input
                    id={termId}
                    className='form-control'
                    value={term}
                    maxLength={128}
                    onChange={(event) => setTerm(event.target.value)}
                    onKeyDown={(event) => {
                        if (event.key === 'Enter') {
                            event.preventDefault();
                            if (!busy && term.trim() !== '') {
                                find();
                            }
                        }
                    }}
                />
                <button
                    type='button'
                    className='btn btn-secondary'
                    disabled={busy || term.trim() === ''}
                    onClick={find}
                >
                    <FormattedMessage {...m.find}/>
                </button>
            </div>
            {error && <ErrorText error={error}/>}
            {lookup && (
                <div className='cockpit-privacy__person'>
                    <p>
                        {lookup.user && (
                            <>
                                <FormattedMessage
                                    {...m.account}
                                    values={{username: lookup.user.username, email: lookup.user.email}}
                                />
                                {lookup.user.deactivated && (
                                    <span className='cockpit-muted'>{' '}<FormattedMessage {...m.deactivated}/></span>
                                )}
                            </>
                        )}
                        {!lookup.user && lookup.email && (
                            <FormattedMessage
                                {...m.noAccount}
                                values={{email: lookup.email}}
                            />
                        )}
                        {!lookup.user && !lookup.email && <FormattedMessage {...m.deletedAccount}/>}
                    </p>
                    <p role='status'>
                        <FormattedMessage
                            {...m.records}
                            values={{total: total(lookup)}}
                        />
                    </p>
                    {erased !== null && (
                        <p role='status'>
                            <FormattedMessage
                                {...m.erased}
                                values={{total: erased}}
                            />
                        </p>
                    )}
                    {total(lookup) > 0 && (
                        <WriteControls>
                            {confirming ? (
                                <div
                                    role='group'
                                    aria-labelledby={confirmId}
                                >
                                    <span id={confirmId}><FormattedMessage {...m.confirm}/></span>
                                    {' '}
                                    <button
                                        type='button'
                                        className='btn btn-danger'
                                        disabled={busy}
                                        onClick={erase}
                                    >
                                        <FormattedMessage {...m.confirmYes}/>
                                    </button>
                                    <button
                                        type='button'
                                        className='btn btn-tertiary'
                                        onClick={() => setConfirming(false)}
                                    >
                                        <FormattedMessage {...m.cancel}/>
                                    </button>
                                </div>
                            ) : (
                                <button
                                    type='button'
                                    className='btn btn-danger'
                                    onClick={() => setConfirming(true)}
                                >
                                    <FormattedMessage {...m.erase}/>
                                </button>
                            )}
                        </WriteControls>
                    )}
                </div>
            )}
        </>
    );
}

function RetentionForm({client, state, onSaved}: {client: Client; state: PrivacyState; onSaved: (state: PrivacyState) => void}) {
    const daysId = useId();
    const deactivationId = useId();
    const [days, setDays] = useState(state.settings.retention_days === null ? '' : String(state.settings.retention_days));
    const [onDeactivation, setOnDeactivation] = useState(state.settings.erase_on_deactivation);
    const [error, setError] = useState<RequestError | null>(null);
    const [saved, setSaved] = useState(false);
    const parsed = days.trim() === '' ? null : Number(days);
    const valid = parsed === null || (Number.isInteger(parsed) && parsed >= 1 && parsed <= 3650);
    const save = async () => {
        setError(null);
        setSaved(false);
        try {
            onSaved(await client.savePrivacySettings(state.version, {retention_days: parsed, erase_on_deactivation: onDeactivation}));
            setSaved(true);
        } catch (err) {
            setError(toRequestError(err));
        }
    };
    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-inline-form'
                onSubmit={save}
            >
                <label htmlFor={daysId}><FormattedMessage {...m.retentionLabel}/></label>
                <input
                    id={daysId}
                    className='form-control'
                    inputMode='numeric'
                    value={days}
                    aria-invalid={!valid}
                    onChange={(event) => setDays(event.target.value)}
                />
                <label htmlFor={deactivationId}>
                    <input
                        id={deactivationId}
                        type='checkbox'
                        checked={onDeactivation}
                        onChange={(event) => setOnDeactivation(event.target.checked)}
                    />
                    {' '}
                    <FormattedMessage {...m.deactivationLabel}/>
                </label>
                <button
                    type='submit'
                    className='btn btn-secondary'
                    disabled={!valid}
                >
                    <FormattedMessage {...m.save}/>
                </button>
                {saved && <span role='status'><FormattedMessage {...m.saved}/></span>}
            </CockpitForm>
            {error && <ErrorText error={error}/>}
        </WriteControls>
    );
}

/** The Waves tab's personal-data section: find and erase a person, retention. */
export function PrivacyPanel({client, onState}: {client: Client; onState?: (state: PrivacyState) => void}) {
    const loaded = useAnswer(() => client.getPrivacy(), [client]);
    const {data: state, error, setData} = loaded;

    // Whoever shows retention beside the panel (the Waves tab) hears of every state read or saved.
    useEffect(() => {
        if (state) {
            onState?.(state);
        }
    }, [state, onState]);
    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            <PersonFinder client={client}/>
            <h4><FormattedMessage {...m.retentionTitle}/></h4>
            {error && <ErrorText error={error}/>}
            {state && (
                <RetentionForm
                    client={client}
                    state={state}
                    onSaved={setData}
                />
            )}
        </AdminPanel>
    );
}
