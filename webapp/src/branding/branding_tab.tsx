import React, {useCallback, useEffect, useId, useMemo, useState} from 'react';
import {FormattedMessage, FormattedTime, useIntl, type MessageDescriptor} from 'react-intl';
import {useStore} from 'react-redux';

import {
    bannerFields,
    bannerTextMaxLength,
    brandingFieldNames,
    brandTextMaxLength,
    descriptionMaxLength,
    PresetKinds,
    siteNameMaxLength,
    type BrandingField,
    type BrandingState,
    type BrandingValues,
    type BrandingVersion,
    type PresetKind,
} from 'contract/branding';
import {base64ToBytes} from 'contract/bytes';
import {ErrorIds} from 'contract/errors';

import {brandingMessages as m} from './messages';
import {formatBytes, imageChangeFor, pinnedFields, prepareImage, validateValues, type ImageProblem, type PreparedImage} from './model';
import {BrandingPreview} from './preview';
import {brandingCss} from './styles';

import {toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {CockpitForm} from '../components/cockpit_form';
import {fileSlug, saveTextFile} from '../components/files';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {Client4} from '../mattermost/client4';
import {userLabel, useUsers} from '../mattermost/users';
import {resourceSlice, useResource} from '../resource';

const stateSlice = resourceSlice<BrandingState>('branding');
const notInStore = () => undefined;
const fetchState = (c: import('../client').Client) => c.getBranding();

function errorMessage(err: unknown): string {
    return err instanceof Error && err.message ? err.message : String(err);
}

type Notice =
    | {kind: 'applied'; version: number; notApplied: string[]}
    | {kind: 'nothing'}
    | {kind: 'conflict'}
    | {kind: 'fixErrors'}
    | {kind: 'uploadFailed'; message: string}
    | {kind: 'failed'; error: RequestError}
    | {kind: 'rolledBack'; from: number; version: number; image: 'ok' | 'unavailable' | {failed: string}};

const fieldLabels: Record<BrandingField, MessageDescriptor> = {
    site_name: m.siteName,
    custom_description_text: m.description,
    enable_custom_brand: m.enableCustomBrand,
    custom_brand_text: m.brandText,
    banner_enabled: m.bannerEnabled,
    banner_text: m.bannerText,
    banner_color: m.bannerColor,
    banner_text_color: m.bannerTextColor,
    allow_banner_dismissal: m.allowDismissal,
    help_link: m.helpLink,
    support_email: m.supportEmail,
    terms_of_service_link: m.termsLink,
    privacy_policy_link: m.privacyLink,
    about_link: m.aboutLink,
    report_a_problem_link: m.reportLink,
};

function errorText(field: BrandingField): {message: MessageDescriptor; values?: Record<string, number>} {
    switch (field) {
    case 'site_name':
        return {message: m.errorRequired, values: {max: siteNameMaxLength}};
    case 'custom_description_text':
        return {message: m.errorTooLong, values: {max: descriptionMaxLength}};
    case 'custom_brand_text':
        return {message: m.errorTooLong, values: {max: brandTextMaxLength}};
    case 'banner_text':
        return {message: m.errorTooLong, values: {max: bannerTextMaxLength}};
    case 'banner_color':
    case 'banner_text_color':
        return {message: m.errorColor};
    case 'support_email':
        return {message: m.errorEmail};
    default:
        return {message: m.errorLink};
    }
}

interface FieldProps {
    field: BrandingField;
    values: BrandingValues;
    errors: Partial<Record<BrandingField, string>>;
    pinned: Set<BrandingField>;
    onChange: (field: BrandingField, value: string | boolean) => void;
    multiline?: boolean;
    type?: string;
}

function Field({field, values, errors, pinned, onChange, multiline = false, type = 'text'}: FieldProps) {
    const id = useId();
    const isPinned = pinned.has(field);
    const error = errors[field] === undefined ? null : errorText(field);
    const value = values[field];
    const describedBy = [error ? `${id}-error` : '', isPinned ? `${id}-pinned` : ''].filter(Boolean).join(' ') || undefined;
    if (typeof value === 'boolean') {
        return (
            <div className='cockpit-check-row'>
                <input
                    id={id}
                    type='checkbox'
                    checked={value}
                    disabled={isPinned}
                    aria-describedby={describedBy}
                    onChange={(e) => onChange(field, e.target.checked)}
                />
                <label htmlFor={id}><FormattedMessage {...fieldLabels[field]}/></label>
                {isPinned && (
                    <span
                        id={`${id}-pinned`}
                        className='cockpit-branding__pinned'
                    ><FormattedMessage {...m.pinned}/></span>
                )}
            </div>
        );
    }
    const common = {
        id,
        className: 'form-control',
        value,
        disabled: isPinned,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
    };
    return (
        <div className='cockpit-field'>
            <label htmlFor={id}><FormattedMessage {...fieldLabels[field]}/></label>
            {multiline ? (
                <textarea
                    {...common}
                    rows={3}
                    onChange={(e) => onChange(field, e.target.value)}
                />
            ) : (
                <input
                    {...common}
                    type={type}
                    onChange={(e) => onChange(field, e.target.value)}
                />
            )}
            {isPinned && (
                <span
                    id={`${id}-pinned`}
                    className='cockpit-branding__pinned'
                ><FormattedMessage {...m.pinned}/></span>
            )}
            {error && (
                <p
                    id={`${id}-error`}
                    className='cockpit-error-text'
                >
                    <FormattedMessage
                        {...error.message}
                        values={error.values}
                    />
                </p>
            )}
        </div>
    );
}

function imageProblemText(problem: ImageProblem) {
    switch (problem.kind) {
    case 'empty':
        return <FormattedMessage {...m.imageEmpty}/>;
    case 'tooLarge':
        return (
            <FormattedMessage
                {...m.imageTooLarge}
                values={{size: formatBytes(problem.size), max: formatBytes(problem.max)}}
            />
        );
    default:
        return (
            <FormattedMessage
                {...m.imageNotImage}
                values={{type: problem.type}}
            />
        );
    }
}

/** The Branding tab: form and live preview, apply with history and rollback, client app presets. */
export function BrandingTab() {
    const store = useStore();
    const resource = useResource(stateSlice, notInStore, fetchState, 'always');
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
            setNotice(answer.applied ? {kind: 'applied', version: answer.applied.version, notApplied: answer.applied.not_applied} : {kind: 'nothing'});
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
                if (answer.image_action === 'upload' && answer.image_version !== undefined) {
                    const kept = await client.getBrandingImage(answer.image_version);
                    const bytes = base64ToBytes(kept.data_base64);
                    const file = new File([bytes.buffer as ArrayBuffer], `brand.${kept.content_type.split('/')[1]}`, {type: kept.content_type});
                    await Client4.uploadBrandImage(file);
                } else if (answer.image_action === 'delete') {
                    await Client4.deleteBrandImage();
                } else if (answer.image_action === 'unavailable') {
                    imageResult = 'unavailable';
                }
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

function ImagePicker({image, problem, maxBytes, onPick, onRemove, onKeep}: {
    image: PreparedImage | 'delete' | null;
    problem: ImageProblem | null;
    maxBytes: number;
    onPick: (file: File | undefined) => void;
    onRemove: () => void;
    onKeep: () => void;
}) {
    const id = useId();
    return (
        <div className='cockpit-field'>
            <label htmlFor={id}><FormattedMessage {...m.brandImage}/></label>
            <input
                id={id}
                type='file'
                accept='image/png,image/jpeg,image/gif'
                aria-describedby={`${id}-help`}
                onChange={(e) => {
                    onPick(e.target.files?.[0]);
                    e.target.value = '';
                }}
            />
            <span
                id={`${id}-help`}
                className='cockpit-muted'
            >
                <FormattedMessage
                    {...m.imageHelp}
                    values={{max: formatBytes(maxBytes)}}
                />
            </span>
            {problem && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{imageProblemText(problem)}</p>
            )}
            {image && image !== 'delete' && (
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.imageChosen}
                        values={{name: image.file.name, size: formatBytes(image.size)}}
                    />
                    {!image.keptForRollback && <> <FormattedMessage {...m.imageNotKept}/></>}
                </p>
            )}
            {image === 'delete' && <p className='cockpit-muted'><FormattedMessage {...m.imageWillBeRemoved}/></p>}
            <div className='cockpit-form__buttons'>
                {image === null ? (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={onRemove}
                    >
                        <FormattedMessage {...m.removeImage}/>
                    </button>
                ) : (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={onKeep}
                    >
                        <FormattedMessage {...m.keepImage}/>
                    </button>
                )}
            </div>
        </div>
    );
}

function NoticeView({notice, onReload}: {notice: Notice; onReload: () => void}) {
    switch (notice.kind) {
    case 'applied':
        return (
            <div
                role='status'
                className={`cockpit-notice ${notice.notApplied.length ? 'cockpit-notice--warning' : 'cockpit-notice--info'}`}
            >
                <FormattedMessage
                    {...m.applied}
                    values={{version: notice.version}}
                />
                {notice.notApplied.length > 0 && <p>
                    <FormattedMessage
                        {...m.notApplied}
                        values={{fields: notice.notApplied.join(', ')}}
                    />
                </p>}
            </div>
        );
    case 'nothing':
        return (
            <div
                role='status'
                className='cockpit-notice cockpit-notice--info'
            ><FormattedMessage {...m.nothingChanged}/></div>
        );
    case 'fixErrors':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            ><FormattedMessage {...m.fixErrors}/></div>
        );
    case 'uploadFailed':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            >
                <FormattedMessage
                    {...m.uploadFailed}
                    values={{message: notice.message}}
                />
            </div>
        );
    case 'conflict':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--warning'
            >
                <p><FormattedMessage {...m.conflict}/></p>
                <button
                    type='button'
                    className='btn btn-primary'
                    onClick={onReload}
                ><FormattedMessage {...m.reload}/></button>
            </div>
        );
    case 'failed':
        return (
            <div
                role='alert'
                className='cockpit-notice cockpit-notice--error'
            >
                <FormattedMessage
                    {...m.applyFailed}
                    values={{message: notice.error.message}}
                />
            </div>
        );
    default:
        return (
            <div
                role='status'
                className={`cockpit-notice ${notice.image === 'ok' ? 'cockpit-notice--info' : 'cockpit-notice--warning'}`}
            >
                <FormattedMessage
                    {...m.rolledBack}
                    values={{from: notice.from, version: notice.version}}
                />
                {notice.image === 'unavailable' && <p><FormattedMessage {...m.imageUnavailable}/></p>}
                {typeof notice.image === 'object' && <p>
                    <FormattedMessage
                        {...m.imageRestoreFailed}
                        values={{message: notice.image.failed}}
                    />
                </p>}
            </div>
        );
    }
}

function HistoryPanel({versions, head, busy, onRollback}: {versions: BrandingVersion[]; head: number; busy: boolean; onRollback: (version: number) => void}) {
    const intl = useIntl();
    const users = useUsers(versions.map((v) => v.user_id));
    return (
        <AdminPanel
            title={m.historyTitle}
            subtitle={m.historySubtitle}
        >
            {versions.length === 0 ? <p className='cockpit-muted'><FormattedMessage {...m.historyEmpty}/></p> : (
                <ul className='cockpit-branding__history'>
                    {versions.map((v) => {
                        const user = users[v.user_id];
                        let kind = m.kindRollback;
                        if (v.kind === 'baseline') {
                            kind = m.kindBaseline;
                        } else if (v.kind === 'apply') {
                            kind = m.kindApply;
                        }
                        return (
                            <li
                                key={v.version}
                                aria-label={intl.formatMessage(m.historyVersion, {version: v.version})}
                            >
                                <div>
                                    <strong>
                                        <FormattedMessage
                                            {...m.historyVersion}
                                            values={{version: v.version}}
                                        />
                                    </strong>{' · '}
                                    <FormattedMessage
                                        {...kind}
                                        values={{version: v.rolled_back_from}}
                                    />
                                    {v.version === head && <>{' · '}<span className='cockpit-chip cockpit-chip--ok'><FormattedMessage {...m.historyCurrent}/></span></>}
                                    <div className='cockpit-muted'>
                                        <FormattedMessage
                                            {...m.historyBy}
                                            values={{
                                                time: (
                                                    <FormattedTime
                                                        value={v.at}
                                                        year='numeric'
                                                        month='short'
                                                        day='numeric'
                                                        hour='numeric'
                                                        minute='2-digit'
                                                    />
                                                ),
                                                user: user ? userLabel(user) : v.user_id,
                                            }}
                                        />
                                    </div>
                                    {v.changed.length > 0 && <div className='cockpit-muted'>
                                        <FormattedMessage
                                            {...m.historyChanged}
                                            values={{fields: v.changed.join(', ')}}
                                        />
                                    </div>}
                                </div>
                                {v.version !== head && (
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-tertiary'
                                            disabled={busy}
                                            aria-label={intl.formatMessage(m.rollbackLabel, {version: v.version})}
                                            onClick={() => onRollback(v.version)}
                                        >
                                            <FormattedMessage {...m.rollback}/>
                                        </button>
                                    </WriteControls>
                                )}
                            </li>
                        );
                    })}
                </ul>
            )}
        </AdminPanel>
    );
}

const presetInfo: Record<PresetKind, {title: MessageDescriptor; help: MessageDescriptor; file: (slug: string) => string; type: string}> = {
    'windows-reg': {title: m.presetWindows, help: m.presetWindowsHelp, file: (s) => `mattermost-desktop-${s}.reg`, type: 'text/plain'},
    'macos-mobileconfig': {title: m.presetMac, help: m.presetMacHelp, file: (s) => `mattermost-desktop-${s}.mobileconfig`, type: 'application/x-apple-aspen-config'},
    'ios-appconfig': {title: m.presetIos, help: m.presetIosHelp, file: (s) => `mattermost-ios-${s}.plist`, type: 'application/xml'},
    'android-appconfig': {title: m.presetAndroid, help: m.presetAndroidHelp, file: (s) => `mattermost-android-${s}.xml`, type: 'application/xml'},
};

function PresetsPanel({siteUrl, siteName, download}: {siteUrl: string; siteName: string; download: (kind: PresetKind) => Promise<string>}) {
    const intl = useIntl();
    const [failed, setFailed] = useState<string | null>(null);
    const save = async (kind: PresetKind) => {
        setFailed(null);
        try {
            const text = await download(kind);
            saveTextFile(text, presetInfo[kind].file(fileSlug(siteName, 'mattermost')), presetInfo[kind].type);
        } catch (err) {
            setFailed(toRequestError(err).message);
        }
    };
    return (
        <section>
            <AdminPanel title={m.presetsTitle}>
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.presetsSubtitle}
                        values={{url: siteUrl || '—', name: siteName}}
                    />
                </p>
                {siteUrl === '' && <p className='cockpit-notice cockpit-notice--warning'><FormattedMessage {...m.presetsNoSiteUrl}/></p>}
                {failed && (
                    <p
                        role='alert'
                        className='cockpit-error-text'
                    >
                        <FormattedMessage
                            {...m.downloadFailed}
                            values={{message: failed}}
                        />
                    </p>
                )}
                <ul className='cockpit-branding__presets'>
                    {PresetKinds.map((kind) => (
                        <li key={kind}>
                            <div>
                                <strong><FormattedMessage {...presetInfo[kind].title}/></strong>
                                <p><FormattedMessage {...presetInfo[kind].help}/></p>
                            </div>
                            <button
                                type='button'
                                className='btn btn-tertiary'
                                disabled={siteUrl === ''}
                                aria-label={intl.formatMessage(m.downloadLabel, {name: intl.formatMessage(presetInfo[kind].title)})}
                                onClick={() => {
                                    save(kind);
                                }}
                            >
                                <FormattedMessage {...m.download}/>
                            </button>
                        </li>
                    ))}
                </ul>
            </AdminPanel>
        </section>
    );
}
