import React, {useEffect, useId, useRef, useState, type ReactNode} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {PickOption} from './mattermost';
import {wavesMessages as m} from './messages';

import {toRequestError} from '../client';

interface SearchPickerProps {
    /** Names the search box ("Search teams"). */
    label: string;

    /** Options for a search term ('' = the first ones). */
    search: (term: string) => Promise<PickOption[]>;

    /** Already chosen: not offered again. */
    chosen: readonly string[];
    onPick: (option: PickOption) => void;
    disabled?: boolean;
}

/** A search box with the matching options as "Add" buttons (debounced; late answers dropped). */
export function SearchPicker({label, search, chosen, onPick, disabled = false}: SearchPickerProps) {
    const intl = useIntl();
    const id = useId();
    const [term, setTerm] = useState('');
    const [options, setOptions] = useState<PickOption[]>([]);
    const [error, setError] = useState('');
    const [loading, setLoading] = useState(false);
    const seq = useRef(0);

    // Nothing is listed before something is typed: the editor stays short however many teams exist.
    useEffect(() => {
        if (disabled || term.trim() === '') {
            setOptions([]);
            return undefined;
        }
        const mine = ++seq.current;
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
                    setError(toRequestError(err).message);
                    setLoading(false);
                }
            });
        }, 250);
        return () => clearTimeout(timer);
    }, [term, search, disabled]);
    const offered = options.filter((option) => !chosen.includes(option.id)).slice(0, 20);
    return (
        <div className='cockpit-waves__picker'>
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
                placeholder={label}
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
                    className='cockpit-waves__options'
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
                                aria-label={intl.formatMessage(m.addNamed, {name: option.label})}
                                onClick={() => {
                                    onPick(option);
                                    setTerm('');
                                }}
                            >
                                <FormattedMessage {...m.add}/>
                            </button>
                        </li>
                    ))}
                    {!loading && offered.length === 0 && (
                        <li className='cockpit-muted'><FormattedMessage {...m.noMatches}/></li>
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
        return <p className='cockpit-muted cockpit-waves__empty'>{emptyText}</p>;
    }
    return (
        <ul className='cockpit-waves__chosen'>
            {items.map((id) => {
                const option = names.get(id);
                const label = option?.label ?? id;
                return (
                    <li key={id}>
                        <span className='cockpit-waves__chosen-name'>
                            {label}
                            {option?.detail && <span className='cockpit-muted'>{' '}{option.detail}</span>}
                        </span>
                        {extra?.(id, label)}
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            aria-label={intl.formatMessage(m.removeNamed, {name: label})}
                            onClick={() => onRemove(id)}
                        >
                            <FormattedMessage {...m.remove}/>
                        </button>
                    </li>
                );
            })}
        </ul>
    );
}
