import React, {useCallback, useId} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {wavesMessages as m} from './messages';
import type {Draft} from './wave_editor';

import {ChosenList, Picker, type PickOption} from '../components/picker';
import {searchChannels} from '../mattermost/channels';
import {useHostDispatch} from '../mattermost/dispatch';

interface FeedbackSectionProps {
    feedback: Draft['feedback'];
    names: ReadonlyMap<string, PickOption>;

    /** Every team: the help desk may sit in a team the wave does not target. */
    teams: PickOption[];
    onFeedback: (feedback: Draft['feedback']) => void;
    remember: (options: PickOption[]) => void;
}

/**
 * The one-click feedback buttons under the welcome DM (server/src/waves/feedback.ts) and the help-desk
 * channel where "I need help" is announced. The channel is picked with the target channels' picker;
 * the server checks at the dry run and at launch that it is a public or private channel that exists.
 */
export function FeedbackSection({feedback, names, teams, onFeedback, remember}: FeedbackSectionProps) {
    const intl = useIntl();
    const enabledId = useId();
    const helpId = useId();
    const teamKey = teams.map((team) => team.id).join(',');
    const dispatch = useHostDispatch();
    const findChannels = useCallback(
        (term: string) => searchChannels(dispatch, teamKey ? teamKey.split(',') : [], term),
        [dispatch, teamKey],
    );
    const chosen = feedback.help_desk_channel_id ? [feedback.help_desk_channel_id] : [];
    return (
        <fieldset>
            <legend><FormattedMessage {...m.feedbackTitle}/></legend>
            <div className='cockpit-check-row'>
                <input
                    id={enabledId}
                    type='checkbox'
                    checked={feedback.enabled}
                    aria-describedby={helpId}
                    onChange={(e) => onFeedback({...feedback, enabled: e.target.checked})}
                />
                <label htmlFor={enabledId}><FormattedMessage {...m.feedbackEnabled}/></label>
            </div>
            <div
                id={helpId}
                className='cockpit-muted'
            >
                <p><FormattedMessage {...m.feedbackHelp}/></p>
                <ul>
                    <li><FormattedMessage {...m.feedbackGreat}/></li>
                    <li><FormattedMessage {...m.feedbackOk}/></li>
                    <li><FormattedMessage {...m.feedbackNeedHelp}/></li>
                </ul>
            </div>
            {feedback.enabled && (
                <>
                    <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.helpDeskTitle}/></h4>
                    <p className='cockpit-muted'><FormattedMessage {...m.helpDeskHelp}/></p>
                    <ChosenList
                        items={chosen}
                        names={names}
                        emptyText={<FormattedMessage {...m.noHelpDesk}/>}
                        onRemove={() => onFeedback({...feedback, help_desk_channel_id: ''})}
                    />
                    {chosen.length === 0 && (
                        <Picker
                            label={intl.formatMessage(m.searchHelpDesk)}
                            search={findChannels}
                            chosen={chosen}
                            onPick={(option) => {
                                remember([option]);
                                onFeedback({...feedback, help_desk_channel_id: option.id});
                            }}
                        />
                    )}
                </>
            )}
        </fieldset>
    );
}
