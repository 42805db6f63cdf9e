// The one picker for Mattermost users, teams, channels and groups: a search box whose matches are
// listed as "Add" buttons (debounced, late answers dropped; simpler with a keyboard than a popup),
// and the list of what is chosen, each with a Remove button.
import React, {useEffect, useId, useRef, useState, type ReactNode} from 'react';
import {defineMessages, FormattedMessage, useIntl} from 'react-intl';

import {toRequestError} from '../client';
import type {PickOption} from '../mattermost/options';

export type {PickOption};

const messages = defineMessages({
    add: {id: 'cockpit.picker.add', defaultMessage: 'Add'},
    addNamed: {id: 'cockpit.picker.addNamed', defaultMessage: 'Add {name}'},
    remove: {id: 'cockpit.picker.remove', defaultMessage: 'Remove'},
    removeNamed: {id: 'cockpit.picker.removeNamed', defaultMessage: 'Remove {name}'},
    noMatches: {id: 'cockpit.picker.noMatches', defaultMessage: 'Nothing matches.'},
    searching: {id: 'cockpit.picker.searching', defaultMessage: 'Searching…'},
});

const SEARCH_DELAY_MS = 250;

interface PickerProps {
    /** Names the search box and its list of matches ("Search teams"). */
    label: string;

    /** Shown in the empty search box; the label when not given. */
    placeholder?: string;

    /** Options for a search term (never called with ''). */
    search: (term: string) => Promise<PickOption[]>;

    /** Already chosen: not offered again. */
    chosen: readonly string[];
    onPick: (option: PickOption) => void;
    disabled?: boolean;
}

/** A search box with the matching options as "Add" buttons. Nothing is listed before something is typed. */
export function Picker({label, placeholder, search, chosen, onPick, disabled = false}: PickerProps) {
    const intl = useIntl();
    const id = useId();
    const [term, setTerm] = useState('');
    const [options, setOptions] = useState<PickOption[]>([]);
    const [error, setError] = useState('');
    const [loading, setLoading] = useState(false);
    const seq = useRef(0);

    useEffect(() => {
        const mine = ++seq.current;
        if (disabled || term.trim() === '') {
            setOptions([]);
            setLoading(false);
            return undefined;
        }
        setLoading(true);
        const timer = setTimeout(() => {
            search(term.trim()).then((found) => {
                if (mine === seq.current) {
                    setOptions(found);
                    setError('');
                    setLoading(false);
                }
            }, (err: unknown) => {
                if (mine === seq.current) {
                    setOptions([]);
                    setError(toRequestError(err).message);
                    setLoading(false);
                }
            });
        }, SEARCH_DELAY_MS);
        return () => clearTimeout(timer);
    }, [term, search, disabled]);

    const offered = options.filter((option) => !chosen.includes(option.id)).slice(0, 20);
    return (
        <div className='cockpit-picker'>
            <label
                htmlFor={id}
                className='sr-only'
            >
                {label}
            </label>
            <input
                id={id}
                type='search'
                className='form-control'
                placeholder={placeholder ?? label}
                value={term}
                disabled={disabled}
                onChange={(e) => setTerm(e.target.value)}
            />
            {error && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{error}</p>
            )}
            {!disabled && term.trim() !== '' && (
                <ul
                    className='cockpit-picker__options'
                    aria-label={label}
                    aria-busy={loading}
                >
                    {offered.map((option) => (
                        <li key={option.id}>
                            <span>
                                {option.label}
                                {option.detail && <span className='cockpit-muted'>{' '}{option.detail}</span>}
                            </span>
                            <button
                                type='button'
                                className='btn btn-tertiary btn-sm'
                                aria-label={intl.formatMessage(messages.addNamed, {name: option.label})}
                                onClick={() => {
                                    onPick(option);
                                    setTerm('');
                                }}
                            >
                                <FormattedMessage {...messages.add}/>
                            </button>
                        </li>
                    ))}
                    {loading && offered.length === 0 && (
                        <li className='cockpit-muted'><FormattedMessage {...messages.searching}/></li>
                    )}
                    {!loading && !error && offered.length === 0 && (
                        <li className='cockpit-muted'><FormattedMessage {...messages.noMatches}/></li>
                    )}
                </ul>
            )}
        </div>
    );
}

/** The chosen items, each with a Remove button and optional extra controls (a role select). */
export function ChosenList({items, names, onRemove, extra, emptyText}: {
    items: readonly string[];
    names: ReadonlyMap<string, PickOption>;
    onRemove: (id: string) => void;
    extra?: (id: string, label: string) => ReactNode;
    emptyText: ReactNode;
}) {
    const intl = useIntl();
    if (items.length === 0) {
        return <p className='cockpit-muted cockpit-picker__empty'>{emptyText}</p>;
    }
    return (
        <ul className='cockpit-picker__chosen'>
            {items.map((id) => {
                const option = names.get(id);
                const label = option?.label ?? id;
                return (
                    <li key={id}>
                        <span className='cockpit-picker__chosen-name'>
                            {label}
                            {option?.detail && <span className='cockpit-muted'>{' '}{option.detail}</span>}
                        </span>
                        {extra?.(id, label)}
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(messages.removeNamed, {name: label})}
                            onClick={() => onRemove(id)}
                        >
                            <FormattedMessage {...messages.remove}/>
                        </button>
                    </li>
                );
            })}
        </ul>
    );
}
