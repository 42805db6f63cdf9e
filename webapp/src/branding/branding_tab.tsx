import React, {useCallback, useEffect, useMemo, useState} from 'react';
import {FormattedMessage} from 'react-intl';
import {useStore} from 'react-redux';

import {
    bannerFields,
    brandingFieldNames,
    type BrandingField,
    type BrandingState,
    type BrandingValues,
    type BrandingVersion,
} from 'contract/branding';
import {ErrorIds} from 'contract/errors';

import {Field} from './field';
import {HistoryPanel} from './history_panel';
import {carryOutImageAction} from './image_action';
import {ImagePicker} from './image_picker';
import {brandingMessages as m} from './messages';
import {imageChangeFor, pinnedFields, prepareImage, validateValues, type ImageProblem, type PreparedImage} from './model';
import {NoticeView, type Notice} from './notices';
import {PresetsPanel} from './presets_panel';
import {BrandingPreview} from './preview';
import {brandingCss} from './styles';

import {toRequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {Client4} from '../mattermost/client4';
import {inComponentState, resourceSlice, useResource} from '../resource';

const stateSlice = resourceSlice<BrandingState>('branding');
const fetchState = (c: import('../client').Client) => c.getBranding();

function errorMessage(err: unknown): string {
    return err instanceof Error && err.message ? err.message : String(err);
}

/** The Branding tab: form and live preview, apply with history and rollback, client app presets. */
export function BrandingTab() {
    const store = useStore();
    const resource = useResource(stateSlice, inComponentState, fetchState, 'always');
    const {data, loading, error} = resource.state;
    const client = resource.client;

    const [draft, setDraft] = useState<BrandingValues | null>(null);
    const [image, setImage] = useState<PreparedImage | 'delete' | null>(null);
    const [imageProblem, setImageProblem] = useState<ImageProblem | null>(null);
    const [serverImageMissing, setServerImageMissing] = useState(false);
    const [imageStamp, setImageStamp] = useState(() => String(Date.now()));
    const [pinned, setPinned] = useState<Set<BrandingField>>(new Set());
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<Notice | null>(null);
    const [history, setHistory] = useState<BrandingVersion[]>([]);

    const loadHistory = useCallback(async () => {
        try {
            setHistory((await client.getBrandingHistory(0)).versions);
        } catch {
            // The history is secondary: the form works without it.
        }
    }, [client]);

    useEffect(() => {
        loadHistory();
        const c4 = Client4 as unknown as {getEnvironmentConfig?: () => Promise<unknown>};
        if (typeof c4.getEnvironmentConfig === 'function') {
            c4.getEnvironmentConfig().then((env) => setPinned(pinnedFields(env)), () => {
                // Without it nothing is shown as pinned; the apply's read-back still reports such fields.
            });
        }
    }, [loadHistory, store]);

    // The form starts from (and after a write, returns to) the server's values.
    useEffect(() => {
        if (data) {
            setDraft(data.values);
        }
    }, [data]);

    const values = draft ?? data?.values ?? null;
    const errors = useMemo(() => (values ? validateValues(values) : {}), [values]);
    const dirty = Boolean(data && values && (brandingFieldNames.some((f) => values[f] !== data.values[f]) || image !== null));

    const onChange = (field: BrandingField, value: string | boolean) => {
        setNotice(null);
        setDraft((current) => (current ? {...current, [field]: value} : current));
    };

    const onPickImage = async (file: File | undefined) => {
        setNotice(null);
        if (!file || !data) {
            return;
        }
        const result = await prepareImage(file, data.max_image_bytes);
        if ('problem' in result) {
            setImageProblem(result.problem);
            setImage(null);
        } else {
            setImageProblem(null);
            setImage(result.image);
        }
    };

    const reset = () => {
        setDraft(data?.values ?? null);
        setImage(null);
        setImageProblem(null);
        setNotice(null);
    };

    const afterWrite = (state: BrandingState) => {
        resource.set(state);
        setImage(null);
        setServerImageMissing(false);
        setImageStamp(String(Date.now()));
        loadHistory();
    };

    const failure = (err: unknown) => {
        const requestError = toRequestError(err);
        setNotice(requestError.id === ErrorIds.conflict ? {kind: 'conflict'} : {kind: 'failed', error: requestError});
    };

    const apply = async () => {
        if (!data || !values) {
            return;
        }
        if (Object.keys(errors).length > 0) {
            setNotice({kind: 'fixErrors'});
            return;
        }
        setBusy(true);
        setNotice(null);
        try {
            // The image first, with the admin's own session: if the server refuses it, nothing has changed.
            if (image) {
                try {
                    if (image === 'delete') {
                        await Client4.deleteBrandImage();
                    } else {
                        await Client4.uploadBrandImage(image.file);
                    }
                } catch (err) {
                    setNotice({kind: 'uploadFailed', message: errorMessage(err)});
                    return;
                }
            }
            const answer = await client.applyBranding(data.version, values, imageChangeFor(image));
            afterWrite(answer.state);
            setNotice(
                answer.applied ?
                    {kind: 'applied', version: answer.applied.version, notApplied: answer.applied.not_applied} :
                    {kind: 'nothing'},
            );
        } catch (err) {
            failure(err);
        } finally {
            setBusy(false);
        }
    };

    const rollback = async (version: number) => {
        if (!data) {
            return;
        }
        setBusy(true);
        setNotice(null);
        try {
            const answer = await client.rollbackBranding(data.version, version);
            let imageResult: 'ok' | 'unavailable' | {failed: string} = 'ok';
            try {
                imageResult = await carryOutImageAction(client, answer.image_action, answer.image_version);
            } catch (err) {
                imageResult = {failed: errorMessage(err)};
            }
            afterWrite(answer.state);
            setNotice({kind: 'rolledBack', from: version, version: answer.applied.version, image: imageResult});
        } catch (err) {
            failure(err);
        } finally {
            setBusy(false);
        }
    };

    if (!data || !values) {
        return (
            <div className='cockpit-branding'>
                {loading && (
                    <p
                        role='status'
                        className='cockpit-muted'
                    ><FormattedMessage {...m.loading}/></p>
                )}
                {error && (
                    <RequestErrorNotice
                        error={error}
                        onRetry={() => {
                            resource.load();
                        }}
                        retrying={loading}
                    />
                )}
            </div>
        );
    }

    const bannerChanged = bannerFields.some((f) => values[f] !== data.values[f]);
    let imageSrc: string | null = null;
    if (image && image !== 'delete') {
        imageSrc = `data:${image.type};base64,${image.base64}`;
    } else if (image !== 'delete' && data.image.state === 'set' && !serverImageMissing) {
        // Only an image the cockpit recorded: asking for one that may not exist would be a 404 per view.
        imageSrc = Client4.getBrandImageUrl(imageStamp);
    }
    const fieldProps = {values, errors, pinned, onChange};

    return (
        <div className='cockpit-branding'>
            <style>{brandingCss}</style>
            {notice && (
                <NoticeView
                    notice={notice}
                    onReload={() => {
                        setNotice(null);
                        resource.load();
                        loadHistory();
                    }}
                />
            )}
            <div className='cockpit-branding__layout'>
                <AdminPanel
                    title={m.formTitle}
                    subtitle={m.formSubtitle}
                >
                    <WriteControls>
                        <CockpitForm
                            onSubmit={() => {
                                apply();
                            }}
                            noValidate={true}
                        >
                            <Field
                                field='site_name'
                                {...fieldProps}
                            />
                            <Field
                                field='custom_description_text'
                                {...fieldProps}
                            />
                            <Field
                                field='enable_custom_brand'
                                {...fieldProps}
                            />
                            <Field
                                field='custom_brand_text'
                                multiline={true}
                                {...fieldProps}
                            />
                            <ImagePicker
                                image={image}
                                problem={imageProblem}
                                maxBytes={data.max_image_bytes}
                                onPick={(file) => {
                                    onPickImage(file);
                                }}
                                onRemove={() => {
                                    setImageProblem(null);
                                    setImage('delete');
                                }}
                                onKeep={() => {
                                    setImageProblem(null);
                                    setImage(null);
                                }}
                            />
                            <fieldset>
                                <legend><FormattedMessage {...m.bannerTitle}/></legend>
                                {!data.license.announcement && (
                                    <p
                                        className={bannerChanged ? 'cockpit-notice cockpit-notice--warning' : 'cockpit-muted'}
                                        role={bannerChanged ? 'alert' : undefined}
                                    >
                                        <FormattedMessage {...m.bannerNeedsLicense}/>
                                    </p>
                                )}
                                <Field
                                    field='banner_enabled'
                                    {...fieldProps}
                                />
                                <Field
                                    field='banner_text'
                                    {...fieldProps}
                                />
                                <div className='cockpit-branding__colors'>
                                    <Field
                                        field='banner_color'
                                        {...fieldProps}
                                    />
                                    <Field
                                        field='banner_text_color'
                                        {...fieldProps}
                                    />
                                </div>
                                <Field
                                    field='allow_banner_dismissal'
                                    {...fieldProps}
                                />
                            </fieldset>
                            <fieldset>
                                <legend><FormattedMessage {...m.supportTitle}/></legend>
                                <Field
                                    field='help_link'
                                    type='url'
                                    {...fieldProps}
                                />
                                <Field
                                    field='support_email'
                                    type='email'
                                    {...fieldProps}
                                />
                                <Field
                                    field='terms_of_service_link'
                                    type='url'
                                    {...fieldProps}
                                />
                                <Field
                                    field='privacy_policy_link'
                                    type='url'
                                    {...fieldProps}
                                />
                                <Field
                                    field='about_link'
                                    type='url'
                                    {...fieldProps}
                                />
                                <Field
                                    field='report_a_problem_link'
                                    type='url'
                                    {...fieldProps}
                                />
                            </fieldset>
                            <div className='cockpit-form__buttons'>
                                <button
                                    type='submit'
                                    className='btn btn-primary'
                                    disabled={busy || !dirty}
                                >
                                    <FormattedMessage {...(busy ? m.applying : m.apply)}/>
                                </button>
                                <button
                                    type='button'
                                    className='btn btn-tertiary'
                                    disabled={busy || !dirty}
                                    onClick={reset}
                                >
                                    <FormattedMessage {...m.reset}/>
                                </button>
                            </div>
                        </CockpitForm>
                    </WriteControls>
                </AdminPanel>
                <div className='cockpit-branding__sticky'>
                    <AdminPanel
                        title={m.previewTitle}
                        subtitle={m.previewSubtitle}
                    >
                        <BrandingPreview
                            values={values}
                            imageSrc={imageSrc}
                            onImageError={image ? undefined : () => setServerImageMissing(true)}
                        />
                    </AdminPanel>
                </div>
            </div>
            <HistoryPanel
                versions={history}
                head={data.version}
                busy={busy}
                onRollback={(v) => {
                    rollback(v);
                }}
            />
            <PresetsPanel
                siteUrl={data.site_url}
                siteName={data.values.site_name}
                download={async (kind) => client.getBrandingPreset(kind)}
            />
        </div>
    );
}
