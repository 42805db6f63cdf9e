import {WaveRoutes} from 'contract/routes';

import {waveFixture} from '../testing/waveFixture';

// The dry run predicts the refusals of group-constrained (group-synced) targets: the server adds only
// members of a linked group to such a team or channel.

describe('dry run: group-synced targets', () => {
    test('users outside the linked groups of a constrained channel get the group_synced reason; the others join it', async () => {
        const fixture = await fixture3();
        const {api, help, users} = fixture;
        const group = api.addGroup('ldap-help');
        api.addGroupMember(group.id, users[0].id);
        api.linkGroup(group.id, 'channel', help.id);
        api.directory.channels.get(help.id)!.group_constrained = true;

        // A member already there is not refused: the constraint applies to additions only.
        api.addChannelMember(help.id, users[2].id);

        const wave = await fixture.createWave();
        const response = await fixture.client.post(WaveRoutes.dryRun(wave.id));
        expect(response.status).toBe(200);
        const report = response.json;
        expect(report.cannot_add).toEqual({deactivated: 0, bot: 0, guest: 0, group_synced: 1});
        const byName = Object.fromEntries(report.targets.map((target: {name: string}) => [target.name, target]));
        expect(byName.help).toMatchObject({would_add: 1, already_member: 1, refused: 1});
        expect(byName['general-info']).toMatchObject({would_add: 3, refused: 0});
        const sample = Object.fromEntries(report.sample.map((user: {username: string}) => [user.username, user]));
        expect(sample[users[0].username]).toMatchObject({status: 'ok', refused_by: []});
        expect(sample[users[1].username]).toMatchObject({
            status: 'group_synced',
            refused_by: ['help'],
            would_join: ['rollout', 'general-info'],
        });
        expect(sample[users[2].username]).toMatchObject({status: 'ok', already_in: ['help']});
    });

    test('a constrained team refuses everyone outside its groups; a linked but unconstrained channel refuses nobody', async () => {
        const fixture = await fixture3();
        const {api, team, info, users} = fixture;
        const group = api.addGroup('ldap-team');
        api.addGroupMember(group.id, users[1].id);
        api.linkGroup(group.id, 'team', team.id);
        api.directory.teams.get(team.id)!.group_constrained = true;
        api.linkGroup(group.id, 'channel', info.id);

        const wave = await fixture.createWave();
        const report = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(report.cannot_add.group_synced).toBe(2);
        const byName = Object.fromEntries(report.targets.map((target: {name: string}) => [target.name, target]));
        expect(byName.rollout).toMatchObject({would_add: 1, refused: 2});
        expect(byName['general-info']).toMatchObject({would_add: 3, refused: 0});
    });

    test('without constrained targets nobody is refused and no group is read', async () => {
        const fixture = await fixture3();
        const linked = jest.spyOn(fixture.api.groups, 'linkedTo');
        const wave = await fixture.createWave();
        const report = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(report.cannot_add.group_synced).toBe(0);
        expect(report.sample.every((user: {status: string}) => user.status === 'ok')).toBe(true);
        expect(linked).not.toHaveBeenCalled();
    });
});

async function fixture3() {
    return waveFixture({users: 3});
}
