import React, {useCallback} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {defaultPreferenceCatalogue, type DefaultPreference, type DefaultPreferenceKey, defaultPreferenceKeys} from 'contract/waves';

import {wavesMessages as m} from './messages';
import type {Draft} from './wave_editor';

import {ChosenList, Picker, type PickOption} from '../components/picker';
import {searchChannels} from '../mattermost/channels';
import {useHostDispatch} from '../mattermost/dispatch';

type TeamRole = Draft['targets']['teams'][number]['role'];
type ChannelRole = Draft['targets']['channels'][number]['role'];

function RoleSelect<R extends string>({
    label,
    value,
    roles,
    onChange,
}: {
    label: string;
    value: R;
    roles: Array<[R, string]>;
    onChange: (role: R) => void;
}) {
    return (
        <select
            className='form-control cockpit-waves__role'
            aria-label={label}
            value={value}
            onChange={(e) => onChange(e.target.value as R)}
        >
            {roles.map(([role, text]) => (
                <option
                    key={role}
                    value={role}
                >
                    {text}
                </option>
            ))}
        </select>
    );
}

const label = (key: string) => m[key as keyof typeof m];

/** One select per preference of the curated catalogue: leave it to the server, or a value every user starts with. */
function PreferencesPicker({value, onChange}: {value: readonly DefaultPreference[]; onChange: (preferences: DefaultPreference[]) => void}) {
    const intl = useIntl();
    const set = (key: DefaultPreferenceKey, chosen: string) => {
        const others = value.filter((preference) => preference.key !== key);

        // Kept in catalogue order, so the saved list does not depend on the order of the clicks.
        const next = chosen ? [...others, {key, value: chosen}] : others;
        onChange(defaultPreferenceKeys.flatMap((k) => next.filter((preference) => preference.key === k)));
    };
    return (
        <>
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.preferencesTitle}/></h4>
            <p className='cockpit-muted'><FormattedMessage {...m.preferencesHelp}/></p>
            {defaultPreferenceKeys.map((key) => (
                <label
                    key={key}
                    className='cockpit-waves__preference'
                >
                    <span><FormattedMessage {...label(`pref_${key}`)}/></span>
                    <select
                        className='form-control'
                        aria-label={intl.formatMessage(label(`pref_${key}`))}
                        value={value.find((preference) => preference.key === key)?.value ?? ''}
                        onChange={(e) => set(key, e.target.value)}
                    >
                        <option value=''>{intl.formatMessage(m.preferenceUnset)}</option>
                        {defaultPreferenceCatalogue[key].values.map((option) => (
                            <option
                                key={option}
                                value={option}
                            >
                                {intl.formatMessage(label(`pref_${key}_${option}`))}
                            </option>
                        ))}
                    </select>
                </label>
            ))}
        </>
    );
}

interface TargetsSectionProps {
    draft: Draft;
    names: ReadonlyMap<string, PickOption>;
    teams: PickOption[];
    error: string;
    onDraft: (change: (draft: Draft) => Draft) => void;
    remember: (options: PickOption[]) => void;
}

/** Where the cohort goes: target teams (with a team role) and channels of those teams (with a channel role). */
export function TargetsSection({draft, names, teams, error, onDraft, remember}: TargetsSectionProps) {
    const intl = useIntl();
    const teamIds = draft.targets.teams.map((t) => t.team_id);
    const channelIds = draft.targets.channels.map((c) => c.channel_id);
    const teamKey = teamIds.join(',');
    const findTeams = useCallback(
        async (term: string) => teams.filter((team) => `${team.label} ${team.detail}`.toLowerCase().includes(term.toLowerCase())),
        [teams],
    );
    const dispatch = useHostDispatch();
    const findChannels = useCallback(
        (term: string) => searchChannels(dispatch, teamKey ? teamKey.split(',') : [], term),
        [dispatch, teamKey],
    );
    const setTargets = (change: Partial<Draft['targets']>) => onDraft((d) => ({...d, targets: {...d.targets, ...change}}));
    const teamRoles: Array<[TeamRole, string]> = [
        ['member', intl.formatMessage(m.roleMember)],
        ['team_admin', intl.formatMessage(m.roleTeamAdmin)],
    ];
    const channelRoles: Array<[ChannelRole, string]> = [
        ['member', intl.formatMessage(m.roleMember)],
        ['channel_admin', intl.formatMessage(m.roleChannelAdmin)],
    ];
    return (
        <fieldset>
            <legend><FormattedMessage {...m.targetsTitle}/></legend>
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.targetTeamsTitle}/></h4>
            <ChosenList
                items={teamIds}
                names={names}
                emptyText={<FormattedMessage {...m.noTargetTeams}/>}
                onRemove={(id) => setTargets({
                    teams: draft.targets.teams.filter((t) => t.team_id !== id),

                    // A channel member must be a member of the channel's team: its channels go with it.
                    channels: draft.targets.channels.filter((c) => names.get(c.channel_id)?.teamId !== id),
                })}
                extra={(id, label) => (
                    <RoleSelect
                        label={intl.formatMessage(m.teamRoleFor, {name: label})}
                        value={draft.targets.teams.find((t) => t.team_id === id)!.role}
                        roles={teamRoles}
                        onChange={(role) => setTargets({teams: draft.targets.teams.map((t) => (t.team_id === id ? {...t, role} : t))})}
                    />
                )}
            />
            <Picker
                label={intl.formatMessage(m.searchTargetTeams)}
                search={findTeams}
                chosen={teamIds}
                onPick={(option) => setTargets({teams: [...draft.targets.teams, {team_id: option.id, role: 'member'}]})}
            />
            {error && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{error}</p>
            )}
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.targetChannelsTitle}/></h4>
            <ChosenList
                items={channelIds}
                names={names}
                emptyText={<FormattedMessage {...m.noTargetChannels}/>}
                onRemove={(id) => setTargets({channels: draft.targets.channels.filter((c) => c.channel_id !== id)})}
                extra={(id, label) => (
                    <RoleSelect
                        label={intl.formatMessage(m.channelRoleFor, {name: label})}
                        value={draft.targets.channels.find((c) => c.channel_id === id)!.role}
                        roles={channelRoles}
                        onChange={(role) =>
                            setTargets({channels: draft.targets.channels.map((c) => (c.channel_id === id ? {...c, role} : c))})
                        }
                    />
                )}
            />
            {teamIds.length === 0 ? (
                <p className='cockpit-muted'><FormattedMessage {...m.channelsNeedTeam}/></p>
            ) : (
                <Picker
                    label={intl.formatMessage(m.searchChannels)}
                    search={findChannels}
                    chosen={channelIds}
                    onPick={(option) => {
                        remember([option]);
                        setTargets({channels: [...draft.targets.channels, {channel_id: option.id, role: 'member'}]});
                    }}
                />
            )}
            <PreferencesPicker
                value={draft.targets.preferences ?? []}
                onChange={(preferences) => setTargets({preferences})}
            />
        </fieldset>
    );
}
