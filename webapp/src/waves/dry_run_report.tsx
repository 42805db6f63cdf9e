import React from 'react';
import {FormattedMessage, FormattedNumber, type MessageDescriptor, useIntl} from 'react-intl';

import {authServices, type DryRunPeople, type DryRunReport as DryRunReportData, type DryRunUser, type PersonAction} from 'contract/waves';

import {wavesMessages as m} from './messages';
import {DryRunPace} from './pace_view';

import {Facts} from '../components/admin_panel';

const statusMessage: Record<DryRunUser['status'], typeof m.statusOk> = {
    ok: m.statusOk,
    deactivated: m.reasonDeactivated,
    bot: m.reasonBot,
    guest: m.reasonGuest,

    // Names the group-constrained targets that would refuse the user (display names: rendered as text).
    group_synced: m.reasonGroupSynced,
};

const peopleCounts: Array<[PersonAction, typeof m.peopleExisting]> = [
    ['existing', m.peopleExisting],
    ['create', m.peopleCreate],
    ['invite', m.peopleInvite],
    ['skip', m.peopleSkip],
];

/** The file's people: who has an account, who would be created, invited or skipped, by sign-in method, and a sample. */
function PeopleBlock({people}: {people: DryRunPeople}) {
    const byService = authServices.filter((service) => (people.by_auth_service[service] ?? 0) > 0);
    return (
        <section
            className='cockpit-waves__people'
            data-testid='dry-run-people'
        >
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.peopleTitle}/></h4>
            <dl className='cockpit-facts'>
                {peopleCounts.map(([action, label]) => (
                    <div
                        key={action}
                        className='cockpit-facts__row'
                    >
                        <dt><FormattedMessage {...label}/></dt>
                        <dd data-testid={`dry-run-people-${action}`}><FormattedNumber value={people[action]}/></dd>
                    </div>
                ))}
            </dl>
            {byService.length > 0 && (
                <table className='cockpit-table'>
                    <caption><FormattedMessage {...m.peopleByAuth}/></caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colSignIn}/></th>
                            <th><FormattedMessage {...m.peopleCount}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {byService.map((service) => (
                            <tr key={service}>
                                <td><FormattedMessage {...m[`auth_${service}`]}/></td>
                                <td><FormattedNumber value={people.by_auth_service[service] ?? 0}/></td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {people.sample.length > 0 && (
                <table className='cockpit-table'>
                    <caption>
                        <FormattedMessage
                            {...m.peopleSample}
                            values={{count: people.sample.length}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colLine}/></th>
                            <th><FormattedMessage {...m.colEmail}/></th>
                            <th><FormattedMessage {...m.colUsername}/></th>
                            <th><FormattedMessage {...m.colAction}/></th>
                            <th><FormattedMessage {...m.colSignIn}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {people.sample.map((row) => (
                            <tr key={row.line}>
                                <td>{row.line}</td>
                                <td>{row.email || '–'}</td>
                                <td>{row.username || '–'}</td>
                                <td><FormattedMessage {...m[`action_${row.action}`]}/></td>
                                <td>{row.auth_service ? <FormattedMessage {...m[`auth_${row.auth_service}`]}/> : '–'}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </section>
    );
}

/** How many people get the welcome in each language, and which of those use the fallback text. */
function WelcomeLanguages({languages}: {languages: DryRunReportData['welcome_languages']}) {
    const intl = useIntl();
    return (
        <span data-testid='dry-run-languages'>
            {languages.map((count) => intl.formatMessage(m.welcomeLanguageCount, {
                language: intl.formatDisplayName(count.locale, {type: 'language'}) ?? count.locale,
                people: count.people,
                own: String(count.own_template),
            })).join(' · ')}
        </span>
    );
}

/** What a launch would do: cohort size, who would be added where, who is already there, who cannot be and why. */
export function DryRunReport({report}: {report: DryRunReportData}) {
    const cannot = report.cannot_add.deactivated + report.cannot_add.bot + report.cannot_add.guest + report.cannot_add.group_synced;
    return (
        <div className='cockpit-waves__dry-run'>
            <Facts
                rows={[
                    [m.cohortSize, <strong key='size'><FormattedNumber value={report.cohort_size}/></strong>],
                    ...(report.outside_languages > 0 ? [[m.outsideLanguages, (
                        <span
                            key='outside'
                            data-testid='dry-run-outside-languages'
                        >
                            <FormattedMessage
                                {...m.outsideLanguagesValue}
                                values={{count: report.outside_languages}}
                            />
                        </span>
                    )] as [MessageDescriptor, React.ReactNode]] : []),
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
                    [m.membershipChecked, (
                        <FormattedNumber
                            key='checked'
                            value={report.membership_checked}
                        />
                    )],
                    ...(report.welcome_languages?.length ? [[m.welcomeLanguages, (
                        <WelcomeLanguages
                            key='languages'
                            languages={report.welcome_languages}
                        />
                    )] as [MessageDescriptor, React.ReactNode]] : []),
                ]}
            />
            <DryRunPace
                estimate={report.estimate}
                advice={report.advice}
            />
            {(report.warnings ?? []).length > 0 && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--warning'
                    data-testid='dry-run-warnings'
                >
                    <strong><FormattedMessage {...m.dryRunWarnings}/></strong>
                    <ul>{report.warnings?.map((warning) => <li key={warning}>{warning}</li>)}</ul>
                </div>
            )}
            {report.sources.csv + report.people.existing + report.people.create + report.people.invite + report.people.skip > 0 && (
                <PeopleBlock people={report.people}/>
            )}
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
                            <td><FormattedNumber value={target.would_add}/></td>
                            <td><FormattedNumber value={target.already_member}/></td>
                            <td><FormattedNumber value={target.refused}/></td>
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
