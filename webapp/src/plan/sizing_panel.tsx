import React, {useId, useState, type MouseEvent} from 'react';
import {defineMessages, FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import {SIZING_SOURCE, sizingFor, type Tier} from 'contract/sizing';

import {AdminPanel} from '../components/admin_panel';

const m = defineMessages({
    title: {id: 'cockpit.plan.sizing.title', defaultMessage: 'Hardware sizing'},
    subtitle: {
        id: 'cockpit.plan.sizing.subtitle',
        defaultMessage: 'The reference architecture Mattermost tested for your load. Architectures are sized by concurrent users.',
    },
    totalUsers: {id: 'cockpit.plan.sizing.totalUsers', defaultMessage: 'Planned users'},
    concurrentUsers: {id: 'cockpit.plan.sizing.concurrentUsers', defaultMessage: 'Concurrent users'},
    prompt: {id: 'cockpit.plan.sizing.prompt', defaultMessage: 'Enter the planned and concurrent users to see a recommendation.'},
    tableCaption: {id: 'cockpit.plan.sizing.caption', defaultMessage: 'Reference architecture for up to {users} concurrent users'},
    component: {id: 'cockpit.plan.sizing.component', defaultMessage: 'Component'},
    recommendation: {id: 'cockpit.plan.sizing.recommendation', defaultMessage: 'Recommendation'},
    app: {id: 'cockpit.plan.sizing.app', defaultMessage: 'Application nodes'},
    dbWriter: {id: 'cockpit.plan.sizing.dbWriter', defaultMessage: 'Database writer'},
    dbReaders: {id: 'cockpit.plan.sizing.dbReaders', defaultMessage: 'Database readers'},
    search: {id: 'cockpit.plan.sizing.search', defaultMessage: 'Search nodes (Elasticsearch or OpenSearch)'},
    proxy: {id: 'cockpit.plan.sizing.proxy', defaultMessage: 'Proxy'},
    redis: {id: 'cockpit.plan.sizing.redis', defaultMessage: 'Redis'},
    storage: {id: 'cockpit.plan.sizing.storage', defaultMessage: 'File storage per year'},
    tier: {id: 'cockpit.plan.sizing.tier', defaultMessage: '{nodes} × {vcpu} vCPU, {gib} GiB ({instance})'},
    notNeeded: {id: 'cockpit.plan.sizing.notNeeded', defaultMessage: 'Not needed'},
    storageRange: {id: 'cockpit.plan.sizing.storageRange', defaultMessage: '{low} to {high} GB'},
    beyond: {
        id: 'cockpit.plan.sizing.beyond',
        defaultMessage: 'More than {users} concurrent users is beyond the largest tested architecture: this is the largest one; plan a custom design with Mattermost and a load test.',
    },
    singleServer: {
        id: 'cockpit.plan.sizing.singleServer',
        defaultMessage: 'For this many users a single server is also an option: {vcpu} vCPU and {gib} GiB of memory, without high availability.',
    },
    loadTest: {
        id: 'cockpit.plan.sizing.loadTest',
        defaultMessage: 'For more than 2,000 users, confirm the sizing with a load test before the roll-out.',
    },
    loadTestLink: {id: 'cockpit.plan.sizing.loadTestLink', defaultMessage: 'Go to the load-test task'},
    source: {id: 'cockpit.plan.sizing.source', defaultMessage: 'Source: {link}'},
});

const num = (text: string) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
};

/** Reference architecture for the planned load (contract/sizing.ts), with its source cited. */
export function SizingPanel({loadTestTaskId, onGoToTask}: {loadTestTaskId?: string; onGoToTask: (taskId: string) => void}) {
    const intl = useIntl();
    const id = useId();
    const [total, setTotal] = useState('');
    const [concurrent, setConcurrent] = useState('');
    const totalUsers = num(total);
    const concurrentUsers = num(concurrent);
    const advice = totalUsers !== null && concurrentUsers !== null ? sizingFor(totalUsers, concurrentUsers) : null;

    const tier = (t: Tier | null) => (t ? intl.formatMessage(m.tier, {
        nodes: t.nodes, vcpu: t.vcpu, gib: t.gib, instance: t.instance,
    }) : intl.formatMessage(m.notNeeded));

    const goToTask = (e: MouseEvent) => {
        if (loadTestTaskId) {
            e.preventDefault();
            onGoToTask(loadTestTaskId);
        }
    };

    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            <div className='cockpit-task__fields'>
                <div className='cockpit-field'>
                    <label htmlFor={`${id}-total`}><FormattedMessage {...m.totalUsers}/></label>
                    <input
                        id={`${id}-total`}
                        type='number'
                        min={0}
                        step={1}
                        className='form-control'
                        value={total}
                        onChange={(e) => setTotal(e.target.value)}
                    />
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={`${id}-concurrent`}><FormattedMessage {...m.concurrentUsers}/></label>
                    <input
                        id={`${id}-concurrent`}
                        type='number'
                        min={0}
                        step={1}
                        className='form-control'
                        value={concurrent}
                        onChange={(e) => setConcurrent(e.target.value)}
                    />
                </div>
            </div>
            {advice?.architecture ? (
                <>
                    <table className='cockpit-table'>
                        <caption>
                            <FormattedMessage
                                {...m.tableCaption}
                                values={{users: <FormattedNumber value={advice.architecture.concurrent_users}/>}}
                            />
                        </caption>
                        <thead>
                            <tr>
                                <th scope='col'><FormattedMessage {...m.component}/></th>
                                <th scope='col'><FormattedMessage {...m.recommendation}/></th>
                            </tr>
                        </thead>
                        <tbody>
                            {([
                                [m.app, tier(advice.architecture.app)],
                                [m.dbWriter, tier(advice.architecture.db_writer)],
                                [m.dbReaders, tier(advice.architecture.db_readers)],
                                [m.search, tier(advice.architecture.search)],
                                [m.proxy, tier(advice.architecture.proxy)],
                                [m.redis, tier(advice.architecture.redis)],
                                [m.storage, intl.formatMessage(m.storageRange, {
                                    low: intl.formatNumber(advice.storage_gb_per_year.low),
                                    high: intl.formatNumber(advice.storage_gb_per_year.high),
                                })],
                            ] as const).map(([label, value]) => (
                                <tr key={label.id}>
                                    <th scope='row'><FormattedMessage {...label}/></th>
                                    <td>{value}</td>
                                </tr>
                            ))}
                        </tbody>
                    </table>
                    {advice.beyond_tested && (
                        <p className='cockpit-notice cockpit-notice--warning'>
                            <FormattedMessage
                                {...m.beyond}
                                values={{users: <FormattedNumber value={advice.architecture.concurrent_users}/>}}
                            />
                        </p>
                    )}
                    {advice.single_server && (
                        <p className='cockpit-notice cockpit-notice--info'>
                            <FormattedMessage
                                {...m.singleServer}
                                values={advice.single_server}
                            />
                        </p>
                    )}
                    {advice.load_test_recommended && (
                        <p className='cockpit-notice cockpit-notice--info'>
                            <FormattedMessage {...m.loadTest}/>
                            {loadTestTaskId && (
                                <>
                                    {' '}
                                    <a
                                        href={`#cockpit-task-${loadTestTaskId}`}
                                        onClick={goToTask}
                                    >
                                        <FormattedMessage {...m.loadTestLink}/>
                                    </a>
                                </>
                            )}
                        </p>
                    )}
                </>
            ) : (
                <p className='cockpit-muted'><FormattedMessage {...m.prompt}/></p>
            )}
            <p className='cockpit-source'>
                <FormattedMessage
                    {...m.source}
                    values={{
                        link: (
                            <a
                                href={SIZING_SOURCE.url}
                                target='_blank'
                                rel='noopener noreferrer'
                            >
                                {SIZING_SOURCE.title}
                            </a>
                        ),
                    }}
                />
            </p>
        </AdminPanel>
    );
}
