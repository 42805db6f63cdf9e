import {manifest} from 'contract/manifest';
import type {LicenseSummary, Status} from 'contract/status';

import type {ServerLicense} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

export function summarizeLicense(license: ServerLicense | null): LicenseSummary {
    if (!license) {
        return {licensed: false, sku: '', is_trial: false, expires_at: 0, users: 0};
    }
    const users = license.features?.users;
    return {
        licensed: true,
        sku: license.sku_short_name,
        is_trial: license.is_trial,
        expires_at: license.expires_at,
        users: typeof users === 'number' ? users : 0,
    };
}

export function buildStatus(api: Pick<ReadOnlyMattermostApi, 'system'>): Status {
    return {
        plugin_id: manifest.id,
        plugin_version: manifest.version,
        server_version: api.system.getServerVersion(),
        node_id: api.system.getNodeId(),
        license: summarizeLicense(api.system.getLicense()),
        host: api.system.getHostStats(),
    };
}
