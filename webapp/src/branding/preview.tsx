import React from 'react';
import {FormattedMessage, useIntl, type MessageDescriptor} from 'react-intl';

import type {BrandingValues} from 'contract/branding';

import {SafeMarkdown} from './markdown';
import {brandingMessages as m} from './messages';

export interface PreviewProps {
    values: BrandingValues;

    /** A data: URL of a chosen image, or the server's current brand image URL; null shows none. */
    imageSrc: string | null;

    /** Called when the image cannot be loaded (the server has no brand image). */
    onImageError?: () => void;
}

/** Colours pass only as #rrggbb; anything else falls back to the theme (no CSS injection). */
function safeColor(value: string, fallback: string): string {
    return (/^#[0-9a-fA-F]{6}$/).test(value) ? value : fallback;
}

function LoginScreen({values, imageSrc, onImageError}: PreviewProps) {
    const intl = useIntl();
    const custom = values.enable_custom_brand;
    return (
        <div className='cockpit-brand-login'>
            {custom && (
                <div className='cockpit-brand-login__brand'>
                    {imageSrc && (
                        <img
                            className='cockpit-brand-login__image'
                            src={imageSrc}
                            alt={intl.formatMessage(m.previewBrandImage)}
                            onError={onImageError}
                        />
                    )}
                    {values.custom_brand_text && (
                        <div
                            className='cockpit-brand-login__text'
                            data-testid='preview-brand-text'
                        >
                            <SafeMarkdown text={values.custom_brand_text}/>
                        </div>
                    )}
                </div>
            )}
            <div className='cockpit-brand-login__form'>
                <h4 className='cockpit-brand-login__title'>{values.site_name}</h4>
                {values.custom_description_text && <p className='cockpit-brand-login__description'>{values.custom_description_text}</p>}
                <div
                    className='cockpit-brand-login__input'
                    aria-hidden='true'
                >
                    <FormattedMessage {...m.previewLoginField}/>
                </div>
                <div
                    className='cockpit-brand-login__button'
                    aria-hidden='true'
                >
                    <FormattedMessage {...m.previewLogin}/>
                </div>
            </div>
        </div>
    );
}

function ChannelView({values}: PreviewProps) {
    return (
        <div className='cockpit-brand-channel'>
            {values.banner_enabled && values.banner_text.trim() !== '' && (
                <div
                    className='cockpit-brand-banner'
                    data-testid='preview-banner'
                    style={{
                        background: safeColor(values.banner_color, '#f2a93b'),
                        color: safeColor(values.banner_text_color, '#333333'),
                    }}
                >
                    <span className='cockpit-brand-banner__text'>
                        <SafeMarkdown
                            text={values.banner_text}
                            single={true}
                        />
                    </span>
                    {values.allow_banner_dismissal && <span aria-hidden='true'>{'×'}</span>}
                </div>
            )}
            <div className='cockpit-brand-channel__header'>
                <FormattedMessage {...m.previewChannel}/>
            </div>
            <div className='cockpit-brand-channel__post'>
                <strong>{values.site_name}</strong>
                <p><FormattedMessage {...m.previewMessage}/></p>
            </div>
        </div>
    );
}

function Frame({label, width, props}: {label: MessageDescriptor; width: 'desktop' | 'mobile'; props: PreviewProps}) {
    const intl = useIntl();
    return (
        <figure
            className={`cockpit-brand-frame cockpit-brand-frame--${width}`}
            role='group'
            aria-label={intl.formatMessage(label)}
        >
            <figcaption className='cockpit-muted'><FormattedMessage {...label}/></figcaption>
            <LoginScreen {...props}/>
            <ChannelView {...props}/>
        </figure>
    );
}

/** The login screen and a channel view with the banner, at desktop and mobile widths, in the theme's colours. */
export function BrandingPreview(props: PreviewProps) {
    return (
        <div className='cockpit-brand-preview'>
            <Frame
                label={m.previewDesktop}
                width='desktop'
                props={props}
            />
            <Frame
                label={m.previewMobile}
                width='mobile'
                props={props}
            />
        </div>
    );
}
