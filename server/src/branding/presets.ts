import type {PresetKind} from 'contract/branding';
import {sha256Hex, utf8Bytes} from 'contract/bytes';

// Managed-configuration files that pre-set this server in the Mattermost desktop and mobile apps.
// Every key name comes from the apps' own sources, cited next to it; none is made up here.

export interface PresetInput {
    siteUrl: string;
    siteName: string;
}

export interface PresetFile {
    filename: string;
    contentType: string;
    text: string;
}

/** Text for an XML element or attribute value: the five special characters escaped, control characters dropped. */
export function xmlEscape(value: string): string {
    return value.
        // eslint-disable-next-line no-control-regex -- XML 1.0 cannot carry these control characters, so they are matched to be dropped.
        replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').
        replace(/&/g, '&amp;').
        replace(/</g, '&lt;').
        replace(/>/g, '&gt;').
        replace(/"/g, '&quot;').
        replace(/'/g, '&apos;');
}

/**
 * A .reg string: regedit reads `"…"` with `\\` and `\"` as escapes. Line breaks cannot be written in
 * a REG_SZ literal, so they become spaces.
 */
export function regString(value: string): string {
    return `"${value.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A stable UUID (v4-shaped) from text, so the same server always gets the same profile identifiers. */
export function stableUuid(seed: string): string {
    const hex = sha256Hex(utf8Bytes(seed));
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/** A server name the apps show; falls back to the host of the URL. */
function displayName({siteName, siteUrl}: PresetInput): string {
    const name = siteName.trim();
    return name || siteUrl.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
}

function fileStem(input: PresetInput): string {
    return (displayName(input).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'mattermost').slice(0, 40);
}

/**
 * Windows (desktop app): registry values under HKLM\Software\Policies\Mattermost, what the Group
 * Policy template sets. Key names from mattermost/desktop:
 *   - resources/windows/gpo/mattermost.admx — policy "EnableServerManagement" (valueName
 *     EnableServerManagement, decimal 1/0) and "DefaultServerList" (list key
 *     Software\Policies\Mattermost\DefaultServerList, explicitValue: value name = server name, data = URL);
 *   - src/common/config/RegistryConfig.ts — reads DefaultServerList's values as {name, url} from HKLM
 *     and HKCU, and EnableServerManagement as a DWORD ("0x1" = on).
 */
function windowsReg(input: PresetInput): PresetFile {
    const lines = [
        'Windows Registry Editor Version 5.00',
        '',
        '; Mattermost desktop app: pre-sets the server below for every user of this computer.',
        '; Keys from mattermost/desktop resources/windows/gpo/mattermost.admx (Group Policy template).',
        '; Import with: reg import <this file>  (as administrator), or deploy the same values through Group Policy.',
        '',
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mattermost]',
        '; 1 = users may still add, edit and remove servers; 0 = only the servers listed below.',
        '"EnableServerManagement"=dword:00000001',
        '',
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mattermost\\DefaultServerList]',
        `${regString(displayName(input))}=${regString(input.siteUrl)}`,
        '',
    ];

    // regedit expects CRLF line endings.
    return {filename: `mattermost-desktop-${fileStem(input)}.reg`, contentType: 'text/plain; charset=utf-8', text: lines.join('\r\n')};
}

/**
 * macOS (desktop app): a configuration profile whose payload sets managed preferences in the app's
 * domain "Mattermost.Desktop" (its bundle id). Key names and value types from mattermost/desktop:
 *   - src/common/config/MDMConfig.ts — reads DefaultServerList (array of dicts {name, url}),
 *     EnableServerManagement (boolean) through CFPreferences;
 *   - resources/mac/mdm/example-managed-preferences.plist and resources/mac/mdm/README.md (the domain,
 *     installed as /Library/Managed Preferences/Mattermost.Desktop.plist).
 */
function macosMobileconfig(input: PresetInput): PresetFile {
    const name = xmlEscape(displayName(input));
    const url = xmlEscape(input.siteUrl);
    const profileUuid = stableUuid(`profile:${input.siteUrl}`);
    const payloadUuid = stableUuid(`payload:${input.siteUrl}`);
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Mattermost desktop app: pre-sets the server ${name}. Install through your MDM ` +
        `(or double-click and approve in System Settings > Privacy & Security > Profiles). -->
<!-- Keys from mattermost/desktop src/common/config/MDMConfig.ts (preference domain Mattermost.Desktop). -->
<plist version="1.0">
<dict>
\t<key>PayloadContent</key>
\t<array>
\t\t<dict>
\t\t\t<key>PayloadType</key>
\t\t\t<string>Mattermost.Desktop</string>
\t\t\t<key>PayloadVersion</key>
\t\t\t<integer>1</integer>
\t\t\t<key>PayloadIdentifier</key>
\t\t\t<string>com.mattermost.cockpit.desktop.${payloadUuid}</string>
\t\t\t<key>PayloadUUID</key>
\t\t\t<string>${payloadUuid}</string>
\t\t\t<key>PayloadDisplayName</key>
\t\t\t<string>Mattermost server</string>
\t\t\t<key>DefaultServerList</key>
\t\t\t<array>
\t\t\t\t<dict>
\t\t\t\t\t<key>name</key>
\t\t\t\t\t<string>${name}</string>
\t\t\t\t\t<key>url</key>
\t\t\t\t\t<string>${url}</string>
\t\t\t\t</dict>
\t\t\t</array>
\t\t\t<key>EnableServerManagement</key>
\t\t\t<true/>
\t\t</dict>
\t</array>
\t<key>PayloadDisplayName</key>
\t<string>Mattermost: ${name}</string>
\t<key>PayloadIdentifier</key>
\t<string>com.mattermost.cockpit.${profileUuid}</string>
\t<key>PayloadType</key>
\t<string>Configuration</string>
\t<key>PayloadUUID</key>
\t<string>${profileUuid}</string>
\t<key>PayloadVersion</key>
\t<integer>1</integer>
</dict>
</plist>
`;
    return {filename: `mattermost-desktop-${fileStem(input)}.mobileconfig`, contentType: 'application/x-apple-aspen-config', text};
}

/**
 * Mobile app keys, from mattermost/mattermost-mobile:
 *   - types/global/managed_config.d.ts — ManagedConfig: serverUrl, serverName, allowOtherServers
 *     (all strings; "true"/"false" for flags);
 *   - android/app/src/main/res/xml/app_restrictions.xml — the Android restrictions serverUrl and
 *     allowOtherServers (restrictionType "string").
 */
const mobileKeys = (input: PresetInput): Array<[string, string]> => [
    ['serverUrl', input.siteUrl],
    ['serverName', displayName(input)],
    ['allowOtherServers', 'true'],
];

/** iOS: the AppConfig dictionary an EMM pastes as the app's managed configuration (plist XML). */
function iosAppConfig(input: PresetInput): PresetFile {
    const entries = mobileKeys(input).map(([key, value]) => `\t<key>${key}</key>\n\t<string>${xmlEscape(value)}</string>`).join('\n');
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Mattermost mobile (iOS): managed app configuration. In your EMM, add the Mattermost app ` +
        `and paste this dictionary as its app configuration (XML). -->
<!-- Keys from mattermost/mattermost-mobile types/global/managed_config.d.ts. ` +
        `Set allowOtherServers to false to lock the app to this server. -->
<plist version="1.0">
<dict>
${entries}
</dict>
</plist>
`;
    return {filename: `mattermost-ios-${fileStem(input)}.plist`, contentType: 'application/xml', text};
}

/** Android: the managed configuration in the AppConfig community's XML specification format. */
function androidAppConfig(input: PresetInput): PresetFile {
    const entries = mobileKeys(input).
        map(([key, value]) => `\t\t<string keyName="${key}">\n\t\t\t<defaultValue>\n` +
            `\t\t\t\t<value>${xmlEscape(value)}</value>\n\t\t\t</defaultValue>\n\t\t</string>`).
        join('\n');
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Mattermost mobile (Android): managed configuration. In your EMM (managed Google Play), set these values for the Mattermost app. -->
<!-- Keys from mattermost/mattermost-mobile android/app/src/main/res/xml/app_restrictions.xml and types/global/managed_config.d.ts. -->
<managedAppConfiguration>
\t<version>1</version>
\t<dict>
${entries}
\t</dict>
</managedAppConfiguration>
`;
    return {filename: `mattermost-android-${fileStem(input)}.xml`, contentType: 'application/xml', text};
}

// eslint-disable-next-line consistent-return -- the switch covers every kind; tsc checks each case returns.
export function presetFile(kind: PresetKind, input: PresetInput): PresetFile {
    switch (kind) {
    case 'windows-reg':
        return windowsReg(input);
    case 'macos-mobileconfig':
        return macosMobileconfig(input);
    case 'ios-appconfig':
        return iosAppConfig(input);
    case 'android-appconfig':
        return androidAppConfig(input);
    }
}
