import React, {useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {SettingDifference} from 'contract/plan_api';

import {ConfigPromotion} from './config_promotion';
import {readinessMessages as m} from './messages';

import {toRequestError, type Client} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {localDate} from '../components/dates';
import {errorText} from '../components/error_text';
import {fileSlug, saveTextFile} from '../components/files';
import {JsonFileButton} from '../components/json_file_button';
import {WriteControls} from '../components/read_only';

/** A setting value as compact, inert text. */
export function valueText(value: unknown): string {
    if (value === undefined) {
        return '';
    }
    if (typeof value === 'string') {
        return value;
    }
    return JSON.stringify(value) ?? String(value);
}

type Compare =
    | {kind: 'idle'}
    | {kind: 'busy'}
    | {kind: 'error'; message: string}
    | {kind: 'done'; file: string; snapshot: unknown; differences: SettingDifference[]};

/** Download this server's config snapshot; compare another environment's snapshot with this server. */
export function ConfigSnapshotPanel({client, siteURL}: {client: Client; siteURL?: string}) {
    const intl = useIntl();
    const [downloadError, setDownloadError] = useState('');
    const [compare, setCompare] = useState<Compare>({kind: 'idle'});
    const [picked, setPicked] = useState<string[]>([]);

    const download = async () => {
        try {
            const text = await client.getConfigSnapshot();
            let host = '';
            try {
                host = siteURL ? new URL(siteURL).hostname : '';
            } catch {
                host = '';
            }
            saveTextFile(text, `config-snapshot-${fileSlug(host, 'server')}-${localDate()}.json`);
            setDownloadError('');
        } catch (err) {
            setDownloadError(errorText(intl, toRequestError(err)));
        }
    };

    const compareWith = async (snapshot: unknown, file: File) => {
        setCompare({kind: 'busy'});
        try {
            setCompare({kind: 'done', file: file.name, snapshot, differences: await client.compareConfig(snapshot)});
            setPicked([]);
        } catch (err) {
            setCompare({kind: 'error', message: intl.formatMessage(m.compareError, {message: errorText(intl, toRequestError(err))})});
        }
    };

    const shown = (value: unknown) => {
        const text = valueText(value);
        return text === '' ? <span className='cockpit-muted'><FormattedMessage {...m.notSet}/></span> : <code>{text}</code>;
    };

    return (
        <AdminPanel
            title={m.snapshotTitle}
            subtitle={m.snapshotSubtitle}
        >
            <WriteControls>
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={() => {
                            download();
                        }}
                    >
                        <FormattedMessage {...m.snapshotDownload}/>
                    </button>
                    <JsonFileButton
                        label={<FormattedMessage {...m.compareLabel}/>}
                        disabled={compare.kind === 'busy'}
                        onJson={(snapshot, file) => {
                            compareWith(snapshot, file);
                        }}
                        onInvalid={(file, message) =>
                            setCompare({kind: 'error', message: intl.formatMessage(m.compareNotJson, {file: file.name, message})})
                        }
                    />
                </div>
            </WriteControls>
            {downloadError && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <FormattedMessage
                        {...m.snapshotError}
                        values={{message: downloadError}}
                    />
                </p>
            )}
            {compare.kind === 'busy' && (
                <p
                    role='status'
                    className='cockpit-muted'
                >
                    <FormattedMessage {...m.comparing}/>
                </p>
            )}
            {compare.kind === 'error' && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    {compare.message}
                </p>
            )}
            {compare.kind === 'done' && compare.differences.length === 0 && (
                <p
                    role='status'
                    className='cockpit-notice cockpit-notice--info'
                >
                    <FormattedMessage
                        {...m.compareNone}
                        values={{file: compare.file}}
                    />
                </p>
            )}
            {compare.kind === 'done' && compare.differences.length > 0 && (
                <table className='cockpit-table cockpit-table--diff'>
                    <caption>
                        <FormattedMessage
                            {...m.compareCaption}
                            values={{count: compare.differences.length, file: compare.file}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.pick}/></th>
                            <th scope='col'><FormattedMessage {...m.setting}/></th>
                            <th scope='col'><FormattedMessage {...m.here}/></th>
                            <th scope='col'><FormattedMessage {...m.there}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {compare.differences.map((d) => (
                            <tr key={d.key}>
                                <td>
                                    {!d.secret && (
                                        <input
                                            type='checkbox'
                                            aria-label={intl.formatMessage(m.pickSetting, {key: d.key})}
                                            checked={picked.includes(d.key)}
                                            onChange={(e) => {
                                                const on = e.target.checked;
                                                setPicked((keys) => (on ? [...keys, d.key] : keys.filter((key) => key !== d.key)));
                                            }}
                                        />
                                    )}
                                </td>
                                <th scope='row'><code>{d.key}</code></th>
                                {d.secret ? (
                                    <td colSpan={2}><FormattedMessage {...m.secretDiffers}/></td>
                                ) : (
                                    <>
                                        <td>{shown(d.here)}</td>
                                        <td>{shown(d.there)}</td>
                                    </>
                                )}
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            <ConfigPromotion
                client={client}
                snapshot={compare.kind === 'done' ? (compare.snapshot as Parameters<typeof ConfigPromotion>[0]['snapshot']) : null}
                keys={picked}
            />
        </AdminPanel>
    );
}
