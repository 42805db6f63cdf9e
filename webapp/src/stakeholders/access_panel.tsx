import React, {useCallback, useEffect, useId, useState} from 'react';
import {FormattedMessage} from 'react-intl';

import {ErrorIds} from 'contract/errors';
import type {StakeholderAccessResponse} from 'contract/stakeholders';

import {stakeholderMessages as m} from './messages';

import {toRequestError, type Client, type RequestError} from '../client';
import {AdminPanel, Facts} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice, RequestErrorText} from '../components/request_error';

/** "a, b\nc d" → ['a', 'b', 'c', 'd']; a leading @ is dropped (people paste mentions). */
export function parseNames(text: string): string[] {
    return [...new Set(text.split(/[\s,;]+/).map((name) => name.replace(/^@/, '').trim().toLowerCase()).filter((name) => name !== ''))];
}

function AccessLists({access}: {access: StakeholderAccessResponse}) {
    const none = <span className='cockpit-muted'><FormattedMessage {...m.accessNone}/></span>;
    const users = access.users.map((user) => (user.missing ? null : `@${user.username}`));
    const groups = access.groups.map((group) =>
        (group.missing ?
            null :
            `@${group.name}${group.display_name && group.display_name !== group.name ? ` (${group.display_name})` : ''}`),
    );
    const list = (items: Array<string | null>, ids: string[]) => (items.length === 0 ? none : (
        <span>
            {items.map((item, i) => (
                <React.Fragment key={ids[i]}>
                    {i > 0 && ', '}
                    {item ?? <span className='cockpit-muted'>
                        <FormattedMessage
                            {...m.accessMissing}
                            values={{id: ids[i]}}
                        />
                    </span>}
                </React.Fragment>
            ))}
        </span>
    ));
    return (
        <>
            {access.users.length === 0 && access.groups.length === 0 && (
                <p className='cockpit-muted'>
                    <FormattedMessage {...m.accessNobody}/>
                </p>
            )}
            <Facts
                rows={[
                    [m.accessUsers, list(users, access.users.map((user) => user.id))],
                    [m.accessGroups, list(groups, access.groups.map((group) => group.id))],
                ]}
            />
        </>
    );
}

function AccessEditor({client, access, onSaved, onCancel}: {
    client: Client;
    access: StakeholderAccessResponse;
    onSaved: (saved: StakeholderAccessResponse) => void;
    onCancel: () => void;
}) {
    const usersId = useId();
    const groupsId = useId();
    const [users, setUsers] = useState(() => access.users.filter((user) => !user.missing).map((user) => user.username).join(', '));
    const [groups, setGroups] = useState(() => access.groups.filter((group) => !group.missing).map((group) => group.name).join(', '));
    const [saving, setSaving] = useState(false);
    const [error, setError] = useState<RequestError | null>(null);

    const onSave = async () => {
        setSaving(true);
        setError(null);
        try {
            onSaved(
                await client.saveStakeholderAccess({
                    expected_version: access.version,
                    usernames: parseNames(users),
                    group_names: parseNames(groups),
                }),
            );
        } catch (err) {
            setError(toRequestError(err));
            setSaving(false);
        }
    };

    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-form'
                onSubmit={() => {
                    onSave();
                }}
            >
                <div className='cockpit-field'>
                    <label htmlFor={usersId}><FormattedMessage {...m.accessUsersField}/></label>
                    <textarea
                        id={usersId}
                        className='form-control'
                        rows={3}
                        value={users}
                        onChange={(e) => setUsers(e.target.value)}
                    />
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={groupsId}><FormattedMessage {...m.accessGroupsField}/></label>
                    <textarea
                        id={groupsId}
                        className='form-control'
                        rows={2}
                        value={groups}
                        onChange={(e) => setGroups(e.target.value)}
                    />
                </div>
                {error && (
                    <p
                        role='alert'
                        className='cockpit-notice cockpit-notice--error'
                    >
                        {error.status === 409 || error.id === ErrorIds.conflict ? <FormattedMessage {...m.accessConflict}/> : (
                            <FormattedMessage
                                {...m.accessSaveError}
                                values={{message: <RequestErrorText error={error}/>}}
                            />
                        )}
                    </p>
                )}
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <button
                        type='submit'
                        className='btn btn-primary btn-sm'
                        disabled={saving}
                    >
                        <FormattedMessage {...(saving ? m.accessSaving : m.accessSave)}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        disabled={saving}
                        onClick={onCancel}
                    >
                        <FormattedMessage {...m.accessCancel}/>
                    </button>
                </div>
            </CockpitForm>
        </WriteControls>
    );
}

/** The Adoption tab's panel: who besides system admins may open the stakeholder status page. */
export function StakeholderAccessPanel({client}: {client: Client}) {
    const [access, setAccess] = useState<StakeholderAccessResponse | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [loading, setLoading] = useState(true);
    const [editing, setEditing] = useState(false);

    const load = useCallback(() => {
        setLoading(true);
        client.getStakeholderAccess().then((answer) => {
            setAccess(answer);
            setError(null);
            setLoading(false);
        }, (err: unknown) => {
            setError(toRequestError(err));
            setLoading(false);
        });
    }, [client]);

    useEffect(load, [load]);

    return (
        <AdminPanel
            title={m.accessTitle}
            subtitle={m.accessSubtitle}
        >
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={load}
                    retrying={loading}
                />
            )}
            {access && (editing ? (
                <AccessEditor
                    client={client}
                    access={access}
                    onSaved={(saved) => {
                        setAccess(saved);
                        setEditing(false);
                    }}
                    onCancel={() => {
                        setEditing(false);
                        load();
                    }}
                />
            ) : (
                <>
                    <AccessLists access={access}/>
                    <div style={{marginTop: 16}}>
                        <WriteControls>
                            <button
                                type='button'
                                className='btn btn-secondary btn-sm'
                                onClick={() => setEditing(true)}
                            >
                                <FormattedMessage {...m.accessEdit}/>
                            </button>
                        </WriteControls>
                    </div>
                </>
            ))}
        </AdminPanel>
    );
}
