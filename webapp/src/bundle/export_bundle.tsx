import React, {useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {BUNDLE_PARTS, type BundlePart} from 'contract/bundle';

import {bundleMessages as m, partLabels} from './messages';

import {toRequestError, type Client} from '../client';
import {localDate} from '../components/dates';
import {errorText} from '../components/error_text';
import {saveTextFile} from '../components/files';

/** The parts to export (all at first), people or not, and the download. */
export function ExportBundle({client}: {client: Client}) {
    const intl = useIntl();
    const [parts, setParts] = useState<BundlePart[]>([...BUNDLE_PARTS]);
    const [people, setPeople] = useState(false);
    const [error, setError] = useState('');

    const download = async () => {
        try {
            saveTextFile(await client.exportBundle(parts, people), `cockpit-bundle-${localDate()}.json`);
            setError('');
        } catch (err) {
            setError(errorText(intl, toRequestError(err)));
        }
    };

    return (
        <fieldset>
            <legend><FormattedMessage {...m.exportCaption}/></legend>
            {BUNDLE_PARTS.map((part) => (
                <label
                    key={part}
                    className='cockpit-check-row'
                >
                    <input
                        type='checkbox'
                        checked={parts.includes(part)}
                        onChange={(e) => {
                            const on = e.target.checked;
                            setParts((list) => BUNDLE_PARTS.filter((name) => (name === part ? on : list.includes(name))));
                        }}
                    />
                    {intl.formatMessage(partLabels[part])}
                </label>
            ))}
            <label className='cockpit-check-row'>
                <input
                    type='checkbox'
                    checked={people}
                    disabled={!parts.includes('waves')}
                    onChange={(e) => setPeople(e.target.checked)}
                />
                <FormattedMessage {...m.includePeople}/>
            </label>
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={parts.length === 0}
                    onClick={() => {
                        download();
                    }}
                >
                    <FormattedMessage {...m.download}/>
                </button>
            </div>
            {error && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <FormattedMessage
                        {...m.downloadError}
                        values={{message: error}}
                    />
                </p>
            )}
        </fieldset>
    );
}
