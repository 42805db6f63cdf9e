// Readiness checks: pure functions of what the server reports about itself. Each verifies a task
// of the default plan (assets/plan/default-plan.json refers to these ids). Statuses and the score
// follow Mattermost's Workspace Optimization dashboard (ok 1, info 0.5, warning 0.25, error 0),
// with "needs_license" for licensed features on a server without that license: never the admin's fault.
import type {LoadTestVerdict} from 'contract/loadtest';
import {CONCLUSIVE_PROBE_STATES, type ProbeResult} from 'contract/probes';
import type {CheckResult, CheckStatus} from 'contract/readiness';

import type {ServerLicense} from '../host/bindings.gen';
import {LOAD_TEST_CHECK, loadTestCheckVerdict} from '../loadtest/check';

export interface ReadinessInput {
    /** The unsanitized config: read on the server only, never sent to the browser. */
    config: Record<string, any>;
    license: ServerLicense | null;
    serverVersion: string;
    stats: {total_users: number; total_posts: number};
    now: number;

    /** The live probes' cached answers (probes/runner.ts); a check they name rests on them. */
    probes: ProbeResult[];

    /** The newest load-test run against the sizing target (loadtest/store.ts); absent = not known. */
    loadTest?: LoadTestVerdict;
}

interface Verdict {
    status: CheckStatus;
    explanation: string;

    /** Measured checks only: the day of the measurement. */
    measured_on?: string;
}

interface CheckDefinition {
    id: string;
    phase: string;
    title: string;
    console_path: string;
    impact: number;

    /** License feature (model.Features JSON key) the setting depends on, if any. */
    feature?: string;

    /** The verdict rests on an uploaded measurement (evidence), not on settings a probe could back. */
    measured?: true;
    evaluate: (input: ReadinessInput) => Verdict;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const ok = (explanation: string): Verdict => ({status: 'ok', explanation});
const info = (explanation: string): Verdict => ({status: 'info', explanation});
const warning = (explanation: string): Verdict => ({status: 'warning', explanation});
const error = (explanation: string): Verdict => ({status: 'error', explanation});

function setting(config: Record<string, any>, path: string): any {
    return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), config as any);
}

function isOn(config: Record<string, any>, path: string): boolean {
    return setting(config, path) === true;
}

function text(config: Record<string, any>, path: string): string {
    const value = setting(config, path);
    return typeof value === 'string' ? value.trim() : '';
}

function hasFeature(license: ServerLicense | null, feature: string): boolean {
    const value = license?.features?.[feature];
    return value === true || (typeof value === 'number' && value > 0);
}

export {compareVersions} from './versions';

const DEFAULT_HELP_LINK = 'https://mattermost.com/default-help/';
const DEFAULT_SUPPORT_EMAIL = 'feedback@mattermost.com';
const DEFAULT_TERMS_LINK = 'https://mattermost.com/terms-of-use/';

export const CHECKS: CheckDefinition[] = [
    {
        id: 'site.url',
        phase: 'pilot',
        title: 'Site URL is set',
        console_path: '/admin_console/environment/web_server',
        impact: 12,
        evaluate: ({config}) =>
            (text(config, 'ServiceSettings.SiteURL') ?
                ok(`Site URL is ${text(config, 'ServiceSettings.SiteURL')}.`) :
                error('No Site URL is set: links in emails, notifications and integrations will be broken.')),
    },
    {
        id: 'site.https',
        phase: 'pilot',
        title: 'Site is served over HTTPS',
        console_path: '/admin_console/environment/web_server',
        impact: 25,
        evaluate: ({config}) => {
            const url = text(config, 'ServiceSettings.SiteURL');
            if (url.startsWith('https://')) {
                return ok('The Site URL uses HTTPS.');
            }
            return error(
                url ?
                    'The Site URL uses plain HTTP: sign-in and messages travel unencrypted.' :
                    'No Site URL is set, so HTTPS cannot be verified.',
            );
        },
    },
    {
        id: 'email.smtp',
        phase: 'rollout',
        title: 'SMTP server configured',
        console_path: '/admin_console/environment/smtp',
        impact: 10,
        evaluate: ({config}) => {
            const server = text(config, 'EmailSettings.SMTPServer');
            if (!server || server === 'localhost') {
                return warning(
                    'No SMTP server other than localhost is configured: invitations, password resets and notification emails ' +
                    'will not reach people.',
                );
            }
            return ok(`Email is sent through ${server}.`);
        },
    },
    {
        id: 'email.notifications',
        phase: 'rollout',
        title: 'Email notifications on',
        console_path: '/admin_console/site_config/notifications',
        impact: 6,
        evaluate: ({config}) =>
            (isOn(config, 'EmailSettings.SendEmailNotifications') ?
                ok('Email notifications are on.') :
                warning('Email notifications are off: people who are away miss mentions and direct messages.')),
    },
    {
        id: 'mobile.push',
        phase: 'mobile',
        title: 'Push notifications for mobile',
        console_path: '/admin_console/environment/push_notification_server',
        impact: 8,
        evaluate: ({config}) => {
            if (!isOn(config, 'EmailSettings.SendPushNotifications')) {
                return warning('Push notifications are off: mobile users will not be notified.');
            }
            const server = text(config, 'EmailSettings.PushNotificationServer');
            if (!server) {
                return error('Push notifications are on but no push notification server is set.');
            }
            if (server.includes('push-test.mattermost.com')) {
                return info(
                    'The test push notification service is used; it has no delivery guarantee. Use the hosted service ' +
                    '(licensed) or your own.',
                );
            }
            return ok(`Push notifications go through ${server}.`);
        },
    },
    {
        id: 'branding.site-name',
        phase: 'branding',
        title: 'Site name is your own',
        console_path: '/admin_console/site_config/customization',
        impact: 4,
        evaluate: ({config}) => {
            const name = text(config, 'TeamSettings.SiteName');
            return name && name !== 'Mattermost' ?
                ok(`The site is called "${name}".`) :
                info('The site still uses the default name "Mattermost".');
        },
    },
    {
        id: 'branding.custom-brand',
        phase: 'branding',
        title: 'Custom branding on the login screen',
        console_path: '/admin_console/site_config/customization',
        impact: 4,
        evaluate: ({config}) =>
            (isOn(config, 'TeamSettings.EnableCustomBrand') ?
                ok('Custom branding is shown on the login screen.') :
                info("Custom branding is off: the login screen shows Mattermost's default.")),
    },
    {
        id: 'ldap.enabled',
        phase: 'directory',
        title: 'AD/LDAP sign-in',
        console_path: '/admin_console/authentication/ldap',
        impact: 22,
        feature: 'ldap',
        evaluate: ({config, stats}) => {
            if (isOn(config, 'LdapSettings.Enable')) {
                return ok('AD/LDAP sign-in is enabled.');
            }
            if (isOn(config, 'SamlSettings.Enable')) {
                return info('SAML is enabled instead of AD/LDAP; directory groups and deactivation sync need AD/LDAP.');
            }
            return stats.total_users > 100 ?
                warning(`There are ${stats.total_users} users and no directory: accounts are managed by hand.`) :
                info('AD/LDAP is not enabled.');
        },
    },
    {
        id: 'ldap.sync',
        phase: 'directory',
        title: 'AD/LDAP synchronization on',
        console_path: '/admin_console/authentication/ldap',
        impact: 10,
        feature: 'ldap',
        evaluate: ({config}) => {
            if (!isOn(config, 'LdapSettings.Enable')) {
                return info('AD/LDAP is not enabled, so there is nothing to synchronize.');
            }
            return isOn(config, 'LdapSettings.EnableSync') ?
                ok('Users are synchronized from AD/LDAP.') :
                warning('AD/LDAP sign-in is on but synchronization is off: deactivated directory users keep their accounts.');
        },
    },
    {
        id: 'ldap.sync-interval',
        phase: 'directory',
        title: 'AD/LDAP sync interval and paging',
        console_path: '/admin_console/authentication/ldap',
        impact: 4,
        feature: 'ldap',
        evaluate: ({config}) => {
            if (!isOn(config, 'LdapSettings.Enable')) {
                return info('AD/LDAP is not enabled.');
            }
            const interval = Number(setting(config, 'LdapSettings.SyncIntervalMinutes') ?? 60);
            const pageSize = Number(setting(config, 'LdapSettings.MaxPageSize') ?? 0);
            if (pageSize === 0) {
                return warning(`Sync runs every ${interval} minutes without paging; large directories should page (1500 is recommended).`);
            }
            return ok(`Sync runs every ${interval} minutes with pages of ${pageSize}.`);
        },
    },
    {
        id: 'ldap.group-sync',
        phase: 'directory',
        title: 'AD/LDAP groups',
        console_path: '/admin_console/user_management/groups',
        impact: 8,
        feature: 'ldap_groups',
        evaluate: ({config}) => {
            if (!isOn(config, 'LdapSettings.Enable')) {
                return info('AD/LDAP is not enabled, so directory groups cannot be linked.');
            }
            return text(config, 'LdapSettings.GroupFilter') ?
                ok('A group filter is set: directory groups can be linked to teams and channels.') :
                info('No group filter is set; the default one is used. Link groups under User Management > Groups.');
        },
    },
    {
        id: 'auth.saml',
        phase: 'directory',
        title: 'Single sign-on (SAML)',
        console_path: '/admin_console/authentication/saml',
        impact: 6,
        feature: 'saml',
        evaluate: ({config}) =>
            (isOn(config, 'SamlSettings.Enable') ? ok('SAML single sign-on is enabled.') : info('SAML single sign-on is not enabled.')),
    },
    {
        id: 'auth.mfa',
        phase: 'pilot',
        title: 'Multi-factor authentication',
        console_path: '/admin_console/authentication/mfa',
        impact: 10,
        evaluate: ({config, license}) => {
            if (!isOn(config, 'ServiceSettings.EnableMultifactorAuthentication')) {
                return warning('Multi-factor authentication is not available to users.');
            }
            if (isOn(config, 'ServiceSettings.EnforceMultifactorAuthentication')) {
                return ok('Multi-factor authentication is enforced.');
            }
            return hasFeature(license, 'mfa') ?
                info('Multi-factor authentication is available but not enforced.') :
                info('Multi-factor authentication is available; enforcing it needs a license.');
        },
    },
    {
        id: 'auth.password-policy',
        phase: 'pilot',
        title: 'Password policy',
        console_path: '/admin_console/authentication/password',
        impact: 6,
        evaluate: ({config}) => {
            const length = Number(setting(config, 'PasswordSettings.MinimumLength') ?? 0);
            const classes = ['Lowercase', 'Uppercase', 'Number', 'Symbol'].filter((c) => isOn(config, `PasswordSettings.${c}`)).length;
            if (length >= 10 && classes >= 2) {
                return ok(`Passwords need ${length} characters and ${classes} character classes.`);
            }
            return warning(
                `Passwords need only ${length} characters and ${classes} character classes; 10 characters and 2 classes is a ` +
                'sensible floor.',
            );
        },
    },
    {
        id: 'session.lengths',
        phase: 'scale-security',
        title: 'Session lengths',
        console_path: '/admin_console/environment/session_lengths',
        impact: 8,
        evaluate: ({config}) => {
            const web = Number(setting(config, 'ServiceSettings.SessionLengthWebInHours') ?? 720);
            const mobile = Number(setting(config, 'ServiceSettings.SessionLengthMobileInHours') ?? 720);
            if (web > 720 || mobile > 2160) {
                return warning(`Sessions last ${web} hours on the web and ${mobile} on mobile; long sessions outlive people leaving.`);
            }
            return web === 720 && mobile === 720 ?
                info('Session lengths are the defaults (30 days); check they match your security policy.') :
                ok(`Sessions last ${web} hours on the web and ${mobile} on mobile.`);
        },
    },
    {
        id: 'ha.cluster',
        phase: 'pilot',
        title: 'High availability cluster',
        console_path: '/admin_console/environment/high_availability',
        impact: 10,
        feature: 'cluster',
        evaluate: ({config, stats}) => {
            if (isOn(config, 'ClusterSettings.Enable')) {
                return ok(
                    'Clustering is on' +
                    `${text(config, 'ClusterSettings.ClusterName') ? ` (cluster "${text(config, 'ClusterSettings.ClusterName')}")` : ''}.`,
                );
            }
            return stats.total_users > 2000 ?
                warning(`${stats.total_users} users run on a single node: one failure stops the service.`) :
                info('Clustering is off; plan it before production if downtime matters.');
        },
    },
    {
        id: 'ha.shared-storage',
        phase: 'pilot',
        title: 'Shared file storage for the cluster',
        console_path: '/admin_console/environment/file_storage',
        impact: 10,
        evaluate: ({config}) => {
            const driver = text(config, 'FileSettings.DriverName');
            if (!isOn(config, 'ClusterSettings.Enable')) {
                return info('Clustering is off, so shared storage is not required yet.');
            }
            return driver === 'amazons3' ?
                ok('Files are on S3-compatible storage shared by all nodes.') :
                warning(
                    'The cluster stores files on local disk: every node must mount the same network share, or files will go missing.',
                );
        },
    },
    {
        id: 'ha.config-in-db',
        phase: 'pilot',
        title: 'Configuration shared by the cluster',
        console_path: '/admin_console/environment/high_availability',
        impact: 4,
        evaluate: ({config}) => {
            if (!isOn(config, 'ClusterSettings.Enable')) {
                return info('Clustering is off.');
            }
            return isOn(config, 'ClusterSettings.ReadOnlyConfig') ?
                warning(
                    'The cluster reads config.json and the System Console is read-only; keeping the configuration in the ' +
                    'database is recommended.',
                ) :
                ok(
                    'The configuration can be edited from the System Console; keep it in the database so every node sees the same.',
                );
        },
    },
    {
        id: 'db.read-replicas',
        phase: 'scale-security',
        title: 'Database read replicas',
        console_path: '/admin_console/environment/database',
        impact: 6,
        evaluate: ({config, stats}) => {
            const replicas = (setting(config, 'SqlSettings.DataSourceReplicas') ?? []) as unknown[];
            if (replicas.length > 0) {
                return ok(`${replicas.length} read replica(s) configured.`);
            }
            return stats.total_users > 2000 ?
                warning('No read replica: the reference architectures use one from 2,000 concurrent users.') :
                info('No read replica is configured; they are recommended from 2,000 concurrent users.');
        },
    },
    {
        id: 'observability.metrics',
        phase: 'scale-security',
        title: 'Performance monitoring (Prometheus)',
        console_path: '/admin_console/environment/performance_monitoring',
        impact: 8,
        feature: 'metrics',
        evaluate: ({config}) =>
            (isOn(config, 'MetricsSettings.Enable') ?
                ok(`Metrics are exported on ${text(config, 'MetricsSettings.ListenAddress') || ':8067'}.`) :
                warning('Performance monitoring is off: load during the pilot and roll-out cannot be watched.')),
    },
    {
        id: 'search.elasticsearch',
        phase: 'planning',
        title: 'Search at scale (Elasticsearch/OpenSearch)',
        console_path: '/admin_console/environment/elasticsearch',
        impact: 20,
        feature: 'elastic_search',
        evaluate: ({config, stats}) => {
            const enabled = isOn(config, 'ElasticsearchSettings.EnableIndexing') && isOn(config, 'ElasticsearchSettings.EnableSearching');
            if (enabled) {
                return ok('Indexing and searching use Elasticsearch/OpenSearch.');
            }
            if (stats.total_posts > 5_000_000) {
                return error(`${stats.total_posts} posts: above 5 million posts a search cluster is required.`);
            }
            if (stats.total_posts >= 2_000_000 || stats.total_users >= 500) {
                return warning(
                    `${stats.total_users} users and ${stats.total_posts} posts: database search slows down from 500 users or 2 ` +
                    'million posts.',
                );
            }
            return ok('Database search is enough at this size (under 500 users and 2 million posts).');
        },
    },
    {
        id: 'compliance.data-retention',
        phase: 'pilot',
        title: 'Data retention policy',
        console_path: '/admin_console/compliance/data_retention_settings',
        impact: 16,
        feature: 'data_retention',
        evaluate: ({config}) =>
            (isOn(config, 'DataRetentionSettings.EnableMessageDeletion') || isOn(config, 'DataRetentionSettings.EnableFileDeletion') ?
                ok('A data retention policy deletes old messages or files.') :
                info('Messages and files are kept forever; check this matches your retention policy.')),
    },
    {
        id: 'compliance.export',
        phase: 'pilot',
        title: 'Compliance export',
        console_path: '/admin_console/compliance/export',
        impact: 6,
        feature: 'message_export',
        evaluate: ({config}) =>
            (isOn(config, 'MessageExportSettings.EnableExport') ?
                ok(`Compliance export runs daily (${text(config, 'MessageExportSettings.ExportFormat') || 'default format'}).`) :
                info('Compliance export is off.')),
    },
    {
        id: 'security.rate-limit',
        phase: 'scale-security',
        title: 'API rate limiting',
        console_path: '/admin_console/environment/rate_limiting',
        impact: 6,
        evaluate: ({config}) =>
            (isOn(config, 'RateLimitSettings.Enable') ?
                ok(`Rate limiting allows ${setting(config, 'RateLimitSettings.PerSec')} requests per second.`) :
                info('Rate limiting is off; turn it on unless a proxy in front already limits requests.')),
    },
    {
        id: 'security.plugin-uploads',
        phase: 'scale-security',
        title: 'Plugin uploads and signatures',
        console_path: '/admin_console/plugins/plugin_management',
        impact: 6,
        evaluate: ({config}) => {
            if (isOn(config, 'PluginSettings.EnableUploads')) {
                return warning('Plugin uploads are on: anyone with admin access can run code on the server. Turn them off in production.');
            }
            return isOn(config, 'PluginSettings.RequirePluginSignature') ?
                ok('Plugin uploads are off and plugins must be signed.') :
                info('Plugin uploads are off; requiring plugin signatures would add another guard.');
        },
    },
    {
        id: 'files.storage',
        phase: 'pilot',
        title: 'File storage',
        console_path: '/admin_console/environment/file_storage',
        impact: 10,
        evaluate: ({config}) => {
            const driver = text(config, 'FileSettings.DriverName');
            if (driver === 'amazons3') {
                return ok(`Files are stored in bucket "${text(config, 'FileSettings.AmazonS3Bucket')}".`);
            }
            return driver === 'local' ?
                info(
                    `Files are on local disk at ${text(config, 'FileSettings.Directory') || './data/'}; back it up and plan ` +
                    'shared storage before clustering.',
                ) :
                error('No file storage driver is configured.');
        },
    },
    {
        id: 'roles.guest-accounts',
        phase: 'roles',
        title: 'Guest accounts policy',
        console_path: '/admin_console/authentication/guest_access',
        impact: 6,
        feature: 'guest_accounts',
        evaluate: ({config}) => {
            if (!isOn(config, 'GuestAccountsSettings.Enable')) {
                return ok('Guest accounts are off.');
            }
            return text(config, 'GuestAccountsSettings.RestrictCreationToDomains') ?
                ok(`Guests may be invited from ${text(config, 'GuestAccountsSettings.RestrictCreationToDomains')}.`) :
                warning('Guest accounts are on and may be invited from any email domain.');
        },
    },
    {
        id: 'users.open-server',
        phase: 'rollout',
        title: 'Who can create accounts',
        console_path: '/admin_console/authentication/signup',
        impact: 8,
        evaluate: ({config}) => {
            if (!isOn(config, 'TeamSettings.EnableOpenServer')) {
                return ok('Accounts are created by invitation, directory or single sign-on only.');
            }
            return text(config, 'TeamSettings.RestrictCreationToDomains') ?
                info(`Anyone with an address at ${text(config, 'TeamSettings.RestrictCreationToDomains')} can sign up.`) :
                warning('Open server: anyone who can reach the site can create an account.');
        },
    },
    {
        id: 'users.email-verification',
        phase: 'rollout',
        title: 'Email verification',
        console_path: '/admin_console/authentication/email',
        impact: 4,
        evaluate: ({config}) =>
            (isOn(config, 'EmailSettings.RequireEmailVerification') || !isOn(config, 'EmailSettings.EnableSignUpWithEmail') ?
                ok('Email sign-up is off or requires verification.') :
                warning('People can sign up with an email address without verifying it.')),
    },
    {
        id: 'integrations.bots',
        phase: 'integrations',
        title: 'Bot accounts for integrations',
        console_path: '/admin_console/integrations/bot_accounts',
        impact: 4,
        evaluate: ({config}) =>
            (isOn(config, 'ServiceSettings.EnableBotAccountCreation') ?
                ok('Bot accounts can be created for integrations.') :
                info('Bot account creation is off; integrations would need real user accounts.')),
    },
    {
        id: 'integrations.tokens',
        phase: 'integrations',
        title: 'Personal access tokens',
        console_path: '/admin_console/integrations/integration_management',
        impact: 4,
        evaluate: ({config}) =>
            (isOn(config, 'ServiceSettings.EnableUserAccessTokens') ?
                ok('Personal access tokens are available for integrations.') :
                info('Personal access tokens are off; API integrations must sign in with a password.')),
    },
    {
        id: 'integrations.webhooks',
        phase: 'integrations',
        title: 'Webhooks',
        console_path: '/admin_console/integrations/integration_management',
        impact: 4,
        evaluate: ({config}) => {
            const incoming = isOn(config, 'ServiceSettings.EnableIncomingWebhooks');
            const outgoing = isOn(config, 'ServiceSettings.EnableOutgoingWebhooks');
            if (incoming && outgoing) {
                return ok('Incoming and outgoing webhooks are on.');
            }
            return info(`Webhooks: incoming ${incoming ? 'on' : 'off'}, outgoing ${outgoing ? 'on' : 'off'}.`);
        },
    },
    {
        id: 'support.banner',
        phase: 'helpdesk',
        title: 'Announcement banner',
        console_path: '/admin_console/site_config/announcement_banner',
        impact: 2,
        feature: 'announcement',
        evaluate: ({config}) =>
            (isOn(config, 'AnnouncementSettings.EnableBanner') ?
                ok('An announcement banner is shown.') :
                info('No announcement banner; it is a good place for roll-out news.')),
    },
    {
        id: 'support.help-link',
        phase: 'helpdesk',
        title: 'Help link points to your help desk',
        console_path: '/admin_console/site_config/customization',
        impact: 6,
        evaluate: ({config}) => {
            const link = text(config, 'SupportSettings.HelpLink');
            return link && link !== DEFAULT_HELP_LINK ?
                ok(`Help goes to ${link}.`) :
                warning("The help link still points to Mattermost's default help.");
        },
    },
    {
        id: 'support.email',
        phase: 'helpdesk',
        title: 'Support email is your help desk',
        console_path: '/admin_console/site_config/notifications',
        impact: 6,
        evaluate: ({config}) => {
            const email = text(config, 'SupportSettings.SupportEmail');
            return email && email !== DEFAULT_SUPPORT_EMAIL ?
                ok(`Support email is ${email}.`) :
                warning("The support email is still Mattermost's default address.");
        },
    },
    {
        id: 'support.terms',
        phase: 'helpdesk',
        title: 'Terms of service',
        console_path: '/admin_console/compliance/custom_terms_of_service',
        impact: 2,
        evaluate: ({config}) => {
            if (isOn(config, 'SupportSettings.CustomTermsOfServiceEnabled')) {
                return ok('Users accept custom terms of service.');
            }
            const link = text(config, 'SupportSettings.TermsOfServiceLink');
            return link && link !== DEFAULT_TERMS_LINK ?
                ok(`Terms of service link to ${link}.`) :
                info("The terms of service link is Mattermost's default.");
        },
    },
    {
        id: 'license.present',
        phase: 'pilot',
        title: 'License',
        console_path: '/admin_console/about/license',
        impact: 10,
        evaluate: ({license}) =>
            (license ?
                ok(`Licensed${license.sku_short_name ? ` (${license.sku_short_name})` : ''}${license.is_trial ? ', trial' : ''}.`) :
                info('No license: enterprise features (directory groups, clustering, compliance) are unavailable.')),
    },
    {
        id: 'license.expiry',
        phase: 'pilot',
        title: 'License not near expiry',
        console_path: '/admin_console/about/license',
        impact: 10,
        evaluate: ({license, now}) => {
            if (!license) {
                return info('No license to expire.');
            }
            const days = Math.floor((license.expires_at - now) / DAY_MS);
            if (days < 0) {
                return error('The license has expired.');
            }
            if (days < 7) {
                return error(`The license expires in ${days} day(s).`);
            }
            return days < 30 ? warning(`The license expires in ${days} days.`) : ok(`The license is valid for ${days} more days.`);
        },
    },
    {
        id: 'server.version',
        phase: 'scale-security',
        title: 'Server version is current',
        console_path: '/admin_console/about/license',
        impact: 15,

        // No release list is built in (it would be wrong within a month): the newest version is the one
        // the server itself learnt (the version probe), and "unknown" until a probe has asked.
        evaluate: ({serverVersion, probes}) => {
            const probe = probes.find((p) => p.id === 'version');
            if (!probe || !CONCLUSIVE_PROBE_STATES.includes(probe.state)) {
                return info(`Version ${serverVersion} runs; the newest release is unknown until the version probe asks the server.`);
            }
            return probe.state === 'passed' ? ok(`Version ${serverVersion} runs.`) : info(`Version ${serverVersion} runs.`);
        },
    },

    // Measured, not configured: the loadtest capability's uploaded runs against the sizing target.
    {...LOAD_TEST_CHECK, evaluate: ({loadTest}) => loadTestCheckVerdict(loadTest)},
];

const MODIFIER: Record<CheckStatus, number> = {ok: 1, info: 0.5, warning: 0.25, error: 0, needs_license: 0};

export function runChecks(input: ReadinessInput): CheckResult[] {
    return CHECKS.map((check) => {
        const {evaluate, feature, measured, ...described} = check;
        if (feature && !hasFeature(input.license, feature)) {
            return {
                ...described,
                status: 'needs_license' as const,
                explanation: 'This needs a Mattermost license with this feature; it does not count against the score.',
                verification: 'configured' as const,
                probe: null,
            };
        }
        if (measured) {
            return {...described, ...evaluate(input), verification: 'evidence' as const, probe: null};
        }
        return {...described, ...withProbes(check.id, evaluate(input), input.probes)};
    });
}

const RANK: Record<CheckStatus, number> = {error: 0, warning: 1, info: 2, needs_license: 3, ok: 4};

/**
 * A check that a live probe answered rests on that answer: a failed probe makes it an error whatever
 * the settings say (a failing probe never passes a task), a warning caps it at warning, and a pass
 * marks an ok check as verified by the probe. Without a conclusive answer the check rests on the
 * settings alone ("configured").
 */
export function withProbes(
    checkId: string,
    verdict: Verdict,
    probes: ProbeResult[],
): Verdict & Pick<CheckResult, 'verification' | 'probe'> {
    const mine = probes.filter((p) => p.checks.includes(checkId) && CONCLUSIVE_PROBE_STATES.includes(p.state));
    if (mine.length === 0) {
        return {...verdict, verification: 'configured', probe: null};
    }
    const worst = [...mine].sort((a, b) => CONCLUSIVE_PROBE_STATES.indexOf(b.state) - CONCLUSIVE_PROBE_STATES.indexOf(a.state))[0];
    const probe = {id: worst.id, state: worst.state, probed_at: worst.probed_at, probed_by: worst.probed_by?.username ?? null};
    if (worst.state === 'failed') {
        return {status: 'error', explanation: `Live probe: ${worst.summary}`, verification: 'probe', probe};
    }
    if (worst.state === 'warning') {
        const status = RANK[verdict.status] < RANK.warning ? verdict.status : 'warning';
        return {status, explanation: `${verdict.explanation} Live probe: ${worst.summary}`, verification: 'probe', probe};
    }
    return verdict.status === 'ok' ?
        {...verdict, explanation: `${verdict.explanation} Live probe: ${worst.summary}`, verification: 'probe', probe} :
        {...verdict, verification: 'configured', probe};
}

/** Workspace Optimization's score: floor(Σ impact·modifier / Σ impact × 100), licence-gated checks left out. */
export function score(results: CheckResult[]): number {
    const counted = results.filter((r) => r.status !== 'needs_license');
    const total = counted.reduce((sum, r) => sum + r.impact, 0);
    if (total === 0) {
        return 100;
    }
    return Math.floor((counted.reduce((sum, r) => sum + (r.impact * MODIFIER[r.status]), 0) / total) * 100);
}
