// Users, teams, channels and groups live in the host's store: what the web app already loaded is used
// without a request, and what the cockpit loads lands there, through mattermost-redux's thunks.
import {screen, waitFor} from '@testing-library/react';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import {channelsByIds} from './channels';
import {pointClient4AtSite} from './client4';
import type {HostDispatch} from './dispatch';
import {groupsByIds} from './groups';
import {listTeams} from './teams';
import {searchUsers, useUsers} from './users';

import {makeStore, renderInConsole, userProfile} from '../test/helpers';
import {fakeChannel, fakeGroup, fakeMattermost, fakeTeam} from '../test/mattermost';

afterEach(() => {
    jest.restoreAllMocks();
});

function Names({ids}: {ids: string[]}) {
    const users = useUsers(ids);
    return <p>{ids.map((id) => users[id]?.username ?? id).join(', ')}</p>;
}

describe('users in the host store', () => {
    it('uses the profiles the host has, and fetches the missing ones of every component in one request into the store', async () => {
        const ada = userProfile('ada');
        const bob = userProfile('bob');
        const cyd = userProfile('cyd');
        const store = makeStore();
        store.dispatch({type: 'RECEIVED_PROFILES_LIST', data: [ada]});
        const byIds = jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([bob, cyd]);

        renderInConsole(
            <>
                <Names ids={[ada.id, bob.id]}/>
                <Names ids={[cyd.id]}/>
            </>,
            store,
        );
        expect(await screen.findByText('ada, bob')).toBeInTheDocument();
        expect(await screen.findByText('cyd')).toBeInTheDocument();
        expect(byIds).toHaveBeenCalledTimes(1);
        expect(new Set(byIds.mock.calls[0][0])).toEqual(new Set([bob.id, cyd.id]));
        expect(Object.keys(store.getState().entities.users.profiles).sort()).toEqual([ada.id, bob.id, cyd.id].sort());
    });

    it('puts the users a search found into the store', async () => {
        const carol = userProfile('carol');
        const store = makeStore();
        jest.spyOn(Client4, 'autocompleteUsers').mockResolvedValue({users: [carol]} as never);
        expect(await searchUsers(store.dispatch as HostDispatch, 'car')).toEqual([carol]);
        expect(store.getState().entities.users.profiles[carol.id]).toEqual(carol);
    });
});

describe('teams, channels and groups in the host store', () => {
    it('reads every page of teams, leaves deleted ones out and keeps them in entities.teams', async () => {
        const store = makeStore();
        const page = Array.from({length: 200}, (_, i) => fakeTeam(`team-${String(i).padStart(3, '0')}`, `Team ${i}`, `team-${i}`));
        const gone = {...fakeTeam('gone', 'Gone', 'gone'), delete_at: 1};
        const getTeams = jest.
            spyOn(Client4, 'getTeams').
            mockResolvedValueOnce(page as never).
            mockResolvedValueOnce([fakeTeam('zeta', 'Alpha', 'alpha'), gone] as never);
        const teams = await listTeams(store.dispatch as HostDispatch);
        expect(getTeams.mock.calls.map((c) => c[0])).toEqual([0, 1]);
        expect(teams).toHaveLength(201);
        expect(teams[0].display_name).toBe('Alpha');
        expect(store.getState().entities.teams.teams.zeta.name).toBe('alpha');
    });

    it('names channels and groups from the store when the host has them, and fetches only the others into it', async () => {
        const store = makeStore();
        const known = fakeChannel('known', 'Known', 'known', 'team');
        store.dispatch({type: 'RECEIVED_CHANNEL', data: known});
        store.dispatch({type: 'RECEIVED_GROUP', data: fakeGroup('g-known', 'Known group', 'known-group', 3)});
        const fake = fakeMattermost({
            channels: [fakeChannel('other', 'Other', 'other', 'team', 'P')],
            groups: [fakeGroup('g-other', 'Other group', 'other-group', 5)],
        });

        expect((await channelsByIds(store, ['known', 'other', 'missing'])).map((o) => [o.id, o.label, o.detail])).toEqual([
            ['known', 'Known', '~known'],
            ['other', 'Other', '~other · private'],
        ]);
        expect(fake.getChannel.mock.calls.map((c) => c[0])).toEqual(['other', 'missing']);
        expect(store.getState().entities.channels.channels.other.name).toBe('other');

        expect((await groupsByIds(store, ['g-known', 'g-other'])).map((o) => [o.id, o.detail])).toEqual([
            ['g-known', 'LDAP · 3 members'],
            ['g-other', 'LDAP · 5 members'],
        ]);
        expect(fake.getGroup.mock.calls.map((c) => c[0])).toEqual(['g-other']);
        await waitFor(() => expect(store.getState().entities.groups.groups['g-other'].name).toBe('other-group'));
    });
});

describe('the bundle\'s Client4', () => {
    it('is pointed at the path of the site URL', () => {
        pointClient4AtSite(makeStore({siteURL: 'https://chat.example.com/team-chat/'}).getState());
        expect(Client4.getUrl()).toBe('/team-chat');
        pointClient4AtSite(makeStore({siteURL: 'https://chat.example.com'}).getState());
        expect(Client4.getUrl()).toBe('');
    });
});
