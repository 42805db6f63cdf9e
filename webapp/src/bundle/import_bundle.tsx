import React, {useState} from 'react';
import {FormattedMessage, FormattedNumber, useIntl} from 'react-intl';

import type {BundleApply, BundlePart, BundlePreview, PartPreview} from 'contract/bundle';

import {bundleMessages as m, partLabels} from './messages';

import {carryOutImageAction} from '../branding/image_action';
import {toRequestError, type Client} from '../client';
import {DateTime} from '../components/date_time';
import {errorText} from '../components/error_text';
import {JsonFileButton} from '../components/json_file_button';
import {RequestErrorText} from '../components/request_error';

type Step =
    | {kind: 'idle'}
    | {kind: 'busy'}
    | {kind: 'error'; message: string}
    | {kind: 'preview'; file: string; bundle: unknown; preview: BundlePreview}
    | {kind: 'applied'; file: string; preview: BundlePreview; result: BundleApply; imageError: string};

const shownNames = 6;

/** A count with the first few names (inert text). */
function Names({names}: {names: string[]}) {
    if (names.length === 0) {
        return <span className='cockpit-muted'>{'0'}</span>;
    }
    const more = names.length > shownNames ? ', …' : '';
    return (
        <>
            <strong><FormattedNumber value={names.length}/></strong>
            <div className='cockpit-muted'>{names.slice(0, shownNames).join(', ') + more}</div>
        </>
    );
}

const applicable = (part: PartPreview) => part.problems.length === 0 && part.added.length + part.changed.length + part.removed.length > 0;

/** Choose a bundle file → what each part would change → pick parts → apply → the result per part. */
export function ImportBundle({client}: {client: Client}) {
    const intl = useIntl();
    const [step, setStep] = useState<Step>({kind: 'idle'});
    const [picked, setPicked] = useState<BundlePart[]>([]);

    const preview = async (bundle: unknown, file: File) => {
        setStep({kind: 'busy'});
        try {
            const answer = await client.previewBundle(bundle);
            setStep({kind: 'preview', file: file.name, bundle, preview: answer});
            setPicked(answer.parts.filter(applicable).map((part) => part.part));
        } catch (err) {
            setStep({kind: 'error', message: intl.formatMessage(m.previewError, {message: errorText(intl, toRequestError(err))})});
        }
    };

    const apply = async () => {
        if (step.kind !== 'preview') {
            return;
        }
        const {file, bundle} = step;
        setStep({kind: 'busy'});
        try {
            const result = await client.applyBundle(bundle, picked);
            let imageError = '';
            try {
                await carryOutImageAction(client, result.image_action, result.image_version);
            } catch (err) {
                imageError = errorText(intl, toRequestError(err));
            }
            setStep({kind: 'applied', file, preview: await client.previewBundle(bundle), result, imageError});
        } catch (err) {
            setStep({kind: 'error', message: intl.formatMessage(m.previewError, {message: errorText(intl, toRequestError(err))})});
        }
    };

    const shown = step.kind === 'preview' || step.kind === 'applied' ? step : null;
    return (
        <div>
            <div className='cockpit-toolbar cockpit-toolbar--start'>
                <JsonFileButton
                    label={<FormattedMessage {...m.choose}/>}
                    disabled={step.kind === 'busy'}
                    onJson={(bundle, file) => {
                        preview(bundle, file);
                    }}
                    onInvalid={(file, message) =>
                        setStep({kind: 'error', message: intl.formatMessage(m.notJson, {file: file.name, message})})
                    }
                />
            </div>
            {step.kind === 'busy' && (
                <p
                    role='status'
                    className='cockpit-muted'
                >
                    <FormattedMessage {...m.previewing}/>
                </p>
            )}
            {step.kind === 'error' && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    {step.message}
                </p>
            )}
            {shown && (
                <PreviewTable
                    file={shown.file}
                    preview={shown.preview}
                    picked={step.kind === 'preview' ? picked : null}
                    onPick={(part, on) => setPicked((list) => (on ? [...list, part] : list.filter((name) => name !== part)))}
                />
            )}
            {step.kind === 'preview' && (
                <div className='cockpit-toolbar cockpit-toolbar--start'>
                    <button
                        type='button'
                        className='btn btn-primary'
                        disabled={picked.length === 0}
                        onClick={() => {
                            apply();
                        }}
                    >
                        <FormattedMessage {...m.apply}/>
                    </button>
                </div>
            )}
            {step.kind === 'applied' && (
                <ResultTable
                    result={step.result}
                    imageError={step.imageError}
                />
            )}
        </div>
    );
}

function PreviewTable({file, preview, picked, onPick}: {
    file: string;
    preview: BundlePreview;
    picked: BundlePart[] | null;
    onPick: (part: BundlePart, on: boolean) => void;
}) {
    const intl = useIntl();
    return (
        <table className='cockpit-table'>
            <caption>
                <FormattedMessage {...m.previewCaption}/>
                <div className='cockpit-muted'>
                    <FormattedMessage
                        {...m.source}
                        values={{
                            file,
                            site: preview.source.site_name,
                            url: preview.source.site_url,
                            time: <DateTime value={preview.exported_at}/>,
                        }}
                    />
                </div>
            </caption>
            <thead>
                <tr>
                    {picked && <th scope='col'><FormattedMessage {...m.pick}/></th>}
                    <th scope='col'><FormattedMessage {...m.part}/></th>
                    <th scope='col'><FormattedMessage {...m.added}/></th>
                    <th scope='col'><FormattedMessage {...m.changed}/></th>
                    <th scope='col'><FormattedMessage {...m.removed}/></th>
                    <th scope='col'><FormattedMessage {...m.unchanged}/></th>
                    <th scope='col'><FormattedMessage {...m.remarks}/></th>
                </tr>
            </thead>
            <tbody>
                {preview.parts.map((part) => (
                    <tr key={part.part}>
                        {picked && (
                            <td>
                                <input
                                    type='checkbox'
                                    aria-label={intl.formatMessage(m.pickPart, {part: intl.formatMessage(partLabels[part.part])})}
                                    checked={picked.includes(part.part)}
                                    disabled={!applicable(part)}
                                    onChange={(e) => onPick(part.part, e.target.checked)}
                                />
                            </td>
                        )}
                        <th scope='row'><FormattedMessage {...partLabels[part.part]}/></th>
                        <td><Names names={part.added}/></td>
                        <td><Names names={part.changed}/></td>
                        <td><Names names={part.removed}/></td>
                        <td><FormattedNumber value={part.unchanged}/></td>
                        <td>
                            {part.problems.length > 0 && (
                                <div className='cockpit-error-text'>
                                    <FormattedMessage
                                        {...m.cannotApply}
                                        values={{problems: part.problems.join('; ')}}
                                    />
                                </div>
                            )}
                            {part.problems.length === 0 && !applicable(part) && (
                                <div className='cockpit-muted'><FormattedMessage {...m.nothingToDo}/></div>
                            )}
                            {part.notes.map((note) => (
                                <div
                                    key={note}
                                    className='cockpit-muted'
                                >
                                    {note}
                                </div>
                            ))}
                        </td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

function ResultTable({result, imageError}: {result: BundleApply; imageError: string}) {
    return (
        <>
            <table className='cockpit-table'>
                <caption><FormattedMessage {...m.resultCaption}/></caption>
                <thead>
                    <tr>
                        <th scope='col'><FormattedMessage {...m.part}/></th>
                        <th scope='col'><FormattedMessage {...m.result}/></th>
                    </tr>
                </thead>
                <tbody>
                    {result.parts.map((part) => (
                        <tr key={part.part}>
                            <th scope='row'><FormattedMessage {...partLabels[part.part]}/></th>
                            <td role='status'>
                                {part.status === 'applied' && <FormattedMessage {...m.statusApplied}/>}
                                {part.status === 'unchanged' && <FormattedMessage {...m.statusUnchanged}/>}
                                {part.status === 'failed' && (
                                    <span className='cockpit-error-text'>
                                        <FormattedMessage
                                            {...m.statusFailed}
                                            values={{message: part.error ? <RequestErrorText error={part.error}/> : ''}}
                                        />
                                    </span>
                                )}
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {imageError && (
                <p
                    role='alert'
                    className='cockpit-notice cockpit-notice--warning'
                >
                    <FormattedMessage
                        {...m.imageFailed}
                        values={{message: imageError}}
                    />
                </p>
            )}
        </>
    );
}
