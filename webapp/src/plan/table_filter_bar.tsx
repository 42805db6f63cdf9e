// The Plan table's filters: Mine / Overdue / Blocked switches and owner and phase pickers; every active
// filter is listed as a chip with its own remove button, as the System Console lists its user filters.
import React, {useId} from 'react';
import {defineMessages, FormattedMessage, useIntl} from 'react-intl';

import type {Phase} from 'contract/plan';

import {planMessages as m} from './messages';
import {hasTableFilters, noTableFilters, toggled, type TableFilters} from './table_filters';

import {userLabel, useUsers} from '../mattermost/users';

export const filterBarMessages = defineMessages({
    label: {id: 'cockpit.plan.tableFilter.label', defaultMessage: 'Filter tasks'},
    byOwner: {id: 'cockpit.plan.tableFilter.byOwner', defaultMessage: 'Filter by owner'},
    byPhase: {id: 'cockpit.plan.tableFilter.byPhase', defaultMessage: 'Filter by phase'},
    ownerPrompt: {id: 'cockpit.plan.tableFilter.ownerPrompt', defaultMessage: 'Owner…'},
    phasePrompt: {id: 'cockpit.plan.tableFilter.phasePrompt', defaultMessage: 'Phase…'},
    noOwner: {id: 'cockpit.plan.tableFilter.noOwner', defaultMessage: 'No owner'},
    chips: {id: 'cockpit.plan.tableFilter.chips', defaultMessage: 'Active filters'},
    ownerChip: {id: 'cockpit.plan.tableFilter.ownerChip', defaultMessage: 'Owner: {owner}'},
    phaseChip: {id: 'cockpit.plan.tableFilter.phaseChip', defaultMessage: 'Phase: {phase}'},
    remove: {id: 'cockpit.plan.tableFilter.remove', defaultMessage: 'Remove filter {filter}'},
    clear: {id: 'cockpit.plan.tableFilter.clear', defaultMessage: 'Clear all'},
    shown: {id: 'cockpit.plan.tableFilter.shown', defaultMessage: 'Showing {shown, number} of {total, number} tasks'},
});

const switches = [['mine', m.filterMine], ['overdue', m.filterOverdue], ['blocked', m.filterBlocked]] as const;

interface Props {
    filters: TableFilters;
    onChange: (filters: TableFilters) => void;

    /** How many tasks each switch alone would show. */
    counts: Record<'mine' | 'overdue' | 'blocked', number>;
    owners: Array<string | null>;
    phases: Phase[];
    shown: number;
    total: number;
}

export function TableFilterBar({filters, onChange, counts, owners, phases, shown, total}: Props) {
    const intl = useIntl();
    const id = useId();
    const users = useUsers(owners.filter((o): o is string => Boolean(o)));
    const ownerName = (owner: string | null) => {
        if (!owner) {
            return intl.formatMessage(filterBarMessages.noOwner);
        }
        return users[owner] ? userLabel(users[owner]) : owner;
    };

    // "No owner" needs an option value of its own ('' is the prompt's); no user id is '-'.
    const NO_OWNER = '-';

    const chips = [
        ...switches.filter(([key]) => filters[key]).map(([key, label]) => ({
            key,
            text: intl.formatMessage(label),
            remove: () => onChange({...filters, [key]: false}),
        })),
        ...filters.owners.map((owner) => ({
            key: `owner-${owner ?? NO_OWNER}`,
            text: intl.formatMessage(filterBarMessages.ownerChip, {owner: ownerName(owner)}),
            remove: () => onChange({...filters, owners: toggled(filters.owners, owner)}),
        })),
        ...filters.phases.map((phaseId) => ({
            key: `phase-${phaseId}`,
            text: intl.formatMessage(filterBarMessages.phaseChip, {phase: phases.find((p) => p.id === phaseId)?.title ?? phaseId}),
            remove: () => onChange({...filters, phases: toggled(filters.phases, phaseId)}),
        })),
    ];

    return (
        <div
            role='group'
            aria-label={intl.formatMessage(filterBarMessages.label)}
        >
            <div className='cockpit-filter-bar'>
                {switches.map(([key, label]) => (
                    <button
                        key={key}
                        type='button'
                        className={`btn btn-sm ${filters[key] ? 'btn-primary' : 'btn-tertiary'}`}
                        aria-pressed={filters[key]}
                        onClick={() => onChange({...filters, [key]: !filters[key]})}
                    >
                        {intl.formatMessage(m.filterCount, {label: intl.formatMessage(label), count: counts[key]})}
                    </button>
                ))}
                <label
                    htmlFor={`${id}-owner`}
                    className='sr-only'
                >
                    <FormattedMessage {...filterBarMessages.byOwner}/>
                </label>
                <select
                    id={`${id}-owner`}
                    className='form-control'
                    value=''
                    onChange={(e) => {
                        const owner = e.target.value === NO_OWNER ? null : e.target.value;
                        onChange({...filters, owners: toggled(filters.owners, owner)});
                    }}
                >
                    <option
                        value=''
                        disabled={true}
                    >
                        {intl.formatMessage(filterBarMessages.ownerPrompt)}
                    </option>
                    {owners.filter((o) => !filters.owners.includes(o)).map((owner) => (
                        <option
                            key={owner ?? NO_OWNER}
                            value={owner ?? NO_OWNER}
                        >
                            {ownerName(owner)}
                        </option>
                    ))}
                </select>
                <label
                    htmlFor={`${id}-phase`}
                    className='sr-only'
                >
                    <FormattedMessage {...filterBarMessages.byPhase}/>
                </label>
                <select
                    id={`${id}-phase`}
                    className='form-control'
                    value=''
                    onChange={(e) => onChange({...filters, phases: toggled(filters.phases, e.target.value)})}
                >
                    <option
                        value=''
                        disabled={true}
                    >
                        {intl.formatMessage(filterBarMessages.phasePrompt)}
                    </option>
                    {phases.filter((p) => !filters.phases.includes(p.id)).map((p) => (
                        <option
                            key={p.id}
                            value={p.id}
                        >
                            {p.title}
                        </option>
                    ))}
                </select>
            </div>
            {chips.length > 0 && (
                <ul
                    className='cockpit-filter-chips'
                    aria-label={intl.formatMessage(filterBarMessages.chips)}
                >
                    {chips.map((chip) => (
                        <li
                            key={chip.key}
                            className='cockpit-filter-chip'
                        >
                            <span>{chip.text}</span>
                            <button
                                type='button'
                                aria-label={intl.formatMessage(filterBarMessages.remove, {filter: chip.text})}
                                onClick={chip.remove}
                            >
                                {'×'}
                            </button>
                        </li>
                    ))}
                    <li>
                        <button
                            type='button'
                            className='btn btn-link btn-sm'
                            disabled={!hasTableFilters(filters)}
                            onClick={() => onChange(noTableFilters)}
                        >
                            <FormattedMessage {...filterBarMessages.clear}/>
                        </button>
                    </li>
                </ul>
            )}
            <p
                role='status'
                className='cockpit-muted'
            >
                <FormattedMessage
                    {...filterBarMessages.shown}
                    values={{shown, total}}
                />
            </p>
        </div>
    );
}
