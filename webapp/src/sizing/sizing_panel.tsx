import React, {useId, useState, type MouseEvent} from 'react';
import {defineMessages, FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import {SizingEndpoints} from 'contract/endpoints/sizing';
import {REFERENCE_ARCHITECTURES, SIZING_SOURCE, sizingFor, type SizingAnswer, type Tier} from 'contract/sizing';

import {toRequestError, type Client} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {errorText} from '../components/error_text';
import {WriteControls} from '../components/read_only';
import {useAnswer} from '../resource';

const m = defineMessages({
    title: {id: 'cockpit.sizing.title', defaultMessage: 'Hardware sizing'},
    subtitle: {
        id: 'cockpit.sizing.subtitle',
        defaultMessage: 'The reference architecture Mattermost tested for your load. Architectures are sized by concurrent users.',
    },
    totalUsers: {id: 'cockpit.sizing.totalUsers', defaultMessage: 'Planned users'},
    concurrentUsers: {id: 'cockpit.sizing.concurrentUsers', defaultMessage: 'Concurrent users'},
    prompt: {id: 'cockpit.sizing.prompt', defaultMessage: 'Enter the planned and concurrent users to see a recommendation.'},
    tableCaption: {id: 'cockpit.sizing.caption', defaultMessage: 'Reference architecture for up to {users} concurrent users'},
    component: {id: 'cockpit.sizing.component', defaultMessage: 'Component'},
    recommendation: {id: 'cockpit.sizing.recommendation', defaultMessage: 'Recommendation'},
    app: {id: 'cockpit.sizing.app', defaultMessage: 'Application nodes'},
    dbWriter: {id: 'cockpit.sizing.dbWriter', defaultMessage: 'Database writer'},
    dbReaders: {id: 'cockpit.sizing.dbReaders', defaultMessage: 'Database readers'},
    search: {id: 'cockpit.sizing.search', defaultMessage: 'Search nodes (Elasticsearch or OpenSearch)'},
    proxy: {id: 'cockpit.sizing.proxy', defaultMessage: 'Proxy'},
    redis: {id: 'cockpit.sizing.redis', defaultMessage: 'Redis'},
    storage: {id: 'cockpit.sizing.storage', defaultMessage: 'File storage per year'},
    tier: {id: 'cockpit.sizing.tier', defaultMessage: '{nodes, number} × {vcpu, number} vCPU, {gib, number} GiB ({instance})'},
    notNeeded: {id: 'cockpit.sizing.notNeeded', defaultMessage: 'Not needed'},
    storageRange: {id: 'cockpit.sizing.storageRange', defaultMessage: '{low} to {high} GB'},
    beyond: {
        id: 'cockpit.sizing.beyond',
        defaultMessage: 'More than {users} concurrent users is beyond the largest tested architecture: this is the largest one; plan a custom design with Mattermost and a load test.',
    },
    singleServer: {
        id: 'cockpit.sizing.singleServer',
        defaultMessage: 'For this many users a single server is also an option: {vcpu, number} vCPU and {gib, number} GiB of memory, without high availability.',
    },
    loadTest: {
        id: 'cockpit.sizing.loadTest',
        defaultMessage: 'For more than 2,000 users, confirm the sizing with a load test before the roll-out.',
    },
    loadTestLink: {id: 'cockpit.sizing.loadTestLink', defaultMessage: 'Go to the load-test task'},
    source: {id: 'cockpit.sizing.source', defaultMessage: 'Source: {link}'},
    architecture: {id: 'cockpit.sizing.architecture', defaultMessage: 'Reference architecture'},
    recommended: {id: 'cockpit.sizing.recommended', defaultMessage: 'The one recommended for the concurrent users'},
    upTo: {id: 'cockpit.sizing.upTo', defaultMessage: 'Up to {users} concurrent users'},
    smaller: {
        id: 'cockpit.sizing.smaller',
        defaultMessage: 'The chosen architecture was tested for fewer concurrent users than planned.',
    },
    save: {id: 'cockpit.sizing.save', defaultMessage: 'Save the sizing'},
    saved: {
        id: 'cockpit.sizing.saved',
        defaultMessage: 'Saved {when}. The load-test task is verified against these {users} concurrent users.',
    },
    notSaved: {id: 'cockpit.sizing.notSaved', defaultMessage: 'Not saved yet.'},
    saveError: {id: 'cockpit.sizing.saveError', defaultMessage: 'The sizing was not saved: {message}'},
});

const num = (text: string) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
};

const field = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** What the admin types: the numbers as text, the chosen architecture's users ('' = the recommended one). */
interface Draft {
    total: string;
    concurrent: string;
    chosen: string;
}

/** The form as a sizing answer fills it (empty before one is loaded). */
const draftOf = (answer: SizingAnswer | null): Draft => ({
    total: field(answer?.sizing?.total_users),
    concurrent: field(answer?.sizing?.concurrent_users),
    chosen: field(answer?.sizing?.architecture_users),
});

/**
 * The plan's sizing: the reference architecture for the planned load (contract/sizing.ts, its source
 * cited), saved as the one record the load-test verification reads (PUT /api/v1/sizing).
 */
export function SizingPanel({client, loadTestTaskId, onGoToTask}: {
    client: Client;
    loadTestTaskId?: string;
    onGoToTask: (taskId: string) => void;
}) {
    const intl = useIntl();
    const id = useId();
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<string | null>(null);

    // The saved sizing is the server's answer: the one loaded, or the one a save answered. The admin's
    // edits belong to the answer they were made on; each new answer starts the form afresh from itself.
    const loaded = useAnswer(() => client.call(SizingEndpoints.get), [client]);
    const saved = loaded.data;
    const [edits, setEdits] = useState<{of: SizingAnswer | null; draft: Draft} | null>(null);
    const {total, concurrent, chosen} = edits && edits.of === saved ? edits.draft : draftOf(saved);
    const edit = (change: Partial<Draft>) => setEdits({of: saved, draft: {total, concurrent, chosen, ...change}});
    const shownError = error ?? (loaded.error ? errorText(intl, loaded.error) : null);

    const totalUsers = num(total);
    const concurrentUsers = num(concurrent);
    const recommended = totalUsers !== null && concurrentUsers !== null ? sizingFor(totalUsers, concurrentUsers) : null;
    const picked = REFERENCE_ARCHITECTURES.find((a) => String(a.concurrent_users) === chosen) ?? null;
    const advice = recommended && picked ? {...recommended, architecture: picked, beyond_tested: false} : recommended;

    const save = async () => {
        if (!saved || totalUsers === null || concurrentUsers === null) {
            return;
        }
        setBusy(true);
        try {
            loaded.setData(await client.call(SizingEndpoints.save, {body: {
                expected_version: saved.version,
                sizing: {total_users: totalUsers, concurrent_users: concurrentUsers, architecture_users: picked?.concurrent_users ?? null},
            }}));
            setError(null);
        } catch (err) {
            setError(intl.formatMessage(m.saveError, {message: errorText(intl, toRequestError(err))}));
        } finally {
            setBusy(false);
        }
    };

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
            <WriteControls>
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
                            onChange={(e) => edit({total: e.target.value})}
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
                            onChange={(e) => edit({concurrent: e.target.value})}
                        />
                    </div>
                    <div className='cockpit-field'>
                        <label htmlFor={`${id}-architecture`}><FormattedMessage {...m.architecture}/></label>
                        <select
                            id={`${id}-architecture`}
                            className='form-control'
                            value={chosen}
                            onChange={(e) => edit({chosen: e.target.value})}
                        >
                            <option value=''>{intl.formatMessage(m.recommended)}</option>
                            {REFERENCE_ARCHITECTURES.map((a) => (
                                <option
                                    key={a.concurrent_users}
                                    value={String(a.concurrent_users)}
                                >
                                    {intl.formatMessage(m.upTo, {users: intl.formatNumber(a.concurrent_users)})}
                                </option>
                            ))}
                        </select>
                    </div>
                </div>
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <button
                        type='button'
                        className='btn btn-primary'
                        disabled={busy || !saved || totalUsers === null || concurrentUsers === null}
                        onClick={() => {
                            save();
                        }}
                    >
                        <FormattedMessage {...m.save}/>
                    </button>
                </div>
            </WriteControls>
            {saved && (
                <p
                    role='status'
                    className='cockpit-muted'
                >
                    {saved.sizing && saved.updated_at !== null ? (
                        <FormattedMessage
                            {...m.saved}
                            values={{
                                when: <DateTime value={saved.updated_at}/>,
                                users: <FormattedNumber value={saved.sizing.concurrent_users}/>,
                            }}
                        />
                    ) : <FormattedMessage {...m.notSaved}/>}
                </p>
            )}
            {shownError && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    {shownError}
                </p>
            )}
            {picked && concurrentUsers !== null && picked.concurrent_users < concurrentUsers && (
                <p className='cockpit-notice cockpit-notice--warning'><FormattedMessage {...m.smaller}/></p>
            )}
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
