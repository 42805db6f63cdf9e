import React, {useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {auditMessages as m} from './messages';
import {AUDIT_PAGE_SIZE, useAudit} from './use_audit';

import {toRequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {localDate} from '../components/dates';
import {errorText} from '../components/error_text';
import {saveTextFile} from '../components/files';
import {RequestErrorNotice} from '../components/request_error';
import {userLabel, useUsers} from '../mattermost/users';

const MAX_VALUE_CHARS = 300;

/** A before/after value as compact, inert JSON text (long values are cut). */
export function compactJson(value: unknown): string {
    if (value === undefined || value === null) {
        return '–';
    }
    const text = JSON.stringify(value) ?? String(value);
    return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** The Audit tab: who changed what through the cockpit, with paging and CSV/JSON export. */
export function AuditTab() {
    const intl = useIntl();
    const audit = useAudit();
    const [exportError, setExportError] = useState('');
    const entries = audit.data?.entries ?? [];
    const users = useUsers(entries.map((e) => e.user_id));
    const total = audit.data?.total ?? 0;
    const first = total === 0 ? 0 : (audit.page * AUDIT_PAGE_SIZE) + 1;
    const last = Math.min(total, (audit.page * AUDIT_PAGE_SIZE) + entries.length);
    const hasNext = (audit.page + 1) * AUDIT_PAGE_SIZE < total;

    const onExport = async (format: 'csv' | 'json') => {
        try {
            const text = await audit.client.exportAudit(format);
            saveTextFile(text, `cockpit-audit-${localDate()}.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
            setExportError('');
        } catch (err) {
            setExportError(errorText(intl, toRequestError(err)));
        }
    };

    return (
        <div
            className='cockpit-audit'
            aria-busy={audit.loading}
        >
            <div className='cockpit-toolbar'>
                {audit.loading && (
                    <span
                        role='status'
                        className='cockpit-muted'
                    >
                        <FormattedMessage {...m.loading}/>
                    </span>
                )}
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={audit.loading}
                    onClick={audit.refresh}
                >
                    <FormattedMessage {...m.refresh}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        onExport('csv');
                    }}
                >
                    <FormattedMessage {...m.exportCsv}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        onExport('json');
                    }}
                >
                    <FormattedMessage {...m.exportJson}/>
                </button>
            </div>
            {exportError && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <FormattedMessage
                        {...m.exportError}
                        values={{message: exportError}}
                    />
                </p>
            )}
            {audit.error && (
                <RequestErrorNotice
                    error={audit.error}
                    onRetry={audit.refresh}
                    retrying={audit.loading}
                />
            )}
            {audit.data && (
                <AdminPanel
                    title={m.title}
                    subtitle={m.subtitle}
                >
                    {entries.length === 0 ? (
                        <p className='cockpit-muted'><FormattedMessage {...m.empty}/></p>
                    ) : (
                        <table className='cockpit-table cockpit-table--audit'>
                            <thead>
                                <tr>
                                    <th scope='col'><FormattedMessage {...m.when}/></th>
                                    <th scope='col'><FormattedMessage {...m.who}/></th>
                                    <th scope='col'><FormattedMessage {...m.action}/></th>
                                    <th scope='col'><FormattedMessage {...m.target}/></th>
                                    <th scope='col'><FormattedMessage {...m.change}/></th>
                                </tr>
                            </thead>
                            <tbody>
                                {entries.map((e) => {
                                    const user = users[e.user_id];
                                    let who: string = e.user_id;
                                    if (user) {
                                        who = userLabel(user);
                                    } else if (!e.user_id) {
                                        who = intl.formatMessage(m.system);
                                    }
                                    return (
                                        <tr key={e.id}>
                                            <td>
                                                <DateTime value={e.at}/>
                                            </td>
                                            <td>{who}</td>
                                            <td><code>{e.action}</code></td>
                                            <td>{e.target}</td>
                                            <td className='cockpit-audit__change'>
                                                <code>{compactJson(e.before)}</code>
                                                {' → '}
                                                <code>{compactJson(e.after)}</code>
                                            </td>
                                        </tr>
                                    );
                                })}
                            </tbody>
                        </table>
                    )}
                    <nav
                        className='cockpit-pager'
                        aria-label={intl.formatMessage(m.pagination)}
                    >
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            disabled={audit.loading || audit.page === 0}
                            onClick={() => audit.goTo(audit.page - 1)}
                        >
                            <FormattedMessage {...m.previous}/>
                        </button>
                        <span className='cockpit-muted'>
                            <FormattedMessage
                                {...m.range}
                                values={{first, last, total}}
                            />
                        </span>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            disabled={audit.loading || !hasNext}
                            onClick={() => audit.goTo(audit.page + 1)}
                        >
                            <FormattedMessage {...m.next}/>
                        </button>
                    </nav>
                </AdminPanel>
            )}
        </div>
    );
}
