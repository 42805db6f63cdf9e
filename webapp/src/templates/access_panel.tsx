// What the server may do for templates: what the license allows, the REST credential the plugin needs
// for channel moderation (status, grant, revoke; the token itself never reaches the browser), and the
// delegated system admin roles assigned through the cockpit.
import React, {useCallback, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {ErrorIds} from 'contract/errors';
import {
    DELEGATED_ROLES,
    MODERATION_BOT_ROLE,
    type CredentialStatus,
    type DelegatedRole,
    type DelegationState,
} from 'contract/templates';

import {templatesMessages as m} from './messages';

import {toRequestError, type Client, type RequestError} from '../client';
import {DateTime} from '../components/date_time';
import {Picker} from '../components/picker';
import {WriteControls} from '../components/read_only';
import {RequestErrorText} from '../components/request_error';
import {useHostDispatch} from '../mattermost/dispatch';
import {searchUsers, selectProfiles, userLabel, userOption, useUsers, type UserSummary} from '../mattermost/users';

const roleLabels: Record<DelegatedRole, typeof m.roleUserManager> = {
    system_user_manager: m.roleUserManager,
    system_manager: m.roleSystemManager,
    system_read_only_admin: m.roleReadOnlyAdmin,
};

function YesNo({value}: {value: boolean}) {
    return (
        <span className={`cockpit-chip cockpit-chip--${value ? 'ok' : 'warning'}`}>
            <FormattedMessage {...(value ? m.allowedByLicense : m.notAllowedByLicense)}/>
        </span>
    );
}

const problemLabels = {no_license: m.problemNoLicense, not_granted: m.problemNotGranted, token_rejected: m.problemTokenRejected};

interface CredentialProps {
    client: Client;
    credential: CredentialStatus;
    onChange: (credential: CredentialStatus) => void;
}

/** Grant / revoke with a confirmation that says exactly what is granted. */
export function CredentialPanel({client, credential, onChange}: CredentialProps) {
    const intl = useIntl();
    const users = useUsers(credential.granted_by ? [credential.granted_by] : []);
    const [confirming, setConfirming] = useState<'grant' | 'revoke' | null>(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<RequestError | null>(null);

    const run = async (action: 'grant' | 'revoke') => {
        setBusy(true);
        setError(null);
        try {
            onChange(action === 'grant' ? await client.grantCredential() : await client.revokeCredential());
            setConfirming(null);
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setBusy(false);
        }
    };

    // The server refuses a grant without a license (moderation could not work): say so up front.
    const unlicensed = credential.problems.includes('no_license');
    let grantedBy = '';
    if (credential.granted_by) {
        grantedBy = users[credential.granted_by] ? userLabel(users[credential.granted_by]) : credential.granted_by;
    }
    return (
        <div className='cockpit-templates__credential'>
            <dl className='cockpit-facts'>
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.credentialStatus}/></dt>
                    <dd>
                        {credential.granted ? (
                            <span className='cockpit-chip cockpit-chip--ok'><FormattedMessage {...m.credentialGranted}/></span>
                        ) : (
                            <span className='cockpit-chip cockpit-chip--warning'><FormattedMessage {...m.credentialNotGranted}/></span>
                        )}
                    </dd>
                </div>
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.credentialAccount}/></dt>
                    <dd>
                        <FormattedMessage
                            {...m.credentialAccountValue}
                            values={{username: credential.bot_username, role: credential.role}}
                        />
                    </dd>
                </div>
                {credential.granted && credential.granted_at !== null && (
                    <div className='cockpit-facts__row'>
                        <dt><FormattedMessage {...m.credentialGrantedBy}/></dt>
                        <dd>{grantedBy}{' · '}<DateTime value={credential.granted_at}/></dd>
                    </div>
                )}
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.credentialLastUsed}/></dt>
                    <dd>
                        {credential.last_used_at === null ? <FormattedMessage {...m.never}/> : (
                            <><DateTime value={credential.last_used_at}/>{' · '}
                                <FormattedMessage
                                    {...m.httpStatus}
                                    values={{status: credential.last_status}}
                                />
                            </>
                        )}
                    </dd>
                </div>
            </dl>
            {credential.problems.length > 0 && (
                <ul className='cockpit-templates__problems'>
                    {credential.problems.map((p) => (
                        <li
                            key={p}
                            className='cockpit-warning'
                        ><FormattedMessage {...problemLabels[p]}/></li>
                    ))}
                </ul>
            )}
            {confirming === null && (
                <WriteControls>
                    <div className='cockpit-form__buttons'>
                        {credential.granted ? (
                            <button
                                type='button'
                                className='btn btn-danger'
                                onClick={() => setConfirming('revoke')}
                            >
                                <FormattedMessage {...m.revoke}/>
                            </button>
                        ) : (
                            <button
                                type='button'
                                className='btn btn-primary'
                                disabled={unlicensed}
                                onClick={() => setConfirming('grant')}
                            >
                                <FormattedMessage {...m.grant}/>
                            </button>
                        )}
                    </div>
                </WriteControls>
            )}
            {confirming && (
                <div
                    role='alertdialog'
                    aria-label={intl.formatMessage(confirming === 'grant' ? m.grantConfirmTitle : m.revokeConfirmTitle)}
                    className='cockpit-notice cockpit-notice--warning cockpit-confirm'
                >
                    <strong><FormattedMessage {...(confirming === 'grant' ? m.grantConfirmTitle : m.revokeConfirmTitle)}/></strong>
                    <p>
                        <FormattedMessage
                            {...(confirming === 'grant' ? m.grantConfirmBody : m.revokeConfirmBody)}
                            values={{username: credential.bot_username, role: MODERATION_BOT_ROLE}}
                        />
                    </p>
                    <button
                        type='button'
                        className={confirming === 'grant' ? 'btn btn-primary' : 'btn btn-danger'}
                        disabled={busy}
                        onClick={() => {
                            run(confirming);
                        }}
                    >
                        <FormattedMessage {...(confirming === 'grant' ? m.grantConfirm : m.revokeConfirm)}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        disabled={busy}
                        onClick={() => setConfirming(null)}
                    >
                        <FormattedMessage {...m.cancel}/>
                    </button>
                </div>
            )}
            {error && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >
                    {error.id === ErrorIds.templatesNeedsLicense ? <FormattedMessage {...m.grantRefusedNoLicense}/> : (
                        <FormattedMessage
                            {...m.actionFailed}
                            values={{message: <RequestErrorText error={error}/>}}
                        />
                    )}
                </p>
            )}
        </div>
    );
}

interface DelegationProps {
    client: Client;
    delegation: DelegationState;
    onChange: (delegation: DelegationState) => void;
}

/** What the license allows, the delegated admins, and assigning delegated roles to one user. */
export function DelegationPanel({client, delegation, onChange}: DelegationProps) {
    const intl = useIntl();
    const {license} = delegation;
    const dispatch = useHostDispatch();
    const profiles = useSelector(selectProfiles);
    const [user, setUser] = useState<UserSummary | null>(null);
    const [roles, setRoles] = useState<DelegatedRole[]>([]);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<RequestError | null>(null);

    const choose = (u: UserSummary) => {
        setUser(u);
        setRoles(delegation.admins.find((a) => a.user_id === u.id)?.roles ?? []);
    };
    const search = useCallback(async (term: string) => (await searchUsers(dispatch, term)).map(userOption), [dispatch]);
    const save = async () => {
        if (!user) {
            return;
        }
        setBusy(true);
        setError(null);
        try {
            onChange(await client.assignDelegatedRoles({expected_version: delegation.version, user_id: user.id, roles}));
            setUser(null);
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <div className='cockpit-templates__delegation'>
            <dl className='cockpit-facts'>
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.license}/></dt>
                    <dd>{license.licensed ? (
                        <FormattedMessage
                            {...m.licensed}
                            values={{sku: license.sku}}
                        />
                    ) : <FormattedMessage {...m.unlicensed}/>}</dd>
                </div>
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.licenseModeration}/></dt>
                    <dd><YesNo value={license.channel_moderation}/></dd>
                </div>
                <div className='cockpit-facts__row'>
                    <dt><FormattedMessage {...m.licenseDelegated}/></dt>
                    <dd><YesNo value={license.delegated_roles}/></dd>
                </div>
            </dl>
            <table className='cockpit-table'>
                <caption><FormattedMessage {...m.delegatedAdmins}/></caption>
                <thead>
                    <tr>
                        <th scope='col'><FormattedMessage {...m.colUser}/></th>
                        <th scope='col'><FormattedMessage {...m.colRoles}/></th>
                        <th scope='col'><span className='sr-only'><FormattedMessage {...m.colActions}/></span></th>
                    </tr>
                </thead>
                <tbody>
                    {delegation.admins.length === 0 && <tr><td colSpan={3}><FormattedMessage {...m.noDelegatedAdmins}/></td></tr>}
                    {delegation.admins.map((a) => (
                        <tr key={a.user_id}>
                            <th scope='row'>{`@${a.username}`}</th>
                            <td>
                                {a.roles.length === 0 ? (
                                    <FormattedMessage {...m.noRoles}/>
                                ) : (
                                    a.roles.map((r) => intl.formatMessage(roleLabels[r])).join(', ')
                                )}
                            </td>
                            <td>
                                <button
                                    type='button'
                                    className='btn btn-link btn-sm'
                                    disabled={!license.delegated_roles}
                                    onClick={() =>
                                        choose({id: a.user_id, username: a.username, first_name: '', last_name: '', nickname: ''})
                                    }
                                >
                                    <FormattedMessage
                                        {...m.changeRolesOf}
                                        values={{username: a.username}}
                                    />
                                </button>
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {license.delegated_roles ? (
                <div className='cockpit-form'>
                    <Picker
                        label={intl.formatMessage(m.findUserForRoles)}
                        placeholder={intl.formatMessage(m.searchPlaceholder)}
                        search={search}
                        chosen={[]}
                        onPick={(option) => {
                            const found = profiles?.[option.id];
                            if (found) {
                                choose(found);
                            }
                        }}
                    />
                    {user && (
                        <fieldset>
                            <legend>
                                <FormattedMessage
                                    {...m.rolesFor}
                                    values={{user: userLabel(user)}}
                                />
                            </legend>
                            {DELEGATED_ROLES.map((r) => (
                                <div
                                    key={r}
                                    className='cockpit-check-row'
                                >
                                    <input
                                        id={`delegated-${r}`}
                                        type='checkbox'
                                        checked={roles.includes(r)}
                                        onChange={(e) =>
                                            setRoles((list) => (e.target.checked ? [...list, r] : list.filter((x) => x !== r)))
                                        }
                                    />
                                    <label htmlFor={`delegated-${r}`}><FormattedMessage {...roleLabels[r]}/></label>
                                </div>
                            ))}
                            <div className='cockpit-form__buttons'>
                                <WriteControls>
                                    <button
                                        type='button'
                                        className='btn btn-primary'
                                        disabled={busy}
                                        onClick={() => {
                                            save();
                                        }}
                                    >
                                        <FormattedMessage {...m.saveRoles}/>
                                    </button>
                                </WriteControls>
                                <button
                                    type='button'
                                    className='btn btn-tertiary'
                                    onClick={() => setUser(null)}
                                >
                                    <FormattedMessage {...m.cancel}/>
                                </button>
                            </div>
                        </fieldset>
                    )}
                    {error && (
                        <p
                            role='alert'
                            className='cockpit-error-text'
                        >
                            <FormattedMessage
                                {...m.actionFailed}
                                values={{message: <RequestErrorText error={error}/>}}
                            />
                        </p>
                    )}
                </div>
            ) : (
                <p className='cockpit-muted'><FormattedMessage {...m.delegatedNeedsLicense}/></p>
            )}
        </div>
    );
}
