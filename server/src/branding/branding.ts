import {PresetKinds, type PresetKind} from 'contract/branding';
import {BrandingEndpoints} from 'contract/endpoints/branding';
import {ErrorIds} from 'contract/errors';

import {readBrandingValues} from './config';
import {presetFile} from './presets';
import {applyBranding, readBrandingState, readHistoryPage, repairBranding, rollbackBranding} from './store';

import type {Capability} from '../app/capability';
import {ApiError} from '../errors/apiError';
import {Download} from '../http/responses';
import {KvKeys} from '../kv/keys';

const historyPerPage = 20;

function pageNumber(text: string | undefined): number {
    if (text === undefined || text === '') {
        return 0;
    }
    if (!(/^\d{1,6}$/).test(text)) {
        throw ApiError.invalid('page must be a whole number from 0.');
    }
    return Number(text);
}

export const brandingCapability: Capability = {
    name: 'branding',
    routes(routes) {
        routes.handle(BrandingEndpoints.branding, ({api, kv}) => readBrandingState(api, kv));

        routes.handle(BrandingEndpoints.apply, (context) => {
            const applied = applyBranding(context, context.body);
            return {state: readBrandingState(context.api, context.kv), applied};
        });

        routes.handle(BrandingEndpoints.history, ({kv, query}) => readHistoryPage(kv, pageNumber(query.page), historyPerPage));

        routes.handle(BrandingEndpoints.rollback, (context) => {
            const {applied, image} = rollbackBranding(context, context.body);
            return {
                state: readBrandingState(context.api, context.kv),
                applied,
                image_action: image.action,
                ...(image.version === undefined ? {} : {image_version: image.version}),
            };
        });

        // The bytes of a brand image kept with a version, for the webapp to upload again on rollback.
        routes.handle(BrandingEndpoints.image, ({kv, params}) => {
            const version = (/^\d{1,9}$/).test(params.version) ? Number(params.version) : 0;
            const stored = version > 0 ? kv.readVersioned(KvKeys.brandingImage(version)).value : undefined;
            if (!stored) {
                throw ApiError.notFound(`No brand image is kept for version ${params.version}.`);
            }
            return stored;
        });

        routes.handle(BrandingEndpoints.preset, ({api, params}) => {
            const kind = params.kind as PresetKind;
            if (!PresetKinds.includes(kind)) {
                throw ApiError.notFound(`No preset "${params.kind}"; there are: ${PresetKinds.join(', ')}.`);
            }
            const config = api.config.get();
            const siteUrl =
                typeof config?.ServiceSettings?.SiteURL === 'string' ? config.ServiceSettings.SiteURL.trim().replace(/\/+$/, '') : '';
            if (!(/^https?:\/\/[^\s"'<>]+$/i).test(siteUrl)) {
                throw new ApiError(
                    400,
                    ErrorIds.brandingNoSiteUrl,
                    'Set the Site URL (System Console > Web Server) first: the apps need it to connect.',
                );
            }
            const file = presetFile(kind, {siteUrl, siteName: readBrandingValues(config).site_name});
            return new Download(file.filename, file.contentType, file.text);
        });
    },
    hooks: {
        // A write killed between its claim and its end is finished or released as soon as the plugin
        // is back (before it serves requests), whatever its age: this node's requests died with it.
        onActivate: (_, {api, kv, log}) => {
            try {
                repairBranding({api, kv, log, userId: ''}, 0);
            } catch (error) {
                log.error('Could not repair an interrupted branding write', {
                    error: error instanceof Error ? error.message : String(error),
                });
            }
        },
    },
};
