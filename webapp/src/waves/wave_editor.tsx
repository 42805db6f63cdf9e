import React, {useCallback, useEffect, useId, useMemo, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {
    CohortSchema,
    WaveDefinitionSchema,
    type Cohort,
    type DryRunReport as DryRunReportData,
    type WaveDefinition,
    type WaveResponse,
} from 'contract/waves';

import {CohortSection, uploadCsvRows} from './cohort_section';
import {fitsOneRequest} from './csv';
import {DryRunReport} from './dry_run_report';
import {FeedbackSection} from './feedback_section';
import {InvitationSection} from './invitation_section';
import {wavesMessages as m} from './messages';
import {isTimeZone, NewcomersSection} from './newcomers_section';
import {TargetsSection} from './targets_section';
import {isConflict, useWavesClient} from './use_waves';
import {WelcomeSection} from './welcome_section';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {ConflictNotice} from '../components/conflict_notice';
import {localDateTimeInput} from '../components/dates';
import type {PickOption} from '../components/picker';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {channelsByIds} from '../mattermost/channels';
import type {HostDispatch} from '../mattermost/dispatch';
import {groupsByIds} from '../mattermost/groups';
import {listTeams, teamOption} from '../mattermost/teams';

/** What the editor changes: the definition without the CSV rows (those go through POST …/csv). */
export type Draft = Omit<WaveDefinition, 'cohort'> & {cohort: Omit<Cohort, 'csv'>};

function draftOf(definition: WaveDefinition): Draft {
    const {csv: omittedRows, ...cohort} = definition.cohort;
    return {...definition, cohort};
}

const splitDomains = (text: string) => text.split(/[\s,;]+/).map((d) => d.trim().toLowerCase()).filter(Boolean);
const domainSchema = CohortSchema.shape.email_domains.unwrap().element;

type Field =
    | 'name'
    | 'domains'
    | 'throttle'
    | 'template'
    | 'targets'
    | 'schedule'
    | 'timezone'
    | 'invitationSubject'
    | 'invitationTemplate'
    | 'invitationTranslations'
    | 'invitation';
type FieldErrors = Partial<Record<Field, string>>;

/** Errors shown as soon as they exist (the others wait for a save or launch attempt). */
const shownAtOnce: ReadonlyArray<keyof FieldErrors> = [
    'domains',
    'template',
    'invitationSubject',
    'invitationTemplate',
    'invitationTranslations',
];

type Notice = {kind: 'saved'} | {kind: 'conflict'} | {kind: 'failed'; error: RequestError};

interface Props {
    wave: WaveResponse;
    onWave: (wave: WaveResponse) => void;
    onReload: () => void;
    onLaunched: (wave: WaveResponse) => void;
}

/** The editor of a draft wave: cohort, newcomers, targets, welcome, feedback, invitation, schedule and throttle; save, dry run, launch. */
export function WaveEditor({wave, onWave, onReload, onLaunched}: Props) {
    const intl = useIntl();
    const {client, store} = useWavesClient();
    const [draft, setDraft] = useState<Draft>(() => draftOf(wave.definition));
    const [domainsText, setDomainsText] = useState(() => wave.definition.cohort.email_domains.join(', '));
    const [names, setNames] = useState<ReadonlyMap<string, PickOption>>(new Map());
    const [teams, setTeams] = useState<PickOption[]>([]);
    const [notice, setNotice] = useState<Notice | null>(null);
    const [saving, setSaving] = useState(false);
    const [scheduleMode, setScheduleMode] = useState<'now' | 'at'>('now');
    const [startAt, setStartAt] = useState(() => localDateTimeInput(Date.now() + 3600_000));
    const [dryRun, setDryRun] = useState<{report: DryRunReportData | null; running: boolean; error: RequestError | null}>({
        report: null,
        running: false,
        error: null,
    });
    const [launchError, setLaunchError] = useState<RequestError | null>(null);
    const [launching, setLaunching] = useState(false);
    const [showErrors, setShowErrors] = useState(false);
    const nameId = useId();
    const throttleId = useId();
    const rollingId = useId();
    const guestsId = useId();
    const nowId = useId();
    const atId = useId();
    const atInputId = useId();

    const remember = useCallback((options: PickOption[]) => setNames((current) => {
        const next = new Map(current);
        options.forEach((option) => next.set(option.id, option));
        return next;
    }), []);

    // Names of the teams (every team: the pickers filter them), and of the saved channels (targets and
    // help desk) and groups.
    useEffect(() => {
        listTeams(store.dispatch as HostDispatch).then((list) => {
            const options = list.map(teamOption);
            setTeams(options);
            remember(options);
        }, () => undefined);
        const helpDesk = wave.definition.feedback.help_desk_channel_id;
        channelsByIds(store, [...wave.definition.targets.channels.map((c) => c.channel_id), ...(helpDesk ? [helpDesk] : [])]).then(
            remember,
            () => undefined,
        );
        groupsByIds(store, wave.definition.cohort.group_ids).then(remember, () => undefined);
    /* eslint-disable-next-line react-hooks/exhaustive-deps -- the names are looked up once per opened wave, not on each
       edit of its definition. */
    }, [store, remember]);

    const onDraft = useCallback((change: (d: Draft) => Draft) => {
        setDraft(change);
        setNotice(null);
    }, []);

    const errors = useMemo((): FieldErrors => {
        const found: FieldErrors = {};
        const parsed = WaveDefinitionSchema.safeParse({...draft, cohort: {...draft.cohort, csv: []}});
        if (!parsed.success) {
            const incomplete = new Set<string>();
            for (const issue of parsed.error.issues) {
                const [first, second] = issue.path;
                if (first === 'name') {
                    found.name = intl.formatMessage(m.errorName);
                } else if (first === 'throttle') {
                    found.throttle = intl.formatMessage(m.errorThrottle);
                } else if (first === 'welcome' && second === 'template') {
                    found.template = intl.formatMessage(m.errorTemplate);
                } else if (first === 'invitation' && second === 'subject') {
                    found.invitationSubject = intl.formatMessage(m.errorInvitationSubject);
                } else if (first === 'invitation' && second === 'html_template') {
                    found.invitationTemplate = intl.formatMessage(m.errorInvitationTemplate);
                } else if (first === 'invitation' && second === 'translations' && typeof issue.path[2] === 'string') {
                    incomplete.add(issue.path[2]);
                }
            }
            if (incomplete.size > 0) {
                const languages = [...incomplete].map((locale) => intl.formatDisplayName(locale, {type: 'language'}) ?? locale);
                found.invitationTranslations = intl.formatMessage(m.errorInvitationTranslations, {languages: intl.formatList(languages)});
            }
        }

        // The defaults are edited (and used) only when the wave creates or invites people.
        const zone = draft.newcomers.timezone;
        if (draft.newcomers.mode !== 'skip' && (zone.length > 64 || !isTimeZone(zone))) {
            found.timezone = intl.formatMessage(m.errorTimezone, {zone});
        }
        const badDomains = splitDomains(domainsText).filter((domain) => !domainSchema.safeParse(domain).success);
        if (badDomains.length > 0) {
            found.domains = intl.formatMessage(m.errorDomains, {domains: badDomains.join(', ')});
        }
        return found;
    }, [draft, domainsText, intl]);

    const launchErrors = useMemo((): FieldErrors => {
        const found: FieldErrors = {};
        if (draft.targets.teams.length === 0) {
            found.targets = intl.formatMessage(m.errorNoTeam);
        }
        if (scheduleMode === 'at' && !(new Date(startAt).getTime() > Date.now())) {
            found.schedule = intl.formatMessage(m.errorSchedule);
        }

        // Invited people learn of the wave only through the invitation email.
        if (draft.newcomers.mode === 'invite' && !draft.invitation.enabled) {
            found.invitation = intl.formatMessage(m.errorInviteNeedsInvitation);
        }
        return found;
    }, [draft.targets.teams.length, draft.newcomers.mode, draft.invitation.enabled, scheduleMode, startAt, intl]);

    const saved = draftOf(wave.definition);
    const dirty = JSON.stringify(saved) !== JSON.stringify(draft);
    const cohortChanged = JSON.stringify(saved.cohort) !== JSON.stringify(draft.cohort);
    const valid = Object.keys(errors).length === 0;

    const save = async (): Promise<WaveResponse | null> => {
        setShowErrors(true);
        if (!valid) {
            return null;
        }
        setSaving(true);
        setNotice(null);
        try {
            const {cohort, ...rest} = draft;
            const stored = wave.definition.cohort.csv;
            let next: WaveResponse;
            if (!cohortChanged) {
                next = await client.updateWave(wave.id, wave.version, rest);
            } else if (fitsOneRequest(stored)) {
                next = await client.updateWave(wave.id, wave.version, {...rest, cohort: {...cohort, csv: stored}});
            } else {
                // A cohort change replaces the whole cohort, CSV included; a CSV too big for one request
                // is stored again in chunks after it (the next chunk's version check guards each step).
                next = await client.updateWave(wave.id, wave.version, {...rest, cohort: {...cohort, csv: []}});
                next = await uploadCsvRows(client, next, stored, onWave);
            }
            onWave(next);
            setDraft(draftOf(next.definition));
            setNotice({kind: 'saved'});
            return next;
        } catch (err) {
            const error = toRequestError(err);
            setNotice(isConflict(error) ? {kind: 'conflict'} : {kind: 'failed', error});
            return null;
        } finally {
            setSaving(false);
        }
    };

    const onDomainsText = (text: string) => {
        setDomainsText(text);
        onDraft((d) => ({...d, cohort: {...d.cohort, email_domains: splitDomains(text)}}));
    };

    const runDryRun = async () => {
        setDryRun({report: null, running: true, error: null});
        try {
            setDryRun({report: await client.dryRunWave(wave.id), running: false, error: null});
        } catch (err) {
            setDryRun({report: null, running: false, error: toRequestError(err)});
        }
    };

    const launch = async () => {
        setShowErrors(true);
        if (Object.keys(launchErrors).length > 0 || dirty) {
            return;
        }
        setLaunching(true);
        setLaunchError(null);
        try {
            const at = scheduleMode === 'at' ? new Date(startAt).getTime() : null;
            onLaunched(await client.startWave(wave.id, wave.version, at));
        } catch (err) {
            const error = toRequestError(err);
            if (isConflict(error)) {
                setNotice({kind: 'conflict'});
            } else {
                setLaunchError(error);
            }
            setLaunching(false);
        }
    };

    const shown = (key: keyof FieldErrors) => (showErrors || shownAtOnce.includes(key) ? errors[key] ?? '' : '');

    return (
        <>
            <AdminPanel
                title={m.editorTitle}
                subtitle={m.editorSubtitle}
            >
                <WriteControls>
                    <CockpitForm
                        className='cockpit-waves__editor'
                        noValidate={true}
                        onSubmit={() => {
                            save();
                        }}
                    >
                        <div className='cockpit-field'>
                            <label htmlFor={nameId}><FormattedMessage {...m.name}/></label>
                            <input
                                id={nameId}
                                className='form-control'
                                value={draft.name}
                                aria-invalid={Boolean(shown('name'))}
                                onChange={(e) => onDraft((d) => ({...d, name: e.target.value}))}
                            />
                            {shown('name') && <p className='cockpit-error-text'>{shown('name')}</p>}
                        </div>
                        <CohortSection
                            wave={wave}
                            draft={draft}
                            domainsText={domainsText}
                            domainError={shown('domains')}
                            names={names}
                            teams={teams}
                            onDraft={onDraft}
                            onDomainsText={onDomainsText}
                            remember={remember}
                            onWave={onWave}
                            onError={(error) => setNotice(isConflict(error) ? {kind: 'conflict'} : {kind: 'failed', error})}
                        />
                        <NewcomersSection
                            newcomers={draft.newcomers}
                            timezoneError={errors.timezone ?? ''}
                            showErrors={showErrors}
                            launchError={launchErrors.invitation ?? ''}
                            invitationEnabled={draft.invitation.enabled}
                            onNewcomers={(newcomers) => onDraft((d) => ({...d, newcomers}))}
                        />
                        <TargetsSection
                            draft={draft}
                            names={names}
                            teams={teams}
                            error={showErrors ? launchErrors.targets ?? '' : ''}
                            onDraft={onDraft}
                            remember={remember}
                        />
                        <WelcomeSection
                            waveId={wave.id}
                            name={draft.name}
                            targets={draft.targets}
                            welcome={draft.welcome}
                            error={shown('template')}
                            onWelcome={(welcome) => onDraft((d) => ({...d, welcome}))}
                        />
                        <FeedbackSection
                            feedback={draft.feedback}
                            names={names}
                            teams={teams}
                            onFeedback={(feedback) => onDraft((d) => ({...d, feedback}))}
                            remember={remember}
                        />
                        <InvitationSection
                            waveId={wave.id}
                            invitation={draft.invitation}
                            subjectError={shown('invitationSubject')}
                            templateError={shown('invitationTemplate')}
                            translationsError={shown('invitationTranslations')}
                            smtpConfigured={dryRun.report?.smtp_configured}
                            onInvitation={(invitation) => onDraft((d) => ({...d, invitation}))}
                        />
                        <fieldset>
                            <legend><FormattedMessage {...m.runTitle}/></legend>
                            <div className='cockpit-field cockpit-waves__narrow'>
                                <label htmlFor={throttleId}><FormattedMessage {...m.throttle}/></label>
                                <input
                                    id={throttleId}
                                    type='number'
                                    min={1}
                                    max={500}
                                    className='form-control'
                                    value={Number.isNaN(draft.throttle.users_per_second) ? '' : draft.throttle.users_per_second}
                                    aria-invalid={Boolean(shown('throttle'))}
                                    onChange={(e) =>
                                        onDraft((d) => ({
                                            ...d,
                                            throttle: {
                                                users_per_second: e.target.value === '' ? Number.NaN : Number(e.target.value),
                                            },
                                        }))
                                    }
                                />
                                {shown('throttle') && <p className='cockpit-error-text'>{shown('throttle')}</p>}
                            </div>
                            <div className='cockpit-check-row'>
                                <input
                                    id={rollingId}
                                    type='checkbox'
                                    checked={draft.rolling}
                                    onChange={(e) => onDraft((d) => ({...d, rolling: e.target.checked}))}
                                />
                                <label htmlFor={rollingId}><FormattedMessage {...m.rollingLabel}/></label>
                            </div>
                            <div className='cockpit-check-row'>
                                <input
                                    id={guestsId}
                                    type='checkbox'
                                    checked={draft.allow_guests}
                                    onChange={(e) => onDraft((d) => ({...d, allow_guests: e.target.checked}))}
                                />
                                <label htmlFor={guestsId}><FormattedMessage {...m.allowGuests}/></label>
                            </div>
                        </fieldset>
                        {notice?.kind === 'conflict' && (
                            <ConflictNotice
                                title={m.conflictTitle}
                                body={m.conflictBody}
                                reload={m.reload}
                                onReload={onReload}
                            />
                        )}
                        {notice?.kind === 'failed' && (
                            <p
                                role='alert'
                                className='cockpit-notice cockpit-notice--error'
                            >
                                <FormattedMessage
                                    {...m.saveFailed}
                                    values={{message: <RequestErrorText error={notice.error}/>}}
                                />
                            </p>
                        )}
                        {showErrors && !valid && (
                            <p
                                role='alert'
                                className='cockpit-error-text'
                            ><FormattedMessage {...m.fixErrors}/></p>
                        )}
                        <div className='cockpit-form__buttons'>
                            <button
                                type='submit'
                                className='btn btn-primary'
                                disabled={saving || !dirty}
                            >
                                <FormattedMessage {...(saving ? m.saving : m.save)}/>
                            </button>
                            {notice?.kind === 'saved' && !dirty && <span role='status'><FormattedMessage {...m.saved}/></span>}
                            {dirty && <span className='cockpit-muted'><FormattedMessage {...m.unsaved}/></span>}
                        </div>
                    </CockpitForm>
                </WriteControls>
            </AdminPanel>
            <AdminPanel
                title={m.dryRunTitle}
                subtitle={m.dryRunSubtitle}
            >
                <div className='cockpit-inline-form'>
                    <WriteControls>
                        <button
                            type='button'
                            className='btn btn-secondary'
                            disabled={dirty || dryRun.running}
                            onClick={() => {
                                runDryRun();
                            }}
                        >
                            <FormattedMessage {...(dryRun.running ? m.dryRunRunning : m.dryRun)}/>
                        </button>
                    </WriteControls>
                    {dirty && <span className='cockpit-muted'><FormattedMessage {...m.saveFirst}/></span>}
                </div>
                {dryRun.error && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >{<RequestErrorText error={dryRun.error}/>}</p>
                )}
                {dryRun.report && <DryRunReport report={dryRun.report}/>}
            </AdminPanel>
            <AdminPanel
                title={m.launchTitle}
                subtitle={m.launchSubtitle}
            >
                <div
                    className='cockpit-waves__schedule'
                    role='radiogroup'
                    aria-label={intl.formatMessage(m.schedule)}
                >
                    <div className='cockpit-check-row'>
                        <input
                            id={nowId}
                            type='radio'
                            name={`${nowId}-schedule`}
                            checked={scheduleMode === 'now'}
                            onChange={() => setScheduleMode('now')}
                        />
                        <label htmlFor={nowId}><FormattedMessage {...m.startNow}/></label>
                    </div>
                    <div className='cockpit-check-row'>
                        <input
                            id={atId}
                            type='radio'
                            name={`${nowId}-schedule`}
                            checked={scheduleMode === 'at'}
                            onChange={() => setScheduleMode('at')}
                        />
                        <label htmlFor={atId}><FormattedMessage {...m.startAt}/></label>
                        <label
                            htmlFor={atInputId}
                            className='sr-only'
                        >
                            <FormattedMessage {...m.startTime}/>
                        </label>
                        <input
                            id={atInputId}
                            type='datetime-local'
                            className='form-control cockpit-waves__datetime'
                            value={startAt}
                            disabled={scheduleMode !== 'at'}
                            onChange={(e) => setStartAt(e.target.value)}
                        />
                    </div>
                    {showErrors && launchErrors.schedule && <p className='cockpit-error-text'>{launchErrors.schedule}</p>}
                </div>
                {launchError && (
                    <p
                        role='alert'
                        className='cockpit-notice cockpit-notice--error'
                    >{<RequestErrorText error={launchError}/>}</p>
                )}
                <div className='cockpit-inline-form'>
                    <WriteControls>
                        <button
                            type='button'
                            className='btn btn-primary'
                            disabled={dirty || launching}
                            onClick={() => {
                                launch();
                            }}
                        >
                            <FormattedMessage {...(scheduleMode === 'now' ? m.launch : m.scheduleButton)}/>
                        </button>
                    </WriteControls>
                    {dirty && <span className='cockpit-muted'><FormattedMessage {...m.saveFirst}/></span>}
                    {showErrors && launchErrors.targets && <span className='cockpit-error-text'>{launchErrors.targets}</span>}
                    {showErrors && launchErrors.invitation && <span className='cockpit-error-text'>{launchErrors.invitation}</span>}
                </div>
            </AdminPanel>
        </>
    );
}
