// Picking users and groups for a template's channel admins, with the one picker: the chosen ones
// (named from the host's store) and a search for more.
import React, {useCallback, useEffect} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useSelector, useStore} from 'react-redux';

import type {Group} from '@mattermost/types/groups';

import {templatesMessages as m} from './messages';

import {ChosenList, Picker, type PickOption} from '../components/picker';
import {useHostDispatch} from '../mattermost/dispatch';
import {groupOption, groupsByIds, searchGroups} from '../mattermost/groups';
import {searchUsers, userOption, useUsers} from '../mattermost/users';

interface IdsPickerProps {
    ids: string[];
    onChange: (ids: string[]) => void;
}

function IdsPicker({label, ids, names, search, onChange}: IdsPickerProps & {
    label: string;
    names: ReadonlyMap<string, PickOption>;
    search: (term: string) => Promise<PickOption[]>;
}) {
    const intl = useIntl();
    return (
        <fieldset className='cockpit-templates__picker'>
            <legend>{label}</legend>
            <ChosenList
                items={ids}
                names={names}
                emptyText={<FormattedMessage {...m.nobody}/>}
                onRemove={(id) => onChange(ids.filter((x) => x !== id))}
            />
            <Picker
                label={intl.formatMessage(m.searchIn, {label})}
                placeholder={intl.formatMessage(m.searchPlaceholder)}
                search={search}
                chosen={ids}
                onPick={(option) => onChange([...ids, option.id])}
            />
        </fieldset>
    );
}

export function UserIdsPicker({ids, onChange}: IdsPickerProps) {
    const {formatMessage} = useIntl();
    const dispatch = useHostDispatch();
    const users = useUsers(ids);
    const search = useCallback(async (term: string) => (await searchUsers(dispatch, term)).map(userOption), [dispatch]);
    return (
        <IdsPicker
            label={formatMessage(m.adminUsers)}
            ids={ids}
            names={new Map(Object.values(users).map((u) => [u.id, userOption(u)]))}
            search={search}
            onChange={onChange}
        />
    );
}

type Groups = Record<string, Group> | undefined;
const selectGroups = (state: {entities?: {groups?: {groups?: Groups}}}) => state?.entities?.groups?.groups;

export function GroupIdsPicker({ids, onChange}: IdsPickerProps) {
    const {formatMessage} = useIntl();
    const store = useStore();
    const dispatch = useHostDispatch();
    const groups = useSelector(selectGroups);
    const key = ids.join(',');

    // Saved ids the host's store does not know yet are fetched into it once per set of ids.
    useEffect(() => {
        groupsByIds(store, key ? key.split(',') : []).catch(() => undefined);
    }, [key, store]);

    const search = useCallback((term: string) => searchGroups(dispatch, term), [dispatch]);
    const names = new Map(ids.flatMap((id) => (groups?.[id] ? [[id, groupOption(groups[id])] as const] : [])));
    return (
        <IdsPicker
            label={formatMessage(m.adminGroups)}
            ids={ids}
            names={names}
            search={search}
            onChange={onChange}
        />
    );
}
