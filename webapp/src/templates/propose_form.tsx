// Propose a template for channels of one or more teams: per team, picked channels, every channel whose
// name matches a pattern, and/or channels created later. The preview lists what the team admins will
// be asked about before anything is sent.
import React, {useEffect, useId, useMemo, useRef, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {Team} from '@mattermost/types/teams';

import {ErrorIds} from 'contract/errors';
import {ProposalTeamTargetSchema, type ProposalDetail, type Template} from 'contract/templates';

import {templatesMessages as m} from './messages';
import {patternMatcher} from './model';

import {toRequestError, type Client, type RequestError} from '../client';
import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {listTeamChannels, type ChannelSummary} from '../mattermost/channels';
import {useHostDispatch} from '../mattermost/dispatch';
import {listTeams} from '../mattermost/teams';

interface TeamTarget {
    channelIds: string[];
    namePattern: string;
    newChannels: boolean;
}

const emptyTarget: TeamTarget = {channelIds: [], namePattern: '', newChannels: false};

interface Props {
    client: Client;
    templates: readonly Template[];

    /** Preselected from the templates list's "Propose" button. */
    templateId: string | null;
    onProposed: (detail: ProposalDetail) => void;
}

/**
 * The channels a team's target covers now, in display order: the picked ones (public or private) and the
 * PUBLIC channels matching the pattern. As the server resolves it (server/src/templates/proposals/create.ts):
 * the plugin API lists no team's private channels, so a pattern never covers them; pick those.
 */
export function matchedChannels(channels: readonly ChannelSummary[], target: TeamTarget): ChannelSummary[] {
    const picked = new Set(target.channelIds);
    const matches = patternMatcher(target.namePattern);
    return channels.filter((c) => picked.has(c.id) || (c.type === 'O' && matches(c.name)));
}

export function ProposeForm({client, templates, templateId, onProposed}: Props) {
    const intl = useIntl();
    const dispatch = useHostDispatch();
    const id = useId();
    const [chosenTemplate, setChosenTemplate] = useState(templateId ?? templates[0]?.id ?? '');
    const [teams, setTeams] = useState<Team[] | null>(null);
    const [teamsError, setTeamsError] = useState('');
    const [channels, setChannels] = useState<Record<string, ChannelSummary[] | 'error'>>({});
    const [targets, setTargets] = useState<Record<string, TeamTarget>>({});
    const [note, setNote] = useState('');
    const [busy, setBusy] = useState(false);
    const [problem, setProblem] = useState<{kind: 'invalid'; text: string} | {kind: 'failed'; error: RequestError} | null>(null);

    const templateSelect = useRef<HTMLSelectElement>(null);
    useEffect(() => {
        if (templateId) {
            // The list's "Propose" button leads here: the form shows that template, with the focus on it.
            setChosenTemplate(templateId);
            templateSelect.current?.focus();
            templateSelect.current?.scrollIntoView?.({block: 'center'});
        }
    }, [templateId]);

    useEffect(() => {
        listTeams(dispatch).then(setTeams, (err: unknown) => setTeamsError(err instanceof Error ? err.message : String(err)));
    }, [dispatch]);

    const toggleTeam = (teamId: string, on: boolean) => {
        setProblem(null);
        setTargets((t) => {
            const next = {...t};
            if (on) {
                next[teamId] = emptyTarget;
            } else {
                delete next[teamId];
            }
            return next;
        });
        if (on && channels[teamId] === undefined) {
            listTeamChannels(dispatch, teamId).then(
                (list) => setChannels((c) => ({...c, [teamId]: list})),
                () => setChannels((c) => ({...c, [teamId]: 'error'})),
            );
        }
    };
    const updateTarget = (teamId: string, changes: Partial<TeamTarget>) => {
        setProblem(null);
        setTargets((t) => ({...t, [teamId]: {...t[teamId], ...changes}}));
    };

    const template = templates.find((t) => t.id === chosenTemplate);
    const pickedTeams = (teams ?? []).filter((t) => targets[t.id]);
    const preview = useMemo(() => pickedTeams.map((team) => {
        const list = channels[team.id];
        return {team, target: targets[team.id], matched: Array.isArray(list) ? matchedChannels(list, targets[team.id]) : null};
    }), [pickedTeams, channels, targets]);

    const submit = async () => {
        if (!template) {
            return;
        }
        const teamTargets = pickedTeams.map((team) => ({
            team_id: team.id,
            channel_ids: targets[team.id].channelIds,
            name_pattern: targets[team.id].namePattern,
            new_channels: targets[team.id].newChannels,
        }));
        if (teamTargets.length === 0) {
            setProblem({kind: 'invalid', text: intl.formatMessage(m.pickTeam)});
            return;
        }
        for (const [i, target] of teamTargets.entries()) {
            const checked = ProposalTeamTargetSchema.safeParse(target);
            if (!checked.success) {
                setProblem({
                    kind: 'invalid',
                    text: `${pickedTeams[i].display_name}: ${checked.error.issues.map((x) => x.message).join('; ')}`,
                });
                return;
            }
        }
        setBusy(true);
        setProblem(null);
        try {
            const detail = await client.createProposal({
                template_id: template.id,
                template_version: template.version,
                teams: teamTargets,
                note,
            });
            setTargets({});
            setNote('');
            onProposed(detail);
        } catch (err) {
            setProblem({kind: 'failed', error: toRequestError(err)});
        } finally {
            setBusy(false);
        }
    };

    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-form cockpit-templates__propose'
                aria-label={intl.formatMessage(m.proposeTitle)}
                onSubmit={() => {
                    submit();
                }}
            >
                <div className='cockpit-field'>
                    <label htmlFor={`${id}-template`}><FormattedMessage {...m.template}/></label>
                    <select
                        ref={templateSelect}
                        id={`${id}-template`}
                        className='form-control'
                        value={chosenTemplate}
                        onChange={(e) => setChosenTemplate(e.target.value)}
                    >
                        {templates.map((t) => (
                            <option
                                key={t.id}
                                value={t.id}
                            >
                                {t.definition.name}
                            </option>
                        ))}
                    </select>
                </div>

                <fieldset className='cockpit-templates__teams'>
                    <legend><FormattedMessage {...m.teams}/></legend>
                    {teams === null && !teamsError && <p className='cockpit-muted'><FormattedMessage {...m.loadingTeams}/></p>}
                    {teamsError && <p className='cockpit-error-text'>
                        <FormattedMessage
                            {...m.lookupFailed}
                            values={{message: teamsError}}
                        />
                    </p>}
                    {(teams ?? []).map((team) => (
                        <div
                            key={team.id}
                            className='cockpit-check-row'
                        >
                            <input
                                id={`${id}-team-${team.id}`}
                                type='checkbox'
                                checked={Boolean(targets[team.id])}
                                onChange={(e) => toggleTeam(team.id, e.target.checked)}
                            />
                            <label htmlFor={`${id}-team-${team.id}`}>{team.display_name}</label>
                        </div>
                    ))}
                </fieldset>

                {pickedTeams.map((team) => {
                    const target = targets[team.id];
                    const list = channels[team.id];
                    return (
                        <fieldset
                            key={team.id}
                            className='cockpit-templates__target'
                        >
                            <legend>
                                <FormattedMessage
                                    {...m.channelsIn}
                                    values={{team: team.display_name}}
                                />
                            </legend>
                            {list === undefined && <p className='cockpit-muted'><FormattedMessage {...m.loadingChannels}/></p>}
                            {list === 'error' && <p className='cockpit-error-text'><FormattedMessage {...m.channelsFailed}/></p>}
                            {Array.isArray(list) && (
                                <select
                                    multiple={true}
                                    className='form-control cockpit-templates__channel-select'
                                    aria-label={intl.formatMessage(m.pickChannels, {team: team.display_name})}
                                    value={target.channelIds}
                                    size={Math.min(8, Math.max(3, list.length))}
                                    onChange={(e) =>
                                        updateTarget(team.id, {channelIds: Array.from(e.target.selectedOptions, (o) => o.value)})
                                    }
                                >
                                    {list.map((c) => (
                                        <option
                                            key={c.id}
                                            value={c.id}
                                        >
                                            {`${c.display_name} (~${c.name})${c.type === 'P' ? ` · ${intl.formatMessage(m.private)}` : ''}`}
                                        </option>
                                    ))}
                                </select>
                            )}
                            <div className='cockpit-field'>
                                <label htmlFor={`${id}-pattern-${team.id}`}><FormattedMessage {...m.namePattern}/></label>
                                <input
                                    id={`${id}-pattern-${team.id}`}
                                    className='form-control'
                                    placeholder='announce-*'
                                    value={target.namePattern}
                                    maxLength={64}
                                    aria-describedby={`${id}-pattern-help-${team.id}`}
                                    onChange={(e) => updateTarget(team.id, {namePattern: e.target.value.toLowerCase()})}
                                />
                                <span
                                    id={`${id}-pattern-help-${team.id}`}
                                    className='cockpit-muted'
                                >
                                    <FormattedMessage {...m.namePatternHelp}/>
                                </span>
                            </div>
                            <div className='cockpit-check-row'>
                                <input
                                    id={`${id}-new-${team.id}`}
                                    type='checkbox'
                                    checked={target.newChannels}
                                    onChange={(e) => updateTarget(team.id, {newChannels: e.target.checked})}
                                />
                                <label htmlFor={`${id}-new-${team.id}`}><FormattedMessage {...m.newChannels}/></label>
                            </div>
                        </fieldset>
                    );
                })}

                {preview.length > 0 && (
                    <section
                        className='cockpit-templates__preview'
                        aria-label={intl.formatMessage(m.previewTitle)}
                    >
                        <h5 className='cockpit-task__subhead'><FormattedMessage {...m.previewTitle}/></h5>
                        {preview.map(({team, target, matched}) => (
                            <div key={team.id}>
                                <strong>{team.display_name}</strong>
                                {matched === null ? (
                                    <p className='cockpit-muted'><FormattedMessage {...m.loadingChannels}/></p>
                                ) : (
                                    <p>
                                        <FormattedMessage
                                            {...m.previewCount}
                                            values={{count: matched.length}}
                                        />
                                        {matched.length > 0 && `: ${matched.map((c) => c.display_name).join(', ')}`}
                                    </p>
                                )}
                                {target.newChannels && <p className='cockpit-muted'><FormattedMessage {...m.previewNew}/></p>}
                            </div>
                        ))}
                    </section>
                )}

                <div className='cockpit-field'>
                    <label htmlFor={`${id}-note`}><FormattedMessage {...m.note}/></label>
                    <textarea
                        id={`${id}-note`}
                        className='form-control'
                        rows={2}
                        maxLength={2000}
                        value={note}
                        onChange={(e) => setNote(e.target.value)}
                    />
                </div>
                {problem?.kind === 'invalid' && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >{problem.text}</p>
                )}
                {problem?.kind === 'failed' && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >
                        {problem.error.id === ErrorIds.conflict ? <FormattedMessage {...m.templateChanged}/> : (
                            <FormattedMessage
                                {...m.proposeFailed}
                                values={{message: <RequestErrorText error={problem.error}/>}}
                            />
                        )}
                    </p>
                )}
                <div className='cockpit-form__buttons'>
                    <button
                        type='submit'
                        className='btn btn-primary'
                        disabled={busy || !template || pickedTeams.length === 0}
                    >
                        <FormattedMessage {...(busy ? m.proposing : m.propose)}/>
                    </button>
                </div>
            </CockpitForm>
        </WriteControls>
    );
}
