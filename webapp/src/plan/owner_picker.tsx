import React, {useEffect, useId, useRef, useState, type KeyboardEvent} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import {planMessages as m} from './messages';

import {rememberUsers, searchUsers, userLabel, useUsers, type UserSummary} from '../components/users';

const SEARCH_DELAY_MS = 250;

interface Props {
    ownerId: string | null;
    onChange: (userId: string | null) => void;
    disabled?: boolean;
}

/**
 * The task owner: shows the current one and searches Mattermost users (WAI-ARIA combobox with a
 * listbox popup: arrows move, Enter picks, Escape closes).
 */
export function OwnerPicker({ownerId, onChange, disabled = false}: Props) {
    const intl = useIntl();
    const store = useStore();
    const id = useId();
    const users = useUsers(ownerId ? [ownerId] : []);
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<UserSummary[]>([]);
    const [searching, setSearching] = useState(false);
    const [error, setError] = useState('');
    const [active, setActive] = useState(0);
    const [open, setOpen] = useState(false);
    const searchSeq = useRef(0);

    useEffect(() => {
        const query = term.trim();
        const seq = ++searchSeq.current;
        if (!query) {
            setResults([]);
            setSearching(false);
            return undefined;
        }
        setSearching(true);
        const timer = setTimeout(() => {
            searchUsers(store.getState(), query).then((found) => {
                if (seq === searchSeq.current) {
                    setResults(found);
                    setActive(0);
                    setSearching(false);
                    setError('');
                }
            }, (err: unknown) => {
                if (seq === searchSeq.current) {
                    setResults([]);
                    setSearching(false);
                    setError(err instanceof Error ? err.message : String(err));
                }
            });
        }, SEARCH_DELAY_MS);
        return () => clearTimeout(timer);
    }, [term, store]);

    const pick = (user: UserSummary) => {
        rememberUsers(store, [user]);
        setTerm('');
        setOpen(false);
        if (user.id !== ownerId) {
            onChange(user.id);
        }
    };

    const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'ArrowDown' && results.length) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => (a + 1) % results.length);
        } else if (e.key === 'ArrowUp' && results.length) {
            e.preventDefault();
            setActive((a) => ((a - 1) + results.length) % results.length);
        } else if (e.key === 'Enter' && open && results[active]) {
            e.preventDefault();
            pick(results[active]);
        } else if (e.key === 'Escape') {
            setOpen(false);
        }
    };

    const owner = ownerId ? users[ownerId] : undefined;
    const listId = `${id}-list`;
    const showList = open && term.trim() !== '';
    return (
        <div className='cockpit-owner'>
            <div className='cockpit-owner__current'>
                {ownerId ? <span>{owner ? userLabel(owner) : ownerId}</span> : <span className='cockpit-muted'><FormattedMessage {...m.ownerNone}/></span>}
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
            <input
                id={id}
                type='text'
                role='combobox'
                className='form-control'
                aria-label={intl.formatMessage(m.owner)}
                aria-autocomplete='list'
                aria-expanded={showList}
                aria-controls={listId}
                aria-activedescendant={showList && results[active] ? `${listId}-${results[active].id}` : undefined}
                placeholder={intl.formatMessage(m.ownerSearch)}
                value={term}
                disabled={disabled}
                onChange={(e) => {
                    setTerm(e.target.value);
                    setOpen(true);
                }}
                onKeyDown={onKeyDown}
                onBlur={() => setTimeout(() => setOpen(false), 150)}
            />
            {showList && (
                <ul
                    id={listId}
                    role='listbox'
                    aria-label={intl.formatMessage(m.owner)}
                    className='cockpit-owner__list'
                >
                    {searching && (
                        <li
                            className='cockpit-muted'
                            role='presentation'
                        ><FormattedMessage {...m.ownerSearching}/></li>
                    )}
                    {!searching && error && (
                        <li
                            className='cockpit-muted'
                            role='presentation'
                        >
                            <FormattedMessage
                                {...m.ownerError}
                                values={{message: error}}
                            />
                        </li>
                    )}
                    {!searching && !error && results.length === 0 && (
                        <li
                            className='cockpit-muted'
                            role='presentation'
                        ><FormattedMessage {...m.ownerNoResults}/></li>
                    )}
                    {!searching && results.map((user, i) => (
                        <li
                            key={user.id}
                            id={`${listId}-${user.id}`}
                            role='option'
                            aria-selected={i === active}
                            className={i === active ? 'cockpit-owner__option cockpit-owner__option--active' : 'cockpit-owner__option'}
                            onMouseDown={(e) => e.preventDefault()}
                            onClick={() => pick(user)}
                        >
                            {userLabel(user)}
                        </li>
                    ))}
                </ul>
            )}
        </div>
    );
}
