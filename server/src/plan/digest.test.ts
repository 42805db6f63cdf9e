import {evidenceFromLink} from 'contract/evidence';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';
import {digestMessage, digestSelection, PLAN_DIGEST_JOB_ID, sendDigests} from './digest';

import {speakerFor} from '../i18n/messages';
import {KvStore} from '../kv/store';
import {testApp} from '../testing/harness';
import {taskFixture} from '../testing/taskFixture';

// The owners' daily digest: which tasks it lists, at most one per owner per day (also when a second
// node or a restarted plugin runs the job again), and muting it with `/onboarding tasks mute`.

const TODAY = '2027-03-10';
const NOW = Date.parse(`${TODAY}T08:00:00Z`);

const task = taskFixture;

describe('digestSelection', () => {
    test('open tasks due within the week and overdue ones, per owner, earliest first; not done, skipped, later, unowned', () => {
        const content = defaultPlanContent();
        content.phases[0].tasks = [
            task('later', {owner_id: 'a', due_date: '2027-03-18'}),
            task('week-end', {owner_id: 'a', due_date: '2027-03-17'}),
            task('overdue', {owner_id: 'a', due_date: '2027-03-01', state: 'blocked'}),
            task('today', {owner_id: 'b', due_date: TODAY, state: 'in_progress'}),
            task('done', {owner_id: 'a', due_date: '2027-03-11', state: 'done'}),
            task('skipped', {owner_id: 'a', due_date: '2027-03-11', state: 'skipped'}),
            task('no-date', {owner_id: 'a'}),
            task('nobody', {due_date: '2027-03-11'}),
        ];
        const selection = digestSelection(content, TODAY);
        expect([...selection.keys()].sort()).toEqual(['a', 'b']);
        expect(selection.get('a')!.map((d) => [d.task.id, d.overdue])).toEqual([['overdue', true], ['week-end', false]]);
        expect(selection.get('b')!.map((d) => [d.task.id, d.overdue])).toEqual([['today', false]]);
    });
});

describe('digestSelection: evidence', () => {
    const ADMIN = 'a'.repeat(26);
    const acceptedOn = (dated: string) => [{...evidenceFromLink(`https://wiki.example/${dated}`), dated, accepted_by: ADMIN, accepted_at: 1}];

    test('expired evidence and evidence valid at most another week are listed, done or not; later, skipped and none are not', () => {
        const content = defaultPlanContent();
        content.phases[0].tasks = [
            // 90 days: dated 2026-12-10 is valid through 2027-03-09 (expired on TODAY), 2026-12-17 through 2027-03-16.
            task('security.dr-drill', {owner_id: 'a', state: 'done', evidence: acceptedOn('2026-12-10')}),
            task('security.backup-restore', {owner_id: 'a', state: 'done', evidence: acceptedOn('2026-12-17')}),

            // Valid through 2027-03-18: one day past the week.
            task('security.pentest', {owner_id: 'a', evidence: acceptedOn('2026-12-19'), evidence_valid_days: 90}),
            task('skipped', {owner_id: 'a', state: 'skipped', evidence: acceptedOn('2026-01-01'), evidence_valid_days: 10}),
            task('no-expiry', {owner_id: 'a', evidence: acceptedOn('2020-01-01')}),
            task('due', {owner_id: 'a', due_date: TODAY}),
        ];
        const selection = digestSelection(content, TODAY).get('a')!;
        expect(selection.map((d) => [d.task.id, d.due, d.evidence?.state ?? null])).toEqual([
            ['due', true, null],
            ['security.dr-drill', false, 'expired'],
            ['security.backup-restore', false, 'valid'],
        ]);
        const message = digestMessage(speakerFor('en'), selection);
        const phase = content.phases[0].title;
        expect(message).toContain(`\`Task security.dr-drill\` (\`${phase}\`): its evidence **expired** on 2027-03-10`);
        expect(message).toContain(`\`Task security.backup-restore\` (\`${phase}\`): its evidence is valid until 2027-03-16`);
    });
});

afterEach(() => jest.restoreAllMocks());

async function setup() {
    // The job reads the clock itself: it is 08:00 UTC on TODAY.
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const t = testApp({now: () => NOW});
    const admin = t.api.addSystemAdmin('admin');
    const owner = t.api.addUser({username: 'owner'});
    const quiet = t.api.addUser({username: 'quiet'});
    await t.app.dispatch('onActivate', 'null');
    const [a, b, c] = defaultPlanContent().phases[0].tasks.map((x) => x.id);
    let version = 0;
    for (const [id, changes] of [
        [a, {owner_id: owner.id, due_date: '2027-03-12'}],
        [b, {owner_id: owner.id, due_date: '2027-03-01'}],
        [c, {owner_id: quiet.id, due_date: '2027-03-11'}],
    ] as const) {
        const response = await t.request('PATCH', PlanRoutes.task(id), {userId: admin.id, body: {expected_version: version, changes}});
        expect(response.status).toBe(200);
        version = response.json.plan.version;
    }
    const digests = () => t.api.createdPosts.filter((post) => post.props?.cockpit_task_digest);
    const command = async (userId: string, line: string) =>
        JSON.parse(await t.app.dispatch('executeCommand', JSON.stringify({
            user_id: userId, team_id: '', channel_id: 'c', root_id: '', trigger_id: '', command: line, site_url: '',
        })));
    const runAt = (now: number) => sendDigests({api: t.api, kv: new KvStore(t.api.kv), log: t.log}, now);
    const runJob = () => t.app.dispatch('runJob', JSON.stringify({jobId: PLAN_DIGEST_JOB_ID}));
    return {...t, owner, quiet, digests, command, runAt, runJob};
}

describe('the digest job', () => {
    test('one DM per owner per day, however often the job runs (another node, a restart); the next day again', async () => {
        const t = await setup();
        await t.runJob();
        expect(t.digests()).toHaveLength(2);
        expect(t.runAt(NOW + 60_000)).toBe(0);
        await t.app.dispatch('onActivate', 'null');
        await t.runJob();
        expect(t.digests()).toHaveLength(2);
        const mine = t.digests().find((post) => post.channel_id === t.api.channels.getDirect(post.user_id, t.owner.id).id)!;
        expect(mine.message).toContain('(2)');
        expect(mine.message.indexOf('overdue')).toBeLessThan(mine.message.indexOf('due 2027-03-12'));

        expect(t.runAt(NOW + 86_400_000)).toBe(2);
        expect(t.runAt(NOW + 86_400_000 + 3_600_000)).toBe(0);
        expect(t.digests()).toHaveLength(4);
    });

    test('/onboarding tasks mute stops the caller\'s digest only; unmute turns it back on', async () => {
        const t = await setup();
        expect((await t.command(t.quiet.id, '/onboarding tasks mute')).text).toContain('Muted');
        await t.runJob();
        expect(t.digests().map((post) => post.channel_id)).toEqual([t.api.channels.getDirect(t.digests()[0].user_id, t.owner.id).id]);

        expect((await t.command(t.quiet.id, '/onboarding tasks unmute')).text).toContain('on again');
        expect(t.runAt(NOW + 86_400_000)).toBe(2);
    });
});
