import React, {useId, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {ImportPreview} from 'contract/plan_api';

import {planMessages as m} from './messages';
import type {PlanWrites} from './use_plan';

import {toRequestError, type Client} from '../client';
import {errorText} from '../components/error_text';
import {JsonFileButton} from '../components/json_file_button';

type Step =
    | {kind: 'idle'}
    | {kind: 'busy'}
    | {kind: 'preview'; file: string; plan: unknown; preview: ImportPreview}
    | {kind: 'error'; message: string}
    | {kind: 'done'};

/**
 * Import: a file input → POST /plan/import/preview (the server validates; a 400 message is shown as is)
 * → what would change → Apply (POST /plan/import with the current version).
 */
export function ImportPlan({client, writes}: {client: Client; writes: PlanWrites}) {
    const intl = useIntl();
    const [step, setStep] = useState<Step>({kind: 'idle'});

    const preview = async (plan: unknown, file: File) => {
        setStep({kind: 'busy'});
        try {
            setStep({kind: 'preview', file: file.name, plan, preview: await client.previewImport(plan)});
        } catch (err) {
            setStep({kind: 'error', message: intl.formatMessage(m.importRefused, {message: errorText(intl, toRequestError(err))})});
        }
    };

    const apply = async (previewed: Extract<Step, {kind: 'preview'}>) => {
        setStep({kind: 'busy'});
        const ok = await writes.write((c, version) => c.importPlan(previewed.plan, version));

        // Failures (409, 400) are shown by the plan's save notices; the preview stays to apply again.
        setStep(ok ? {kind: 'done'} : previewed);
    };

    return (
        <div className='cockpit-import'>
            <JsonFileButton
                label={<FormattedMessage {...m.importLabel}/>}
                disabled={step.kind === 'busy'}
                onJson={(plan, file) => {
                    preview(plan, file);
                }}
                onInvalid={(file, message) =>
                    setStep({kind: 'error', message: intl.formatMessage(m.importNotJson, {file: file.name, message})})
                }
            />
            {step.kind === 'error' && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--error cockpit-import__result'
                >
                    <p>{step.message}</p>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={() => setStep({kind: 'idle'})}
                    >
                        <FormattedMessage {...m.dismiss}/>
                    </button>
                </div>
            )}
            {step.kind === 'done' && (
                <p
                    role='status'
                    className='cockpit-notice cockpit-notice--info cockpit-import__result'
                >
                    <FormattedMessage {...m.importDone}/>
                </p>
            )}
            {step.kind === 'preview' && (
                <ImportPreviewView
                    file={step.file}
                    preview={step.preview}
                    onApply={() => {
                        apply(step);
                    }}
                    onCancel={() => setStep({kind: 'idle'})}
                />
            )}
        </div>
    );
}

function ImportPreviewView({
    file,
    preview,
    onApply,
    onCancel,
}: {
    file: string;
    preview: ImportPreview;
    onApply: () => void;
    onCancel: () => void;
}) {
    const id = useId();
    const groups = [
        [m.importAddedPhases, preview.added_phases],
        [m.importRemovedPhases, preview.removed_phases],
        [m.importAddedTasks, preview.added_tasks],
        [m.importRemovedTasks, preview.removed_tasks],
        [m.importChangedTasks, preview.changed_tasks],
    ] as const;
    return (
        <section
            className='cockpit-notice cockpit-notice--info cockpit-import__preview'
            aria-labelledby={`${id}-title`}
        >
            <h4 id={`${id}-title`}><FormattedMessage {...m.importTitle}/></h4>
            <p>
                <FormattedMessage
                    {...m.importIntro}
                    values={{file, count: preview.task_count}}
                />
            </p>
            <dl className='cockpit-facts'>
                {groups.map(([label, ids]) => (
                    <div
                        key={label.id}
                        className='cockpit-facts__row'
                    >
                        <dt><FormattedMessage {...label}/>{` (${ids.length})`}</dt>
                        <dd>{ids.length ? ids.join(', ') : <FormattedMessage {...m.importNone}/>}</dd>
                    </div>
                ))}
            </dl>
            <div className='cockpit-form__buttons'>
                <button
                    type='button'
                    className='btn btn-primary'
                    onClick={onApply}
                >
                    <FormattedMessage {...m.importApply}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={onCancel}
                >
                    <FormattedMessage {...m.cancel}/>
                </button>
            </div>
        </section>
    );
}
