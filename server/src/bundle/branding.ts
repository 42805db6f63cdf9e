import {bannerFields, type ImageChange} from 'contract/branding';
import {bundleImageMaxBytes, type BundleImage} from 'contract/bundle';

import {emptyPreview, type BundlePartHandler} from './part';

import {changedFields} from '../branding/config';
import {applyBranding, readBrandingState} from '../branding/store';
import {KvKeys} from '../kv/keys';

// The branding part: the studio's applied values and its brand image (the bytes the studio keeps with
// a version, up to bundleImageMaxBytes), applied through the studio's own apply (one claim by
// compare-and-set on its history head, read back, audited). The plugin API cannot set the brand image
// itself: the apply records it and the webapp uploads the bytes, as after a studio rollback.

function sameImage(bundled: BundleImage, current: ReturnType<typeof readBrandingState>['image']): boolean {
    if (bundled.state === 'set') {
        return current.state === 'set' && current.sha256 === bundled.sha256;
    }
    return current.state === 'none';
}

function imageChange(image: BundleImage | undefined): ImageChange {
    if (image === undefined) {
        return {kind: 'unchanged'};
    }
    if (image.state === 'none') {
        return {kind: 'deleted'};
    }
    return {kind: 'uploaded', sha256: image.sha256, content_type: image.content_type, size: image.size, data_base64: image.data_base64};
}

export const brandingPart: BundlePartHandler<'branding'> = {
    export: ({api, kv}) => {
        const state = readBrandingState(api, kv);
        const {image} = state;
        if (image.state === 'none') {
            return {values: state.values, image: {state: 'none'}};
        }
        const stored = image.state === 'set' && image.stored_in !== undefined && image.size <= bundleImageMaxBytes ?
            kv.readVersioned(KvKeys.brandingImage(image.stored_in)).value :
            undefined;
        if (image.state !== 'set' || stored === undefined) {
            // Not known, or too large to carry: the importing server keeps its own.
            return {values: state.values};
        }
        return {
            values: state.values,
            image: {
                state: 'set',
                sha256: image.sha256,
                content_type: image.content_type,
                size: image.size,
                data_base64: stored.data_base64,
            },
        };
    },

    plan: ({api, kv}, branding) => {
        const state = readBrandingState(api, kv);
        const preview = emptyPreview('branding');
        const fields = changedFields(state.values, branding.values);
        preview.changed.push(...fields);
        const imageDiffers = branding.image !== undefined && !sameImage(branding.image, state.image);
        if (imageDiffers) {
            preview.changed.push('brand_image');
            preview.notes.push(branding.image?.state === 'set' ?
                'The brand image is uploaded by your browser right after the apply.' :
                'The brand image is deleted by your browser right after the apply.');
        }
        const imageSame = branding.image !== undefined && !imageDiffers;
        preview.unchanged = (Object.keys(branding.values).length - fields.length) + (imageSame ? 1 : 0);
        const banner = fields.filter((field) => bannerFields.includes(field));
        if (banner.length > 0 && !state.license.announcement) {
            preview.problems.push(
                `the announcement banner needs a license with the "announcement" feature (changed: ${banner.join(', ')})`,
            );
        }
        return {
            preview,
            apply: (context) => {
                const applied = applyBranding(context, {
                    expected_version: state.version,
                    values: branding.values,
                    image: imageDiffers ? imageChange(branding.image) : {kind: 'unchanged'},
                });
                if (!imageDiffers || applied === null) {
                    return undefined;
                }
                return applied.image.state === 'set' && applied.image.stored_in !== undefined ?
                    {image_action: 'upload', image_version: applied.image.stored_in} :
                    {image_action: 'delete'};
            },
        };
    },
};
