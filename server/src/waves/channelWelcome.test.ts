import {WaveRoutes} from 'contract/routes';

import {runToEnd, waveFixture} from '../testing/waveFixture';

// Channel welcomes: a target channel's message, shown as an ephemeral post in that channel to each
// person the wave adds to it, with their names — never to someone who was already a member.

describe('channel welcomes', () => {
    test('each person the wave adds to a channel sees its welcome there; a person already in it does not', async () => {
        const fixture = await waveFixture({users: 3});
        const [already, first, second] = fixture.users;
        fixture.api.addTeamMember(fixture.team.id, already.id);
        fixture.api.addChannelMember(fixture.info.id, already.id);
        const wave = await fixture.createWave({
            targets: {
                teams: [{team_id: fixture.team.id}],
                channels: [
                    {channel_id: fixture.info.id, welcome_message: '  Hi {{first_name}}, this is **~general-info**.  '},
                    {channel_id: fixture.help.id},
                ],
            },
        });
        const started = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
        expect(started.status).toBe(200);
        runToEnd(fixture, wave.id);

        const shown = fixture.api.ephemeralPosts.map(({userId, post}) => [userId, post.channel_id, post.user_id, post.message]);
        expect(shown).toEqual(expect.arrayContaining([
            [first.id, fixture.info.id, fixture.botId, `Hi ${first.first_name}, this is **~general-info**.`],
            [second.id, fixture.info.id, fixture.botId, `Hi ${second.first_name}, this is **~general-info**.`],
        ]));
        expect(shown).toHaveLength(2);
        expect(shown.some(([userId]) => userId === already.id)).toBe(false);
    });

    test('the message is validated with the wave: at most 2,000 characters', async () => {
        const fixture = await waveFixture({users: 1});
        const response = await fixture.client.post(WaveRoutes.waves, fixture.definition({
            targets: {teams: [{team_id: fixture.team.id}], channels: [{channel_id: fixture.info.id, welcome_message: 'x'.repeat(2001)}]},
        }));
        expect(response.status).toBe(400);
        expect(response.json.error.message).toContain('welcome_message');
    });
});
