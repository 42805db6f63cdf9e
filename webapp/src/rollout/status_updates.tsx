import React, {useCallback, useEffect, useId, useMemo, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import {RolloutEndpoints} from 'contract/endpoints/rollout';
import {WEEKDAYS, type UpdatePreview, type UpdateSchedule, type UpdateSettingsResponse} from 'contract/rollout';

import {rolloutMessages as m} from './messages';

import {clientFor, toRequestError, type Client, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {ConflictNotice} from '../components/conflict_notice';
import {DateTime} from '../components/date_time';
import {Picker, type PickOption} from '../components/picker';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {searchChannels} from '../mattermost/channels';
import {useHostDispatch} from '../mattermost/dispatch';
import {listTeams} from '../mattermost/teams';
import {MattermostMarkdown} from '../waves/markdown_preview';

const weekdayMessages = {
    sunday: {id: 'cockpit.rollout.weekday.sunday', defaultMessage: 'Sunday'},
    monday: {id: 'cockpit.rollout.weekday.monday', defaultMessage: 'Monday'},
    tuesday: {id: 'cockpit.rollout.weekday.tuesday', defaultMessage: 'Tuesday'},
    wednesday: {id: 'cockpit.rollout.weekday.wednesday', defaultMessage: 'Wednesday'},
    thursday: {id: 'cockpit.rollout.weekday.thursday', defaultMessage: 'Thursday'},
    friday: {id: 'cockpit.rollout.weekday.friday', defaultMessage: 'Friday'},
    saturday: {id: 'cockpit.rollout.weekday.saturday', defaultMessage: 'Saturday'},
} as const;

interface Draft {
    channel: {id: string; label: string} | null;
    schedule: UpdateSchedule;
}

function draftOf(settings: UpdateSettingsResponse): Draft {
    const label = settings.channel_display_name ?
        `${settings.channel_display_name} (${settings.team_name})` :
        settings.channel_id ?? '';
    return {channel: settings.channel_id ? {id: settings.channel_id, label} : null, schedule: settings.schedule};
}

/** The project channel, the weekly schedule, a preview of the next post and "Post now" (system admins). */
export function StatusUpdates() {
    const intl = useIntl();
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const dispatch = useHostDispatch();
    const ids = {weekday: useId(), hour: useId(), kind: useId()};
    const [settings, setSettings] = useState<UpdateSettingsResponse | null>(null);
    const [draft, setDraft] = useState<Draft | null>(null);
    const [preview, setPreview] = useState<UpdatePreview | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<'saved' | 'posted' | null>(null);

    const run = useCallback(async <T, >(work: (c: Client) => Promise<T>, then: (value: T) => void) => {
        setBusy(true);
        setError(null);
        setNotice(null);
        try {
            then(await work(client));
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setBusy(false);
        }
    }, [client]);

    const load = useCallback(() => run((c) => c.call(RolloutEndpoints.updateSettings), (loaded) => {
        setSettings(loaded);
        setDraft(draftOf(loaded));
    }), [run]);

    useEffect(() => {
        load();
    }, [load]);

    const searchChannel = useCallback(async (term: string): Promise<PickOption[]> => {
        const teams = await listTeams(dispatch);
        return searchChannels(dispatch, teams.map((team) => team.id), term);
    }, [dispatch]);

    if (!settings || !draft) {
        return (
            <AdminPanel
                title={m.updatesTitle}
                subtitle={m.updatesSubtitle}
            >
                {error ? (
                    <RequestErrorNotice
                        error={error}
                        onRetry={load}
                        retrying={busy}
                    />
                ) : <p className='cockpit-muted'><FormattedMessage {...m.loading}/></p>}
            </AdminPanel>
        );
    }

    const save = () => run((c) => c.call(RolloutEndpoints.saveUpdateSettings, {body: {
        expected_version: settings.version,
        channel_id: draft.channel?.id ?? null,
        schedule: draft.schedule,
    }}), (saved) => {
        setSettings(saved);
        setDraft(draftOf(saved));
        setNotice('saved');
    });
    const showPreview = () => run((c) => c.call(RolloutEndpoints.updatePreview), setPreview);
    const postNow = () => run((c) => c.call(RolloutEndpoints.postUpdate, {body: {}}), (posted) => {
        setSettings({...settings, last_update: posted});
        setPreview(null);
        setNotice('posted');
    });
    const weekly = draft.schedule.kind === 'weekly' ? draft.schedule : null;
    const changed = JSON.stringify(draftOf(settings)) !== JSON.stringify(draft);

    return (
        <AdminPanel
            title={m.updatesTitle}
            subtitle={m.updatesSubtitle}
        >
            <CockpitForm
                className='cockpit-rollout-updates'
                noValidate={true}
                onSubmit={save}
            >
                <fieldset className='cockpit-field'>
                    <legend><FormattedMessage {...m.channel}/></legend>
                    <p data-testid='rollout-channel'>
                        {draft.channel ? draft.channel.label : <FormattedMessage {...m.channelNone}/>}
                        {settings.channel_id && !settings.channel_display_name && draft.channel?.id === settings.channel_id && (
                            <span className='cockpit-error-text'>{' '}<FormattedMessage {...m.channelGone}/></span>
                        )}
                    </p>
                    <WriteControls>
                        {draft.channel && (
                            <button
                                type='button'
                                className='btn btn-tertiary btn-sm'
                                onClick={() => setDraft({channel: null, schedule: {kind: 'off'}})}
                            >
                                <FormattedMessage {...m.channelClear}/>
                            </button>
                        )}
                        <Picker
                            label={intl.formatMessage(m.channelSearch)}
                            search={searchChannel}
                            chosen={draft.channel ? [draft.channel.id] : []}
                            onPick={(option) => setDraft({...draft, channel: {id: option.id, label: option.label}})}
                        />
                    </WriteControls>
                </fieldset>
                <fieldset className='cockpit-field'>
                    <legend><FormattedMessage {...m.schedule}/></legend>
                    <WriteControls>
                        <label htmlFor={ids.kind}><FormattedMessage {...m.schedule}/></label>
                        <select
                            id={ids.kind}
                            className='form-control'
                            value={draft.schedule.kind}
                            onChange={(e) => setDraft({
                                ...draft,
                                schedule: e.target.value === 'weekly' ? {kind: 'weekly', weekday: 1, hour: 9} : {kind: 'off'},
                            })}
                        >
                            <option value='off'>{intl.formatMessage(m.scheduleOff)}</option>
                            <option
                                value='weekly'
                                disabled={!draft.channel}
                            >{intl.formatMessage(m.scheduleWeekly)}</option>
                        </select>
                        {weekly && (
                            <>
                                <label htmlFor={ids.weekday}><FormattedMessage {...m.weekday}/></label>
                                <select
                                    id={ids.weekday}
                                    className='form-control'
                                    value={weekly.weekday}
                                    onChange={(e) => setDraft({...draft, schedule: {...weekly, weekday: Number(e.target.value)}})}
                                >
                                    {WEEKDAYS.map((day, i) => (
                                        <option
                                            key={day}
                                            value={i}
                                        >{intl.formatMessage(weekdayMessages[day])}</option>
                                    ))}
                                </select>
                                <label htmlFor={ids.hour}><FormattedMessage {...m.hour}/></label>
                                <select
                                    id={ids.hour}
                                    className='form-control'
                                    value={weekly.hour}
                                    onChange={(e) => setDraft({...draft, schedule: {...weekly, hour: Number(e.target.value)}})}
                                >
                                    {Array.from({length: 24}, (_, hour) => (
                                        <option
                                            key={hour}
                                            value={hour}
                                        >{intl.formatMessage(m.hourValue, {hour: String(hour).padStart(2, '0')})}</option>
                                    ))}
                                </select>
                            </>
                        )}
                    </WriteControls>
                </fieldset>
                <WriteControls>
                    <button
                        type='submit'
                        className='btn btn-primary'
                        disabled={busy || !changed}
                    >
                        <FormattedMessage {...m.save}/>
                    </button>
                </WriteControls>
            </CockpitForm>

            <p className='cockpit-muted'>
                {settings.next_at !== null && (
                    <FormattedMessage
                        {...m.nextAt}
                        values={{time: <DateTime value={settings.next_at}/>}}
                    />
                )}
                {' '}
                {settings.last_update ? (
                    <FormattedMessage
                        {...m.lastAt}
                        values={{time: <DateTime value={settings.last_update.at}/>}}
                    />
                ) : <FormattedMessage {...m.neverPosted}/>}
            </p>
            {notice && (
                <p
                    role='status'
                    className='cockpit-notice cockpit-notice--success'
                >
                    <FormattedMessage {...(notice === 'saved' ? m.saved : m.posted)}/>
                </p>
            )}
            {error?.status === 409 ? (
                <ConflictNotice
                    title={m.conflictTitle}
                    body={m.conflictBody}
                    reload={m.conflictReload}
                    onReload={load}
                    disabled={busy}
                />
            ) : error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={load}
                    retrying={busy}
                />
            )}
            <div className='cockpit-toolbar'>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={busy || !settings.channel_id}
                    onClick={showPreview}
                >
                    <FormattedMessage {...m.preview}/>
                </button>
                {preview && (
                    <WriteControls>
                        <button
                            type='button'
                            className='btn btn-primary'
                            disabled={busy || changed}
                            onClick={postNow}
                        >
                            <FormattedMessage {...m.postNow}/>
                        </button>
                    </WriteControls>
                )}
            </div>
            {preview && (
                <section
                    className='cockpit-rollout-preview'
                    aria-label={intl.formatMessage(m.previewTitle)}
                >
                    <h4><FormattedMessage {...m.previewTitle}/></h4>
                    <MattermostMarkdown markdown={preview.message}/>
                    <details>
                        <summary><FormattedMessage {...m.previewMarkdown}/></summary>
                        <pre data-testid='rollout-preview-markdown'>{preview.message}</pre>
                    </details>
                </section>
            )}
        </AdminPanel>
    );
}
