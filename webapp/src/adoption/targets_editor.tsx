import React, {useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {ADOPTION_METRICS, TARGET_BASES, type AdoptionMetric, type AdoptionTarget, type TargetBase} from 'contract/adoption';

import {adoptionMessages as m} from './messages';

import {toRequestError, type Client} from '../client';
import {CockpitForm} from '../components/cockpit_form';
import {errorText} from '../components/error_text';
import {WriteControls} from '../components/read_only';

interface Draft {
    id: string;
    label: string;
    metric: AdoptionMetric;
    kind: 'count' | 'percent';
    threshold: string;
    base: TargetBase;
    due: string;
}

const toDraft = (target: AdoptionTarget): Draft => ({...target, threshold: String(target.threshold)});

let drafts = 0;
function newDraft(): Draft {
    drafts++;
    return {
        id: `t${Date.now().toString(36)}${drafts}`,
        label: '',
        metric: 'monthly_active',
        kind: 'percent',
        threshold: '80',
        base: 'total_users',
        due: '',
    };
}

/** Edits the whole list of targets; saving sends it with the version it was based on (409 when someone saved in between). */
export function TargetsEditor({client, version, targets, onSaved, onCancel}: {
    client: Client;
    version: number;
    targets: AdoptionTarget[];
    onSaved: () => void;
    onCancel: () => void;
}) {
    const intl = useIntl();
    const [rows, setRows] = useState<Draft[]>(() => (targets.length ? targets.map(toDraft) : [newDraft()]));
    const [saving, setSaving] = useState(false);
    const [error, setError] = useState('');

    const change = (index: number, patch: Partial<Draft>) => setRows(rows.map((row, i) => (i === index ? {...row, ...patch} : row)));

    const onSave = async () => {
        setSaving(true);
        setError('');
        try {
            await client.saveAdoptionTargets(version, rows.map((row) => ({
                id: row.id,
                label: row.label,
                metric: row.metric,
                kind: row.kind,
                threshold: Number(row.threshold),
                base: row.base,
                due: row.due,
            })));
            onSaved();
        } catch (err) {
            setError(errorText(intl, toRequestError(err)));
            setSaving(false);
        }
    };

    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-targets-editor'
                onSubmit={() => {
                    onSave();
                }}
            >
                {rows.map((row, i) => (
                    <fieldset
                        key={row.id}
                        className='cockpit-targets-editor__row'
                    >
                        <label>
                            <FormattedMessage {...m.fieldLabel}/>
                            <input
                                className='form-control'
                                value={row.label}
                                maxLength={200}
                                onChange={(e) => change(i, {label: e.target.value})}
                            />
                        </label>
                        <label>
                            <FormattedMessage {...m.fieldMetric}/>
                            <select
                                className='form-control'
                                value={row.metric}
                                onChange={(e) => change(i, {metric: e.target.value as AdoptionMetric})}
                            >
                                {ADOPTION_METRICS.map((metric) => (
                                    <option
                                        key={metric}
                                        value={metric}
                                    >
                                        {intl.formatMessage(m[metric])}
                                    </option>
                                ))}
                            </select>
                        </label>
                        <label>
                            <FormattedMessage {...m.fieldKind}/>
                            <select
                                className='form-control'
                                value={row.kind}
                                onChange={(e) => change(i, {kind: e.target.value as Draft['kind']})}
                            >
                                <option value='count'>{intl.formatMessage(m.kindCount)}</option>
                                <option value='percent'>{intl.formatMessage(m.kindPercent)}</option>
                            </select>
                        </label>
                        {row.kind === 'percent' && (
                            <label>
                                <FormattedMessage {...m.fieldBase}/>
                                <select
                                    className='form-control'
                                    value={row.base}
                                    onChange={(e) => change(i, {base: e.target.value as TargetBase})}
                                >
                                    {TARGET_BASES.map((base) => (
                                        <option
                                            key={base}
                                            value={base}
                                        >
                                            {intl.formatMessage(m[`base_${base}`])}
                                        </option>
                                    ))}
                                </select>
                            </label>
                        )}
                        <label>
                            <FormattedMessage {...m.fieldThreshold}/>
                            <input
                                className='form-control'
                                type='number'
                                min={0}
                                max={row.kind === 'percent' ? 100 : undefined}
                                step='any'
                                required={true}
                                value={row.threshold}
                                onChange={(e) => change(i, {threshold: e.target.value})}
                            />
                        </label>
                        <label>
                            <FormattedMessage {...m.fieldDue}/>
                            <input
                                className='form-control'
                                type='date'
                                required={true}
                                value={row.due}
                                onChange={(e) => change(i, {due: e.target.value})}
                            />
                        </label>
                        <button
                            type='button'
                            className='btn btn-tertiary btn-sm'
                            onClick={() => setRows(rows.filter((_, j) => j !== i))}
                        >
                            <FormattedMessage
                                {...m.removeTarget}
                                values={{n: i + 1}}
                            />
                        </button>
                    </fieldset>
                ))}
                {error && (
                    <p
                        role='alert'
                        className='cockpit-notice cockpit-notice--error'
                    >
                        <FormattedMessage
                            {...m.saveError}
                            values={{message: error}}
                        />
                    </p>
                )}
                <div className='cockpit-toolbar'>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={() => setRows([...rows, newDraft()])}
                    >
                        <FormattedMessage {...m.addTarget}/>
                    </button>
                    <button
                        type='submit'
                        className='btn btn-primary btn-sm'
                        disabled={saving}
                    >
                        <FormattedMessage {...(saving ? m.saving : m.save)}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={onCancel}
                    >
                        <FormattedMessage {...m.cancel}/>
                    </button>
                </div>
            </CockpitForm>
        </WriteControls>
    );
}
