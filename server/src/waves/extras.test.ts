import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import {WaveRoutes} from 'contract/routes';

import {feedbackIntegrationUrl, helpNoticeProp} from './feedback';
import {escapeHtml, renderInvitationHtml, renderInvitationSubject} from './invitation';
import {groupRollingJobId, queueNewGroupMembers} from './rolling';

import {HostError} from '../host/errors';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture, type WaveFixture} from '../testing/waveFixture';

// The optional parts of a wave: channels created at start, feedback buttons, the invitation email,
// the activation funnel and group members who join a rolling wave's cohort later.

async function start(fixture: WaveFixture, wave: {id: string; version: number}) {
    return fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version});
}

const configureSmtp = (fixture: WaveFixture) => {
    fixture.api.serverConfig = {
        ...fixture.api.serverConfig,
        EmailSettings: {SendEmailNotifications: true, SMTPServer: 'smtp.corp.example'},
    };
};

describe('channels created at start', () => {
    const newChannel = (fixture: WaveFixture, name = 'welcome-2026', extra: Record<string, unknown> = {}) => ({
        teams: [{team_id: fixture.team.id}],
        channels: [{channel_id: fixture.info.id}],
        create_channels: [{team_id: fixture.team.id, name, display_name: 'Welcome 2026', type: 'P', role: 'channel_admin', ...extra}],
    });

    test('the dry run lists the channel; start creates it once, records it, adds it to the targets and provisions it', async () => {
        const fixture = await waveFixture({users: 3});
        const wave = await fixture.createWave({targets: newChannel(fixture)});
        const dry = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(dry.channels_to_create).toEqual([{team_id: fixture.team.id, name: 'welcome-2026', exists: false}]);
        expect(fixture.api.directory.channels.size).toBe(2); // the dry run created nothing

        const started = await start(fixture, wave);
        expect(started.status).toBe(200);
        const created = [...fixture.api.directory.channels.values()].filter((channel) => channel.name === 'welcome-2026');
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({type: 'P', display_name: 'Welcome 2026', team_id: fixture.team.id});
        expect(started.json.definition.targets.channels).toEqual([
            {channel_id: fixture.info.id, role: 'member'},
            {channel_id: created[0].id, role: 'channel_admin'},
        ]);
        expect(fixture.api.kv.get(KvKeys.waveChannels(wave.id).key)).toContain(created[0].id);
        runToEnd(fixture, wave.id);
        for (const user of fixture.users) {
            expect(fixture.api.directory.channelMember(created[0].id, user.id)?.roles).toBe('channel_user channel_admin');
        }
    });

    test('a second start (after a restart or a schedule) never creates it twice; an existing channel of that name is used', async () => {
        const fixture = await waveFixture({users: 1});
        const existing = fixture.api.addChannel(fixture.team.id, 'already-here');
        const wave = await fixture.createWave({targets: {...newChannel(fixture),
            create_channels: [
                ...newChannel(fixture).create_channels,
                {team_id: fixture.team.id, name: 'already-here', display_name: 'Already', type: 'O', role: 'member'},
            ]}});
        const scheduled = await fixture.client.post(WaveRoutes.start(wave.id), {
            expected_version: wave.version,
            start_at: fixture.clock.now() + 60_000,
        });
        expect(scheduled.status).toBe(200);
        expect(scheduled.json.state).toBe('scheduled');
        const again = await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: scheduled.json.version, start_at: null});
        expect(again.status).toBe(200);
        expect([...fixture.api.directory.channels.values()].filter((channel) => channel.name === 'welcome-2026')).toHaveLength(1);
        const record = JSON.parse(fixture.api.kv.get(KvKeys.waveChannels(wave.id).key)!).value.channels;
        expect(record).toEqual([
            expect.objectContaining({name: 'welcome-2026', created: true}),
            {team_id: fixture.team.id, name: 'already-here', channel_id: existing.id, created: false},
        ]);
        expect(again.json.definition.targets.channels).toHaveLength(3);
    });

    test('a failure is a 400 at start and nothing starts; ' +
        'a channel outside the target teams is refused before anything is created', async () => {
        const fixture = await waveFixture({users: 1});
        const outside = await fixture.createWave({
            targets: {
                ...newChannel(fixture),
                create_channels: [{team_id: fixture.source.id, name: 'elsewhere', display_name: 'X'}],
            },
        });
        const refused = await start(fixture, outside);
        expect(refused.status).toBe(400);
        expect(refused.json.error.message).toContain('elsewhere');
        expect([...fixture.api.directory.channels.values()].some((channel) => channel.name === 'elsewhere')).toBe(false);

        const wave = await fixture.createWave({targets: newChannel(fixture)});
        const create = fixture.api.channels.create;
        fixture.api.channels.create = () => {
            throw new HostError(403, 'api.context.permissions.app_error', 'no permission');
        };
        const failed = await start(fixture, wave);
        fixture.api.channels.create = create;
        expect(failed.status).toBe(400);
        expect(failed.json.error.message).toBe('Channel welcome-2026 could not be created: no permission');
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).json.state).toBe('draft');
        expect(fixture.api.createdPosts).toHaveLength(0);
    });

    test('bad channel names are refused when the wave is saved', async () => {
        const fixture = await waveFixture({users: 0});
        const response = await fixture.client.post(WaveRoutes.waves, fixture.definition({targets: newChannel(fixture, 'Bad Name!')}));
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
    });
});

describe('feedback buttons', () => {
    async function feedbackWave(users = 2) {
        const fixture = await waveFixture({users});
        const helpDesk = fixture.api.addChannel(fixture.team.id, 'help-desk', 'P');
        const wave = await fixture.createWave({
            feedback: {enabled: true, help_desk_channel_id: helpDesk.id},
            name: 'Spring *wave* @channel',
        });
        expect((await start(fixture, wave)).status).toBe(200);
        runToEnd(fixture, wave.id);
        const welcomeOf = (userId: string) =>
            fixture.api.createdPosts.find((post) => post.props?.cockpit_welcome === `${wave.id}:${userId}`)!;
        const click = (asUserId: string, post: {id: string}, answer: string, context: Record<string, unknown> = {}) =>
            fixture.as(asUserId).post(WaveRoutes.feedbackAction, {
                user_id: asUserId,
                user_name: 'x',
                channel_id: 'c',
                post_id: post.id,
                trigger_id: 't',
                type: '',
                data_source: '',
                context: {wave_id: wave.id, user_id: asUserId, answer, ...context},
            });
        return {fixture, wave, helpDesk, welcomeOf, click};
    }

    test('the welcome DM carries three buttons whose integration is the plugin route with the wave and the user', async () => {
        const {fixture, wave, welcomeOf} = await feedbackWave(1);
        const user = fixture.users[0];
        const attachment = (welcomeOf(user.id).props.attachments as any[])[0];
        expect(attachment.actions.map((action: any) => [action.id, action.name])).toEqual([
            ['feedbackgreat', '👍 Great'], ['feedbackok', '😐 OK'], ['feedbackhelp', '🆘 I need help'],
        ]);
        expect(attachment.actions[2].integration).toEqual({
            url: feedbackIntegrationUrl,
            context: {wave_id: wave.id, user_id: user.id, answer: 'help'},
        });
        expect(feedbackIntegrationUrl).toBe(`/plugins/${manifest.id}/api/v1/waves/actions/feedback`);
    });

    test('an answer is recorded once per user; a second click changes it; counts stay right; the post shows the choice', async () => {
        const {fixture, wave, welcomeOf, click} = await feedbackWave(2);
        const [ada, bob] = fixture.users;
        const first = await click(ada.id, welcomeOf(ada.id), 'great');
        expect(first.status).toBe(200);
        expect(first.json.update.message).toBe(welcomeOf(ada.id).message);
        expect(first.json.update.props.cockpit_welcome).toBe(`${wave.id}:${ada.id}`);
        expect(first.json.update.props.attachments[0].text).toContain('Your answer: 👍 Great');
        await click(ada.id, welcomeOf(ada.id), 'great');
        await click(bob.id, welcomeOf(bob.id), 'ok');
        let funnel = (await fixture.client.get(WaveRoutes.activation(wave.id))).json;
        expect(funnel.feedback).toEqual({great: 1, ok: 1, help: 0});
        await click(ada.id, welcomeOf(ada.id), 'ok');
        funnel = (await fixture.client.get(WaveRoutes.activation(wave.id))).json;
        expect(funnel.feedback).toEqual({great: 0, ok: 2, help: 0});
    });

    test('"I need help" posts one inert notice in the help-desk channel, again only after another answer', async () => {
        const {fixture, wave, helpDesk, welcomeOf, click} = await feedbackWave(1);
        const ada = fixture.users[0];
        const response = await click(ada.id, welcomeOf(ada.id), 'help');
        expect(response.json.ephemeral_text).toContain('help desk');
        await click(ada.id, welcomeOf(ada.id), 'help');
        const notices = () => fixture.api.createdPosts.filter((post) => post.channel_id === helpDesk.id);
        expect(notices()).toHaveLength(1);
        expect(notices()[0].user_id).toBe(fixture.botId);
        expect(notices()[0].props[helpNoticeProp]).toBe(`${wave.id}:${ada.id}`);

        // The wave name "Spring *wave* @channel" is escaped: no emphasis, no channel-wide mention.
        expect(notices()[0].message).toContain('Spring \\*wave\\* ＠channel');
        expect(notices()[0].message).toContain('user0');
        await click(ada.id, welcomeOf(ada.id), 'ok');
        await click(ada.id, welcomeOf(ada.id), 'help');
        expect(notices()).toHaveLength(2);
    });

    test('when the help-desk notice cannot be posted the click fails and records nothing, so it can be repeated', async () => {
        const {fixture, wave, helpDesk, welcomeOf, click} = await feedbackWave(1);
        const ada = fixture.users[0];
        const create = fixture.api.posts.create;
        fixture.api.posts.create = () => {
            throw new HostError(500, 'app.post.save.app_error', 'database down');
        };
        expect((await click(ada.id, welcomeOf(ada.id), 'help')).status).toBe(500);
        fixture.api.posts.create = create;
        expect((await fixture.client.get(WaveRoutes.activation(wave.id))).json.feedback.help).toBe(0);
        expect((await click(ada.id, welcomeOf(ada.id), 'help')).status).toBe(200);
        expect(fixture.api.createdPosts.filter((post) => post.channel_id === helpDesk.id)).toHaveLength(1);
        expect((await fixture.client.get(WaveRoutes.activation(wave.id))).json.feedback.help).toBe(1);
    });

    test('nobody can answer for someone else, nor through a post that is not their welcome', async () => {
        const {fixture, wave, welcomeOf, click} = await feedbackWave(2);
        const [ada, bob] = fixture.users;

        // Bob clicks with Ada's context, or with his id on Ada's post.
        expect((await click(bob.id, welcomeOf(ada.id), 'help', {user_id: ada.id})).status).toBe(403);
        expect((await click(bob.id, welcomeOf(ada.id), 'help')).status).toBe(403);

        // The header says Bob, the body says Ada.
        const forged = await fixture.as(bob.id).post(WaveRoutes.feedbackAction, {
            user_id: ada.id, post_id: welcomeOf(ada.id).id, context: {wave_id: wave.id, user_id: ada.id, answer: 'great'},
        });
        expect(forged.status).toBe(403);

        // A post by Bob carrying the welcome prop is not a welcome.
        const dm = fixture.api.channels.getDirect(bob.id, fixture.botId);
        const fake = fixture.api.posts.create({
            channel_id: dm.id,
            user_id: bob.id,
            message: 'x',
            props: {cockpit_welcome: `${wave.id}:${bob.id}`},
        });
        expect((await click(bob.id, fake, 'great')).status).toBe(403);

        // No session: 401.
        expect((await fixture.request('POST', WaveRoutes.feedbackAction, {
            body: {user_id: ada.id, post_id: 'p', context: {wave_id: wave.id, user_id: ada.id, answer: 'ok'}},
        })).status).toBe(401);
        expect((await fixture.client.get(WaveRoutes.activation(wave.id))).json.feedback).toEqual({great: 0, ok: 0, help: 0});
    });

    test('start refuses a help-desk channel that does not exist', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave({feedback: {enabled: true, help_desk_channel_id: 'nope'}});
        const dry = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(dry.warnings).toEqual(['Feedback: the help-desk channel nope does not exist.']);
        const response = await start(fixture, wave);
        expect(response.status).toBe(400);
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).json.state).toBe('draft');
    });
});

describe('invitation email', () => {
    const invitation = {
        enabled: true,
        subject: 'Welcome to {{team}}, {{first_name}}',
        html_template: '<p>Hi {{first_name}}</p><p>{{help_link}}</p>',
    };

    test('without SMTP the dry run warns and start refuses with 400; nothing is sent', async () => {
        const fixture = await waveFixture({users: 2});
        const wave = await fixture.createWave({invitation});
        const dry = (await fixture.client.post(WaveRoutes.dryRun(wave.id))).json;
        expect(dry.smtp_configured).toBe(false);
        expect(dry.warnings[0]).toMatch(/^Email is not configured/);
        const response = await start(fixture, wave);
        expect(response.status).toBe(400);
        expect(response.json.error.message).toMatch(/Email is not configured/);
        expect((await fixture.client.get(WaveRoutes.wave(wave.id))).json.state).toBe('draft');
        expect(fixture.api.sentMails).toHaveLength(0);

        // Without invitations, no SMTP is fine.
        const plain = await fixture.createWave();
        expect((await fixture.client.post(WaveRoutes.dryRun(plain.id))).json.warnings).toEqual([]);
    });

    test('each user gets exactly one email, HTML-escaped, even when the wave is retried', async () => {
        const fixture = await waveFixture({users: 3});
        configureSmtp(fixture);
        fixture.api.directory.users.get(fixture.users[0].id)!.first_name = '<b>Ada</b> & "co"';
        const wave = await fixture.createWave({invitation});
        expect((await fixture.client.post(WaveRoutes.dryRun(wave.id))).json.smtp_configured).toBe(true);

        // The second user's first send fails: that user fails, the others are sent.
        const send = fixture.api.mail.send;
        let failOnce = true;
        fixture.api.mail.send = (to, subject, html) => {
            if (to === fixture.users[1].email && failOnce) {
                failOnce = false;
                throw new HostError(500, 'plugin_api.send_mail.missing_htmlbody', 'smtp down');
            }
            send(to, subject, html);
        };
        expect((await start(fixture, wave)).status).toBe(200);
        runToEnd(fixture, wave.id);
        let progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'completed_with_failures', counts: {failed: 1, welcomed: 3}});
        const failed = (await fixture.client.get(WaveRoutes.results(wave.id), {outcome: ['failed']})).json.results[0];
        expect(failed).toMatchObject({
            user_id: fixture.users[1].id,
            invitation: 'failed',
            reason: 'invitation: 500 plugin_api.send_mail.missing_htmlbody: smtp down',
        });

        await fixture.client.post(WaveRoutes.retryFailed(wave.id));
        runToEnd(fixture, wave.id);
        progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'completed', counts: {failed: 0}});
        const perUser = new Map<string, number>();
        fixture.api.sentMails.forEach((mail) => perUser.set(mail.to, (perUser.get(mail.to) ?? 0) + 1));
        expect([...perUser.values()]).toEqual([1, 1, 1]);
        expect(fixture.dmsByUser().size).toBe(3);
        const ada = fixture.api.sentMails.find((mail) => mail.to === fixture.users[0].email)!;
        expect(ada.htmlBody).toBe(
            '<p>Hi &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;co&quot;</p><p><a ' +
            'href="https://help.example/start">https://help.example/start</a></p>',
        );
        expect(ada.subject).toBe('Welcome to rollout, <b>Ada</b> & "co"');
        expect((await fixture.client.get(WaveRoutes.activation(wave.id))).json.invited).toBe(3);
    });

    test('a marker left at "sending" by a crash is not sent again (at most once)', async () => {
        const fixture = await waveFixture({users: 1});
        configureSmtp(fixture);
        const wave = await fixture.createWave({invitation});
        fixture.api.kv.set(KvKeys.waveMail(wave.id, fixture.users[0].id).key, JSON.stringify('sending'));
        await start(fixture, wave);
        runToEnd(fixture, wave.id);
        expect(fixture.api.sentMails).toHaveLength(0);
        expect((await fixture.client.get(WaveRoutes.results(wave.id))).json.results[0].invitation).toBe('unconfirmed');
    });

    test('rendering: subject without line breaks, unknown variables kept, plain help text escaped', () => {
        const variables = {
            first_name: 'A\r\nBcc: x@y',
            username: 'a',
            team: 'T',
            channels: '',
            help_link: 'javascript:alert(1)',
            wave: 'W',
            start_date: '2026-12-07',
            today: '2026-12-02',
            site_url: '',
            sign_in_method: '',
            set_password_link: '',
            sign_up_link: '',
            desktop_app_link: '',
            mobile_app_links: '',
        };
        expect(renderInvitationSubject('From {{start_date}}', variables)).toBe('From 2026-12-07');
        expect(renderInvitationSubject('Hi {{first_name}} {{nope}}', variables)).toBe('Hi A Bcc: x@y {{nope}}');
        expect(renderInvitationHtml('{{help_link}}', variables)).toBe('javascript:alert(1)');
        expect(escapeHtml('<\'&">')).toBe('&lt;&#39;&amp;&quot;&gt;');
    });
});

describe('activation funnel', () => {
    test('cohort → provisioned → welcomed → logged in → posted since the wave, with a CSV per user', async () => {
        const fixture = await waveFixture({users: 4});
        const {api, users, clock} = fixture;
        const retired = api.addUser({username: 'retired', delete_at: 1});
        api.addTeamMember(fixture.source.id, retired.id);

        // Logged in before the wave reached them: does not count.
        api.recordLogin(users[3].id, clock.now() - 1000);
        const wave = await fixture.createWave();
        await start(fixture, wave);
        runToEnd(fixture, wave.id);
        clock.advance(60_000);
        api.recordLogin(users[0].id, clock.now());
        api.recordLogin(users[1].id, clock.now());
        api.posts.create({channel_id: fixture.info.id, user_id: users[0].id, message: 'hello'});
        api.posts.create({channel_id: fixture.info.id, user_id: users[2].id, message: 'posted without logging in (token)'});
        api.posts.create({channel_id: fixture.info.id, user_id: users[1].id, message: 'join', type: 'system_join_channel' as any});

        const funnel = (await fixture.client.get(WaveRoutes.activation(wave.id))).json;
        expect(funnel).toEqual({
            wave_id: wave.id,
            cohort: 5,
            created: 0,
            signed_up: 0,
            provisioned: 4,
            welcomed: 4,
            invited: 0,
            logged_in: 2,
            posted: 2,
            feedback: {great: 0, ok: 0, help: 0},
            measured_at: clock.now(),
        });

        const csv = await fixture.client.get(WaveRoutes.activationExport(wave.id));
        expect(csv.status).toBe(200);
        expect(csv.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
        const lines = csv.body!.trim().split('\r\n');
        expect(lines[0]).toBe(
            '"username","user_id","outcome","reason","welcome","invitation","processed_at",' +
            '"last_login","logged_in","last_post_at","posted","feedback"',
        );
        expect(lines).toHaveLength(6);
        const row = (username: string) => lines.find((line) => line.startsWith(`"${username}"`))!.split(',');
        expect(row('user0')[8]).toBe('"yes"');
        expect(row('user0')[10]).toBe('"yes"');
        expect(row('user3')[8]).toBe('"no"');
        expect(row('retired').slice(2, 4)).toEqual(['"skipped"', '"deactivated"']);
    });

    test('system admins only; GET changes nothing', async () => {
        const fixture = await waveFixture({users: 1});
        const wave = await fixture.createWave();
        const member = fixture.users[0];
        expect((await fixture.as(member.id).get(WaveRoutes.activation(wave.id))).status).toBe(403);
        expect((await fixture.as(member.id).get(WaveRoutes.activationExport(wave.id))).status).toBe(403);
        expect((await fixture.client.get(WaveRoutes.activation('nope'))).status).toBe(404);
    });
});

describe('rolling waves and groups', () => {
    test('the groups job queues only members who joined the cohort group after the start, once', async () => {
        const fixture = await waveFixture({users: 3});
        const {api, users} = fixture;
        api.addGroupMember('group1', users[0].id);
        api.addGroupMember('group1', users[1].id);
        const wave = await fixture.createWave({cohort: {group_ids: ['group1']}, rolling: true});
        await start(fixture, wave);
        runToEnd(fixture, wave.id);
        expect(fixture.api.scheduledJobs.get(groupRollingJobId)).toBe(300);
        const context = {api, kv: new KvStore(api.kv), log: memoryLogger()};
        expect(queueNewGroupMembers(context)).toBe(0);

        api.addGroupMember('group1', users[2].id);
        await fixture.app.dispatch('runJob', JSON.stringify({jobId: groupRollingJobId}));
        expect(queueNewGroupMembers(context)).toBe(0);
        const progress = (await fixture.client.get(WaveRoutes.progress(wave.id))).json;
        expect(progress).toMatchObject({state: 'running', pending: 1});
        runToEnd(fixture, wave.id);
        expect((await fixture.client.get(WaveRoutes.progress(wave.id))).json).toMatchObject({state: 'completed', total: 3, processed: 3});
        expect(fixture.dmsByUser().get(users[2].id)).toBe(1);

        // A tick of the completed wave picks up a newcomer at once (the job would within 5 minutes).
        const late = api.addUser({username: 'late'});
        api.addGroupMember('group1', late.id);
        const tick = (await fixture.client.post(WaveRoutes.tick(wave.id))).json;
        expect(tick).toMatchObject({total: 4, processed: 4, state: 'completed'});
        expect(fixture.dmsByUser().get(late.id)).toBe(1);

        // Without a rolling flag nothing is picked up.
        const fixed = await fixture.createWave({name: 'Fixed', cohort: {group_ids: ['group1']}});
        await start(fixture, fixed);
        runToEnd(fixture, fixed.id);
        api.addGroupMember('group1', api.addUser({username: 'later'}).id);
        expect(queueNewGroupMembers(context)).toBe(1);
        expect((await fixture.client.get(WaveRoutes.progress(fixed.id))).json).toMatchObject({state: 'completed', total: 4});
    });
});
