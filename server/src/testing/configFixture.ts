import type {ServerConfig} from '../mattermost/api';

// A production-like server config full of secrets, for the readiness and config-snapshot tests.
// Every secret value contains "SECRET" so a test can search any output for a leak.

export function unsanitizedConfig(): ServerConfig {
    return {
        ServiceSettings: {
            SiteURL: 'https://chat.bank.example',
            ListenAddress: ':8065',
            EnableUserAccessTokens: true,
            EnableMultifactorAuthentication: true,
            EnforceMultifactorAuthentication: false,
            SessionLengthWebInHours: 720,
            SplitKey: 'SECRET-split-key',
            GoogleDeveloperKey: 'SECRET-google-key',
            TLSKeyFile: '/etc/SECRET/tls.key',
            AllowCorsFrom: '',
        },
        TeamSettings: {SiteName: 'Bank Chat', EnableOpenServer: false, RestrictCreationToDomains: 'bank.example'},
        SqlSettings: {
            DriverName: 'postgres',
            DataSource: 'postgres://mmuser:SECRET-db-password@db.bank.example:5432/mattermost?sslmode=require',
            DataSourceReplicas: ['postgres://mmuser:SECRET-replica@replica1/mattermost'],
            DataSourceSearchReplicas: [],
            ReplicaLagSettings: [{DataSource: 'postgres://lag:SECRET-lag@replica1/mattermost', QueryAbsoluteLag: 'select 1'}],
            AtRestEncryptKey: 'SECRET-at-rest',
            MaxOpenConns: 300,
        },
        PasswordSettings: {MinimumLength: 14, Lowercase: true, Number: true, Uppercase: true, Symbol: true},
        FileSettings: {
            DriverName: 'amazons3',
            Directory: './data/',
            AmazonS3Bucket: 'bank-chat-files',
            AmazonS3AccessKeyId: 'AKIASECRETACCESSKEYID',
            AmazonS3SecretAccessKey: 'SECRET-s3-secret',
            AmazonS3Endpoint: 's3.eu-central-1.amazonaws.com',
            PublicLinkSalt: 'SECRET-public-link-salt',
            MaxFileSize: 104857600,
        },
        EmailSettings: {
            SMTPServer: 'smtp.bank.example',
            SMTPPort: '587',
            SMTPUsername: 'mattermost',
            SMTPPassword: 'SECRET-smtp-password',
            SendEmailNotifications: true,
            SendPushNotifications: true,
            PushNotificationServer: 'https://push.mattermost.com',
            RequireEmailVerification: true,
            EnableSignUpWithEmail: false,
        },
        GitLabSettings: {Enable: false, Id: 'gitlab-app-id', Secret: 'SECRET-gitlab'},
        LdapSettings: {
            Enable: true,
            EnableSync: true,
            LdapServer: 'ldap.bank.example',
            BindUsername: 'cn=mattermost,ou=svc,dc=bank,dc=example',
            BindPassword: 'SECRET-ldap-bind',
            SyncIntervalMinutes: 60,
            MaxPageSize: 500,
            GroupFilter: '(objectClass=group)',
            PrivateKeyFile: 'SECRET-ldap-private.key',
            PublicCertificateFile: 'SECRET-ldap-cert.crt',
        },
        SamlSettings: {Enable: false, PrivateKeyFile: 'SECRET-saml.key', PublicCertificateFile: 'SECRET-saml.crt', IdpURL: ''},
        ClusterSettings: {Enable: true, ClusterName: 'prod', ReadOnlyConfig: true},
        MetricsSettings: {Enable: true, ListenAddress: ':8067'},
        ElasticsearchSettings: {
            ConnectionURL: 'https://elastic:SECRET-es-url-password@es.bank.example:9200',
            Username: 'elastic',
            Password: 'SECRET-es-password',
            ClientKey: 'SECRET-es-client.key',
            EnableIndexing: true,
            EnableSearching: true,
        },
        DataRetentionSettings: {EnableMessageDeletion: false, EnableFileDeletion: false},
        MessageExportSettings: {
            EnableExport: true,
            ExportFormat: 'globalrelay',
            GlobalRelaySettings: {SMTPUsername: 'gr', SMTPPassword: 'SECRET-globalrelay', EmailAddress: 'archive@bank.example'},
        },
        RateLimitSettings: {Enable: true, PerSec: 10},
        PluginSettings: {
            Enable: true,
            EnableUploads: false,
            RequirePluginSignature: true,
            Plugins: {'com.example.jira': {webhooksecret: 'SECRET-plugin-webhook', apitoken: 'SECRET-plugin-token'}},
            PluginStates: {'onboarding-cockpit': {Enable: true}},
        },
        GuestAccountsSettings: {Enable: false, RestrictCreationToDomains: ''},
        AnnouncementSettings: {EnableBanner: false, BannerColor: '#f2a93b', BannerTextColor: '#333333', AllowBannerDismissal: true},
        SupportSettings: {
            HelpLink: 'https://help.bank.example',
            SupportEmail: 'it@bank.example',
            TermsOfServiceLink: 'https://bank.example/tos',
            CustomTermsOfServiceEnabled: false,
        },
        ImageProxySettings: {
            Enable: true,
            ImageProxyType: 'atmos/camo',
            RemoteImageProxyURL: 'https://camo.bank.example',
            RemoteImageProxyOptions: 'SECRET-camo-key',
        },
        LogSettings: {EnableConsole: true, AdvancedLoggingJSON: {syslog: {Type: 'syslog', Options: {Password: 'SECRET-syslog'}}}},
        CacheSettings: {RedisPassword: 'SECRET-redis'},
        PrivacySettings: {ShowEmailAddress: false, ShowFullName: true},
        NativeAppSettings: {AppDownloadLink: 'https://mattermost.com/download/#mattermostApps'},
    };
}

/** Every secret string in the fixture: none of them may ever appear in an answer. */
export function fixtureSecrets(): string[] {
    const found: string[] = [];
    const walk = (value: unknown) => {
        if (typeof value === 'string') {
            const match = value.match(/[^\s:/@'"]*SECRET[^\s:/@'"]*/g);
            found.push(...(match ?? []));
        } else if (typeof value === 'object' && value !== null) {
            Object.values(value).forEach(walk);
        }
    };
    walk(unsanitizedConfig());
    return found;
}

/** What config.get() returns on a real server: model.Config.Sanitize() replaces secrets with this. */
export function sanitizedLikeServer(config: ServerConfig): ServerConfig {
    const copy: ServerConfig = JSON.parse(JSON.stringify(config));
    const fake = '********';
    const mask = (section: string, key: string) => {
        if (copy[section] && copy[section][key]) {
            copy[section][key] = fake;
        }
    };
    mask('LdapSettings', 'BindPassword');
    mask('FileSettings', 'PublicLinkSalt');
    mask('FileSettings', 'AmazonS3SecretAccessKey');
    mask('EmailSettings', 'SMTPPassword');
    mask('GitLabSettings', 'Secret');
    mask('SqlSettings', 'DataSource');
    mask('SqlSettings', 'AtRestEncryptKey');
    mask('ElasticsearchSettings', 'Password');
    mask('ServiceSettings', 'SplitKey');
    mask('ImageProxySettings', 'RemoteImageProxyOptions');
    mask('CacheSettings', 'RedisPassword');
    copy.SqlSettings.DataSourceReplicas = copy.SqlSettings.DataSourceReplicas.map(() => fake);
    copy.SqlSettings.ReplicaLagSettings = copy.SqlSettings.ReplicaLagSettings.map((lag: object) => ({...lag, DataSource: fake}));
    copy.MessageExportSettings.GlobalRelaySettings.SMTPPassword = fake;
    copy.PluginSettings.Plugins = {};
    return copy;
}
