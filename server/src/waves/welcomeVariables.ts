import type {UserProfile} from '@mattermost/types/users';

import type {CockpitLocale} from 'contract/locales';
import type {WaveDefinition} from 'contract/waves';

import {utcDay} from '../dates/dates';
import type {ServerConfig, UserActivity} from '../mattermost/api';
import {type GettingStarted, type ListChannel, type WelcomeVariables} from '../welcome/template';

// The welcome's variables, built in one place for the engine (the DM each user gets) and the editor's
// preview and test-send, so what an admin previews is what users receive.

export interface WelcomeTargets {
    /** Team display names (else names). */
    teams: string[];

    /** Channels: id, URL name and display name. */
    channels: Array<{id: string; name: string; display: string}>;
}

/** The channels whose last view users.activity reads for the list: the welcome's channels. */
export const listChannelIds = (targets: WelcomeTargets) => targets.channels.map((channel) => channel.id);

/** The start the dates refer to: when the wave started, else when it is scheduled to, else now. */
export function waveStart(run: {started_at: number | null; start_at: number | null} | undefined, now: number): number {
    return run?.started_at ?? run?.start_at ?? now;
}

export function welcomeVariables(
    user: Pick<UserProfile, 'first_name' | 'username'>,
    definition: WaveDefinition,
    targets: WelcomeTargets,
    startAt: number,
    now: number,
): WelcomeVariables {
    return {
        first_name: user.first_name || user.username,
        username: user.username,
        team: targets.teams.join(', '),
        channels: targets.channels.map((channel) => channel.display).join(', '),
        help_link: definition.welcome.help_link,
        wave: definition.name,
        start_date: utcDay(startAt),
        today: utcDay(now),
    };
}

/** Whether the template asks for the getting-started list (only then are the users' activity read). */
export const usesGettingStarted = (template: string) => (/\{\{\s*getting_started\s*\}\}/).test(template);

/** The app download links the server is configured with (System Console → Native App Settings). */
export function appLinks(config: ServerConfig): {desktop: string; mobile: string} {
    const settings = (config.NativeAppSettings ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return {desktop: text(settings.AppDownloadLink), mobile: text(settings.IosAppDownloadLink) || text(settings.AndroidAppDownloadLink)};
}

/** The list as gettingStartedFor reads it: each channel keeps its id (journey/list.ts compares by it). */
export type GettingStartedNow = Omit<GettingStarted, 'channels'> & {channels: Array<ListChannel & {id: string; visited: boolean}>};

/**
 * The list with each item as the server shows it now (`activity` read with listChannelIds; none known: unticked),
 * in `locale`: the reader's language, the one their welcome is picked for.
 */
export function gettingStartedFor(
    user: UserProfile,
    activity: UserActivity | undefined,
    links: {desktop: string; mobile: string},
    targets: WelcomeTargets,
    locale: CockpitLocale,
): GettingStartedNow {
    return {
        locale,
        profile_picture: (user.last_picture_update ?? 0) > 0,
        desktop_app: (activity?.desktop_app_at ?? 0) > 0,
        mobile_app: (activity?.mobile_app_at ?? 0) > 0,
        notifications: activity?.notify_props_changed ?? false,
        desktop_link: links.desktop,
        mobile_link: links.mobile,
        channels: targets.channels.map((channel) => ({...channel, visited: (activity?.channel_viewed_at[channel.id] ?? 0) > 0})),
    };
}
