import {ConfigSnapshotEndpoints} from 'contract/endpoints/configsnapshot';

import {applySnapshot, previewPatch, readApplyHistory, rollbackChange} from './promote';
import {buildSnapshot, compareSettings} from './snapshot';

import type {Capability} from '../app/capability';
import {utcDay} from '../dates/dates';
import {Download} from '../http/responses';

/** The host part of the Site URL, for the file name (no URL class in goja). */
function hostOf(siteUrl: string): string {
    return (/^[a-z]+:\/\/(?:[^@/]*@)?([^/:?#]+)/i).exec(siteUrl)?.[1] ?? 'server';
}

// The snapshot, compare and preview routes only read; apply and rollback change the config (promote.ts).
export const configSnapshotCapability: Capability = {
    name: 'configsnapshot',
    routes(routes) {
        // From config.get() (the server's sanitized config), masked again by buildSnapshot. System admins only,
        // unlike the cockpit's other reads: the whole configuration, next to secrets however well masked.
        routes.handle(ConfigSnapshotEndpoints.configSnapshot, ({api}) => {
            const now = Date.now();
            const snapshot = buildSnapshot(api.config.get(), api.system.getServerVersion(), now);
            const date = utcDay(now);
            return new Download(
                `cockpit-config-${hostOf(snapshot.site_url)}-${date}.json`,
                'application/json',
                JSON.stringify(snapshot, null, 2),
            );
        });

        // Another environment's snapshot against this server's, taken now.
        routes.handle(ConfigSnapshotEndpoints.configCompare, ({api, body}) => {
            const here = buildSnapshot(api.config.get(), api.system.getServerVersion(), Date.now());
            return compareSettings(here.settings, body.snapshot.settings);
        });

        routes.handle(ConfigSnapshotEndpoints.patchPreview, ({api, body}) => previewPatch(api, body.snapshot, body.keys));
        routes.handle(ConfigSnapshotEndpoints.apply, (context) => applySnapshot(context, context.body));
        routes.handle(ConfigSnapshotEndpoints.rollback, (context) => rollbackChange(context, context.body));
        routes.handle(ConfigSnapshotEndpoints.applies, ({kv}) => readApplyHistory(kv));
    },
};
