// A task's evidence: its state (needs evidence, awaiting acceptance, valid until, expired on), each item
// with its date, who added and who accepted it, an admin's Accept button, and a form to add a link with
// the day it is from. The same list in the plan's task card and on the owners' page (without Accept).
import React, {useId, useState} from 'react';
import {FormattedMessage, defineMessages, useIntl} from 'react-intl';

import {evidenceFromLink, type EvidenceItem, type EvidenceStatus} from 'contract/evidence';

import {httpLink} from './model';

import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';
import {userLabel, useUsers} from '../mattermost/users';

export const evidenceMessages = defineMessages({
    needs_evidence: {id: 'cockpit.plan.evidence.needs', defaultMessage: 'Needs evidence'},
    awaiting_acceptance: {id: 'cockpit.plan.evidence.awaiting', defaultMessage: 'Awaiting acceptance'},
    valid: {id: 'cockpit.plan.evidence.valid', defaultMessage: 'Evidence accepted'},
    validUntil: {id: 'cockpit.plan.evidence.validUntil', defaultMessage: 'Valid until {date}'},
    expired: {id: 'cockpit.plan.evidence.expired', defaultMessage: 'Expired on {date}: needs evidence'},
    validFor: {
        id: 'cockpit.plan.evidence.validFor',
        defaultMessage: 'Accepted evidence counts for {days, plural, one {# day} other {# days}}.',
    },
    validDays: {id: 'cockpit.plan.evidence.validDays', defaultMessage: 'Valid for (days)'},
    validDaysSave: {id: 'cockpit.plan.evidence.validDaysSave', defaultMessage: 'Save'},
    none: {id: 'cockpit.plan.evidence.none', defaultMessage: 'No evidence yet.'},
    loadTestRun: {id: 'cockpit.plan.evidence.loadTestRun', defaultMessage: 'Load-test run #{run}'},
    dated: {id: 'cockpit.plan.evidence.dated', defaultMessage: 'from {date}'},
    undated: {id: 'cockpit.plan.evidence.undated', defaultMessage: 'no date'},
    acceptedBy: {id: 'cockpit.plan.evidence.acceptedBy', defaultMessage: 'accepted by {user}'},
    notAccepted: {id: 'cockpit.plan.evidence.notAccepted', defaultMessage: 'not accepted yet'},
    accept: {id: 'cockpit.plan.evidence.accept', defaultMessage: 'Accept'},
    acceptLabel: {id: 'cockpit.plan.evidence.acceptLabel', defaultMessage: 'Accept evidence {what}'},
    remove: {id: 'cockpit.plan.evidence.remove', defaultMessage: 'Remove evidence {what}'},
    link: {id: 'cockpit.plan.evidence.link', defaultMessage: 'Evidence link'},
    date: {id: 'cockpit.plan.evidence.date', defaultMessage: 'Date of the evidence'},
    add: {id: 'cockpit.plan.evidence.add', defaultMessage: 'Add evidence'},
    invalid: {
        id: 'cockpit.plan.evidence.invalid',
        defaultMessage: 'A link must start with http:// or https:// and contain no spaces.',
    },
});

/** The state as a chip; nothing for a task that asks for no evidence and has none. */
export function EvidenceChip({status}: {status: EvidenceStatus}) {
    switch (status.state) {
    case 'none':
        return null;
    case 'valid':
        return (
            <span className='cockpit-chip cockpit-basis--evidence'>
                {status.valid_until ? (
                    <FormattedMessage
                        {...evidenceMessages.validUntil}
                        values={{date: status.valid_until}}
                    />
                ) : <FormattedMessage {...evidenceMessages.valid}/>}
            </span>
        );
    case 'expired':
        return (
            <span className='cockpit-chip cockpit-chip--error'>
                <FormattedMessage
                    {...evidenceMessages.expired}
                    values={{date: status.expired_on}}
                />
            </span>
        );
    default:
        return (
            <span className='cockpit-chip cockpit-chip--warning'>
                <FormattedMessage {...evidenceMessages[status.state]}/>
            </span>
        );
    }
}

interface Props {
    evidence: EvidenceItem[];
    status: EvidenceStatus;

    /** Saves the whole list (the server stamps new items); resolves true when saved. */
    save: (evidence: EvidenceItem[]) => Promise<boolean>;

    /** A system admin's acceptance of item `index`; absent where the viewer may not accept. */
    accept?: (index: number) => Promise<boolean>;

    /** An admin's "valid for N days" of the task; absent where the viewer may not change it. */
    saveValidDays?: (days: number) => Promise<boolean>;
}

function ItemText({item}: {item: EvidenceItem}) {
    if (item.url && httpLink.test(item.url)) {
        return (
            <a
                href={item.url}
                target='_blank'
                rel='noopener noreferrer'
            >
                {item.url}
            </a>
        );
    }
    return (
        <FormattedMessage
            {...evidenceMessages.loadTestRun}
            values={{run: item.load_test_run}}
        />
    );
}

export function EvidenceList({evidence, status, save, accept, saveValidDays}: Props) {
    const intl = useIntl();
    const id = useId();
    const [link, setLink] = useState('');
    const [dated, setDated] = useState('');
    const [invalid, setInvalid] = useState(false);
    const [days, setDays] = useState<string | null>(null);
    const users = useUsers(evidence.map((item) => item.accepted_by ?? ''));

    const add = async () => {
        const url = link.trim();
        if (!httpLink.test(url)) {
            setInvalid(true);
            return;
        }
        setInvalid(false);
        if (await save([...evidence, {...evidenceFromLink(url), dated: dated || null}])) {
            setLink('');
            setDated('');
        }
    };
    const saveDays = async (saveValid: (value: number) => Promise<boolean>) => {
        const value = Number(days);
        if (Number.isInteger(value) && value > 0 && await saveValid(value)) {
            setDays(null);
        }
    };
    const what = (item: EvidenceItem) => item.url ?? `#${item.load_test_run}`;

    return (
        <div
            className='cockpit-evidence-list'
            data-testid='evidence-list'
        >
            <p className='cockpit-evidence-list__state'>
                <EvidenceChip status={status}/>
                {status.valid_days !== null && (
                    <span className='cockpit-muted'>
                        {' '}
                        <FormattedMessage
                            {...evidenceMessages.validFor}
                            values={{days: status.valid_days}}
                        />
                    </span>
                )}
            </p>
            {evidence.length === 0 ? (
                <p className='cockpit-muted'><FormattedMessage {...evidenceMessages.none}/></p>
            ) : (
                <ul className='cockpit-evidence'>
                    {evidence.map((item, index) => (
                        <li key={JSON.stringify([item.url, item.load_test_run, item.dated])}>
                            <ItemText item={item}/>
                            {' · '}
                            {item.dated ? (
                                <FormattedMessage
                                    {...evidenceMessages.dated}
                                    values={{date: item.dated}}
                                />
                            ) : <FormattedMessage {...evidenceMessages.undated}/>}
                            {' · '}
                            {item.accepted_by ? (
                                <FormattedMessage
                                    {...evidenceMessages.acceptedBy}
                                    values={{user: users[item.accepted_by] ? userLabel(users[item.accepted_by]) : item.accepted_by}}
                                />
                            ) : <FormattedMessage {...evidenceMessages.notAccepted}/>}
                            <WriteControls>
                                {accept && !item.accepted_by && (
                                    <button
                                        type='button'
                                        className='btn btn-tertiary btn-sm'
                                        aria-label={intl.formatMessage(evidenceMessages.acceptLabel, {what: what(item)})}
                                        onClick={() => {
                                            accept(index);
                                        }}
                                    >
                                        <FormattedMessage {...evidenceMessages.accept}/>
                                    </button>
                                )}
                                <button
                                    type='button'
                                    className='btn btn-link btn-sm'
                                    aria-label={intl.formatMessage(evidenceMessages.remove, {what: what(item)})}
                                    onClick={() => {
                                        save(evidence.filter((_, i) => i !== index));
                                    }}
                                >
                                    {'×'}
                                </button>
                            </WriteControls>
                        </li>
                    ))}
                </ul>
            )}
            <WriteControls>
                <CockpitForm
                    className='cockpit-inline-form'
                    noValidate={true}
                    onSubmit={() => {
                        add();
                    }}
                >
                    <input
                        id={`${id}-link`}
                        type='url'
                        className='form-control'
                        placeholder='https://'
                        aria-label={intl.formatMessage(evidenceMessages.link)}
                        value={link}
                        aria-invalid={invalid}
                        onChange={(e) => {
                            setLink(e.target.value);
                            setInvalid(false);
                        }}
                    />
                    <input
                        id={`${id}-dated`}
                        type='date'
                        className='form-control'
                        aria-label={intl.formatMessage(evidenceMessages.date)}
                        value={dated}
                        onChange={(e) => setDated(e.target.value)}
                    />
                    <button
                        type='submit'
                        className='btn btn-tertiary btn-sm'
                        disabled={!link.trim()}
                    >
                        <FormattedMessage {...evidenceMessages.add}/>
                    </button>
                </CockpitForm>
                {saveValidDays && (
                    <CockpitForm
                        className='cockpit-inline-form'
                        onSubmit={() => {
                            saveDays(saveValidDays);
                        }}
                    >
                        <label htmlFor={`${id}-days`}><FormattedMessage {...evidenceMessages.validDays}/></label>
                        <input
                            id={`${id}-days`}
                            type='number'
                            min={1}
                            className='form-control'
                            value={days ?? status.valid_days ?? ''}
                            onChange={(e) => setDays(e.target.value)}
                        />
                        <button
                            type='submit'
                            className='btn btn-tertiary btn-sm'
                            disabled={days === null}
                        >
                            <FormattedMessage {...evidenceMessages.validDaysSave}/>
                        </button>
                    </CockpitForm>
                )}
            </WriteControls>
            {invalid && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >
                    <FormattedMessage {...evidenceMessages.invalid}/>
                </p>
            )}
        </div>
    );
}
