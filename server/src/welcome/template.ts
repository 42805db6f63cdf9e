import {type CockpitLocale, cockpitLocales} from 'contract/locales';

import {formatMessage, type MessageId} from '../i18n/messages';

// The welcome DM: a markdown template with {{variables}}. Values come from user-controlled fields
// (names, team and channel display names), so each is escaped before it is put into the markdown:
// it renders as the literal text and cannot become a link, an image, a mention, a heading or a table.

export interface WelcomeVariables {
    first_name: string;
    username: string;
    team: string;
    channels: string;
    help_link: string;
    wave: string;

    /** The wave's start, as YYYY-MM-DD in UTC (dates.ts utcDay): unambiguous in every locale. */
    start_date: string;

    /** The day the message is rendered, as YYYY-MM-DD in UTC. */
    today: string;
}

export const welcomeVariableNames: ReadonlyArray<keyof WelcomeVariables> = [
    'first_name',
    'username',
    'team',
    'channels',
    'help_link',
    'wave',
    'start_date',
    'today',
];

/**
 * The personal getting-started list ({{getting_started}}, welcome DM only), each item ticked when the server
 * shows it done (waves/welcomeVariables.ts gettingStartedFor): a profile picture the user uploaded
 * (Users.LastPictureUpdate > 0; a generated default picture leaves it ≤ 0), a session from the desktop or
 * a mobile app (the host reads the Sessions table: only sessions that still exist count), notification
 * settings saved (their NotifyProps differ from the server's defaults for a new account), and each channel
 * opened (its ChannelMembers.LastViewedAt > 0: adding a member leaves it 0). The bot ticks a sent welcome
 * as items become done (journey/list.ts).
 */
export interface GettingStarted {
    profile_picture: boolean;
    desktop_app: boolean;
    mobile_app: boolean;
    notifications: boolean;

    /** From the server's NativeAppSettings; shown only when a plain http(s) URL. */
    desktop_link: string;
    mobile_link: string;

    /** The wave's channels: `name` is the URL name (~name links to it), `display` the display name (user text). */
    channels: Array<ListChannel & {visited: boolean}>;

    /** The items' words: the reader's language, the one their welcome is picked for (i18n/messages.ts speakerForUser). */
    locale: CockpitLocale;
}

/** A channel as the list names it. */
export interface ListChannel {
    name: string;
    display: string;
}

const box = (done: boolean) => (done ? '- [x]' : '- [ ]');

/** The list's items the server can tell are done: what the bot ticks in a sent welcome too (journey/list.ts). */
export const gettingStartedItems = {
    desktop_app: 'list.desktopApp',
    mobile_app: 'list.mobileApp',
    profile_picture: 'list.profilePicture',
    notifications: 'list.notifications',
} as const satisfies Record<string, MessageId>;
export type GettingStartedItem = keyof typeof gettingStartedItems;

/** A channel's reference: a URL name is [a-z0-9_-] by the server's rules, so ~name is a safe link; anything else is escaped text. */
const channelRef = (channel: ListChannel) => ((/^[a-z0-9_-]+$/).test(channel.name) ? `~${channel.name}` : escapeMarkdown(channel.display));

const channelItem = (channel: ListChannel, locale: CockpitLocale) => formatMessage(locale, 'list.visit', {channel: channelRef(channel)});

/**
 * Ticks the channel's line in a rendered welcome; the whole line must match, so ~sales does not tick ~sales-emea.
 * The line is looked for in every language the bot speaks (see tickItem).
 */
export function tickChannel(markdown: string, channel: ListChannel): string {
    const unticked = new Set(cockpitLocales.map((locale) => `${box(false)} ${channelItem(channel, locale)}`));
    return markdown.
        split('\n').
        map((line) => (unticked.has(line) ? `${box(true)}${line.slice(box(false).length)}` : line)).
        join('\n');
}

/**
 * Ticks the item's line in a rendered welcome (`- [ ] <label>…` → `- [x] <label>…`); every other line stays.
 * Only the list can start a line so: values are escaped (`-` and `[` get a backslash, line breaks go).
 * The label is looked for in every language the bot speaks, not only the one the welcome was written in:
 * a welcome keeps its words when its reader later switches language, and welcomes sent before the list
 * was translated carry the English ones. So a label, once sent, must not change its words in any
 * catalogue, or the welcomes already showing it can no longer be ticked (template.test.ts keeps the
 * labels apart from each other).
 */
export function tickItem(markdown: string, item: GettingStartedItem): string {
    const unticked = cockpitLocales.map((locale) => `${box(false)} ${formatMessage(locale, gettingStartedItems[item])}`);
    return markdown.
        split('\n').
        map((line) => (unticked.some((start) => line.startsWith(start)) ? `${box(true)}${line.slice(box(false).length)}` : line)).
        join('\n');
}

/** A markdown task list (Mattermost renders `- [x]` as a ticked box) in the list's language; every user-controlled value is escaped. */
export function renderGettingStarted(list: GettingStarted): string {
    const {locale} = list;
    const link = (url: string) => (url.trim() ? `: ${helpLink(url)}` : '');
    const label = (item: GettingStartedItem) => formatMessage(locale, gettingStartedItems[item]);
    const lines = [
        `${box(list.desktop_app)} ${label('desktop_app')}${link(list.desktop_link)}`,
        `${box(list.mobile_app)} ${label('mobile_app')}${link(list.mobile_link)}`,
        `${box(list.profile_picture)} ${label('profile_picture')}`,
        `${box(list.notifications)} ${label('notifications')}`,
        ...list.channels.map((channel) => `${box(channel.visited)} ${channelItem(channel, locale)}`),
    ];
    return lines.join('\n');
}

/**
 * Escapes markdown: every ASCII punctuation a Markdown/Mattermost construct starts with gets a
 * backslash; `@` becomes the full-width ＠ (a backslash does not stop Mattermost's mention parser,
 * and `@channel` in a name must not notify anyone); line breaks become spaces.
 */
export function escapeMarkdown(value: string): string {
    return value.
        replace(/[\r\n\t]+/g, ' ').
        replace(/[\\`*_{}[\]()#+\-.!|<>~:&=$]/g, (char) => `\\${char}`).
        replace(/@/g, '＠');
}

/** A help link is shown as given only when it is a plain http(s) URL; anything else is escaped text. */
function helpLink(value: string): string {
    const trimmed = value.trim();
    if ((/^https?:\/\/[^\s<>()[\]]+$/i).test(trimmed)) {
        return `<${trimmed}>`;
    }
    return escapeMarkdown(trimmed);
}

/**
 * Replaces {{name}} (spaces allowed inside the braces); unknown names are left as written.
 * {{getting_started}} becomes the task list (renderGettingStarted) when one is given; a list is a block,
 * so it is put on lines of its own.
 */
export function renderWelcome(template: string, variables: WelcomeVariables, gettingStarted?: GettingStarted): string {
    return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
        if (name === 'getting_started' && gettingStarted) {
            return `\n\n${renderGettingStarted(gettingStarted)}\n\n`;
        }
        if (!(welcomeVariableNames as readonly string[]).includes(name)) {
            return whole;
        }
        const value = variables[name as keyof WelcomeVariables];
        return name === 'help_link' ? helpLink(value) : escapeMarkdown(value);
    });
}
