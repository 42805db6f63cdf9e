import {InMemoryMattermostApi} from './inMemoryMattermostApi';

import {isHostError, isNotFound} from '../../host/errors';
import {Permissions} from '../../mattermost/permissions';

function thrownBy(action: () => unknown): unknown {
    try {
        action();
    } catch (error) {
        return error;
    }
    throw new Error('expected the action to throw');
}

describe('InMemoryMattermostApi', () => {
    test('missing users, teams and memberships throw 404 HostErrors with the server ids', () => {
        const api = new InMemoryMattermostApi();
        const team = api.addTeam('sales');
        const user = api.addUser({username: 'ann'});

        expect(thrownBy(() => api.users.get('nobody'))).toMatchObject({
            name: 'HostError',
            status_code: 404,
            id: 'app.user.missing_account.const',
        });
        expect(isNotFound(thrownBy(() => api.teams.get('nope')))).toBe(true);
        expect(isNotFound(thrownBy(() => api.teams.getMember(team.id, user.id)))).toBe(true);
        expect(isNotFound(thrownBy(() => api.channels.getByName(team.id, 'town-square')))).toBe(true);
    });

    test('lookups find seeded data, and results are copies', () => {
        const api = new InMemoryMattermostApi();
        const ann = api.addUser({username: 'ann', email: 'ann@bank.example'});
        expect(api.users.getByEmail('ann@bank.example').id).toBe(ann.id);
        api.users.get(ann.id).username = 'changed';
        expect(api.users.getByUsername('ann').id).toBe(ann.id);
    });

    test('users.list filters by team and pages', () => {
        const api = new InMemoryMattermostApi();
        const team = api.addTeam('sales');
        const [a, b] = ['a', 'b', 'c'].map((username) => api.addUser({username}));
        api.addTeamMember(team.id, a.id);
        api.addTeamMember(team.id, b.id);
        expect(api.users.list(0, 10, team.id).map((user) => user.username)).toEqual(['a', 'b']);
        expect(api.users.list(1, 2, '').map((user) => user.username)).toEqual(['c']);
    });

    test('permissions follow roles: system admin everywhere, team admin only in their team', () => {
        const api = new InMemoryMattermostApi();
        const admin = api.addSystemAdmin('admin');
        const lead = api.addUser({username: 'lead'});
        const sales = api.addTeam('sales');
        const support = api.addTeam('support');
        api.addTeamMember(sales.id, lead.id, 'team_user team_admin');
        api.addTeamMember(support.id, lead.id, 'team_user');

        expect(api.permissions.hasSystemPermission(admin.id, Permissions.manageSystem)).toBe(true);
        expect(api.permissions.hasSystemPermission(lead.id, Permissions.manageSystem)).toBe(false);
        expect(api.permissions.hasTeamPermission(admin.id, support.id, Permissions.manageTeam)).toBe(true);
        expect(api.permissions.hasTeamPermission(lead.id, sales.id, Permissions.manageTeam)).toBe(true);
        expect(api.permissions.hasTeamPermission(lead.id, support.id, Permissions.manageTeam)).toBe(false);

        const channel = api.addChannel(sales.id, 'announcements');
        expect(api.permissions.hasChannelPermission(lead.id, channel.id, 'manage_public_channel_properties')).toBe(true);
        api.permissions.grantToRole('team_user', 'manage_system');
        expect(api.permissions.hasSystemPermission(lead.id, Permissions.manageSystem)).toBe(false);
    });

    test('bot.ensure is idempotent and refuses a username taken by a person', () => {
        const api = new InMemoryMattermostApi();
        const spec = {username: 'cockpit', display_name: 'Onboarding Cockpit', description: ''};
        const id = api.bot.ensure(spec);
        expect(api.bot.ensure(spec)).toBe(id);
        expect(api.users.get(id)).toMatchObject({is_bot: true, first_name: 'Onboarding Cockpit'});

        api.addUser({username: 'taken'});
        expect(isHostError(thrownBy(() => api.bot.ensure({...spec, username: 'taken'})))).toBe(true);
    });

    test('channels.getDirect creates the DM once, with both users as members', () => {
        const api = new InMemoryMattermostApi();
        const [a, b] = ['a', 'b'].map((username) => api.addUser({username}));
        const dm = api.channels.getDirect(a.id, b.id);
        expect(api.channels.getDirect(b.id, a.id).id).toBe(dm.id);
        expect(dm.type).toBe('D');
        expect(api.channels.getMember(dm.id, b.id).user_id).toBe(b.id);
    });

    test('posts go to existing channels only and are recorded', () => {
        const api = new InMemoryMattermostApi(() => 42);
        const channel = api.addChannel(api.addTeam('t').id, 'town-square');
        const post = api.posts.create({channel_id: channel.id, message: 'Welcome'});
        expect(post).toMatchObject({channel_id: channel.id, message: 'Welcome', create_at: 42});
        expect(api.createdPosts).toHaveLength(1);
        expect(isNotFound(thrownBy(() => api.posts.create({channel_id: 'gone', message: 'x'})))).toBe(true);
    });

    test('config.patchAs sets the named settings as a system admin; getPlugin reads this plugin\'s section', () => {
        const api = new InMemoryMattermostApi();
        const admin = api.addSystemAdmin('admin');
        expect(api.config.get().TeamSettings).toBeUndefined();
        api.config.patchAs(admin.id, {
            TeamSettings: {SiteName: 'Bank Chat'},
            PluginSettings: {Plugins: {'onboarding-cockpit': {hostpoolsize: 4}}},
        });
        api.config.patchAs(admin.id, {TeamSettings: {EnableCustomBrand: false}});
        expect(api.config.get().TeamSettings).toEqual({SiteName: 'Bank Chat', EnableCustomBrand: false});
        expect(api.config.getPlugin()).toEqual({hostpoolsize: 4});
        expect(
            isHostError(thrownBy(() => api.config.patchAs(api.addUser({username: 'member'}).id, {TeamSettings: {SiteName: 'X'}}))),
        ).toBe(true);
    });

    test('mutex: locking a held mutex fails instead of hanging; unlock requires a lock', () => {
        const api = new InMemoryMattermostApi();
        api.mutex.lock('plan');
        expect(isHostError(thrownBy(() => api.mutex.lock('plan')))).toBe(true);
        api.mutex.unlock('plan');
        expect(isHostError(thrownBy(() => api.mutex.unlock('plan')))).toBe(true);
    });
});
