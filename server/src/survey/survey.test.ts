import {JourneyEndpoints} from 'contract/endpoints/journey';
import {PlanEndpoints} from 'contract/endpoints/plan';
import {SurveyEndpoints} from 'contract/endpoints/survey';
import {WaveRoutes} from 'contract/routes';

import {answerIntegrationUrl, submitUrl} from './action';
import {surveyCapabilityWith} from './survey';

import {journeyCapabilityWith} from '../journey/journey';
import {runJourneys} from '../journey/run';
import {journeyProp} from '../journey/stop';
import {KvStore} from '../kv/store';
import {planCapability} from '../plan/plan';
import {memoryLogger} from '../testing/memoryLogger';
import {runToEnd, waveFixture} from '../testing/waveFixture';

// A survey on the in-memory server, through the routes the real server calls: the job sends it, the
// "Answer" click opens the dialog for its addressee only, the submission is checked, stored and
// editable, someone else's post is refused, and the results, export and plan task follow.

const survey = {
    title: 'First week',
    questions: [
        {id: 'stars', kind: 'rating', label: 'Rate the tools'},
        {id: 'why', kind: 'text', label: 'Anything to add?'},
    ],
};

async function surveyWave() {
    const journey = journeyCapabilityWith({now: () => 0, budgetMs: 0, maxPerShard: 0});
    const fixture = await waveFixture({users: 2, capabilities: [journey, surveyCapabilityWith(() => Date.now()), planCapability]});
    const wave = await fixture.createWave();
    const put = await fixture.request('PUT', JourneyEndpoints.update.toPath({waveId: wave.id}), {
        userId: fixture.admin.id,
        body: {
            expected_version: 0,
            steps: [{id: 'pulse', after: 'previous', delay_minutes: 0, condition: null, template: 'A survey', survey}],
        },
    });
    expect(put.status).toBe(200);
    expect((await fixture.client.post(WaveRoutes.start(wave.id), {expected_version: wave.version})).status).toBe(200);
    runToEnd(fixture, wave.id);
    const context = {api: fixture.api, kv: new KvStore(fixture.api.kv), log: memoryLogger()};
    runJourneys(context, {now: fixture.clock.now, budgetMs: 60_000, maxPerShard: 100});
    const postOf = (userId: string) => fixture.api.createdPosts.find((post) => post.props?.[journeyProp] === `${wave.id}:pulse:${userId}`)!;
    const click = (asUserId: string, userId: string) => fixture.as(asUserId).post(SurveyEndpoints.answerAction.path, {
        user_id: asUserId,
        post_id: postOf(userId).id,
        trigger_id: 'trigger',
        context: {wave_id: wave.id, step_id: 'pulse', user_id: userId},
    });
    const submit = (asUserId: string, userId: string, submission: Record<string, unknown>) => fixture.as(asUserId).post(
        SurveyEndpoints.dialogSubmit.path,
        {
            type: 'dialog_submission',
            callback_id: `${wave.id}:pulse`,
            state: postOf(userId).id,
            user_id: asUserId,
            channel_id: 'c',
            team_id: 't',
            submission,
            cancelled: false,
        },
    );
    return {fixture, waveId: wave.id, postOf, click, submit};
}

describe('survey routes', () => {
    test('the Answer button opens the dialog for its addressee only, with their answers so far', async () => {
        const {fixture, postOf, click, submit} = await surveyWave();
        const [ada, bob] = fixture.users;
        const buttons = JSON.stringify(postOf(ada.id).props.attachments);
        expect(buttons).toContain(answerIntegrationUrl);
        expect(buttons).toContain('journeystop');

        expect((await click(bob.id, ada.id)).status).toBe(403);
        expect(fixture.api.openedDialogs).toHaveLength(0);
        expect((await click(ada.id, ada.id)).status).toBe(200);
        expect(fixture.api.openedDialogs).toHaveLength(1);
        const [opened] = fixture.api.openedDialogs;
        expect([opened.trigger_id, opened.url, opened.dialog.state, opened.dialog.submit_label]).
            toEqual(['trigger', submitUrl, postOf(ada.id).id, 'Send']);

        expect((await submit(ada.id, ada.id, {stars: '4', why: 'Fine'})).json).toEqual({});
        await click(ada.id, ada.id);
        const again = fixture.api.openedDialogs[1].dialog;
        expect(again.elements?.map((element) => element.default)).toEqual(['4', 'Fine']);
        expect(again.submit_label).toBe('Update');
    });

    test('submissions checked, stored, edited; another\'s post refused; results, export, a plan task', async () => {
        const {fixture, waveId, submit} = await surveyWave();
        const [ada, bob] = fixture.users;
        const params = {waveId, stepId: 'pulse'};
        expect((await submit(ada.id, ada.id, {stars: '7'})).json).toEqual({errors: {stars: 'Choose a rating from 1 to 5.'}});
        expect((await submit(ada.id, ada.id, {stars: '3', why: '=1+1'})).json).toEqual({});
        fixture.clock.advance(1000);
        expect((await submit(ada.id, ada.id, {stars: '5', why: '=1+1'})).json).toEqual({});
        expect((await submit(bob.id, ada.id, {stars: '1'})).status).toBe(403);

        const results = (await fixture.client.get(SurveyEndpoints.results.toPath(params))).json;
        expect([results.asked, results.answered, results.response_rate]).toEqual([2, 1, 0.5]);
        expect(results.questions[0].counts.map((c: {count: number}) => c.count)).toEqual([0, 0, 0, 0, 1]);
        expect(results.texts.map((t: {id: string; username: string}) => [t.id, t.username])).toEqual([[`${ada.id}:why`, ada.username]]);
        const csv = (await fixture.client.get(SurveyEndpoints.export.toPath(params))).body ?? '';
        expect(csv).toContain('"\'=1+1"');
        expect(csv.trimEnd().split('\r\n')).toHaveLength(2);

        const plan = (await fixture.client.get(PlanEndpoints.plan.toPath())).json;
        const made = await fixture.client.post(SurveyEndpoints.createTask.toPath(params), {
            phase_id: plan.plan.phases[0].id,
            title: 'Follow up',
            answer_ids: [`${ada.id}:why`],
            expected_version: plan.plan.version,
        });
        expect(made.status).toBe(201);
        const after = (await fixture.client.get(PlanEndpoints.plan.toPath())).json;
        const task = after.plan.phases[0].tasks.find((t: {id: string}) => t.id === made.json.task_id);
        expect(task.survey).toEqual({wave_id: waveId, step_id: 'pulse', answer_ids: [`${ada.id}:why`]});
    });
});
