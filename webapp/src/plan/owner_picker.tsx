import React, {useCallback} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {planMessages as m} from './messages';

import {Picker} from '../components/picker';
import {useHostDispatch} from '../mattermost/dispatch';
import {searchUsers, userLabel, userOption, useUsers} from '../mattermost/users';

interface Props {
    ownerId: string | null;
    onChange: (userId: string | null) => void;
    disabled?: boolean;
}

/** The task owner: the current one (or none), Unassign, and the picker's search of Mattermost users. */
export function OwnerPicker({ownerId, onChange, disabled = false}: Props) {
    const intl = useIntl();
    const dispatch = useHostDispatch();
    const users = useUsers(ownerId ? [ownerId] : []);
    const search = useCallback(async (term: string) => (await searchUsers(dispatch, term)).map(userOption), [dispatch]);

    const owner = ownerId ? users[ownerId] : undefined;
    return (
        <div className='cockpit-owner'>
            <div className='cockpit-owner__current'>
                {ownerId ? (
                    <span>{owner ? userLabel(owner) : ownerId}</span>
                ) : (
                    <span className='cockpit-muted'>
                        <FormattedMessage {...m.ownerNone}/>
                    </span>
                )}
                {ownerId && (
                    <button
                        type='button'
                        className='btn btn-link btn-sm'
                        onClick={() => onChange(null)}
                        disabled={disabled}
                    >
                        <FormattedMessage {...m.ownerUnassign}/>
                    </button>
                )}
            </div>
            <Picker
                label={intl.formatMessage(m.owner)}
                placeholder={intl.formatMessage(m.ownerSearch)}
                search={search}
                chosen={ownerId ? [ownerId] : []}
                disabled={disabled}
                onPick={(option) => onChange(option.id)}
            />
        </div>
    );
}
