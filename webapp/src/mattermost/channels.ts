// Channels through mattermost-redux's channel thunks (entities.channels.channels, shared with the
// host); the team's full channel list for a system admin, public and private, as one more request kind.
import type {Channel} from '@mattermost/types/channels';
import type {GlobalState} from '@mattermost/types/store';

import {ChannelTypes} from 'mattermost-redux/action_types';
import {getChannel, searchAllChannels} from 'mattermost-redux/actions/channels';
import {getChannel as selectChannel} from 'mattermost-redux/selectors/entities/channels';

import {Client4} from './client4';
import {dataOf, type HostDispatch} from './dispatch';
import type {PickOption} from './options';

type HostStore = {dispatch: unknown; getState: () => unknown};

export type ChannelSummary = Pick<Channel, 'id' | 'name' | 'display_name' | 'type' | 'team_id'>;

const perPage = 200;

export const channelOption = (channel: ChannelSummary): PickOption => ({
    id: channel.id,
    label: channel.display_name || channel.name,
    detail: `~${channel.name}${channel.type === 'P' ? ' · private' : ''}`,
    teamId: channel.team_id,
});

/** Public and private channels of `teamIds` matching `term` (POST /api/v4/channels/search, system admins). */
export async function searchChannels(dispatch: HostDispatch, teamIds: readonly string[], term: string): Promise<PickOption[]> {
    if (teamIds.length === 0) {
        return [];
    }
    const answer = await dataOf(
        dispatch<Channel[] | {channels: Channel[]}>(
            searchAllChannels(term, {team_ids: [...teamIds], per_page: 50, page: 0, include_deleted: false}),
        ),
    );
    const list = Array.isArray(answer) ? answer : answer.channels;
    return list.filter((channel) => (channel.type === 'O' || channel.type === 'P') && !channel.delete_at).map(channelOption);
}

/** Channels by id, from the host's store or fetched. Unknown ids are left out. */
export async function channelsByIds(store: HostStore, ids: readonly string[]): Promise<PickOption[]> {
    const dispatch = store.dispatch as HostDispatch;
    const found = await Promise.all(ids.map(async (id) => {
        const known = selectChannel(store.getState() as GlobalState, id);
        if (known) {
            return channelOption(known);
        }
        return dataOf(dispatch<Channel>(getChannel(id))).then(channelOption, () => null);
    }));
    return found.filter((option): option is PickOption => option !== null);
}

async function getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, Client4.getOptions({method: 'GET'}));
    if (!response.ok) {
        throw new Error(`GET ${url}: HTTP ${response.status}`);
    }
    return JSON.parse(await response.text()) as T;
}

/**
 * The team's public and private channels by display name. The private list (…/channels/private, which
 * needs manage_system) has no mattermost-redux thunk; both lists are put into the host's store.
 */
export async function listTeamChannels(dispatch: HostDispatch, teamId: string): Promise<ChannelSummary[]> {
    const all: Channel[] = [];
    for (const route of ['channels', 'channels/private']) {
        for (let page = 0; ; page++) {
            // eslint-disable-next-line no-await-in-loop -- pages are read until a short one says there are no more.
            const channels = await getJson<Channel[]>(`${Client4.getTeamRoute(teamId)}/${route}?page=${page}&per_page=${perPage}`);
            all.push(...channels);
            if (channels.length < perPage) {
                break;
            }
        }
    }
    dispatch({type: ChannelTypes.RECEIVED_CHANNELS, teamId, data: all});
    return all.sort((a, b) => a.display_name.localeCompare(b.display_name));
}
