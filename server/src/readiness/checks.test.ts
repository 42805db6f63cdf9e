import type {ProbeResult} from 'contract/probes';

import {CHECKS, compareVersions, runChecks, score, type ReadinessInput} from './checks';

import defaultPlan from '../../../assets/plan/default-plan.json';

const NOW = Date.UTC(2026, 10, 23);
const DAY = 24 * 60 * 60 * 1000;

function input(config: Record<string, any>, overrides: Partial<ReadinessInput> = {}): ReadinessInput {
    return {config, license: null, serverVersion: '11.4.0', stats: {total_users: 10, total_posts: 100}, now: NOW, probes: [], ...overrides};
}

const fullLicense = {
    id: 'l1',
    issued_at: 0,
    starts_at: 0,
    expires_at: NOW + (365 * DAY),
    sku_name: 'Enterprise',
    sku_short_name: 'enterprise',
    is_trial: false,
    features: {users: 5000,
        ldap: true,
        ldap_groups: true,
        mfa: true,
        saml: true,
        cluster: true,
        metrics: true,
        elastic_search: true,
        data_retention: true,
        message_export: true,
        guest_accounts: true,
        announcement: true},
};

function statusOf(id: string, config: Record<string, any>, overrides: Partial<ReadinessInput> = {}) {
    const result = runChecks(input(config, overrides)).find((r) => r.id === id);
    if (!result) {
        throw new Error(`no check ${id}`);
    }
    return result.status;
}

describe('readiness checks', () => {
    test('there are at least 30, with unique ids and console deep links', () => {
        expect(CHECKS.length).toBeGreaterThanOrEqual(30);
        expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
        for (const check of CHECKS) {
            expect(check.console_path).toMatch(/^\/admin_console\//);
        }
    });

    test('every check verifies a task of the default plan, and every task check exists', () => {
        const referenced = new Set(defaultPlan.phases.flatMap((p: any) => p.tasks.flatMap((t: any) => t.checks ?? [])));
        expect([...referenced].filter((id) => !CHECKS.some((c) => c.id === id))).toEqual([]);
        expect(CHECKS.filter((c) => !referenced.has(c.id)).map((c) => c.id)).toEqual([]);
        const phaseIds = new Set(defaultPlan.phases.map((p: any) => p.id));
        expect(CHECKS.filter((c) => !phaseIds.has(c.phase)).map((c) => c.id)).toEqual([]);
    });

    test.each([
        ['site.url', {ServiceSettings: {SiteURL: ''}}, 'error'],
        ['site.url', {ServiceSettings: {SiteURL: 'https://chat.bank.example'}}, 'ok'],
        ['site.https', {ServiceSettings: {SiteURL: 'http://chat.bank.example'}}, 'error'],
        ['site.https', {ServiceSettings: {SiteURL: 'https://chat.bank.example'}}, 'ok'],
        ['email.smtp', {EmailSettings: {SMTPServer: 'localhost'}}, 'warning'],
        ['email.smtp', {EmailSettings: {SMTPServer: 'smtp.bank.example'}}, 'ok'],
        ['email.notifications', {EmailSettings: {SendEmailNotifications: false}}, 'warning'],
        ['mobile.push', {EmailSettings: {SendPushNotifications: true, PushNotificationServer: ''}}, 'error'],
        ['mobile.push', {EmailSettings: {SendPushNotifications: true, PushNotificationServer: 'https://push-test.mattermost.com'}}, 'info'],
        ['mobile.push', {EmailSettings: {SendPushNotifications: true, PushNotificationServer: 'https://push.bank.example'}}, 'ok'],
        ['branding.site-name', {TeamSettings: {SiteName: 'Mattermost'}}, 'info'],
        ['branding.site-name', {TeamSettings: {SiteName: 'BankChat'}}, 'ok'],
        ['auth.mfa', {ServiceSettings: {EnableMultifactorAuthentication: false}}, 'warning'],
        ['auth.mfa', {ServiceSettings: {EnableMultifactorAuthentication: true, EnforceMultifactorAuthentication: true}}, 'ok'],
        ['auth.password-policy', {PasswordSettings: {MinimumLength: 8, Lowercase: true}}, 'warning'],
        ['auth.password-policy', {PasswordSettings: {MinimumLength: 12, Lowercase: true, Number: true}}, 'ok'],
        ['session.lengths', {ServiceSettings: {SessionLengthWebInHours: 720, SessionLengthMobileInHours: 720}}, 'info'],
        ['session.lengths', {ServiceSettings: {SessionLengthWebInHours: 2000, SessionLengthMobileInHours: 720}}, 'warning'],
        ['security.plugin-uploads', {PluginSettings: {EnableUploads: true}}, 'warning'],
        ['security.plugin-uploads', {PluginSettings: {EnableUploads: false, RequirePluginSignature: true}}, 'ok'],
        ['files.storage', {FileSettings: {DriverName: 'amazons3', AmazonS3Bucket: 'mm'}}, 'ok'],
        ['files.storage', {FileSettings: {DriverName: ''}}, 'error'],
        ['users.open-server', {TeamSettings: {EnableOpenServer: true}}, 'warning'],
        ['users.open-server', {TeamSettings: {EnableOpenServer: false}}, 'ok'],
        ['support.help-link', {SupportSettings: {HelpLink: 'https://mattermost.com/default-help/'}}, 'warning'],
        ['support.help-link', {SupportSettings: {HelpLink: 'https://helpdesk.bank.example'}}, 'ok'],
        ['support.email', {SupportSettings: {SupportEmail: 'feedback@mattermost.com'}}, 'warning'],
        ['integrations.webhooks', {ServiceSettings: {EnableIncomingWebhooks: true, EnableOutgoingWebhooks: true}}, 'ok'],
    ])('%s with %j is %s (unlicensed)', (id, config, expected) => {
        expect(statusOf(id, config)).toBe(expected);
    });

    test.each([
        ['ldap.enabled', {LdapSettings: {Enable: true}}, 'ok'],
        ['ldap.sync', {LdapSettings: {Enable: true, EnableSync: false}}, 'warning'],
        ['ldap.sync-interval', {LdapSettings: {Enable: true, MaxPageSize: 0}}, 'warning'],
        ['ldap.sync-interval', {LdapSettings: {Enable: true, MaxPageSize: 1500, SyncIntervalMinutes: 60}}, 'ok'],
        ['ha.cluster', {ClusterSettings: {Enable: true}}, 'ok'],
        ['ha.shared-storage', {ClusterSettings: {Enable: true}, FileSettings: {DriverName: 'local'}}, 'warning'],
        ['ha.config-in-db', {ClusterSettings: {Enable: true, ReadOnlyConfig: true}}, 'warning'],
        ['observability.metrics', {MetricsSettings: {Enable: false}}, 'warning'],
        ['compliance.data-retention', {DataRetentionSettings: {EnableMessageDeletion: true}}, 'ok'],
        ['compliance.export', {MessageExportSettings: {EnableExport: true}}, 'ok'],
        ['roles.guest-accounts', {GuestAccountsSettings: {Enable: true, RestrictCreationToDomains: ''}}, 'warning'],
        ['support.banner', {AnnouncementSettings: {EnableBanner: true}}, 'ok'],
    ])('%s with %j is %s (licensed)', (id, config, expected) => {
        expect(statusOf(id, config, {license: fullLicense})).toBe(expected);
    });

    test('licensed features on an unlicensed server need a license instead of failing', () => {
        expect(statusOf('ha.cluster', {ClusterSettings: {Enable: false}}, {stats: {total_users: 5000, total_posts: 0}})).toBe(
            'needs_license',
        );
        expect(
            statusOf(
                'ha.cluster',
                {ClusterSettings: {Enable: false}},
                {license: fullLicense, stats: {total_users: 5000, total_posts: 0}},
            ),
        ).toBe('warning');
    });

    test('search follows the documented thresholds', () => {
        const licensed = {license: fullLicense};
        expect(statusOf('search.elasticsearch', {}, {...licensed, stats: {total_users: 100, total_posts: 1000}})).toBe('ok');
        expect(statusOf('search.elasticsearch', {}, {...licensed, stats: {total_users: 600, total_posts: 1000}})).toBe('warning');
        expect(statusOf('search.elasticsearch', {}, {...licensed, stats: {total_users: 100, total_posts: 6_000_000}})).toBe('error');
        expect(
            statusOf(
                'search.elasticsearch',
                {ElasticsearchSettings: {EnableIndexing: true, EnableSearching: true}},
                {...licensed, stats: {total_users: 100, total_posts: 6_000_000}},
            ),
        ).toBe('ok');
    });

    test('license expiry: ok, warning under 30 days, error under 7 and when expired', () => {
        const expiring = (days: number) => ({license: {...fullLicense, expires_at: NOW + (days * DAY) + 1000}});
        expect(statusOf('license.expiry', {}, expiring(90))).toBe('ok');
        expect(statusOf('license.expiry', {}, expiring(20))).toBe('warning');
        expect(statusOf('license.expiry', {}, expiring(3))).toBe('error');
        expect(statusOf('license.expiry', {}, expiring(-2))).toBe('error');
    });

    test('server version currency', () => {
        expect(compareVersions('10.11.0', '10.9.3')).toBe(1);
        expect(compareVersions('11.4.0-rc1', '11.4.0')).toBe(0);
    });

    test('server version: "unknown", never "current", until the version probe learns the newest release from the server', () => {
        const version = (state: ProbeResult['state']): ProbeResult => ({
            id: 'version',
            title: 'Server version',
            state,
            summary: `probe ${state}`,
            facts: [],
            calls: [],
            checks: state === 'passed' || state === 'warning' ? ['server.version'] : [],
            probed_at: NOW,
            probed_by: {user_id: 'a'.repeat(26), username: 'admin'},
            needs_admin: true,
        });
        const result = (probes: ProbeResult[]) => runChecks(input({}, {probes})).find((r) => r.id === 'server.version')!;
        expect(result([])).toMatchObject({status: 'info', verification: 'configured'});
        expect(result([]).explanation).toContain('unknown');
        expect(result([version('unknown')])).toMatchObject({status: 'info', verification: 'configured'});
        expect(result([version('passed')])).toMatchObject({
            status: 'ok',
            verification: 'probe',
            probe: {id: 'version', probed_by: 'admin'},
        });
        expect(result([version('warning')])).toMatchObject({status: 'warning', verification: 'probe'});
    });

    test('score weighs statuses like Workspace Optimization and leaves out licence-gated checks', () => {
        const base = {
            phase: 'p',
            title: 't',
            explanation: '',
            console_path: '/admin_console/x',
            verification: 'configured' as const,
            probe: null,
        };
        expect(score([{...base, id: 'a', status: 'ok', impact: 10}, {...base, id: 'b', status: 'error', impact: 10}])).toBe(50);
        expect(score([{...base, id: 'a', status: 'info', impact: 10}, {...base, id: 'b', status: 'warning', impact: 10}])).toBe(37);
        expect(score([{...base, id: 'a', status: 'ok', impact: 10}, {...base, id: 'b', status: 'needs_license', impact: 90}])).toBe(100);
    });
});
