import {toCsv} from 'contract/csv';
import {AuditEndpoints} from 'contract/endpoints/audit';
import type {AuditEntry} from 'contract/plan_api';

import {allAuditEntries, readAuditPage} from './audit';

import type {Capability} from '../app/capability';
import {isoTime, utcDay} from '../dates/dates';
import {ApiError} from '../errors/apiError';
import {Download} from '../http/responses';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

export const AUDIT_MAX_PER_PAGE = 200;
const AUDIT_DEFAULT_PER_PAGE = 50;

function integerParam(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
    if (raw === undefined || raw === '') {
        return fallback;
    }
    const value = Number(raw);
    if (!(/^\d+$/).test(raw) || value < min || value > max) {
        throw ApiError.invalid(`query.${name}: must be a whole number from ${min} to ${max}`);
    }
    return value;
}

const csvHeader = ['id', 'at', 'user_id', 'username', 'action', 'target', 'before', 'after', 'session_id', 'ip_address', 'user_agent'];

function csvRows(entries: AuditEntry[], api: Pick<ReadOnlyMattermostApi, 'users'>): string[][] {
    // Usernames make the file readable for auditors; one lookup per distinct user.
    const usernames = new Map<string, string>();
    const username = (userId: string) => {
        if (!usernames.has(userId)) {
            let name = '';
            try {
                name = userId ? api.users.get(userId).username : '';
            } catch {
                // A user deleted since: the id stays in the file.
            }
            usernames.set(userId, name);
        }
        return usernames.get(userId) ?? '';
    };
    return entries.map((entry) => [
        entry.id,
        isoTime(entry.at),
        entry.user_id,
        username(entry.user_id),
        entry.action,
        entry.target,
        JSON.stringify(entry.before ?? null),
        JSON.stringify(entry.after ?? null),
        entry.session_id ?? '',
        entry.ip_address ?? '',
        entry.user_agent ?? '',
    ]);
}

export const auditCapability: Capability = {
    name: 'audit',
    routes(routes) {
        routes.handle(AuditEndpoints.audit, ({kv, query}) => {
            const page = integerParam(query.page, 'page', 0, 0, 1_000_000);
            const perPage = integerParam(query.per_page, 'per_page', AUDIT_DEFAULT_PER_PAGE, 1, AUDIT_MAX_PER_PAGE);
            return readAuditPage(kv, page, perPage);
        });

        // The whole trail as a file, newest first like the pages.
        routes.handle(AuditEndpoints.auditExport, ({kv, api, query}) => {
            const format = query.format ?? 'json';
            const entries = allAuditEntries(kv);
            const date = utcDay(Date.now());
            if (format === 'csv') {
                return new Download(`cockpit-audit-${date}.csv`, 'text/csv; charset=utf-8', toCsv(csvHeader, csvRows(entries, api)));
            }
            return new Download(
                `cockpit-audit-${date}.json`,
                'application/json',
                JSON.stringify({entries, total: entries.length}, null, 2),
            );
        });
    },
};
