import {bundleMaxBytes, parsePartList} from 'contract/bundle';
import {utf8Bytes} from 'contract/bytes';
import {BundleEndpoints} from 'contract/endpoints/bundle';
import {ErrorIds} from 'contract/errors';

import {applyBundle, exportBundle, previewBundle} from './service';

import type {Capability} from '../app/capability';
import {utcDay} from '../dates/dates';
import {ApiError} from '../errors/apiError';
import {Download} from '../http/responses';

export const bundleCapability: Capability = {
    name: 'bundle',
    routes(routes) {
        // A GET: it reads and changes nothing (as the plan export).
        routes.handle(BundleEndpoints.export, ({api, kv, query}) => {
            const parts = parsePartList(query.parts);
            if (typeof parts === 'string') {
                throw ApiError.invalid(parts);
            }
            const now = Date.now();
            const text = JSON.stringify(exportBundle({api, kv}, parts, query.include_people === 'true', now), null, 1);
            const size = utf8Bytes(text).length;
            if (size > bundleMaxBytes) {
                throw new ApiError(400, ErrorIds.bundleInvalid,
                    `The bundle would be ${size} bytes; an import takes at most ${bundleMaxBytes}. Leave out the people or some parts.`);
            }
            return new Download(`cockpit-bundle-${utcDay(now)}.json`, 'application/json', text);
        });

        // A write route only because the file travels in the body; it changes nothing.
        routes.handle(BundleEndpoints.preview, ({api, kv, body}) => previewBundle({api, kv}, body.bundle));

        routes.handle(BundleEndpoints.apply, (context) => applyBundle(context, context.body.bundle, context.body.parts));
    },
};
