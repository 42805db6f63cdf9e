import {brandingFieldNames, defaultBrandingValues} from 'contract/branding';
import {BUNDLE_FORMAT, BUNDLE_PARTS, BundleSchema, type Bundle, type BundleApply, type BundlePreview} from 'contract/bundle';
import {bytesToBase64, sha256Hex} from 'contract/bytes';
import {AdoptionEndpoints} from 'contract/endpoints/adoption';
import {BrandingEndpoints} from 'contract/endpoints/branding';
import {BundleEndpoints} from 'contract/endpoints/bundle';
import {JourneyEndpoints} from 'contract/endpoints/journey';
import {PlanEndpoints} from 'contract/endpoints/plan';
import {TemplateEndpoints} from 'contract/endpoints/templates';
import {WaveEndpoints} from 'contract/endpoints/waves';
import {ErrorIds} from 'contract/errors';

import {brandingPatch} from '../branding/config';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

// Two in-memory servers: "staging" prepares every part through the cockpit's own routes, "production"
// has the same team, channel, user and group names under other ids (created in another order).

const png = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
const credentialToken = 'moderation-token-never-exported';

async function server(kind: 'staging' | 'production', options: {withHelpChannel?: boolean} = {}) {
    const harness = testApp();
    const {api} = harness;
    if (kind === 'production') {
        // Other ids for the same names.
        api.addTeam('elsewhere');
        api.addGroup('others');
        api.addUser({username: 'someone-else'});
    }
    const admin = api.addSystemAdmin('admin');
    const lead = api.addUser({username: 'lead', email: 'lead@corp.example'});
    const team = api.addTeam('rollout');
    const info = api.addChannel(team.id, 'general-info');
    const help = options.withHelpChannel === false ? undefined : api.addChannel(team.id, 'help');
    const group = api.addGroup('champions');

    // Both servers start with Mattermost's default branding.
    for (const [section, settings] of Object.entries(brandingPatch(defaultBrandingValues, brandingFieldNames))) {
        api.serverConfig[section] = {...api.serverConfig[section], ...settings};
    }
    await harness.app.dispatch('onActivate', 'null');
    const as = async (method: string, path: string, body?: unknown, query?: Record<string, string[]>) =>
        harness.request(method, path, {userId: admin.id, body, query});
    return {...harness, admin, lead, team, info, help, group, as, kv: new KvStore(api.kv)};
}

type Server = Awaited<ReturnType<typeof server>>;

/** Staging's preparation, each through its own route. */
async function prepareStaging(staging: Server) {
    const {as} = staging;
    const plan = (await as('GET', PlanEndpoints.plan.path)).json;
    const taskId: string = plan.plan.phases[0].tasks[0].id;
    expect((await as('PATCH', PlanEndpoints.updateTask.toPath({taskId}),
        {expected_version: plan.plan.version, changes: {notes: 'Staging says: pilot with 50 people', state: 'in_progress'}},
    )).status).toBe(200);

    const template = await as('POST', TemplateEndpoints.create.path, {
        name: 'Announcements only',
        moderation: {create_post: {members: false, guests: false}},
        channel_admins: {user_ids: [staging.lead.id], group_ids: [staging.group.id], channel_creator: true},
    });
    expect(template.status).toBe(201);

    const wave = await as('POST', WaveEndpoints.create.path, {
        name: 'Pilot wave',
        cohort: {
            csv: [{line: 2, value: 'lead@corp.example'}],
            team_ids: [staging.team.id],
            group_ids: [staging.group.id],
            email_domains: ['corp.example'],
        },
        targets: {
            teams: [{team_id: staging.team.id, role: 'member'}],
            channels: [{channel_id: staging.info.id, role: 'member'}],
            create_channels: [{team_id: staging.team.id, name: 'pilot-chat', display_name: 'Pilot chat'}],
        },
        throttle: {users_per_second: 7},
        feedback: {enabled: true, help_desk_channel_id: staging.help!.id},
    });
    expect(wave.status).toBe(201);
    const waveId: string = wave.json.id;
    expect((await as('PUT', JourneyEndpoints.update.toPath({waveId}), {
        expected_version: 0,
        steps: [{id: 'app', after: 'previous', delay_minutes: 60, condition: 'no_mobile_session', template: 'Get the app'}],
    })).status).toBe(200);

    expect((await as('POST', BrandingEndpoints.apply.path, {
        expected_version: 0,
        values: {...defaultBrandingValues, site_name: 'Bank Chat', help_link: 'https://help.bank.example'},
        image: {kind: 'uploaded', sha256: sha256Hex(png), content_type: 'image/png', size: png.length, data_base64: bytesToBase64(png)},
    })).status).toBe(200);

    expect((await as('PUT', AdoptionEndpoints.targets.path, {
        expected_version: 0,
        targets: [
            {id: 'mau', label: 'MAU', metric: 'weekly_active', kind: 'percent', threshold: 80, base: 'provisioned', due: '2027-03-01'},
        ],
    })).status).toBe(200);

    // A secret the export must never carry.
    staging.kv.set(KvKeys.moderationCredential, {
        bot_user_id: staging.admin.id, token_id: 'tok1', token: credentialToken, granted_by: staging.admin.id, granted_at: 1,
    });
    return {waveId};
}

async function exportFrom(staging: Server, query: Record<string, string[]> = {}): Promise<{text: string; bundle: Bundle}> {
    const response = await staging.as('GET', BundleEndpoints.export.path, undefined, query);
    expect(response.status).toBe(200);
    expect(response.headers?.['Content-Disposition']).toMatch(/attachment; filename="cockpit-bundle-\d{4}-\d{2}-\d{2}\.json"/);
    const text = response.body ?? '';
    return {text, bundle: BundleSchema.parse(JSON.parse(text))};
}

const part = (preview: BundlePreview, name: string) => preview.parts.find((entry) => entry.part === name)!;
const everyPart = [...BUNDLE_PARTS];
const statuses = (answer: BundleApply) => answer.parts.map((entry) => entry.status);

test('export carries every part with names instead of ids, and no secret, results or people unless asked', async () => {
    const staging = await server('staging');
    await prepareStaging(staging);
    const {text, bundle} = await exportFrom(staging);

    expect(bundle.format).toBe(BUNDLE_FORMAT);
    expect(bundle.source.site_name).toBe('Bank Chat');
    expect(Object.keys(bundle.parts).sort()).toEqual(['adoption_targets', 'branding', 'plan', 'templates', 'waves']);
    const wave = bundle.parts.waves![0];
    expect(wave.definition.targets.teams).toEqual([{team: 'rollout', role: 'member'}]);
    expect(wave.definition.targets.channels).toEqual([{team: 'rollout', channel: 'general-info', role: 'member'}]);
    expect(wave.definition.feedback.help_desk).toEqual({team: 'rollout', channel: 'help'});
    expect(wave.definition.cohort.group_names).toEqual(['champions']);
    expect(wave.definition.cohort.csv).toEqual([]);
    expect(wave.journey.map((step) => step.id)).toEqual(['app']);
    const template = bundle.parts.templates!.find((entry) => entry.definition.name === 'Announcements only')!;
    expect(template.definition.channel_admins).toEqual({usernames: ['lead'], group_names: ['champions'], channel_creator: true});
    expect(bundle.parts.branding!.image).toMatchObject({state: 'set', sha256: sha256Hex(png), data_base64: bytesToBase64(png)});

    // Neither the secret, nor staging's ids, nor the cohort's people.
    expect(text).not.toContain(credentialToken);
    for (const id of [staging.team.id, staging.info.id, staging.help!.id, staging.group.id, staging.lead.id]) {
        expect(text).not.toContain(id);
    }
    expect(text).not.toContain('lead@corp.example');

    const withPeople = await exportFrom(staging, {include_people: ['true'], parts: ['waves']});
    expect(Object.keys(withPeople.bundle.parts)).toEqual(['waves']);
    expect(withPeople.bundle.include_people).toBe(true);
    expect(withPeople.bundle.parts.waves![0].definition.cohort.csv).toEqual([{line: 2, value: 'lead@corp.example'}]);

    const badParts = await staging.as('GET', BundleEndpoints.export.path, undefined, {parts: ['plan,secrets']});
    expect(badParts.status).toBe(400);
});

test('the schema refuses a foreign file, an old version and a malformed part with the path of the bad field', async () => {
    const staging = await server('staging');
    await prepareStaging(staging);
    const {bundle} = await exportFrom(staging);
    const production = await server('production');
    const before = kvDump(production.api.kv);

    const foreign = await production.as('POST', BundleEndpoints.preview.path, {bundle: {settings: {}, taken_at: 1}});
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.message).toMatch(/not an Onboarding Cockpit bundle/);

    const old = await production.as('POST', BundleEndpoints.apply.path, {bundle: {...bundle, version: 0}, parts: ['plan']});
    expect(old.status).toBe(400);
    expect(old.json.error.message).toMatch(/format version 0; this server reads version 1/);

    const broken = structuredClone(bundle);
    broken.parts.waves![0].definition.targets.teams[0].team = '';
    const malformed = await production.as('POST', BundleEndpoints.apply.path, {bundle: broken, parts: ['plan', 'waves']});
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toContain('parts.waves.0.definition.targets.teams.0.team');

    const oversized = structuredClone(bundle);
    oversized.parts.branding!.image = {state: 'set', sha256: '0'.repeat(64), content_type: 'image/png', size: 600 * 1024, data_base64: ''};
    const tooLarge = await production.as('POST', BundleEndpoints.preview.path, {bundle: oversized});
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.json.error.message).toContain('parts.branding.image.size');

    const planOnly = {...bundle, parts: {plan: bundle.parts.plan}};
    const absent = await production.as('POST', BundleEndpoints.apply.path, {bundle: planOnly, parts: ['waves']});
    expect(absent.status).toBe(400);
    expect(absent.json.error.id).toBe(ErrorIds.bundleInvalid);

    expect(kvDump(production.api.kv)).toEqual(before);
});

test('preview, apply, read back and apply again: the bundle round-trips and the second apply changes nothing', async () => {
    const staging = await server('staging');
    await prepareStaging(staging);
    const {bundle} = await exportFrom(staging, {include_people: ['true']});
    const production = await server('production');
    const {as} = production;

    const before = kvDump(production.api.kv);
    const preview = (await as('POST', BundleEndpoints.preview.path, {bundle})).json as BundlePreview;
    expect(kvDump(production.api.kv)).toEqual(before);
    expect(part(preview, 'plan').changed).toHaveLength(1);
    expect(part(preview, 'templates').added).toEqual(['Announcements only']);
    expect(part(preview, 'templates').unchanged).toBe(3); // the starters, the same on both
    expect(part(preview, 'waves').added).toEqual(['Pilot wave']);
    expect(part(preview, 'branding').changed).toEqual(['site_name', 'help_link', 'brand_image']);
    expect(part(preview, 'adoption_targets').added).toEqual(['mau']);
    expect(preview.parts.every((entry) => entry.problems.length === 0)).toBe(true);

    const applied = await as('POST', BundleEndpoints.apply.path, {bundle, parts: everyPart});
    expect(applied.status).toBe(200);
    expect(statuses(applied.json)).toEqual(everyPart.map(() => 'applied'));
    expect(applied.json.image_action).toBe('upload');

    // Every part read back through its own route.
    const stagingPlan = (await staging.as('GET', PlanEndpoints.plan.path)).json.plan;
    const productionPlan = (await as('GET', PlanEndpoints.plan.path)).json.plan;
    expect(productionPlan.phases).toEqual(stagingPlan.phases);

    const templates = (await as('GET', TemplateEndpoints.templates.path)).json.templates;
    const imported = templates.find((entry: {definition: {name: string}}) => entry.definition.name === 'Announcements only');
    expect(imported.definition.channel_admins).toEqual({
        user_ids: [production.lead.id], group_ids: [production.group.id], channel_creator: true,
    });

    const waves = (await as('GET', WaveEndpoints.list.path)).json;
    expect(waves).toHaveLength(1);
    const wave = (await as('GET', WaveEndpoints.wave.toPath({waveId: waves[0].id}))).json;
    expect(wave.state).toBe('draft');
    expect(wave.definition.targets.teams).toEqual([{team_id: production.team.id, role: 'member'}]);
    expect(wave.definition.targets.channels).toEqual([{channel_id: production.info.id, role: 'member'}]);
    expect(wave.definition.targets.create_channels).toEqual([expect.objectContaining({team_id: production.team.id, name: 'pilot-chat'})]);
    expect(wave.definition.feedback.help_desk_channel_id).toBe(production.help!.id);
    expect(wave.definition.cohort).toEqual({
        csv: [{line: 2, value: 'lead@corp.example'}],
        team_ids: [production.team.id],
        group_ids: [production.group.id],
        email_domains: ['corp.example'],
    });
    expect(wave.definition.throttle.users_per_second).toBe(7);
    const journey = (await as('GET', JourneyEndpoints.journey.toPath({waveId: wave.id}))).json;
    expect(journey.steps.map((step: {template: string}) => step.template)).toEqual(['Get the app']);

    const branding = (await as('GET', BrandingEndpoints.branding.path)).json;
    expect(branding.values.site_name).toBe('Bank Chat');
    expect(branding.image).toMatchObject({state: 'set', sha256: sha256Hex(png)});
    const image = (await as('GET', BrandingEndpoints.image.toPath({version: String(applied.json.image_version)}))).json;
    expect(image.data_base64).toBe(bytesToBase64(png));

    const adoption = (await as('GET', AdoptionEndpoints.adoption.path)).json;
    expect(adoption.progress.map((entry: {target: {id: string}}) => entry.target.id)).toEqual(['mau']);

    const audit = (await as('GET', '/api/v1/audit', undefined, {per_page: ['50']})).json;
    const actions = audit.entries.map((entry: {action: string}) => entry.action);
    const partActions = [
        'bundle.plan.import', 'bundle.templates.import', 'bundle.waves.import', 'branding.apply', 'bundle.adoption_targets.import',
    ];
    for (const action of partActions) {
        expect(actions).toContain(action);
    }

    // Again: nothing changes, nothing is written.
    const afterFirst = kvDump(production.api.kv);
    const again = await as('POST', BundleEndpoints.apply.path, {bundle, parts: everyPart});
    expect(statuses(again.json)).toEqual(everyPart.map(() => 'unchanged'));
    expect(again.json.image_action).toBe('none');
    expect(kvDump(production.api.kv)).toEqual(afterFirst);
});

test('a name production lacks is reported, that part does not apply, the others do', async () => {
    const staging = await server('staging');
    await prepareStaging(staging);
    const {bundle} = await exportFrom(staging);
    const production = await server('production', {withHelpChannel: false});
    const {as} = production;

    const preview = (await as('POST', BundleEndpoints.preview.path, {bundle})).json as BundlePreview;
    expect(part(preview, 'waves').problems).toEqual(['channel "help" of team "rollout" does not exist on this server']);
    expect(part(preview, 'templates').problems).toEqual([]);

    const applied = await as('POST', BundleEndpoints.apply.path, {bundle, parts: ['waves', 'adoption_targets']});
    expect(applied.status).toBe(200);
    expect(applied.json.parts).toEqual([
        expect.objectContaining({part: 'waves', status: 'failed', error: expect.objectContaining({id: ErrorIds.bundleCannotApply})}),
        expect.objectContaining({part: 'adoption_targets', status: 'applied'}),
    ]);
    expect((await as('GET', WaveEndpoints.list.path)).json).toEqual([]);
    expect(production.kv.readVersioned(KvKeys.adoptionTargets).value?.targets.map((target) => target.id)).toEqual(['mau']);
});

test('a part whose write fails midway takes back what it wrote; a started wave is not changed', async () => {
    const staging = await server('staging');
    await prepareStaging(staging);
    const production = await server('production');
    const {as} = production;

    // Two templates to create; the second write fails.
    const second = await staging.as('POST', TemplateEndpoints.create.path, {name: 'Q&A', properties: {purpose: 'Questions'}});
    expect(second.status).toBe(201);
    const {bundle} = await exportFrom(staging);
    const before = kvDump(production.api.kv);
    const set = production.api.kv.setWithOptions.bind(production.api.kv);
    let writes = 0;
    jest.spyOn(production.api.kv, 'setWithOptions').mockImplementation((key, value, options) => {
        if (key.startsWith('tpl:template:') && ++writes === 2) {
            throw new Error('store unavailable');
        }
        return set(key, value, options);
    });
    const failed = await as('POST', BundleEndpoints.apply.path, {bundle, parts: ['templates']});
    jest.restoreAllMocks();
    expect(failed.json.parts[0]).toMatchObject({part: 'templates', status: 'failed', error: {id: ErrorIds.internal}});
    expect(kvDump(production.api.kv)).toEqual(before);

    // The wave applied, started, then changed on staging: production refuses to change it.
    expect((await as('POST', BundleEndpoints.apply.path, {bundle, parts: ['waves']})).json.parts[0].status).toBe('applied');
    const waveId = (await as('GET', WaveEndpoints.list.path)).json[0].id;
    const wave = (await as('GET', WaveEndpoints.wave.toPath({waveId}))).json;
    const start = {expected_version: wave.version, start_at: Date.now() + 3_600_000};
    expect((await as('POST', WaveEndpoints.start.toPath({waveId}), start)).status).toBe(200);
    const changed = structuredClone(bundle);
    changed.parts.waves![0].definition.throttle.users_per_second = 9;
    const preview = (await as('POST', BundleEndpoints.preview.path, {bundle: changed})).json as BundlePreview;
    expect(part(preview, 'waves').problems).toEqual(['the wave "Pilot wave" is scheduled here: only a draft wave can be changed']);
});
