import React from 'react';
import {FormattedMessage} from 'react-intl';

import type {DryRunReport as DryRunReportData, DryRunUser} from 'contract/waves';

import {wavesMessages as m} from './messages';

import {Facts} from '../components/admin_panel';

const statusMessage: Record<DryRunUser['status'], typeof m.statusOk> = {
    ok: m.statusOk,
    deactivated: m.reasonDeactivated,
    bot: m.reasonBot,
    guest: m.reasonGuest,

    // Names the group-constrained targets that would refuse the user (display names: rendered as text).
    group_synced: m.reasonGroupSynced,
};

/** What a launch would do: cohort size, who would be added where, who is already there, who cannot be and why. */
export function DryRunReport({report}: {report: DryRunReportData}) {
    const cannot = report.cannot_add.deactivated + report.cannot_add.bot + report.cannot_add.guest + report.cannot_add.group_synced;
    return (
        <div className='cockpit-waves__dry-run'>
            <Facts
                rows={[
                    [m.cohortSize, <strong key='size'>{report.cohort_size}</strong>],
                    [m.sources, (
                        <FormattedMessage
                            key='sources'
                            {...m.sourcesValue}
                            values={{...report.sources, duplicates: report.duplicates}}
                        />
                    )],
                    [m.cannotAdd, (
                        <FormattedMessage
                            key='cannot'
                            {...m.cannotAddValue}
                            values={{total: cannot, ...report.cannot_add}}
                        />
                    )],
                    [m.membershipChecked, String(report.membership_checked)],
                ]}
            />
            {report.target_problems.length > 0 && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--warning'
                >
                    <strong><FormattedMessage {...m.targetProblems}/></strong>
                    <ul>{report.target_problems.map((problem) => <li key={problem}>{problem}</li>)}</ul>
                </div>
            )}
            <table className='cockpit-table'>
                <caption><FormattedMessage {...m.targetsTable}/></caption>
                <thead>
                    <tr>
                        <th><FormattedMessage {...m.colTarget}/></th>
                        <th><FormattedMessage {...m.colRole}/></th>
                        <th><FormattedMessage {...m.colWouldAdd}/></th>
                        <th><FormattedMessage {...m.colAlready}/></th>
                        <th><FormattedMessage {...m.colRefused}/></th>
                    </tr>
                </thead>
                <tbody>
                    {report.targets.map((target) => (
                        <tr key={`${target.kind}-${target.id}`}>
                            <td>
                                <FormattedMessage {...(target.kind === 'team' ? m.kindTeam : m.kindChannel)}/>
                                {' '}
                                {target.name}
                            </td>
                            <td>{target.role}</td>
                            <td>{target.would_add}</td>
                            <td>{target.already_member}</td>
                            <td>{target.refused}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {report.csv_problems.length > 0 && (
                <table className='cockpit-table'>
                    <caption>
                        <FormattedMessage
                            {...m.csvProblems}
                            values={{count: report.csv_problems.length}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colLine}/></th>
                            <th><FormattedMessage {...m.colValue}/></th>
                            <th><FormattedMessage {...m.colProblem}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.csv_problems.slice(0, 200).map((problem) => (
                            <tr key={`${problem.line}-${problem.reason}`}>
                                <td>{problem.line}</td>
                                <td><code>{problem.value}</code></td>
                                <td>{problem.reason}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            <table className='cockpit-table'>
                <caption>
                    <FormattedMessage
                        {...m.sampleTable}
                        values={{count: report.sample.length}}
                    />
                </caption>
                <thead>
                    <tr>
                        <th><FormattedMessage {...m.colUser}/></th>
                        <th><FormattedMessage {...m.colStatus}/></th>
                        <th><FormattedMessage {...m.colWouldJoin}/></th>
                        <th><FormattedMessage {...m.colAlreadyIn}/></th>
                    </tr>
                </thead>
                <tbody>
                    {report.sample.map((user) => (
                        <tr key={user.user_id}>
                            <td>{`@${user.username}`}</td>
                            <td>
                                <span className={`cockpit-chip cockpit-chip--${user.status === 'ok' ? 'ok' : 'warning'}`}>
                                    <FormattedMessage
                                        {...statusMessage[user.status]}
                                        values={{targets: user.refused_by.join(', ')}}
                                    />
                                </span>
                            </td>
                            <td>{user.would_join.join(', ') || '–'}</td>
                            <td>{user.already_in.join(', ') || '–'}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
        </div>
    );
}
