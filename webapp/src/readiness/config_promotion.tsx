import React, {useCallback, useEffect, useState} from 'react';
import {defineMessages, FormattedMessage, useIntl} from 'react-intl';

import type {ConfigApply, ConfigApplyHistory, ConfigPatchPreview} from 'contract/configsnapshot';
import {ConfigSnapshotEndpoints} from 'contract/endpoints/configsnapshot';
import type {BodyInputOf} from 'contract/endpoints/endpoint';

import {valueText} from './config_snapshot';

import {toRequestError, type Client} from '../client';
import {DateTime} from '../components/date_time';
import {errorText} from '../components/error_text';
import {fileSlug, saveTextFile} from '../components/files';
import {WriteControls} from '../components/read_only';

const m = defineMessages({
    preview: {id: 'cockpit.readiness.promote.preview', defaultMessage: 'Show the patch for the picked settings'},
    pickSome: {id: 'cockpit.readiness.promote.pickSome', defaultMessage: 'Pick the settings to copy to this server.'},
    patchCaption: {
        id: 'cockpit.readiness.promote.patchCaption',
        defaultMessage: 'The exact config patch ({count, plural, one {# setting} other {# settings}})',
    },
    refused: {id: 'cockpit.readiness.promote.refused', defaultMessage: 'Left out: {keys}'},
    download: {id: 'cockpit.readiness.promote.download', defaultMessage: 'Download for mmctl config patch'},
    apply: {id: 'cockpit.readiness.promote.apply', defaultMessage: 'Apply to this server'},
    applied: {id: 'cockpit.readiness.promote.applied', defaultMessage: 'Change #{seq} applied and read back.'},
    notApplied: {
        id: 'cockpit.readiness.promote.notApplied',
        defaultMessage: 'Change #{seq} saved, but the server kept its own value for: {keys}',
    },
    failed: {id: 'cockpit.readiness.promote.failed', defaultMessage: 'Not applied: {message}'},
    historyCaption: {id: 'cockpit.readiness.promote.history', defaultMessage: 'Settings copied from other environments, newest first'},
    change: {id: 'cockpit.readiness.promote.change', defaultMessage: 'Change'},
    when: {id: 'cockpit.readiness.promote.when', defaultMessage: 'When'},
    what: {id: 'cockpit.readiness.promote.what', defaultMessage: 'Settings'},
    kindApply: {id: 'cockpit.readiness.promote.kindApply', defaultMessage: '#{seq} from {site}'},
    kindRollback: {id: 'cockpit.readiness.promote.kindRollback', defaultMessage: '#{seq} rollback of #{from}'},
    rollback: {id: 'cockpit.readiness.promote.rollback', defaultMessage: 'Roll back #{seq}'},
});

type Snapshot = BodyInputOf<typeof ConfigSnapshotEndpoints.patchPreview>['snapshot'];

/**
 * The picked differences of another environment's snapshot: the exact patch, a download `mmctl config
 * patch` accepts, apply (read back by the server), and the history of applied changes with rollback.
 */
export function ConfigPromotion({client, snapshot, keys}: {client: Client; snapshot: Snapshot | null; keys: string[]}) {
    const intl = useIntl();
    const [preview, setPreview] = useState<ConfigPatchPreview | null>(null);
    const [history, setHistory] = useState<ConfigApplyHistory | null>(null);
    const [notice, setNotice] = useState<{kind: 'info' | 'warning' | 'error'; text: string} | null>(null);
    const [busy, setBusy] = useState(false);

    const loadHistory = useCallback(() => {
        client.call(ConfigSnapshotEndpoints.applies).then(setHistory, () => setHistory(null));
    }, [client]);
    useEffect(loadHistory, [loadHistory]);
    useEffect(() => setPreview(null), [snapshot, keys]);

    const run = async (action: () => Promise<void>) => {
        setBusy(true);
        try {
            await action();
        } catch (err) {
            setNotice({kind: 'error', text: intl.formatMessage(m.failed, {message: errorText(intl, toRequestError(err))})});
        } finally {
            setBusy(false);
        }
    };

    const showResult = (change: ConfigApply) => {
        setNotice(change.not_applied.length === 0 ?
            {kind: 'info', text: intl.formatMessage(m.applied, {seq: change.seq})} :
            {kind: 'warning', text: intl.formatMessage(m.notApplied, {seq: change.seq, keys: change.not_applied.join(', ')})});
        loadHistory();
    };

    const patchText = preview ? JSON.stringify(preview.patch, null, 2) : '';
    return (
        <>
            {snapshot && (
                <WriteControls>
                    <div className='cockpit-toolbar cockpit-toolbar--start'>
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            disabled={busy || keys.length === 0}
                            onClick={() => {
                                run(async () => {
                                    setNotice(null);
                                    setPreview(await client.call(ConfigSnapshotEndpoints.patchPreview, {body: {snapshot, keys}}));
                                });
                            }}
                        >
                            <FormattedMessage {...m.preview}/>
                        </button>
                        {keys.length === 0 && <span className='cockpit-muted'><FormattedMessage {...m.pickSome}/></span>}
                    </div>
                </WriteControls>
            )}
            {preview && (
                <figure className='cockpit-patch'>
                    <figcaption>
                        <FormattedMessage
                            {...m.patchCaption}
                            values={{count: preview.changes.length}}
                        />
                    </figcaption>
                    <pre data-testid='config-patch'>{patchText}</pre>
                    {preview.refused.length > 0 && (
                        <p className='cockpit-muted'>
                            <FormattedMessage
                                {...m.refused}
                                values={{keys: preview.refused.map(({key, reason}) => `${key} (${reason})`).join(', ')}}
                            />
                        </p>
                    )}
                    <div className='cockpit-toolbar cockpit-toolbar--start'>
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            disabled={preview.changes.length === 0}
                            onClick={() => {
                                const host = fileSlug(snapshot?.site_url ?? '', 'staging');
                                saveTextFile(`${patchText}\n`, `config-patch-${host}.json`);
                            }}
                        >
                            <FormattedMessage {...m.download}/>
                        </button>
                        <WriteControls>
                            <button
                                type='button'
                                className='btn btn-primary'
                                disabled={busy || preview.changes.length === 0 || !history || !snapshot}
                                onClick={() => {
                                    run(async () => {
                                        if (snapshot && history) {
                                            showResult(await client.call(ConfigSnapshotEndpoints.apply, {
                                                body: {expected_version: history.version, snapshot, keys},
                                            }));
                                        }
                                    });
                                }}
                            >
                                <FormattedMessage {...m.apply}/>
                            </button>
                        </WriteControls>
                    </div>
                </figure>
            )}
            {notice && (
                <p
                    role={notice.kind === 'error' ? 'alert' : 'status'}
                    className={`cockpit-notice cockpit-notice--${notice.kind}`}
                >
                    {notice.text}
                </p>
            )}
            {history && history.changes.length > 0 && (
                <table className='cockpit-table'>
                    <caption><FormattedMessage {...m.historyCaption}/></caption>
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.change}/></th>
                            <th scope='col'><FormattedMessage {...m.when}/></th>
                            <th scope='col'><FormattedMessage {...m.what}/></th>
                            <th scope='col'>
                                <span className='sr-only'>
                                    <FormattedMessage
                                        {...m.rollback}
                                        values={{seq: ''}}
                                    />
                                </span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {history.changes.map((change) => (
                            <tr key={change.seq}>
                                <th scope='row'>
                                    {change.kind === 'apply' ?
                                        <FormattedMessage
                                            {...m.kindApply}
                                            values={{seq: change.seq, site: change.source?.site_url ?? ''}}
                                        /> :
                                        <FormattedMessage
                                            {...m.kindRollback}
                                            values={{seq: change.seq, from: change.rolled_back_from ?? 0}}
                                        />}
                                </th>
                                <td><DateTime value={change.at}/></td>
                                <td>
                                    {change.changes.map(({key, before, after}) => (
                                        <div key={key}><code>{key}</code>{`: ${valueText(before)} → ${valueText(after)}`}</div>
                                    ))}
                                </td>
                                <td>
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-tertiary btn-sm'
                                            disabled={busy}
                                            onClick={() => {
                                                run(async () => {
                                                    showResult(await client.call(ConfigSnapshotEndpoints.rollback, {
                                                        body: {expected_version: history.version, seq: change.seq},
                                                    }));
                                                });
                                            }}
                                        >
                                            <FormattedMessage
                                                {...m.rollback}
                                                values={{seq: change.seq}}
                                            />
                                        </button>
                                    </WriteControls>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </>
    );
}
