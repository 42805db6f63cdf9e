// One text field of the branding form: label, input (or textarea), its limit and error, and "set by
// the environment" when the server pins it.
import React, {useId} from 'react';
import {FormattedMessage, type MessageDescriptor} from 'react-intl';

import {
    bannerTextMaxLength,
    brandTextMaxLength,
    descriptionMaxLength,
    siteNameMaxLength,
    type BrandingField,
    type BrandingValues,
} from 'contract/branding';

import {brandingMessages as m} from './messages';

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

export function Field({field, values, errors, pinned, onChange, multiline = false, type = 'text'}: FieldProps) {
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
