import {RolloutEndpoints} from 'contract/endpoints/rollout';
import type {ReadinessReport} from 'contract/readiness';
import {PlanRoutes} from 'contract/routes';
import type {WaveProgress} from 'contract/waves';

import {statusMessage} from './message';
import {claimSlot, dueSlot, latestSlot, nextSlot, ROLLOUT_UPDATE_JOB_ID, runScheduledUpdate, SLOT_GRACE_MS} from './schedule';
import {buildRolloutSummary, type SummaryInputs} from './summary';
import {timelineEntries} from './timeline';

import {readAuditPage, recordAudit} from '../audit/audit';
import {speakerFor} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {defaultPlanContent} from '../plan/defaultPlan';
import {READINESS_JOB_ID} from '../readiness/readiness';
import {testApp} from '../testing/harness';
import {taskFixture} from '../testing/taskFixture';

// The roll-out summary (one builder for the Overview and the status post), the weekly slot and its
// compare-and-set claim, the routes' checks, and the timeline read from the audit trail.

const TODAY = '2027-03-10'; // a Wednesday
const NOW = Date.parse(`${TODAY}T08:00:00Z`);

const task = taskFixture;

function report(score: number, statuses: Record<string, 'ok' | 'warning' | 'error'>): ReadinessReport {
    return {
        score,
        checked_at: NOW - 1000,
        probes: [],
        results: Object.entries(statuses).map(([id, status]) => ({
            ...{id, phase: 'planning', title: `Check ${id}`, status, explanation: '', console_path: '', impact: 1},
            ...{verification: 'configured' as const, probe: null},
        })),
    };
}

function wave(id: string, state: WaveProgress['state'], processed: number, total: number, etaMs: number | null): WaveProgress {
    return {
        wave_id: id,
        state,
        total,
        processed,
        counts: {added: processed, already_member: 0, skipped: 0, failed: 0, welcomed: 0},
        retrying: 0,
        pending: 0,
        started_at: NOW - 60_000,
        finished_at: null,
        last_tick_at: NOW,
        pace: {ms_per_user: 10, measured_users: processed, remaining: total - processed, eta_ms: etaMs},
    } as WaveProgress;
}

const OWNER = 'o'.repeat(26);

function fixture(): SummaryInputs {
    const plan = defaultPlanContent();
    plan.phases = [
        {id: 'one',
            title: 'One',
            description: '',
            tasks: [
                task('a', {state: 'done'}),
                task('b', {state: 'done'}),
                task('c', {owner_id: OWNER, due_date: '2027-03-01', state: 'in_progress'}),
                task('d', {owner_id: OWNER, due_date: '2027-03-15', state: 'blocked'}),
            ]},
        {id: 'two',
            title: 'Two `tick`',
            description: '',
            tasks: [
                task('e', {state: 'skipped', skip_reason: 'not needed'}),
                task('f', {due_date: '2027-03-30'}),
                task('g', {optional: true, due_date: '2027-03-12'}),
            ]},
    ];
    return {
        now: NOW,
        plan,
        readiness: report(70, {x: 'ok', y: 'warning'}),
        waves: [
            {name: 'Pilot', progress: wave('w1', 'running', 100, 400, 3_900_000)},
            {name: 'Later', progress: wave('w2', 'scheduled', 0, 0, null)},
            {name: 'Done', progress: wave('w3', 'completed', 50, 50, 0)},
        ],
        adoption: {
            current: null,
            targets: [{
                id: 't',
                label: 'Monthly actives',
                metric: 'monthly_active',
                kind: 'count',
                threshold: 500,
                base: 'total_users',
                due: '2027-04-01',
            }],
        },
        proposals: [{
            id: 'p',
            template_id: 't',
            template_version: 1,
            template_name: 'T',
            note: '',
            created_at: 1,
            created_by: 'u',
            team_ids: [],
            counts: {pending: 3, approved: 0, applied: 1, rejected: 0, failed: 0, needs_license: 0, rolled_back: 0},
        }],
        baseline: {at: NOW - (7 * 86_400_000), score: 64, checks: {x: 'error', y: 'warning'}, completed: ['a']},
        usernameOf: (userId) => (userId === OWNER ? 'dana' : ''),
    };
}

describe('buildRolloutSummary', () => {
    test('per phase; due, overdue, blocked with owners; completed since the baseline; readiness change; waves; targets; proposals', () => {
        const summary = buildRolloutSummary(fixture());
        expect(summary.plan.percent).toBe(50); // a, b, e of 6 required
        expect(summary.plan.phases.map((p) => [p.id, p.completed, p.required, p.percent])).toEqual([['one', 2, 4, 50], ['two', 1, 2, 50]]);
        expect(summary.overdue.map((t) => [t.id, t.owner_username])).toEqual([['c', 'dana']]);
        expect(summary.due_this_week.map((t) => t.id)).toEqual(['g', 'd']);
        expect(summary.blocked.map((t) => t.id)).toEqual(['d']);
        expect(summary.completed_since_last.map((t) => t.id)).toEqual(['b', 'e']);
        expect(summary.readiness).toMatchObject({score: 70, previous_score: 64, changes: [{id: 'x', before: 'error', after: 'ok'}]});
        expect(summary.waves.running).toEqual([
            {id: 'w1', name: 'Pilot', state: 'running', total: 400, processed: 100, failed: 0, eta_ms: 3_900_000},
        ]);
        expect([summary.waves.scheduled, summary.waves.completed]).toEqual([1, 1]);
        expect(summary.adoption.targets[0]).toMatchObject({current: null, status: 'unknown'});
        expect(summary.proposals).toEqual({open: 1, pending_channels: 3});
        expect(summary.last_update_at).toBe(NOW - (7 * 86_400_000));
    });

    test('before the first update: every completed task, no previous score, no changes', () => {
        const summary = buildRolloutSummary({...fixture(), baseline: null});
        expect(summary.completed_since_last.map((t) => t.id)).toEqual(['a', 'b', 'e']);
        expect(summary.readiness).toMatchObject({previous_score: null, changes: []});
        expect(summary.last_update_at).toBeNull();
    });
});

describe('statusMessage', () => {
    test('the numbers, @mentioned owners, names in code spans (inert), the ETA', () => {
        const message = statusMessage(buildRolloutSummary(fixture()), speakerFor('en'));
        expect(message).toContain('**Plan:** 50 % (3 of 6 required tasks)');
        expect(message).toContain("| `Two 'tick'` | 1 / 2 | 50 % |");
        expect(message).toContain('- `Task c` (`One`): due 2027-03-01, @dana');
        expect(message).toContain('**Readiness:** 70 / 100 (+6 since the last update)');
        expect(message).toContain('- `Pilot`: 100 of 400 users, about 1 h 5 min left');
        expect(message).toContain('**Completed since the last update (2):**');
        expect(message).toContain('**Role-template proposals open:** 1 (3 channels waiting for a team admin)');
        expect(message).toMatch(/: failing → passing$/m);
        expect(message).toMatch(/, unknown$/m);
    });

    test('in another language, the same numbers and the people\'s text as it is', () => {
        const message = statusMessage(buildRolloutSummary(fixture()), speakerFor('de'));
        expect(message).toContain('**Plan:** 50 % (3 von 6 Pflichtaufgaben)');
        expect(message).toContain('| Phase | Erledigt | Fortschritt |');
        expect(message).toContain("| `Two 'tick'` | 1 / 2 | 50 % |");
        expect(message).toContain('- `Task c` (`One`): fällig am 2027-03-01, @dana');
        expect(message).toContain('**Bereitschaft:** 70 / 100 (+6 seit dem letzten Update)');
        expect(message).toContain('- `Pilot`: 100 von 400 Personen, noch etwa 1 h 5 min');
        expect(speakerFor('de').t('status.waveUsers', {processed: 2150, total: 5000})).toBe('2.150 von 5.000 Personen');
        expect(speakerFor('en').t('status.waves', {running: 1, scheduled: 0, completed: 1200})).toContain('1,200 completed');
        expect(message).toMatch(/: nicht erfüllt → erfüllt$/m);
        expect(message).toMatch(/, unbekannt$/m);
        expect(message).not.toMatch(/ of | since |required|users|left|failing|passing|unknown|on track/);
    });
    test('the phase table and the targets\' values are numbers as the language writes them', () => {
        const built = buildRolloutSummary(fixture());
        const summary = {
            ...built,
            plan: {...built.plan, phases: [{...built.plan.phases[0], completed: 1500, required: 2000, percent: 75}]},
            adoption: {...built.adoption, targets: [{...built.adoption.targets[0], current: 1234.5, goal: 2500, percent: 49.38}]},
        };
        const de = statusMessage(summary, speakerFor('de'));
        expect(de).toContain('| `One` | 1.500 / 2.000 | 75 % |');
        expect(de).toMatch(/- `Monthly actives`: 1\.234,5 von 2\.500 \(49,38 %\)/);
        const en = statusMessage(summary, speakerFor('en'));
        expect(en).toContain('| `One` | 1,500 / 2,000 | 75 % |');
        expect(en).toMatch(/- `Monthly actives`: 1,234\.5 of 2,500 \(49\.38 %\)/);
    });
});

describe('the weekly slot', () => {
    const monday9 = {kind: 'weekly', weekday: 1, hour: 9} as const;

    test('latestSlot is the last Monday 09:00 UTC at or before now; nextSlot a week later', () => {
        expect(new Date(latestSlot(monday9, NOW)).toISOString()).toBe('2027-03-08T09:00:00.000Z');
        expect(new Date(latestSlot(monday9, Date.parse('2027-03-08T09:00:00Z'))).toISOString()).toBe('2027-03-08T09:00:00.000Z');
        expect(new Date(latestSlot(monday9, Date.parse('2027-03-08T08:59:00Z'))).toISOString()).toBe('2027-03-01T09:00:00.000Z');
        expect(new Date(nextSlot(monday9, NOW)!).toISOString()).toBe('2027-03-15T09:00:00.000Z');
        expect(nextSlot({kind: 'off'}, NOW)).toBeNull();
    });

    test('dueSlot: only a weekly schedule with a channel, a slot not claimed, after the settings were saved, within the grace', () => {
        const slot = Date.parse('2027-03-08T09:00:00Z');
        const settings = {channel_id: 'c', schedule: monday9, updated_at: slot - 1000};
        expect(dueSlot({settings, lastSlot: 0}, slot + 60_000)).toBe(slot);
        expect(dueSlot({settings, lastSlot: slot}, slot + 60_000)).toBeNull();
        expect(dueSlot({settings: {...settings, updated_at: slot + 1}, lastSlot: 0}, slot + 60_000)).toBeNull();
        expect(dueSlot({settings, lastSlot: 0}, slot + SLOT_GRACE_MS + 1)).toBeNull();
        expect(dueSlot({settings: {...settings, schedule: {kind: 'off'}}, lastSlot: 0}, slot + 60_000)).toBeNull();
        expect(dueSlot({settings: {...settings, channel_id: null}, lastSlot: 0}, slot + 60_000)).toBeNull();
        expect(dueSlot({settings: undefined, lastSlot: 0}, slot + 60_000)).toBeNull();
    });
});

afterEach(() => jest.restoreAllMocks());

async function setup() {
    let now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const t = testApp({now: () => now});
    const admin = t.api.addSystemAdmin('admin');
    const member = t.api.addUser({username: 'member'});
    const team = t.api.addTeam('team');
    const channel = t.api.addChannel(team.id, 'project');
    await t.app.dispatch('onActivate', 'null');
    const kv = new KvStore(t.api.kv);
    const as = (userId: string, method: string, path: string, body?: unknown, query?: Record<string, string[]>) =>
        t.request(method, path, {userId, body, query});
    const save = (body: unknown) => as(admin.id, 'PUT', RolloutEndpoints.saveUpdateSettings.path, body);
    const statusPosts = () => t.api.createdPosts.filter((post) => post.props?.cockpit_status_update !== undefined);
    const runJob = () => t.app.dispatch('runJob', JSON.stringify({jobId: ROLLOUT_UPDATE_JOB_ID}));
    const setNow = (ms: number) => {
        now = ms;
    };
    return {...t, admin, member, team, channel, kv, as, save, statusPosts, runJob, setNow};
}

describe('status update routes and the job', () => {
    test('settings: validated (400), compare-and-set (409), system admins only (403); the bot joins the channel', async () => {
        const t = await setup();
        const dm = t.api.channels.getDirect(t.admin.id, t.member.id);
        expect((await t.save({expected_version: 0, channel_id: null, schedule: {kind: 'weekly', weekday: 1, hour: 9}})).status).toBe(400);
        expect((await t.save({expected_version: 0, channel_id: dm.id, schedule: {kind: 'off'}})).status).toBe(400);
        expect((await t.save({expected_version: 0, channel_id: 'x'.repeat(26), schedule: {kind: 'off'}})).status).toBe(400);
        const sunday = {kind: 'weekly', weekday: 7, hour: 9};
        expect((await t.save({expected_version: 0, channel_id: t.channel.id, schedule: sunday})).status).toBe(400);
        expect((await t.as(t.member.id, 'PUT', RolloutEndpoints.saveUpdateSettings.path,
            {expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'off'}})).status).toBe(403);
        expect((await t.as(t.member.id, 'GET', RolloutEndpoints.updatePreview.path)).status).toBe(403);

        const saved = await t.save({expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'weekly', weekday: 1, hour: 9}});
        expect(saved.status).toBe(200);
        expect(saved.json).toMatchObject({
            version: 1, channel_id: t.channel.id, channel_display_name: expect.any(String), next_at: Date.parse('2027-03-15T09:00:00Z'),
        });
        expect(() => t.api.channels.getMember(t.channel.id, new KvStore(t.api.kv).get(KvKeys.botUserId)!)).not.toThrow();
        expect((await t.save({expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'off'}})).status).toBe(409);
    });

    test('the preview is the exact message Post now posts; the post becomes the next update\'s baseline', async () => {
        const t = await setup();
        expect((await t.as(t.admin.id, 'POST', RolloutEndpoints.postUpdate.path, {})).status).toBe(400);
        await t.save({expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'off'}});
        const preview = await t.as(t.admin.id, 'GET', RolloutEndpoints.updatePreview.path);
        expect(preview.status).toBe(200);
        expect(t.statusPosts()).toHaveLength(0);
        const posted = await t.as(t.admin.id, 'POST', RolloutEndpoints.postUpdate.path, {});
        expect(posted.status).toBe(201);
        expect(t.statusPosts()).toHaveLength(1);
        expect(t.statusPosts()[0]).toMatchObject({channel_id: t.channel.id, message: preview.json.message});
        expect(preview.json.message).toMatch(/^#### Roll-out status: /);

        const summary = await t.as(t.admin.id, 'GET', RolloutEndpoints.summary.path);
        expect(summary.json.last_update_at).toBe(NOW);
        expect(summary.json.completed_since_last).toEqual([]);
        expect(summary.json.readiness.previous_score).toBe(summary.json.readiness.score);
    });

    test('a channel has many readers: the post and its preview are in the server\'s default language', async () => {
        const t = await setup();
        t.api.serverConfig = {...t.api.serverConfig, LocalizationSettings: {DefaultServerLocale: 'ja'}};
        await t.save({expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'off'}});
        const preview = await t.as(t.admin.id, 'GET', RolloutEndpoints.updatePreview.path);
        expect(preview.json.message).toMatch(/^#### ロールアウトの状況: /);
        await t.as(t.admin.id, 'POST', RolloutEndpoints.postUpdate.path, {});
        expect(t.statusPosts()[0].message).toBe(preview.json.message);
    });

    test('one post per weekly slot however often the job runs (another node, a restart); the next week again', async () => {
        const t = await setup();
        await t.save({expected_version: 0, channel_id: t.channel.id, schedule: {kind: 'weekly', weekday: 3, hour: 9}});

        // Saved at 08:00 on a Wednesday: 09:00 that day is the first slot.
        await t.runJob();
        expect(t.statusPosts()).toHaveLength(0);
        t.setNow(Date.parse('2027-03-10T09:10:00Z'));
        await t.runJob();
        expect(runScheduledUpdate({api: t.api, kv: t.kv, log: t.log}, Date.now())).toBe(false);
        await t.app.dispatch('onActivate', 'null');
        await t.runJob();
        expect(t.statusPosts()).toHaveLength(1);
        expect(t.statusPosts()[0].props?.cockpit_status_update).toBe(String(Date.parse('2027-03-10T09:00:00Z')));

        t.setNow(Date.parse('2027-03-17T09:05:00Z'));
        await t.runJob();
        await t.runJob();
        expect(t.statusPosts()).toHaveLength(2);
    });

    test('claimSlot: of two claims from one read, one wins', async () => {
        const t = await setup();
        const slot = Date.parse('2027-03-08T09:00:00Z');
        const kv = t.kv;
        const read = kv.readVersioned(KvKeys.rolloutLastUpdate);
        const spy = jest.spyOn(kv, 'readVersioned').mockReturnValue(read as never);
        expect(claimSlot(kv, slot, NOW)).toBe(true);
        expect(claimSlot(kv, slot, NOW)).toBe(false);
        spy.mockRestore();
        expect(claimSlot(kv, slot, NOW)).toBe(false);
    });
});

describe('the timeline', () => {
    const audit = (action: string, target: string, before: unknown, after: unknown) =>
        ({id: '7', at: 5, user_id: 'u', action, target, before, after});

    test('task state, assignment and evidence from one edit; readiness only when the score moved; waves; nothing else', () => {
        expect(timelineEntries(audit('plan.task.update', 'task:a',
            {state: 'not_started', owner_id: null, evidence: ['https://a']},
            {state: 'done', owner_id: OWNER, evidence: ['https://a', 'https://b']})).map((e) => [e.id, e.kind, e.from, e.to])).toEqual([
            ['7:task_state', 'task_state', 'not_started', 'done'],
            ['7:task_assigned', 'task_assigned', '', OWNER],
            ['7:evidence_added', 'evidence_added', '', 'https://b'],
        ]);

        // Items with their dates (the current shape), beside a bare link of an older entry: the added link and run only.
        const item = (url: string | null, run: number | null = null) => ({url, load_test_run: run, dated: '2026-01-01', accepted_by: null});
        expect(timelineEntries(audit('plan.task.update', 'task:a',
            {evidence: ['https://a']},
            {evidence: [item('https://a'), item('https://c'), item(null, 4)]})).map((e) => e.to)).toEqual(['https://c load-test run #4']);
        expect(timelineEntries(audit('plan.task.update', 'task:a', {notes: ''}, {notes: 'x'}))).toEqual([]);
        expect(timelineEntries(audit('readiness.run', 'readiness', {score: 5}, {score: 5}))).toEqual([]);
        expect(timelineEntries(audit('readiness.change', 'readiness', {score: 5}, {score: 9}))[0]).
            toMatchObject({kind: 'readiness_changed', from: '5', to: '9'});
        expect(timelineEntries(audit('waves.wave.start', 'wave:w', {state: 'draft'}, {state: 'running'}))[0].kind).toBe('wave_started');
        expect(timelineEntries(audit('waves.wave.finish', 'wave:w', {state: 'running'}, {state: 'completed'}))[0]).
            toMatchObject({kind: 'wave_finished', to: 'completed'});
        expect(timelineEntries(audit('branding.apply', 'branding', null, {}))).toEqual([]);
    });

    test('the route pages newest first through the audit trail, skipping other entries', async () => {
        const t = await setup();
        const [a, b] = (await t.as(t.admin.id, 'GET', PlanRoutes.plan)).json.plan.phases[0].tasks;
        let version = 0;
        for (const [id, state] of [[a.id, 'in_progress'], [b.id, 'done'], [a.id, 'done']]) {
            const response = await t.as(t.admin.id, 'PATCH', PlanRoutes.task(id), {expected_version: version, changes: {state}});
            version = response.json.plan.version;
            const other = {action: 'branding.apply', target: 'branding', before: null, after: {}};
            recordAudit({kv: t.kv, log: t.log, userId: t.admin.id}, other);
        }
        const first = await t.as(t.member.id, 'GET', RolloutEndpoints.timeline.path, undefined, {per_page: ['2']});
        expect(first.status).toBe(403);
        const page1 = await t.as(t.admin.id, 'GET', RolloutEndpoints.timeline.path, undefined, {per_page: ['2']});
        const shown = (page: {json: {entries: Array<{target: string; to: string}>}}) => page.json.entries.map((e) => [e.target, e.to]);
        expect(shown(page1)).toEqual([[`task:${a.id}`, 'done'], [`task:${b.id}`, 'done']]);
        const page2 = await t.as(t.admin.id, 'GET', RolloutEndpoints.timeline.path, undefined,
            {per_page: ['2'], before: [String(page1.json.next_before)]});
        expect(shown(page2)).toEqual([[`task:${a.id}`, 'in_progress']]);
        expect(page2.json.next_before).toBeNull();
        expect((await t.as(t.admin.id, 'GET', RolloutEndpoints.timeline.path, undefined, {per_page: ['500']})).status).toBe(400);
    });

    test('the readiness job audits a score the config moved (a timeline event); the same score again is not audited', async () => {
        const t = await setup();
        const runReadiness = () => t.app.dispatch('runJob', JSON.stringify({jobId: READINESS_JOB_ID}));
        const changes = () => readAuditPage(t.kv, 0, 50).entries.filter((e) => e.action === 'readiness.change');
        await runReadiness();
        await runReadiness();
        expect(changes()).toHaveLength(0);
        t.api.serverConfig.ServiceSettings = {SiteURL: ''};
        await runReadiness();
        const [change] = changes();
        expect(change).toMatchObject({user_id: '', target: 'readiness'});
        expect(timelineEntries(change)[0].kind).toBe('readiness_changed');
    });
});
