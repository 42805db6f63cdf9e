// The applied branding versions, newest first, each with who applied it and a rollback button.
import React from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {BrandingVersion} from 'contract/branding';

import {brandingMessages as m} from './messages';

import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {WriteControls} from '../components/read_only';
import {userLabel, useUsers} from '../mattermost/users';

export function HistoryPanel({
    versions,
    head,
    busy,
    onRollback,
}: {
    versions: BrandingVersion[];
    head: number;
    busy: boolean;
    onRollback: (version: number) => void;
}) {
    const intl = useIntl();
    const users = useUsers(versions.map((v) => v.user_id));
    return (
        <AdminPanel
            title={m.historyTitle}
            subtitle={m.historySubtitle}
        >
            {versions.length === 0 ? <p className='cockpit-muted'><FormattedMessage {...m.historyEmpty}/></p> : (
                <ul className='cockpit-branding__history'>
                    {versions.map((v) => {
                        const user = users[v.user_id];
                        let kind = m.kindRollback;
                        if (v.kind === 'baseline') {
                            kind = m.kindBaseline;
                        } else if (v.kind === 'apply') {
                            kind = m.kindApply;
                        }
                        return (
                            <li
                                key={v.version}
                                aria-label={intl.formatMessage(m.historyVersion, {version: v.version})}
                            >
                                <div>
                                    <strong>
                                        <FormattedMessage
                                            {...m.historyVersion}
                                            values={{version: v.version}}
                                        />
                                    </strong>
                                    {' · '}
                                    <FormattedMessage
                                        {...kind}
                                        values={{version: v.rolled_back_from}}
                                    />
                                    {v.version === head && (
                                        <>
                                            {' · '}
                                            <span className='cockpit-chip cockpit-chip--ok'>
                                                <FormattedMessage {...m.historyCurrent}/>
                                            </span>
                                        </>
                                    )}
                                    <div className='cockpit-muted'>
                                        <FormattedMessage
                                            {...m.historyBy}
                                            values={{
                                                time: (
                                                    <DateTime value={v.at}/>
                                                ),
                                                user: user ? userLabel(user) : v.user_id,
                                            }}
                                        />
                                    </div>
                                    {v.changed.length > 0 && <div className='cockpit-muted'>
                                        <FormattedMessage
                                            {...m.historyChanged}
                                            values={{fields: v.changed.join(', ')}}
                                        />
                                    </div>}
                                </div>
                                {v.version !== head && (
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-tertiary'
                                            disabled={busy}
                                            aria-label={intl.formatMessage(m.rollbackLabel, {version: v.version})}
                                            onClick={() => onRollback(v.version)}
                                        >
                                            <FormattedMessage {...m.rollback}/>
                                        </button>
                                    </WriteControls>
                                )}
                            </li>
                        );
                    })}
                </ul>
            )}
        </AdminPanel>
    );
}
