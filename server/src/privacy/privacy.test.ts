import {JourneyEndpoints} from 'contract/endpoints/journey';
import {PrivacyEndpoints} from 'contract/endpoints/privacy';
import {WaveRoutes} from 'contract/routes';

import {privacyCapability, sweep} from './privacy';
import {applyRetention, dueWaves, removesAt} from './retention';
import {anonymize, everybody, personWho, scrubCohort, scrubResults} from './scrub';
import {emailHash} from './wave';

import {recordAudit} from '../audit/audit';
import {journeyCapabilityWith, readStepCounts} from '../journey/journey';
import {runJourneys} from '../journey/run';
import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {readPlan, writePlan} from '../plan/store';
import {readAnswerSets, saveAnswerSet} from '../survey/store';
import {surveyCapabilityWith} from '../survey/survey';
import {kvDump} from '../testing/kvDump';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture} from '../testing/waveFixture';
import {readFeedbackCounts, recordAnswer} from '../waves/feedback';

// Erasure over fixtures of every key family that names a person, on the in-memory server: what the
// lookup finds, what erasing leaves (nothing naming them outside the audit trail), the counts kept, a
// crash halfway finished by the sweep, the server's deletion, and retention.

const survey = {title: 'First week', questions: [{id: 'stars', kind: 'rating', label: 'Rate'}, {id: 'why', kind: 'text', label: 'Why?'}]};
const newcomer = 'newbie@corp.example';

async function world() {
    const journey = journeyCapabilityWith({now: () => 0, budgetMs: 0, maxPerShard: 0});
    const fixture = await waveFixture({users: 3, capabilities: [journey, surveyCapabilityWith(() => Date.now()), privacyCapability]});
    const kv = new KvStore(fixture.api.kv);
    const context = {api: fixture.api, kv, log: memoryLogger(), userId: fixture.admin.id};
    const wave = await fixture.createWave();
    await fixture.request('PUT', JourneyEndpoints.update.toPath({waveId: wave.id}), {
        userId: fixture.admin.id,
        body: {
            expected_version: 0,
            steps: [{id: 'pulse', after: 'previous', delay_minutes: 0, condition: null, template: 'A survey', survey}],
        },
    });
    expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
    runToEnd(fixture, wave.id);
    runJourneys(context, {now: fixture.clock.now, budgetMs: 60_000, maxPerShard: 100});

    const [ada, bob] = fixture.users;
    for (const user of [ada, bob]) {
        recordAnswer(kv, wave.id, user.id, 'great', 1);
        saveAnswerSet(kv, wave.id, 'pulse', user.id, {stars: '4', why: `I am ${user.username}`}, 2);
        kv.updateWithRetry(KvKeys.journeyStops(wave.id, 0), (current) => ({users: {...current?.users, [user.id]: 3}}));
        kv.set(KvKeys.waveRolling(wave.id, user.id), 'queued');
        kv.set(KvKeys.waveMail(wave.id, user.id), 'sent');
        kv.updateWithRetry(KvKeys.planDigestSent(user.id), () => ({day: '2026-01-01'}));
        kv.set(KvKeys.planDigestMuted(user.id), {at: 4});
    }
    kv.set(KvKeys.waveMailByEmail(wave.id, emailHash(newcomer)), 'sent');
    const access = {user_ids: [ada.id, bob.id], group_ids: [], updated_at: 1, updated_by: fixture.admin.id};
    kv.updateWithRetry(KvKeys.stakeholdersAccess, () => access);
    kv.updateWithRetry(KvKeys.delegation, () => ({admins: {[ada.id]: ['system_read_only_admin'], [bob.id]: ['system_manager']}}));

    // The plan: Ada owns a task and added its evidence; Bob owns another.
    const plan = readPlan(kv);
    const [first, second] = plan.content.phases[0].tasks;
    first.owner_id = ada.id;
    first.evidence = [{url: 'https://evidence.example/a', load_test_run: null, dated: null, added_by: ada.id, added_at: 5, accepted_by: null, accepted_at: null}];
    second.owner_id = bob.id;
    writePlan({...context, userId: ada.id}, plan, plan.content, {action: 'plan.test', target: 'task', before: null, after: null});

    // A draft wave whose file names Ada by email and a newcomer with no account.
    const draft = await fixture.createWave({
        name: 'Wave 2',
        cohort: {csv: [{line: 2, value: ada.email}, {line: 3, value: newcomer}, {line: 4, value: bob.username}]},
    });
    return {fixture, kv, context, waveId: wave.id, draftId: draft.id, ada, bob};
}

/** Every stored key and value outside the audit trail that mentions one of `needles`. */
function mentions(fixture: {api: {kv: Parameters<typeof kvDump>[0]}}, needles: string[]): string[] {
    return Object.entries(kvDump(fixture.api.kv)).
        filter(([key]) => !key.startsWith('audit:')).
        filter(([key, value]) => needles.some((needle) => key.includes(needle) || (value ?? '').includes(needle))).
        map(([key]) => key);
}

function aggregates(kv: KvStore, waveId: string) {
    const run = kv.readVersioned(KvKeys.waveRun(waveId)).value!;
    return {
        counts: run.counts,
        queueLen: run.queue_len,
        feedback: readFeedbackCounts(kv, waveId),
        steps: readStepCounts(kv, waveId, run.queue_len),
        surveys: readAnswerSets(kv, waveId, 'pulse').map((set) => set.values.stars).sort(),
    };
}

describe('erasing a person', () => {
    test('the lookup counts every family; erasing leaves nothing naming them outside the audit trail and keeps the counts', async () => {
        const {fixture, kv, waveId, draftId, ada, bob} = await world();
        const lookup = await fixture.client.get(PrivacyEndpoints.person.path, {term: [ada.username]});
        expect(lookup.status).toBe(200);
        expect(lookup.json.user).toEqual({id: ada.id, username: ada.username, email: ada.email, deactivated: false});
        expect(lookup.json.records).toEqual({
            wave_results: 1,
            wave_markers: 2,
            cohort_rows: 1,
            feedback_answers: 1,
            journey_progress: 2,
            survey_answers: 1,
            plan_tasks: 1,
            reminders: 2,
            access_lists: 2,
        });
        expect(mentions(fixture, [ada.id, ada.email]).length).toBeGreaterThan(10);
        const before = aggregates(kv, waveId);

        const erased = await fixture.client.post(PrivacyEndpoints.erase.path, {user_id: ada.id});
        expect(erased.status).toBe(200);
        expect(erased.json.records).toEqual(lookup.json.records);
        expect(mentions(fixture, [ada.id, ada.email, `I am ${ada.username}`])).toEqual([]);
        expect(aggregates(kv, waveId)).toEqual(before);

        // Bob is untouched: his answers, markers, task and file row.
        expect(mentions(fixture, [bob.id]).length).toBeGreaterThan(10);
        expect(readAnswerSets(kv, waveId, 'pulse').find((set) => set.userId === bob.id)?.values.why).toBe(`I am ${bob.username}`);
        const rows = kv.readVersioned(KvKeys.waveDef(draftId)).value!.definition.cohort.csv;
        expect(rows.map((row) => row.value)).toEqual(['', newcomer, bob.username]);

        // The audit entry keeps the fact and the user id, not the data.
        const entries = Object.entries(kvDump(fixture.api.kv)).filter(([key]) => key.startsWith('audit:entry:')).map(([, value]) => value!);
        const entry = entries.find((value) => value.includes('"privacy.erase"'))!;
        expect(entry).toContain(`user:${ada.id}`);
        expect(entry).not.toContain(ada.email);

        // Idempotent: again finds and changes nothing.
        const dump = kvDump(fixture.api.kv);
        const again = await fixture.client.post(PrivacyEndpoints.erase.path, {user_id: ada.id});
        expect(Object.values(again.json.records).every((count) => count === 0)).toBe(true);
        const after = kvDump(fixture.api.kv);
        expect(Object.keys(after).filter((key) => !key.startsWith('audit:') && after[key] !== dump[key])).toEqual(['privacy:pending']);
        expect(kv.readVersioned(KvKeys.privacyPending).value!.items).toEqual([]);
    });

    test('a person without an account is erased by email: file row and invitation marker', async () => {
        const {fixture, waveId, draftId, kv} = await world();
        const lookup = await fixture.client.get(PrivacyEndpoints.person.path, {term: [newcomer]});
        expect(lookup.json.user).toBeNull();
        expect(lookup.json.records.cohort_rows).toBe(1);
        expect(lookup.json.records.wave_markers).toBe(1);
        expect((await fixture.client.post(PrivacyEndpoints.erase.path, {email: newcomer})).status).toBe(200);
        expect(mentions(fixture, [newcomer, emailHash(newcomer)])).toEqual([]);
        expect(kv.get(KvKeys.waveMailByEmail(waveId, emailHash(newcomer)))).toBeUndefined();
        expect(kv.readVersioned(KvKeys.waveDef(draftId)).value!.definition.cohort.csv).toHaveLength(3);
    });

    test('bad input is a 400 and nobody but a system admin may look or erase', async () => {
        const {fixture, ada, bob} = await world();
        expect((await fixture.client.post(PrivacyEndpoints.erase.path, {user_id: ada.id, email: newcomer})).status).toBe(400);
        expect((await fixture.client.post(PrivacyEndpoints.erase.path, {})).status).toBe(400);
        expect((await fixture.client.post(PrivacyEndpoints.erase.path, {user_id: 'nope'})).status).toBe(400);
        expect((await fixture.client.get(PrivacyEndpoints.person.path, {term: ['nobody-here']})).status).toBe(404);
        expect((await fixture.as(bob.id).post(PrivacyEndpoints.erase.path, {user_id: ada.id})).status).toBe(403);
        expect((await fixture.as(bob.id).get(PrivacyEndpoints.person.path, {term: [ada.username]})).status).toBe(403);
        expect(mentions(fixture, [ada.id]).length).toBeGreaterThan(10);
    });

    test('a crash halfway leaves the erasure pending, and the sweep finishes it', async () => {
        const {fixture, kv, context, waveId, ada} = await world();
        const before = aggregates(kv, waveId);
        const real = fixture.api.kv.compareAndSet.bind(fixture.api.kv);
        let writes = 0;
        fixture.api.kv.compareAndSet = (key, old, value) => {
            writes += 1;
            if (writes === 6) {
                throw new Error('simulated crash');
            }
            return real(key, old, value);
        };
        expect((await fixture.client.post(PrivacyEndpoints.erase.path, {user_id: ada.id})).status).toBe(500);
        fixture.api.kv.compareAndSet = real;
        expect(mentions(fixture, [ada.id]).length).toBeGreaterThan(0);
        expect(kv.readVersioned(KvKeys.privacyPending).value!.items.map((item) => item.user_id)).toEqual([ada.id]);

        expect(sweep({...context, userId: ''}, Date.now()).erased).toBe(1);
        expect(mentions(fixture, [ada.id, ada.email])).toEqual([]);
        expect(aggregates(kv, waveId)).toEqual(before);
    });

    test('the server deleting a user erases them; a deactivated one is kept unless the setting says so', async () => {
        const {fixture, kv, context, ada, bob} = await world();
        for (const user of [ada, bob]) {
            await fixture.app.dispatch('userHasBeenDeactivated', JSON.stringify({...user, delete_at: 9}));
        }
        fixture.api.directory.users.delete(ada.id);
        fixture.api.directory.users.set(bob.id, {...bob, delete_at: 9});
        const now = Date.now();
        expect(sweep({...context, userId: ''}, now).erased).toBe(1);
        expect(mentions(fixture, [ada.id])).toEqual([]);
        expect(mentions(fixture, [bob.id]).length).toBeGreaterThan(10);
        expect(kv.readVersioned(KvKeys.privacyPending).value!.items.map((item) => item.user_id)).toEqual([bob.id]);

        // Still there after the wait: only deactivated, let go.
        sweep({...context, userId: ''}, now + (11 * 60 * 1000));
        expect(kv.readVersioned(KvKeys.privacyPending).value!.items).toEqual([]);
        expect(mentions(fixture, [bob.id]).length).toBeGreaterThan(10);

        // With the setting on, deactivation erases.
        kv.writeVersioned(KvKeys.privacySettings, {retention_days: null, erase_on_deactivation: true}, 0);
        await fixture.app.dispatch('userHasBeenDeactivated', JSON.stringify({...bob, delete_at: 9}));
        expect(sweep({...context, userId: ''}, now).erased).toBe(1);
        expect(mentions(fixture, [bob.id])).toEqual([]);
    });
});

describe('retention', () => {
    test('pure: due only for finished waves past the cutoff, not yet removed', () => {
        const settings = {retention_days: 2, erase_on_deactivation: false};
        expect(removesAt(settings, 'completed', 1000)).toBe(1000 + (2 * 86_400_000));
        expect(removesAt(settings, 'running', 1000)).toBeNull();
        expect(removesAt({...settings, retention_days: null}, 'completed', 1000)).toBeNull();
        const waves = [
            {wave_id: 'old', finished_at: 0, removes_at: 100, removed_at: null},
            {wave_id: 'done', finished_at: 0, removes_at: 100, removed_at: 150},
            {wave_id: 'young', finished_at: 0, removes_at: 300, removed_at: null},
        ];
        expect(dueWaves(settings, waves, 200)).toEqual(['old']);
    });

    test('the wave finished before the cutoff loses its per-user data and keeps its counts; the other is untouched', async () => {
        const {fixture, kv, context, waveId, ada, bob} = await world();
        const users = fixture.users.map((user) => user.id);
        const second = await fixture.createWave({name: 'Later'});
        fixture.clock.advance(3 * 86_400_000);
        expect((await fixture.client.post(WaveRoutes.start(second.id), {expected_version: second.version})).status).toBe(200);
        runToEnd(fixture, second.id);
        const before = aggregates(kv, waveId);
        const laterBefore = JSON.stringify(Object.entries(kvDump(fixture.api.kv)).filter(([key]) => key.includes(second.id)));

        kv.writeVersioned(KvKeys.privacySettings, {retention_days: 2, erase_on_deactivation: false}, 0);
        const now = fixture.clock.now() + 3_600_000;
        expect(applyRetention(kv, now)).toEqual([waveId]);
        const firstWave = Object.entries(kvDump(fixture.api.kv)).filter(([key]) => key.includes(waveId));
        const naming = firstWave.filter(([key, value]) => users.some((id) => key.includes(id) || (value ?? '').includes(id)));
        expect(naming.map(([key]) => key)).toEqual([]);
        expect(aggregates(kv, waveId)).toEqual(before);
        expect(kv.get(KvKeys.privacyRetained(waveId))).toEqual({at: now});
        expect(JSON.stringify(Object.entries(kvDump(fixture.api.kv)).filter(([key]) => key.includes(second.id)))).toBe(laterBefore);

        // Outside the waves nothing changes, and a second run finds nothing due.
        expect(kv.readVersioned(KvKeys.stakeholdersAccess).value!.user_ids).toEqual([ada.id, bob.id]);
        expect(applyRetention(kv, now + 1)).toEqual([]);
        recordAudit(context, {action: 'noop', target: 'x', before: null, after: null});
        const state = await fixture.client.get(PrivacyEndpoints.state.path);
        expect(state.json.waves.find((wave: {wave_id: string}) => wave.wave_id === waveId).removed_at).toBe(now);
        expect(state.json.waves.find((wave: {wave_id: string}) => wave.wave_id === second.id).removed_at).toBeNull();
    });
});

describe('scrubbers', () => {
    test('anonymize keeps entries under fresh anonymous keys and is idempotent', () => {
        const who = personWho('u1', [], []);
        const once = anonymize({u1: 1, u2: 2, '~erased:1': 3}, who, (value) => value);
        expect(once).toEqual({value: {'~erased:2': 1, u2: 2, '~erased:1': 3}, changed: 1});
        expect(anonymize(once.value, who, (value) => value).changed).toBe(0);
        const all = anonymize(once.value, everybody, (value) => value);
        expect(all).toEqual({value: {'~erased:2': 1, '~erased:3': 2, '~erased:1': 3}, changed: 1});
    });

    test('results keep their outcome and lose who; file rows keep their line', () => {
        const kept = {index: 0, outcome: 'invited' as const, welcome: 'not_sent' as const, at: 1, attempts: 1};
        const result = {...kept, user_id: '', username: 'x', email: 'X@corp.example', reason: 'x failed'};
        const scrubbed = scrubResults({0: result}, personWho('', [], ['x@corp.example']));
        expect(scrubbed).toEqual({value: {0: {...kept, user_id: '', username: '', reason: ''}}, changed: 1});
        expect(scrubResults(scrubbed.value, everybody).changed).toBe(0);
        expect(scrubCohort([{line: 2, value: 'x', person: {first_name: 'X'}}, {line: 3, value: 'y'}], personWho('', ['x'], []))).toEqual({
            value: [{line: 2, value: ''}, {line: 3, value: 'y'}],
            changed: 1,
        });
    });
});
