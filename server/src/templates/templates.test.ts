import {ErrorIds} from 'contract/errors';
import {TemplateRoutes} from 'contract/routes';
import {
    MODERATED_PERMISSIONS,
    MODERATION_BOT_USERNAME,
    ReviewPanel,
    TemplateDefinitionSchema,
    type ChannelSettings,
    type TemplateDefinition,
} from 'contract/templates';

import {starterTemplates} from './catalog';
import {decide, readTeamPart, recoverInterrupted, recoveryGraceMs, type WriteContext} from './proposals';
import {blockedRules, diffSettings, moderationPatch, nameMatches, proposedSettings, restorePatch, verifyApplied} from './settings';
import {countStatuses, transition} from './status';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {testApp} from '../testing/harness';
import type {InMemoryMattermostApi} from '../testing/inMemory/inMemoryMattermostApi';
import {kvDump} from '../testing/kvDump';

// ---- a stand-in for the server's moderation REST routes (api4/channel.go), with its rules ----

interface RoleState {value: boolean; enabled: boolean}
type ChannelModeration = Record<string, {members: RoleState; guests?: RoleState}>;

function defaultModeration(): ChannelModeration {
    return Object.fromEntries(MODERATED_PERMISSIONS.map((name) => [name, {
        members: {value: true, enabled: true},
        ...(name === 'manage_members' || name === 'manage_bookmarks' ? {} : {guests: {value: true, enabled: true}}),
    }]));
}

function installModerationServer(api: InMemoryMattermostApi) {
    const moderation = new Map<string, ChannelModeration>();
    const stateOf = (channelId: string) => moderation.get(channelId) ?? defaultModeration();
    const asServer = (state: ChannelModeration) => Object.entries(state).map(([name, roles]) => ({name, roles}));
    api.restHandler = ({method, path, body, userId}) => {
        const match = (/^\/api\/v4\/channels\/([^/]+)\/moderations(\/patch)?$/).exec(path);
        if (!match) {
            return {status: 404, body: {id: 'api.context.404.app_error'}};
        }
        if (api.license === null) {
            return {status: 403, body: {id: `api.channel.${match[2] ? 'patch' : 'get'}_channel_moderations.license.error`}};
        }
        if (!api.directory.user(userId).roles.split(' ').includes('system_user_manager')) {
            return {status: 403, body: {id: 'api.context.permissions.app_error'}};
        }
        const channelId = match[1];
        api.directory.channel(channelId);
        if (method === 'GET' && !match[2]) {
            return {status: 200, body: asServer(stateOf(channelId))};
        }
        if (method === 'PUT' && match[2]) {
            const state = JSON.parse(JSON.stringify(stateOf(channelId))) as ChannelModeration;
            for (const entry of JSON.parse(body ?? '[]') as Array<{name: string; roles: {members?: boolean; guests?: boolean}}>) {
                if (entry.roles.members !== undefined) {
                    state[entry.name].members.value = entry.roles.members;
                }
                if (entry.roles.guests !== undefined && state[entry.name].guests) {
                    state[entry.name].guests!.value = entry.roles.guests;
                }
            }
            moderation.set(channelId, state);
            return {status: 200, body: asServer(state)};
        }
        return {status: 405, body: {id: 'api.context.405'}};
    };
    return {stateOf, moderation};
}

const license = {
    id: 'l',
    issued_at: 0,
    starts_at: 0,
    expires_at: 0,
    sku_name: 'E20',
    sku_short_name: 'enterprise',
    is_trial: false,
    features: {custom_permissions_schemes: true},
};

const readOnlyDefinition = (overrides: Partial<TemplateDefinition> = {}): TemplateDefinition => TemplateDefinitionSchema.parse({
    name: 'Read-only',
    moderation: {create_post: {members: false, guests: false}, use_channel_mentions: {members: false}},
    channel_admins: {user_ids: [], group_ids: [], channel_creator: true},
    properties: {header: 'Announcements only'},
    ...overrides,
});

async function setup({licensed = true} = {}) {
    const harness = testApp();
    const {api} = harness;
    api.license = licensed ? {...license} : null;
    const server = installModerationServer(api);
    const admin = api.addSystemAdmin('admin');
    const teamA = api.addTeam('alpha');
    const teamB = api.addTeam('beta');
    const adminA = api.addUser({username: 'ada'});
    const adminB = api.addUser({username: 'bob'});
    const member = api.addUser({username: 'mia'});
    const creator = api.addUser({username: 'carl'});
    api.addTeamMember(teamA.id, adminA.id, 'team_user team_admin');
    api.addTeamMember(teamB.id, adminB.id, 'team_user team_admin');
    api.addTeamMember(teamA.id, member.id);
    api.addTeamMember(teamB.id, member.id);
    api.addTeamMember(teamA.id, creator.id);
    const channelsA = ['announce-news', 'announce-it', 'random'].map((name) => {
        const channel = api.addChannel(teamA.id, name);
        api.directory.channels.get(channel.id)!.creator_id = creator.id;
        return api.directory.channels.get(channel.id)!;
    });
    const channelB = api.addChannel(teamB.id, 'announce-b');
    await harness.app.dispatch('onActivate', 'null');
    const as = (userId: string) => (method: string, path: string, body?: unknown, query?: Record<string, string[]>) =>
        harness.request(method, path, {userId, body, query});
    const sys = as(admin.id);
    const auditText = () => {
        const kv = new KvStore(api.kv);
        const count = kv.readVersioned(KvKeys.auditHead).value?.count ?? 0;
        return Array.from({length: count}, (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value!);
    };
    return {...harness, server, admin, teamA, teamB, adminA, adminB, member, creator, channelsA, channelB, as, sys, auditText};
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function createTemplate(t: Setup, definition: TemplateDefinition = readOnlyDefinition()) {
    const response = await t.sys('POST', TemplateRoutes.templates, definition);
    expect(response.status).toBe(201);
    return response.json as {id: string; version: number};
}

async function proposeToBothTeams(t: Setup) {
    const template = await createTemplate(t);
    const response = await t.sys('POST', TemplateRoutes.proposals, {
        template_id: template.id,
        template_version: template.version,
        teams: [
            {team_id: t.teamA.id, name_pattern: 'announce-*', channel_ids: [t.channelsA[2].id]},
            {team_id: t.teamB.id, channel_ids: [t.channelB.id]},
        ],
        note: 'Please review by Friday',
    });
    expect(response.status).toBe(201);
    return response.json.summary.id as string;
}

// ---- pure parts ----

describe('template validation', () => {
    test('the shipped starters are valid templates', () => {
        expect(starterTemplates().map((starter) => starter.id)).toEqual(['read-only-announcements', 'moderated-qa', 'open-collaboration']);
        expect(starterTemplates()[0].definition.moderation.create_post).toEqual({members: false, guests: false});
    });

    test('an empty template, a guest rule on a members-only permission and unknown fields are refused', () => {
        expect(TemplateDefinitionSchema.safeParse({name: 'Nothing'}).success).toBe(false);
        expect(
            TemplateDefinitionSchema.safeParse({name: 'x', moderation: {manage_members: {members: false, guests: false}}}).success,
        ).toBe(false);
        expect(TemplateDefinitionSchema.safeParse({name: 'x', moderation: {delete_post: {members: false}}}).success).toBe(false);
        expect(TemplateDefinitionSchema.safeParse({name: 'x', properties: {header: 'h'.repeat(1025)}}).success).toBe(false);
        expect(TemplateDefinitionSchema.safeParse({name: 'x', properties: {purpose: 'ok'}}).success).toBe(true);
        expect(TemplateDefinitionSchema.safeParse({name: ' ', properties: {purpose: 'ok'}}).success).toBe(false);
    });

    test('name patterns: * is any run, the rest literal', () => {
        expect(nameMatches('announce-*', 'announce-news')).toBe(true);
        expect(nameMatches('announce-*', 'xannounce-news')).toBe(false);
        expect(nameMatches('*-qa', 'team-qa')).toBe(true);
        expect(nameMatches('town-square', 'town-square')).toBe(true);
        expect(nameMatches('', 'anything')).toBe(false);
    });
});

describe('diff computation', () => {
    const current: ChannelSettings = {
        moderation: defaultModeration(),
        moderation_unavailable: null,
        channel_admin_user_ids: ['u1'],
        header: 'old',
        purpose: 'keep',
    };

    test('one entry per rule, changed where the value differs; proposed settings merge admins', () => {
        const definition = readOnlyDefinition({channel_admins: {user_ids: ['u1', 'u2'], group_ids: [], channel_creator: false}});
        const diff = diffSettings(current, definition, ['u1', 'u2']);
        expect(diff).toEqual([
            {field: 'moderation.create_post.members', current: true, proposed: false, changed: true},
            {field: 'moderation.create_post.guests', current: true, proposed: false, changed: true},
            {field: 'moderation.use_channel_mentions.members', current: true, proposed: false, changed: true},
            {field: 'channel_admins', current: ['u1'], proposed: ['u1', 'u2'], changed: true},
            {field: 'header', current: 'old', proposed: 'Announcements only', changed: true},
        ]);
        const proposed = proposedSettings(current, definition, ['u1', 'u2']);
        expect(proposed.moderation!.create_post.members.value).toBe(false);
        expect(proposed.moderation!.create_reactions.members.value).toBe(true);
        expect(proposed.purpose).toBe('keep');
        expect(current.moderation!.create_post.members.value).toBe(true);
        expect(verifyApplied(proposed, definition, ['u1', 'u2'])).toEqual([]);
        expect(verifyApplied(current, definition, ['u1', 'u2'])).toHaveLength(5);
    });

    test('unknown moderation (no license) diffs as current null; nothing changed when equal', () => {
        const unknown = {...current, moderation: null, moderation_unavailable: 'needs_license' as const};
        expect(diffSettings(unknown, readOnlyDefinition(), [])[0]).toEqual({
            field: 'moderation.create_post.members',
            current: null,
            proposed: false,
            changed: true,
        });
        const same = readOnlyDefinition({
            moderation: {create_reactions: {members: true}},
            properties: {header: 'old'},
            channel_admins: {user_ids: [], group_ids: [], channel_creator: false},
        });
        expect(diffSettings(current, same, []).every((entry) => !entry.changed)).toBe(true);
    });

    test('patch, restore patch and scheme-blocked rules', () => {
        expect(moderationPatch(readOnlyDefinition())).toEqual([
            {name: 'create_post', roles: {members: false, guests: false}},
            {name: 'use_channel_mentions', roles: {members: false}},
        ]);
        const before = defaultModeration();
        before.create_post.guests!.value = false;
        expect(restorePatch(readOnlyDefinition(), before)).toEqual([
            {name: 'create_post', roles: {members: true, guests: false}},
            {name: 'use_channel_mentions', roles: {members: true}},
        ]);
        const scheme = defaultModeration();
        scheme.create_reactions.guests = {value: false, enabled: false};
        const grant = readOnlyDefinition({moderation: {create_reactions: {guests: true}, create_post: {members: false}}});
        expect(blockedRules(scheme, grant)).toEqual(['create_reactions for guests']);
    });
});

describe('proposal state machine', () => {
    test.each([
        ['pending', 'approve', 'approved'],
        ['pending', 'reject', 'rejected'],
        ['approved', 'applied', 'applied'],
        ['approved', 'failed', 'failed'],
        ['approved', 'needs_license', 'needs_license'],
        ['applied', 'rollback', 'rolled_back'],
        ['failed', 'retry', 'approved'],
        ['needs_license', 'retry', 'approved'],
        ['approved', 'retry', 'approved'],
    ] as const)('%s --%s--> %s', (from, event, to) => {
        expect(transition(from, event)).toBe(to);
    });

    test.each([
        ['applied', 'approve'],
        ['rejected', 'approve'],
        ['pending', 'rollback'],
        ['rolled_back', 'rollback'],
        ['rejected', 'retry'],
        ['applied', 'retry'],
    ] as const)('%s cannot %s', (from, event) => {
        expect(transition(from, event)).toBeNull();
    });

    test('counts cover every status', () => {
        expect(countStatuses(['pending', 'pending', 'applied'])).toEqual({
            pending: 2,
            approved: 0,
            applied: 1,
            rejected: 0,
            failed: 0,
            needs_license: 0,
            rolled_back: 0,
        });
    });
});

// ---- through the routes ----

describe('templates (system admin)', () => {
    test('starters are seeded once; create, update with a version check, delete', async () => {
        const t = await setup();
        const list = await t.sys('GET', TemplateRoutes.templates);
        expect(list.json.templates.map((template: {id: string}) => template.id)).toEqual([
            'read-only-announcements',
            'moderated-qa',
            'open-collaboration',
        ]);
        await t.app.dispatch('onActivate', 'null');
        expect((await t.sys('GET', TemplateRoutes.templates)).json.templates).toHaveLength(3);

        const created = await createTemplate(t);
        const update = {expected_version: created.version, definition: readOnlyDefinition({name: 'Renamed'})};
        const updated = await t.sys('PUT', TemplateRoutes.template(created.id), update);
        expect(updated.status).toBe(200);
        expect(updated.json).toMatchObject({version: 2, definition: {name: 'Renamed'}});
        const stale = await t.sys('PUT', TemplateRoutes.template(created.id), update);
        expect(stale.status).toBe(409);
        expect(stale.json.error.id).toBe(ErrorIds.conflict);

        const noVersion = await t.sys('DELETE', TemplateRoutes.template(created.id));
        expect(noVersion.status).toBe(400);
        expect(noVersion.json.error.message).toContain('body.expected_version');
        const staleDelete = await t.sys('DELETE', TemplateRoutes.template(created.id), {expected_version: 1});
        expect(staleDelete.status).toBe(409);
        const deleted = await t.sys('DELETE', TemplateRoutes.template(created.id), {expected_version: 2});
        expect(deleted.status).toBe(200);
        expect((await t.sys('GET', TemplateRoutes.templates)).json.templates).toHaveLength(3);
        expect(t.auditText().map((entry) => entry.action)).toEqual([
            'templates.template.create',
            'templates.template.update',
            'templates.template.delete',
        ]);
    });

    test('an invalid template is a 400 and stores nothing', async () => {
        const t = await setup();
        const before = kvDump(t.api.kv);
        const response = await t.sys('POST', TemplateRoutes.templates, {name: 'x', moderation: {manage_members: {guests: true}}});
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.invalid);
        expect(kvDump(t.api.kv)).toEqual(before);
    });

    test('team admins and members cannot read or write templates', async () => {
        const t = await setup();
        for (const user of [t.adminA, t.member]) {
            expect((await t.as(user.id)('GET', TemplateRoutes.templates)).status).toBe(403);
            expect((await t.as(user.id)('POST', TemplateRoutes.templates, readOnlyDefinition())).status).toBe(403);
            expect((await t.as(user.id)('POST', TemplateRoutes.credentialGrant, {})).status).toBe(403);
            expect((await t.as(user.id)('GET', TemplateRoutes.credential)).status).toBe(403);
        }
    });
});

describe('the moderation credential', () => {
    test('granted to a dedicated bot with only system_user_manager; ' +
        'the token is never returned, audited or logged; revocable', async () => {
        const t = await setup();
        const granted = await t.sys('POST', TemplateRoutes.credentialGrant, {});
        expect(granted.status).toBe(200);
        expect(granted.json).toMatchObject({
            granted: true,
            role: 'system_user_manager',
            granted_by: t.admin.id,
            bot_username: MODERATION_BOT_USERNAME,
        });
        const bot = t.api.directory.user(granted.json.bot_user_id);
        expect(bot.is_bot).toBe(true);
        expect(bot.username).toBe(MODERATION_BOT_USERNAME);
        expect(bot.roles.split(' ').sort()).toEqual(['system_user', 'system_user_manager']);

        // The cockpit bot (DMs) is another account.
        expect(new KvStore(t.api.kv).get(KvKeys.botUserId)).not.toBe(bot.id);

        const [token] = [...t.api.accessTokens.values()].map((entry) => entry.token);
        expect(token).toBeDefined();
        const status = await t.sys('GET', TemplateRoutes.credential);
        for (const text of [
            granted.body,
            status.body,
            JSON.stringify(t.auditText()),
            JSON.stringify(t.log.lines),
            JSON.stringify([...t.api.restCalls]),
        ]) {
            expect(text).not.toContain(token);
        }

        const revoked = await t.sys('POST', TemplateRoutes.credentialRevoke, {});
        expect(revoked.json).toMatchObject({granted: false, problems: ['not_granted']});
        expect(t.api.accessTokens.size).toBe(0);
        expect(t.api.directory.user(bot.id).roles.split(' ')).not.toContain('system_user_manager');
        expect(t.auditText().map((entry) => entry.action)).toEqual(['templates.credential.grant', 'templates.credential.revoke']);
    });

    test('refused on an unlicensed server (moderation cannot work): ' +
        '400 needs_license, no bot role, no token, nothing written', async () => {
        const t = await setup({licensed: false});
        const before = kvDump(t.api.kv);
        const refused = await t.sys('POST', TemplateRoutes.credentialGrant, {});
        expect(refused.status).toBe(400);
        expect(refused.json.error.id).toBe(ErrorIds.templatesNeedsLicense);
        expect(refused.json.error.message).toContain('license');
        expect(t.api.accessTokens.size).toBe(0);
        expect([...t.api.directory.users.values()].filter((user) => user.roles.split(' ').includes('system_user_manager'))).toEqual([]);
        expect(kvDump(t.api.kv)).toEqual(before);
        const status = await t.sys('GET', TemplateRoutes.credential);
        expect(status.json).toMatchObject({granted: false, problems: ['no_license', 'not_granted']});

        // With a license it is granted.
        t.api.license = {...license};
        expect((await t.sys('POST', TemplateRoutes.credentialGrant, {})).status).toBe(200);
    });

    test('granting again replaces the token (the old one is revoked)', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const first = [...t.api.accessTokens.keys()];
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const second = [...t.api.accessTokens.keys()];
        expect(second).toHaveLength(1);
        expect(second[0]).not.toBe(first[0]);
    });
});

describe('proposals, review and apply', () => {
    test('a proposal to two teams DMs each team admin with the buttons', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const proposalId = await proposeToBothTeams(t);
        const dms = t.api.createdPosts.filter((post) => post.props?.cockpit_template_proposal);
        expect(dms.map((post) => post.props.cockpit_template_proposal).sort()).toEqual(
            [`${proposalId}:${t.teamA.id}`, `${proposalId}:${t.teamB.id}`].sort(),
        );
        const dmToA = dms.find((post) => post.props.cockpit_template_proposal === `${proposalId}:${t.teamA.id}`)!;
        expect(t.api.directory.channelMember(dmToA.channel_id, t.adminA.id)).toBeDefined();
        expect(dmToA.message).toContain(ReviewPanel.path('alpha', proposalId));
        const actions = (
            dmToA.props.attachments as Array<{
                actions: Array<{id: string; integration: {url: string; context: Record<string, string>}}>;
            }>
        )[0].actions;
        expect(actions.map((action) => action.id)).toEqual(['approveall', 'rejectall', 'review']);
        expect(actions[0].integration).toEqual({
            url: `/plugins/onboarding-cockpit${TemplateRoutes.action}`,
            context: {proposal_id: proposalId, team_id: t.teamA.id, action: 'approve_all'},
        });
    });

    test('each team admin reads the DM and its buttons in their own language', async () => {
        const t = await setup();
        t.api.directory.users.get(t.adminA.id)!.locale = 'de';
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const proposalId = await proposeToBothTeams(t);
        const dmTo = (team: {id: string}) =>
            t.api.createdPosts.find((post) => post.props?.cockpit_template_proposal === `${proposalId}:${team.id}`)!;
        const words = (post: {message: string; props: Record<string, unknown>}) => {
            const [attachment] = post.props.attachments as Array<{fallback: string; actions: Array<{name: string}>}>;
            const buttons = attachment.actions.map((action) => action.name);
            return {first: post.message.split('\n')[0], fallback: attachment.fallback, buttons};
        };
        const german = words(dmTo(t.teamA));
        expect(german).toEqual({
            first: expect.stringMatching(/^\*\*Rollenvorlage vorgeschlagen für /),
            fallback: 'Rollenvorlagen-Vorschlag',
            buttons: ['Alle genehmigen', 'Alle ablehnen', 'Prüfen'],
        });
        expect(dmTo(t.teamA).message).toContain('[Prüfansicht öffnen](');
        expect(words(dmTo(t.teamB))).toEqual({
            first: expect.stringMatching(/^\*\*Role template proposed for /),
            fallback: 'Role template proposal',
            buttons: ['Approve all', 'Reject all', 'Review'],
        });
    });

    test('team admin A approves two, rejects one: applied, read back, audited; B and members are refused', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const proposalId = await proposeToBothTeams(t);
        const asA = t.as(t.adminA.id);

        const review = await asA('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId));
        expect(review.status).toBe(200);
        expect(review.json.items.map((item: {channel_name: string}) => item.channel_name).sort()).toEqual([
            'announce-it',
            'announce-news',
            'random',
        ]);
        const news = review.json.items.find((item: {channel_name: string}) => item.channel_name === 'announce-news');
        expect(news.current.moderation.create_post.members.value).toBe(true);
        expect(news.proposed.moderation.create_post.members.value).toBe(false);
        expect(news.diff.find((entry: {field: string}) => entry.field === 'channel_admins')).toMatchObject({
            proposed: [t.creator.id],
            changed: true,
        });

        // Isolation: B cannot look at team A; A's path with B's team id is refused; members get nothing.
        expect((await t.as(t.adminB.id)('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId))).status).toBe(403);
        expect((await t.as(t.adminB.id)('GET', TemplateRoutes.teamInbox(t.teamA.id))).status).toBe(403);
        expect((await asA('GET', TemplateRoutes.teamProposal(t.teamB.id, proposalId))).status).toBe(403);
        expect((await t.as(t.member.id)('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId))).status).toBe(403);
        const byMember = await t.as(t.member.id)('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: news.channel_id, decision: 'approve'}],
        });
        expect(byMember.status).toBe(403);
        const inboxB = await t.as(t.adminB.id)('GET', TemplateRoutes.teamInbox(t.teamB.id));
        expect(JSON.stringify(inboxB.json)).not.toContain(t.teamA.id);

        const [newsId, itId, randomId] = ['announce-news', 'announce-it', 'random'].map(
            (name) => t.channelsA.find((channel) => channel.name === name)!.id,
        );
        const decided = await asA('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [
                {channel_id: newsId, decision: 'approve'},
                {channel_id: itId, decision: 'approve', comment: 'ok'},
                {channel_id: randomId, decision: 'reject', comment: 'not an announcement channel'},
            ],
        });
        expect(decided.status).toBe(200);
        const statusOf = (id: string) => decided.json.items.find((item: {channel_id: string}) => item.channel_id === id);
        expect(statusOf(newsId)).toMatchObject({status: 'applied', reason: '', decided_by: t.adminA.id});
        expect(statusOf(itId)).toMatchObject({status: 'applied', comment: 'ok'});
        expect(statusOf(randomId)).toMatchObject({status: 'rejected', comment: 'not an announcement channel'});
        expect(statusOf(newsId).before.moderation.create_post.members.value).toBe(true);
        for (const id of [newsId, itId]) {
            expect(t.server.stateOf(id).create_post.members.value).toBe(false);
            expect(t.server.stateOf(id).create_post.guests!.value).toBe(false);
            expect(t.server.stateOf(id).use_channel_mentions.members.value).toBe(false);
            expect(t.server.stateOf(id).create_reactions.members.value).toBe(true);
            expect(t.api.directory.channel(id).header).toBe('Announcements only');
            expect(t.api.directory.channelMember(id, t.creator.id)?.scheme_admin).toBe(true);
        }
        expect(t.server.stateOf(randomId).create_post.members.value).toBe(true);
        expect(t.api.directory.channel(randomId).header).not.toBe('Announcements only');
        const actions = t.auditText().map((entry) => entry.action);
        expect(actions.filter((action) => action === 'templates.channel.apply')).toHaveLength(2);
        expect(actions).toContain('templates.channel.reject');

        // Deciding again is a 409 (stale version), and an applied channel cannot be approved again.
        const again = await asA('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: newsId, decision: 'approve'}],
        });
        expect(again.status).toBe(409);
        const twice = await asA('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: decided.json.version,
            decisions: [{channel_id: newsId, decision: 'approve'}],
        });
        expect(twice.status).toBe(409);
        expect(twice.json.error.id).toBe(ErrorIds.templateBadTransition);

        // The proposer sees per-channel status over both teams.
        const detail = await t.sys('GET', TemplateRoutes.proposal(proposalId));
        expect(detail.json.summary.counts).toMatchObject({applied: 2, rejected: 1, pending: 1});

        // Rollback restores the recorded settings and demotes whom the template promoted.
        const rolled = await asA('POST', TemplateRoutes.rollback(t.teamA.id, proposalId), {
            expected_version: decided.json.version,
            channel_ids: [newsId],
        });
        expect(rolled.status).toBe(200);
        expect(rolled.json.items.find((item: {channel_id: string}) => item.channel_id === newsId).status).toBe('rolled_back');
        expect(t.server.stateOf(newsId).create_post.members.value).toBe(true);
        expect(t.server.stateOf(newsId).use_channel_mentions.members.value).toBe(true);
        expect(t.api.directory.channelMember(newsId, t.creator.id)?.scheme_admin).toBe(false);
        expect(t.api.directory.channel(newsId).header).toBe('');
        expect(t.server.stateOf(itId).create_post.members.value).toBe(false);
        expect(t.auditText().map((entry) => entry.action)).toContain('templates.channel.rollback');

        // Every REST call made is one the host allows (server/host/rest.go restAllowList): reads and
        // patches of a channel's moderation, nothing else.
        expect(t.api.restCalls.length).toBeGreaterThan(0);
        for (const call of t.api.restCalls) {
            expect(`${call.method} ${call.path}`).toMatch(
                /^(GET \/api\/v4\/channels\/[a-z0-9]{26}\/moderations|PUT \/api\/v4\/channels\/[a-z0-9]{26}\/moderations\/patch)$/,
            );
        }
    });

    test('a mixed decision with one bad channel changes nothing', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const proposalId = await proposeToBothTeams(t);
        const review = await t.as(t.adminA.id)('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId));
        const before = kvDump(t.api.kv);
        const response = await t.as(t.adminA.id)('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: t.channelsA[0].id, decision: 'approve'}, {channel_id: t.channelB.id, decision: 'approve'}],
        });
        expect(response.status).toBe(400);
        expect(kvDump(t.api.kv)).toEqual(before);
        expect(t.server.moderation.size).toBe(0);
    });

    test('unlicensed server: ' +
        'each approved channel is needs_license, nothing changes, no crash; retry after licensing applies', async () => {
        const t = await setup({licensed: false});
        expect((await t.sys('POST', TemplateRoutes.credentialGrant, {})).status).toBe(400);
        const proposalId = await proposeToBothTeams(t);
        const review = await t.as(t.adminB.id)('GET', TemplateRoutes.teamProposal(t.teamB.id, proposalId));
        expect(review.status).toBe(200);
        expect(review.json.items[0].current).toMatchObject({moderation: null, moderation_unavailable: 'needs_license'});
        const decided = await t.as(t.adminB.id)('POST', TemplateRoutes.decide(t.teamB.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: t.channelB.id, decision: 'approve'}],
        });
        expect(decided.status).toBe(200);
        expect(decided.json.items[0]).toMatchObject({status: 'needs_license'});
        expect(decided.json.items[0].reason).toContain('license');
        expect(t.api.directory.channel(t.channelB.id).header).toBe('');
        const credential = await t.sys('GET', TemplateRoutes.credential);
        expect(credential.json.problems).toContain('no_license');

        t.api.license = {...license};
        expect((await t.sys('POST', TemplateRoutes.credentialGrant, {})).status).toBe(200);
        const retried = await t.as(t.adminB.id)('POST', TemplateRoutes.retry(t.teamB.id, proposalId), {
            expected_version: decided.json.version,
            channel_ids: [t.channelB.id],
        });
        expect(retried.json.items[0]).toMatchObject({status: 'applied'});
    });

    test('without the credential, approving fails with a reason (nothing applied)', async () => {
        const t = await setup();
        const proposalId = await proposeToBothTeams(t);
        const review = await t.as(t.adminB.id)('GET', TemplateRoutes.teamProposal(t.teamB.id, proposalId));
        const decided = await t.as(t.adminB.id)('POST', TemplateRoutes.decide(t.teamB.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: t.channelB.id, decision: 'approve'}],
        });
        expect(decided.json.items[0].status).toBe('failed');
        expect(decided.json.items[0].reason).toContain('credential');
    });

    test('DM buttons: only the clicking team admin of that team decides', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const proposalId = await proposeToBothTeams(t);
        const click = (userId: string, bodyUserId: string, action: string, teamId = t.teamA.id) =>
            t.as(userId)('POST', TemplateRoutes.action, {
                user_id: bodyUserId,
                post_id: 'p',
                context: {proposal_id: proposalId, team_id: teamId, action},
            });
        expect((await click(t.member.id, t.member.id, 'approve_all')).status).toBe(403);
        expect((await click(t.adminB.id, t.adminB.id, 'approve_all')).status).toBe(403);
        expect((await click(t.adminB.id, t.adminA.id, 'approve_all')).status).toBe(403);
        const review = await click(t.adminA.id, t.adminA.id, 'review');
        expect(review.json.ephemeral_text).toContain(ReviewPanel.path('alpha', proposalId));
        const approved = await click(t.adminA.id, t.adminA.id, 'approve_all');
        expect(approved.status).toBe(200);
        expect(approved.json.ephemeral_text).toContain('Approved 3 channels: 3 applied.');
        const detail = await t.sys('GET', TemplateRoutes.proposal(proposalId));
        expect(detail.json.teams.find((team: {team_id: string}) => team.team_id === t.teamA.id).counts).toMatchObject({applied: 3});
        expect(detail.json.teams.find((team: {team_id: string}) => team.team_id === t.teamB.id).counts).toMatchObject({pending: 1});
    });

    test('new channels of a team join a "new channels" proposal as pending', async () => {
        const t = await setup();
        const template = await createTemplate(t);
        const created = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamB.id, new_channels: true}],
        });
        expect(created.status).toBe(201);
        expect(created.json.teams[0].items).toEqual([]);
        const channel = t.api.addChannel(t.teamB.id, 'fresh');
        await t.app.dispatch('channelHasBeenCreated', JSON.stringify(t.api.directory.channel(channel.id)));
        await t.app.dispatch('channelHasBeenCreated', JSON.stringify(t.api.directory.channel(channel.id)));
        const review = await t.as(t.adminB.id)('GET', TemplateRoutes.teamProposal(t.teamB.id, created.json.summary.id));
        expect(review.json.items.map((item: {channel_id: string; status: string}) => [item.channel_id, item.status])).toEqual([
            [channel.id, 'pending'],
        ]);

        // The team's admin was told once (the second, duplicate event added nothing).
        const notices = t.api.createdPosts.filter(
            (post) =>
                post.props?.cockpit_template_proposal === `${created.json.summary.id}:${t.teamB.id}` &&
                post.message.includes('fresh'),
        );
        expect(notices).toHaveLength(1);
        expect(t.api.directory.channelMember(notices[0].channel_id, t.adminB.id)).toBeDefined();
    });

    test('channel admins by name: people outside the channel\'s team are skipped and reported, the channel is still applied', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});

        // mia is in both teams, bob only in beta: for alpha's channel, bob is skipped.
        const template = await createTemplate(
            t,
            readOnlyDefinition({channel_admins: {user_ids: [t.adminB.id, t.member.id], group_ids: [], channel_creator: false}}),
        );
        const news = t.channelsA[0];
        const created = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, channel_ids: [news.id]}],
        });
        expect(created.status).toBe(201);
        const proposalId = created.json.summary.id as string;
        const asA = t.as(t.adminA.id);
        const review = await asA('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId));
        expect(review.json.items[0].skipped_admin_user_ids).toEqual([t.adminB.id]);
        expect(review.json.items[0].diff.find((entry: {field: string}) => entry.field === 'channel_admins')).toMatchObject({
            proposed: [t.member.id],
        });

        const decided = await asA('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: news.id, decision: 'approve'}],
        });
        expect(decided.json.items[0]).toMatchObject({status: 'applied', reason: '', skipped_admin_user_ids: [t.adminB.id]});
        expect(t.api.directory.channelMember(news.id, t.member.id)?.scheme_admin).toBe(true);
        expect(t.api.directory.channelMember(news.id, t.adminB.id)).toBeUndefined();
        expect(t.api.directory.teamMember(t.teamA.id, t.adminB.id)).toBeUndefined();
        const applied = t.auditText().find((entry) => entry.action === 'templates.channel.apply');
        expect(applied?.after).toMatchObject({proposal_id: proposalId, skipped_admins_not_in_team: [t.adminB.id]});

        const rolled = await asA('POST', TemplateRoutes.rollback(t.teamA.id, proposalId), {
            expected_version: decided.json.version,
            channel_ids: [news.id],
        });
        expect(rolled.json.items[0].status).toBe('rolled_back');
        expect(t.api.directory.channelMember(news.id, t.member.id)?.scheme_admin).toBe(false);
    });

    test('channel admins on a channel with its own scheme: the scheme\'s role names are used to promote and to demote', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const news = t.channelsA[0];

        // As the server once a channel has a channel scheme (the first moderation patch creates one): the
        // members' roles carry the scheme's generated names, and only those are accepted
        // (app/channel.go UpdateChannelMemberRoles).
        const [userRole, adminRole] = ['schemeuserrole0000000000000', 'schemeadminrole000000000000'];
        t.api.addChannelMember(news.id, t.adminA.id, `${userRole} ${adminRole}`);
        t.api.directory.channelMember(news.id, t.adminA.id)!.scheme_admin = true;
        t.api.addTeamMember(t.teamA.id, t.member.id);
        t.api.addChannelMember(news.id, t.member.id, userRole);
        const seen: string[] = [];
        t.api.channels.updateMemberRoles = (channelId, userId, roles) => {
            seen.push(roles);
            const member = t.api.directory.channelMember(channelId, userId)!;
            if (roles.split(' ').some((role) => role !== userRole && role !== adminRole)) {
                throw Object.assign(
                    new Error(
                        'The provided role is managed by a Scheme and therefore cannot be applied directly to a Channel Member.',
                    ),
                    {},
                );
            }
            member.roles = roles;
            member.scheme_admin = roles.split(' ').includes(adminRole);
            return {...member};
        };
        const template = await createTemplate(
            t,
            readOnlyDefinition({channel_admins: {user_ids: [t.member.id], group_ids: [], channel_creator: false}}),
        );
        const created = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, channel_ids: [news.id]}],
        });
        const proposalId = created.json.summary.id as string;
        const asA = t.as(t.adminA.id);
        const review = await asA('GET', TemplateRoutes.teamProposal(t.teamA.id, proposalId));
        const decided = await asA('POST', TemplateRoutes.decide(t.teamA.id, proposalId), {
            expected_version: review.json.version,
            decisions: [{channel_id: news.id, decision: 'approve'}],
        });
        expect(decided.json.items[0]).toMatchObject({status: 'applied', reason: ''});
        expect(t.api.directory.channelMember(news.id, t.member.id)).toMatchObject({scheme_admin: true, roles: `${userRole} ${adminRole}`});
        const rolled = await asA('POST', TemplateRoutes.rollback(t.teamA.id, proposalId), {
            expected_version: decided.json.version,
            channel_ids: [news.id],
        });
        expect(rolled.json.items[0]).toMatchObject({status: 'rolled_back', reason: ''});
        expect(t.api.directory.channelMember(news.id, t.member.id)).toMatchObject({scheme_admin: false, roles: userRole});
        expect(seen).toEqual([`${userRole} ${adminRole}`, userRole]);

        // The admin who was there before keeps their role.
        expect(t.api.directory.channelMember(news.id, t.adminA.id)?.scheme_admin).toBe(true);
    });

    test('channel admins by group: each team\'s channel gets the group members of that team, the others are skipped', async () => {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});

        // carl is only in alpha, bob only in beta, mia in both.
        const group = t.api.addGroup('leads');
        for (const user of [t.creator, t.adminB, t.member]) {
            t.api.addGroupMember(group.id, user.id);
        }
        const template = await createTemplate(
            t,
            readOnlyDefinition({channel_admins: {user_ids: [], group_ids: [group.id], channel_creator: false}}),
        );
        const news = t.channelsA[0];
        const created = await t.sys('POST', TemplateRoutes.proposals, {template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, channel_ids: [news.id]}, {team_id: t.teamB.id, channel_ids: [t.channelB.id]}]});
        expect(created.status).toBe(201);
        const proposalId = created.json.summary.id as string;
        const approve = async (adminId: string, teamId: string, channelId: string) => {
            const review = await t.as(adminId)('GET', TemplateRoutes.teamProposal(teamId, proposalId));
            const decided = await t.as(adminId)('POST', TemplateRoutes.decide(teamId, proposalId), {
                expected_version: review.json.version,
                decisions: [{channel_id: channelId, decision: 'approve'}],
            });
            expect(decided.status).toBe(200);
            return decided.json.items[0];
        };
        const inA = await approve(t.adminA.id, t.teamA.id, news.id);
        expect(inA).toMatchObject({status: 'applied', skipped_admin_user_ids: [t.adminB.id]});
        expect(t.api.directory.channelMember(news.id, t.creator.id)?.scheme_admin).toBe(true);
        expect(t.api.directory.channelMember(news.id, t.member.id)?.scheme_admin).toBe(true);
        expect(t.api.directory.channelMember(news.id, t.adminB.id)).toBeUndefined();
        const inB = await approve(t.adminB.id, t.teamB.id, t.channelB.id);
        expect(inB).toMatchObject({status: 'applied', skipped_admin_user_ids: [t.creator.id]});
        expect(t.api.directory.channelMember(t.channelB.id, t.adminB.id)?.scheme_admin).toBe(true);
        expect(t.api.directory.channelMember(t.channelB.id, t.member.id)?.scheme_admin).toBe(true);
        expect(t.api.directory.channelMember(t.channelB.id, t.creator.id)).toBeUndefined();
    });

    test('a name pattern covers the public channels it matches, never private ones; a private channel picked by id is in', async () => {
        const t = await setup();
        const secret = t.api.addChannel(t.teamA.id, 'announce-secret', 'P');
        const template = await createTemplate(t);
        const byPattern = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, name_pattern: 'announce-*'}],
        });
        expect(byPattern.status).toBe(201);
        expect(byPattern.json.teams[0].items.map((item: {channel_name: string}) => item.channel_name).sort()).toEqual([
            'announce-it',
            'announce-news',
        ]);
        const picked = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, name_pattern: 'announce-*', channel_ids: [secret.id]}],
        });
        expect(picked.status).toBe(201);
        expect(picked.json.teams[0].items.map((item: {channel_name: string}) => item.channel_name).sort()).toEqual([
            'announce-it',
            'announce-news',
            'announce-secret',
        ]);

        // Only a private channel matches: nothing to propose.
        expect((await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 1,
            teams: [{team_id: t.teamA.id, name_pattern: 'announce-sec*'}],
        })).status).toBe(400);
    });

    test('bad proposals are refused before anything is written', async () => {
        const t = await setup();
        const template = await createTemplate(t);
        const before = kvDump(t.api.kv);
        const cases = [
            {template_id: template.id, template_version: 1, teams: [{team_id: t.teamA.id, channel_ids: [t.channelB.id]}]},
            {template_id: template.id, template_version: 1, teams: [{team_id: t.teamA.id, name_pattern: 'nomatch-*'}]},
            {template_id: template.id, template_version: 1, teams: [{team_id: t.teamA.id}]},
            {template_id: template.id, template_version: 1, teams: [{team_id: t.teamA.id, name_pattern: 'A B'}]},
        ];
        for (const body of cases) {
            expect((await t.sys('POST', TemplateRoutes.proposals, body)).status).toBe(400);
        }
        expect((await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: 7,
            teams: [{team_id: t.teamA.id, new_channels: true}],
        })).status).toBe(409);
        expect(kvDump(t.api.kv)).toEqual(before);
    });
});

describe('delegated administration', () => {
    test('assigns exactly the requested delegated roles where the license allows; audited', async () => {
        const t = await setup();
        const state = await t.sys('GET', TemplateRoutes.delegation);
        expect(state.json).toEqual({
            license: {licensed: true, sku: 'enterprise', channel_moderation: true, delegated_roles: true},
            version: 0,
            admins: [],
        });
        const assigned = await t.sys('POST', TemplateRoutes.delegation, {
            expected_version: 0,
            user_id: t.member.id,
            roles: ['system_user_manager', 'system_read_only_admin'],
        });
        expect(assigned.status).toBe(200);
        expect(assigned.json.admins).toEqual([
            {user_id: t.member.id, username: 'mia', roles: ['system_user_manager', 'system_read_only_admin']},
        ]);
        expect(t.api.directory.user(t.member.id).roles.split(' ').sort()).toEqual([
            'system_read_only_admin',
            'system_user',
            'system_user_manager',
        ]);
        expect((await t.sys('POST', TemplateRoutes.delegation, {expected_version: 0, user_id: t.member.id, roles: []})).status).toBe(409);
        const cleared = await t.sys('POST', TemplateRoutes.delegation, {expected_version: 1, user_id: t.member.id, roles: []});
        expect(cleared.json.admins).toEqual([]);
        expect(t.api.directory.user(t.member.id).roles).toBe('system_user');
        expect((await t.sys('POST', TemplateRoutes.delegation, {
            expected_version: 2, user_id: t.member.id, roles: ['system_admin'],
        })).status).toBe(400);
    });

    test('without CustomPermissionsSchemes in the license: 400 needs_license, nothing changes', async () => {
        const t = await setup({licensed: false});
        const state = await t.sys('GET', TemplateRoutes.delegation);
        expect(state.json.license).toEqual({licensed: false, sku: '', channel_moderation: false, delegated_roles: false});
        const response = await t.sys('POST', TemplateRoutes.delegation, {
            expected_version: 0,
            user_id: t.member.id,
            roles: ['system_manager'],
        });
        expect(response.status).toBe(400);
        expect(response.json.error.id).toBe(ErrorIds.templatesNeedsLicense);
        expect(t.api.directory.user(t.member.id).roles).toBe('system_user');
    });
});

describe('/onboarding review', () => {
    const run = async (t: Setup, userId: string, teamId: string, command = '/onboarding review') =>
        JSON.parse(
            await t.app.dispatch(
                'executeCommand',
                JSON.stringify({
                    user_id: userId,
                    team_id: teamId,
                    channel_id: 'c',
                    root_id: '',
                    trigger_id: '',
                    command,
                    site_url: '',
                }),
            ),
        );

    test('registered on activation; a team admin is sent to the review panel; a member is told no', async () => {
        const t = await setup();
        expect(t.api.registeredCommands).toContain('onboarding');
        await proposeToBothTeams(t);
        const forAdmin = await run(t, t.adminA.id, t.teamA.id);

        // goto_location relative, so the web app opens the panel in-app whatever hostname the browser used;
        // the visible text keeps the absolute link.
        expect(forAdmin).toMatchObject({response_type: 'ephemeral', goto_location: '/alpha/onboarding-cockpit/review'});
        expect(forAdmin.text).toContain(`http://localhost:8065${ReviewPanel.path('alpha')}`);
        expect(forAdmin.text).toContain('3 channels of this team wait for your review.');
        const forMember = await run(t, t.member.id, t.teamA.id);
        expect(forMember.goto_location).toBeUndefined();
        expect(forMember.text).toContain('Only admins');
        expect((await run(t, t.adminA.id, t.teamA.id, '/onboarding')).text).toContain('Usage');
    });
});

test('hostile path ids answer 404, never 500', async () => {
    const t = await setup();
    for (const path of [
        TemplateRoutes.proposal('\u0000'),
        TemplateRoutes.proposal('x'.repeat(4096)),
        TemplateRoutes.teamInbox('negative'),
        TemplateRoutes.teamInbox('ünïcode'),
        TemplateRoutes.teamProposal('negative', 'nope'),
    ]) {
        const response = await t.sys('GET', path);
        expect([path.slice(0, 80), response.status]).toEqual([path.slice(0, 80), 404]);
    }
    const click = await t.sys('POST', TemplateRoutes.action, {
        user_id: t.admin.id,
        post_id: 'p',
        context: {proposal_id: '\u0000', team_id: t.teamA.id, action: 'review'},
    });
    expect(click.status).toBe(404);
});

// ---- a crash (the plugin process killed) after any side effect of an approval ----

class Crash extends Error {}

/** Calls that change something outside the process: KV writes, channel changes, REST writes (moderation). */
const applySideEffects: Record<string, string[]> = {
    kv: ['set', 'compareAndSet', 'setWithOptions', 'setWithExpiry', 'delete'],
    channels: ['addMember', 'updateMemberRoles', 'update'],
    rest: ['request'],
};

/**
 * The API as a process that dies at its `crashAt`-th side effect: `before` = that call never happens,
 * `after` = it happens and the process dies before seeing the answer; after that every call throws.
 */
function dyingApi(api: InMemoryMattermostApi, crashAt: number, when: 'before' | 'after') {
    const state = {steps: 0, dead: false};
    const wrapped: Record<string, unknown> = {};
    for (const namespace of Object.keys(api) as Array<keyof MattermostApi>) {
        const target = api[namespace] as unknown as Record<string, unknown>;
        if (typeof target !== 'object' || target === null) {
            continue;
        }
        wrapped[namespace] = new Proxy(target, {
            get(object, name) {
                const value = Reflect.get(object, name);
                if (typeof value !== 'function') {
                    return value;
                }
                return (...args: unknown[]) => {
                    if (state.dead) {
                        throw new Crash('dead');
                    }
                    const effect = applySideEffects[namespace]?.includes(String(name)) &&
                        !(namespace === 'rest' && (args[0] as {method?: string}).method === 'GET');
                    if (effect && ++state.steps === crashAt && when === 'before') {
                        state.dead = true;
                        throw new Crash('before');
                    }
                    const result = (value as (...a: unknown[]) => unknown).apply(object, args);
                    if (effect && state.steps === crashAt) {
                        state.dead = true;
                        throw new Crash('after');
                    }
                    return result;
                };
            },
        });
    }
    return {api: wrapped as unknown as MattermostApi, crashed: () => state.dead};
}

describe('an approval killed after any side effect, then recovered', () => {
    async function approvalRun(crashAt: number, when: 'before' | 'after') {
        const t = await setup();
        await t.sys('POST', TemplateRoutes.credentialGrant, {});
        const template = await createTemplate(t);
        const channels = t.channelsA.filter((channel) => channel.name.startsWith('announce-'));
        const proposed = await t.sys('POST', TemplateRoutes.proposals, {
            template_id: template.id,
            template_version: template.version,
            teams: [{team_id: t.teamA.id, name_pattern: 'announce-*'}],
        });
        const proposalId = proposed.json.summary.id as string;
        const version = readTeamPart(new KvStore(t.api.kv), proposalId, t.teamA.id).version;
        const dying = dyingApi(t.api, crashAt, when);
        const context: WriteContext = {api: dying.api, kv: new KvStore(dying.api.kv), log: t.log, userId: t.adminA.id};
        try {
            decide(
                context,
                t.teamA.id,
                proposalId,
                {
                    expected_version: version,
                    decisions: channels.map((channel) => ({channel_id: channel.id, decision: 'approve', comment: ''})),
                },
                Date.now(),
            );
        } catch (error) {
            if (!(error instanceof Crash)) {
                throw error;
            }
        }
        const itemsNow = () => readTeamPart(new KvStore(t.api.kv), proposalId, t.teamA.id).part.items;
        const applyAudits = (channelId: string) =>
            t.auditText().filter((entry) => entry?.action === 'templates.channel.apply' && entry.target === `channel:${channelId}`).
                length;
        const carriesTemplate = (channelId: string) =>
            t.server.stateOf(channelId).create_post.members.value === false &&
            t.server.stateOf(channelId).create_post.guests!.value === false &&
            t.server.stateOf(channelId).use_channel_mentions.members.value === false &&
            t.api.directory.channel(channelId).header === 'Announcements only' &&
            t.api.directory.channelMember(channelId, t.creator.id)?.scheme_admin === true;
        const untouched = (channelId: string) => t.server.stateOf(channelId).create_post.members.value === true &&
            t.server.stateOf(channelId).use_channel_mentions.members.value === true && t.api.directory.channel(channelId).header === '' &&
            t.api.directory.channelMember(channelId, t.creator.id)?.scheme_admin !== true;
        return {t, proposalId, channels, dying, itemsNow, applyAudits, carriesTemplate, untouched};
    }

    /** Applied with its settings on the channel and ONE audit entry, or pending and untouched; never anything else. */
    function expectSettled(run: Awaited<ReturnType<typeof approvalRun>>, label: string) {
        for (const item of run.itemsNow()) {
            const state = {label, status: item.status, reason: item.reason};
            if (item.status === 'applied') {
                expect({
                    ...state,
                    template: run.carriesTemplate(item.channel_id),
                    audits: run.applyAudits(item.channel_id),
                }).toEqual({...state, template: true, audits: 1});

                // What a rollback restores: the settings from before the FIRST attempt, not a half-applied read.
                expect({...state, before: item.before?.moderation?.create_post.members.value, header: item.before?.header}).toEqual(
                    {...state, before: true, header: ''},
                );
            } else {
                expect({...state, untouched: run.untouched(item.channel_id), audits: run.applyAudits(item.channel_id)}).toEqual({
                    ...state,
                    status: 'pending',
                    untouched: true,
                    audits: 0,
                });
            }
        }
    }

    test.each([['before' as const], ['after' as const]])(
        'crash %s each side effect; activation recovers every approved channel',
        async (when) => {
            let crashes = 0;
            for (let crashAt = 1; ; crashAt++) {
                const run = await approvalRun(crashAt, when);
                if (!run.dying.crashed()) {
                    expect(crashAt).toBeGreaterThan(10);
                    expectSettled(run, 'undisturbed');
                    expect(run.itemsNow().every((item) => item.status === 'applied')).toBe(true);
                    break;
                }
                crashes++;

                // The plugin comes back: activation finishes what the crash interrupted.
                await run.t.app.dispatch('onActivate', 'null');
                expectSettled(run, `crash ${when} side effect ${crashAt}`);

                // Nothing is stuck: what is still pending can be decided and is applied.
                const pending = run.itemsNow().filter((item) => item.status === 'pending');
                if (pending.length > 0) {
                    const version = readTeamPart(new KvStore(run.t.api.kv), run.proposalId, run.t.teamA.id).version;
                    const again = await run.t.as(run.t.adminA.id)('POST', TemplateRoutes.decide(run.t.teamA.id, run.proposalId), {
                        expected_version: version,
                        decisions: pending.map((item) => ({channel_id: item.channel_id, decision: 'approve'})),
                    });
                    expect(again.status).toBe(200);
                }
                expect(run.itemsNow().map((item) => item.status)).toEqual(['applied', 'applied']);
                expectSettled(run, `crash ${when} side effect ${crashAt}, decided again`);

                // Activating again writes nothing more.
                const audits = run.t.auditText().length;
                await run.t.app.dispatch('onActivate', 'null');
                expect(run.t.auditText()).toHaveLength(audits);
            }
            expect(crashes).toBeGreaterThan(10);
        });

    test('an approved channel left by a crash can be retried by the team admin, converging with one audit entry', async () => {
        // Crash after the moderation patch of the first channel: its `before` is recorded, the channel half applied.
        let crashAt = 1;
        let run = await approvalRun(crashAt, 'after');
        while (!(run.dying.crashed() && run.t.api.restCalls.some((call) => call.method === 'PUT'))) {
            crashAt++;
            run = await approvalRun(crashAt, 'after');
        }
        const interrupted = run.itemsNow().filter((item) => item.status === 'approved');
        expect(interrupted.length).toBeGreaterThan(0);
        expect(interrupted[0].before).not.toBeNull();
        const version = readTeamPart(new KvStore(run.t.api.kv), run.proposalId, run.t.teamA.id).version;

        // Team B's admin and a member may not; the team admin of team A may.
        expect((await run.t.as(run.t.adminB.id)('POST', TemplateRoutes.retry(run.t.teamA.id, run.proposalId), {
            expected_version: version,
            channel_ids: interrupted.map((item) => item.channel_id),
        })).status).toBe(403);
        const retried = await run.t.as(run.t.adminA.id)('POST', TemplateRoutes.retry(run.t.teamA.id, run.proposalId), {
            expected_version: version,
            channel_ids: interrupted.map((item) => item.channel_id),
        });
        expect(retried.status).toBe(200);
        for (const item of interrupted) {
            expect(
                retried.json.items.find((candidate: {channel_id: string}) => candidate.channel_id === item.channel_id),
            ).toMatchObject({status: 'applied', reason: ''});
        }
        expectSettled(run, 'retried');

        // A rollback puts back the settings from before the first, interrupted attempt.
        const rollbackVersion = readTeamPart(new KvStore(run.t.api.kv), run.proposalId, run.t.teamA.id).version;
        const rolled = await run.t.as(run.t.adminA.id)('POST', TemplateRoutes.rollback(run.t.teamA.id, run.proposalId), {
            expected_version: rollbackVersion,
            channel_ids: [interrupted[0].channel_id],
        });
        expect(rolled.status).toBe(200);
        expect(run.untouched(interrupted[0].channel_id)).toBe(true);
    });

    test('the recovery job leaves approvals younger than the grace period to their request, then applies them', async () => {
        let crashAt = 1;
        let run = await approvalRun(crashAt, 'before');
        while (!(run.dying.crashed() && run.itemsNow().some((item) => item.status === 'approved'))) {
            crashAt++;
            run = await approvalRun(crashAt, 'before');
        }
        const context: WriteContext = {api: run.t.api, kv: new KvStore(run.t.api.kv), log: run.t.log, userId: ''};
        expect(recoverInterrupted(context, Date.now()).applied).toBe(0);
        expect(run.itemsNow().some((item) => item.status === 'approved')).toBe(true);
        expect(recoverInterrupted(context, Date.now() + recoveryGraceMs + 1).applied).toBeGreaterThan(0);
        expectSettled(run, 'recovered by the job');
        expect(run.itemsNow().every((item) => item.status === 'applied')).toBe(true);
    });

    test('a failure while recovering ends failed with its reason and the channel restored, never half applied', async () => {
        let crashAt = 1;
        let run = await approvalRun(crashAt, 'after');
        while (!(run.dying.crashed() && run.t.api.restCalls.some((call) => call.method === 'PUT'))) {
            crashAt++;
            run = await approvalRun(crashAt, 'after');
        }
        const interrupted = run.itemsNow().find((item) => item.status === 'approved')!;

        // The server now refuses the template's header (the last change): the re-apply cannot complete.
        const originalUpdate = run.t.api.channels.update.bind(run.t.api.channels);
        run.t.api.channels.update = (channel) => {
            if (channel.header === 'Announcements only') {
                throw new Error('refused by the server');
            }
            return originalUpdate(channel);
        };
        await run.t.app.dispatch('onActivate', 'null');
        const item = run.itemsNow().find((candidate) => candidate.channel_id === interrupted.channel_id)!;
        expect(item.status).toBe('failed');
        expect(item.reason).toMatch(/refused by the server/);
        expect(item.reason).toMatch(/The changes were undone/);
        expect(run.t.server.stateOf(item.channel_id).create_post.members.value).toBe(true);
        expect(run.t.api.directory.channel(item.channel_id).header).toBe('');
        expect(run.t.api.directory.channelMember(item.channel_id, run.t.creator.id)?.scheme_admin ?? false).toBe(false);
        expect(
            run.t.
                auditText().
                filter(
                    (entry) => entry?.action === 'templates.channel.apply_failed' && entry.target === `channel:${item.channel_id}`,
                ),
        ).toHaveLength(1);
    });
});
