// Picking users and groups for a template's channel admins: search, add, remove. A plain search box
// with a results list of "Add" buttons (simpler to use with a keyboard than a popup).
import React, {useEffect, useState, type FormEvent} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import {groupsByIds, searchGroups, type GroupSummary} from './lookups';
import {templatesMessages as m} from './messages';

import {rememberUsers, searchUsers, userLabel, useUsers} from '../components/users';

interface Item {
    id: string;
    label: string;
}

interface SearchAddProps {
    label: string;
    selected: Item[];
    search: (term: string) => Promise<Item[]>;
    onAdd: (item: Item) => void;
    onRemove: (id: string) => void;
}

function SearchAdd({label, selected, search, onAdd, onRemove}: SearchAddProps) {
    const intl = useIntl();
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<Item[] | null>(null);
    const [error, setError] = useState('');

    const onSearch = async (e: FormEvent) => {
        e.preventDefault();
        if (!term.trim()) {
            return;
        }
        try {
            setError('');
            setResults(await search(term.trim()));
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        }
    };

    const chosen = new Set(selected.map((s) => s.id));
    return (
        <fieldset className='cockpit-templates__picker'>
            <legend>{label}</legend>
            {selected.length === 0 ? (
                <p className='cockpit-muted'><FormattedMessage {...m.nobody}/></p>
            ) : (
                <ul className='cockpit-templates__picked'>
                    {selected.map((item) => (
                        <li key={item.id}>
                            <span>{item.label}</span>
                            <button
                                type='button'
                                className='btn btn-link btn-sm'
                                aria-label={intl.formatMessage(m.removeItem, {name: item.label})}
                                onClick={() => onRemove(item.id)}
                            >
                                <FormattedMessage {...m.remove}/>
                            </button>
                        </li>
                    ))}
                </ul>
            )}
            <div
                className='cockpit-inline-form'
                role='search'
            >
                <input
                    type='search'
                    className='form-control'
                    aria-label={intl.formatMessage(m.searchIn, {label})}
                    placeholder={intl.formatMessage(m.searchPlaceholder)}
                    value={term}
                    onChange={(e) => setTerm(e.target.value)}
                    onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                            onSearch(e);
                        }
                    }}
                />
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={(e) => {
                        onSearch(e);
                    }}
                >
                    <FormattedMessage {...m.search}/>
                </button>
            </div>
            {error && <p className='cockpit-error-text'>
                <FormattedMessage
                    {...m.searchFailed}
                    values={{message: error}}
                />
            </p>}
            {results && (
                results.length === 0 ? <p className='cockpit-muted'><FormattedMessage {...m.noResults}/></p> : (
                    <ul className='cockpit-templates__results'>
                        {results.map((item) => (
                            <li key={item.id}>
                                <button
                                    type='button'
                                    className='btn btn-link btn-sm'
                                    disabled={chosen.has(item.id)}
                                    onClick={() => onAdd(item)}
                                >
                                    {intl.formatMessage(m.addItem, {name: item.label})}
                                </button>
                            </li>
                        ))}
                    </ul>
                )
            )}
        </fieldset>
    );
}

export function UserIdsPicker({ids, onChange}: {ids: string[]; onChange: (ids: string[]) => void}) {
    const intl = useIntl();
    const store = useStore();
    const users = useUsers(ids);
    return (
        <SearchAdd
            label={intl.formatMessage(m.adminUsers)}
            selected={ids.map((id) => ({id, label: users[id] ? userLabel(users[id]) : id}))}
            search={async (term) => {
                const found = await searchUsers(store.getState(), term);
                rememberUsers(store, found);
                return found.map((u) => ({id: u.id, label: userLabel(u)}));
            }}
            onAdd={(item) => onChange([...ids, item.id])}
            onRemove={(id) => onChange(ids.filter((x) => x !== id))}
        />
    );
}

const groupLabel = (g: GroupSummary) => (g.display_name && g.display_name !== g.name ? `${g.display_name} (@${g.name})` : `@${g.name}`);

export function GroupIdsPicker({ids, onChange}: {ids: string[]; onChange: (ids: string[]) => void}) {
    const intl = useIntl();
    const store = useStore();
    const [names, setNames] = useState<Record<string, string>>({});
    const key = ids.join(',');

    useEffect(() => {
        const missing = key.split(',').filter((id) => id && names[id] === undefined);
        if (missing.length > 0) {
            groupsByIds(store.getState(), missing).then((groups) => {
                setNames((n) => ({...n, ...Object.fromEntries(groups.map((g) => [g.id, groupLabel(g)]))}));
            }, () => undefined);
        }

        // Names are only added; asking again for the same ids is what the key prevents.
        // eslint-disable-next-line react-hooks/exhaustive-deps -- names are only added; the key of the ids asked for is what re-runs it.
    }, [key, store]);

    return (
        <SearchAdd
            label={intl.formatMessage(m.adminGroups)}
            selected={ids.map((id) => ({id, label: names[id] ?? id}))}
            search={async (term) => {
                const found = await searchGroups(store.getState(), term);
                setNames((n) => ({...n, ...Object.fromEntries(found.map((g) => [g.id, groupLabel(g)]))}));
                return found.map((g) => ({id: g.id, label: groupLabel(g)}));
            }}
            onAdd={(item) => onChange([...ids, item.id])}
            onRemove={(id) => onChange(ids.filter((x) => x !== id))}
        />
    );
}
