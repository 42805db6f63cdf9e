import {type JourneyStep, JourneyStepsSchema, type PersonState, surveyBefore} from 'contract/journey';

import {
    conditionHolds,
    dueAt,
    nextLook,
    nextStep,
    personState,
    planShard,
    rescanMs,
    signInCheckMs,
    startedAt,
    stepDone,
    withSignIn,
} from './schedule';

import type {UserActivity} from '../host/bindings.gen';

const minute = 60_000;
const step = (id: string, overrides: Partial<JourneyStep> = {}): JourneyStep => ({
    id,
    after: 'previous',
    delay_minutes: 1,
    condition: null,
    template: `Step ${id}`,
    ...overrides,
});
const nobody: PersonState = {
    signed_in: false,
    mobile_session: false,
    desktop_session: false,
    posted: false,
    profile_picture: false,
    answered_survey: false,
};
const noActivity: UserActivity = {
    last_login: 0,
    last_activity_at: 0,
    last_post_at: 0,
    desktop_app_at: 0,
    mobile_app_at: 0,
    notify_props_changed: false,
    channel_viewed_at: {},
};

describe('journey scheduling', () => {
    const steps = [step('a', {delay_minutes: 60}), step('b', {after: 'first_sign_in', delay_minutes: 10}), step('c')];

    test('the next step is the first not done, in order; none once all are done', () => {
        const person = startedAt(1000);
        expect(nextStep(steps, person)?.id).toBe('a');
        expect(nextStep(steps, stepDone(person, 'a', 'k', 2000))?.id).toBe('b');
        const all = ['a', 'b', 'c'].reduce((p, id) => stepDone(p, id, 's', 3000), person);
        expect(nextStep(steps, all)).toBeNull();

        // A step added at the front later is still taken first by people who have not had it.
        expect(nextStep([step('z'), ...steps], stepDone(person, 'a', 's', 2000))?.id).toBe('z');
    });

    test('a delay counts from the previous step, or from the first sign-in once seen', () => {
        const person = startedAt(1000);
        expect(dueAt(steps[0], person)).toBe(1000 + (60 * minute));
        const afterA = stepDone(person, 'a', 's', 5000);
        expect(dueAt(steps[2], afterA)).toBe(5000 + minute);
        expect(dueAt(steps[1], afterA)).toBeNull();
        const signedIn = withSignIn(afterA, 7000);
        expect(dueAt(steps[1], signedIn)).toBe(7000 + (10 * minute));

        // The first sign-in stays the first.
        expect(withSignIn(signedIn, 9000)).toBe(signedIn);
        expect(withSignIn(afterA, 0)).toBe(afterA);
    });

    test('each condition reads one fact of the person; no condition always holds', () => {
        const state = personState({...noActivity, last_login: 5, last_activity_at: 5, mobile_app_at: 9}, -3);
        expect(state).toEqual({...nobody, signed_in: true, mobile_session: true});
        expect(personState(undefined, undefined)).toEqual(nobody);
        expect(conditionHolds(null, state)).toBe(true);
        expect(conditionHolds('not_signed_in', state)).toBe(false);
        expect(conditionHolds('no_mobile_session', state)).toBe(false);
        expect(conditionHolds('no_desktop_session', state)).toBe(true);
        expect(conditionHolds('no_post', state)).toBe(true);
        expect(conditionHolds('no_profile_picture', state)).toBe(true);
        expect(conditionHolds('no_profile_picture', {...state, profile_picture: true})).toBe(false);
        expect(conditionHolds('no_post', {...state, posted: true})).toBe(false);
        expect(conditionHolds('not_signed_in', nobody)).toBe(true);
        expect(conditionHolds('not_answered_survey', state)).toBe(true);
        expect(conditionHolds('not_answered_survey', personState(undefined, undefined, true))).toBe(false);
    });

    test('"has not answered the survey" reads the nearest survey step before it, and needs one', () => {
        const question = {id: 'q1', kind: 'rating' as const, label: 'How is it?', help: '', options: []};
        const survey = {title: 'Pulse', questions: [question], closes_at: null};
        const journey = [step('s1', {survey}), step('tip'), step('s2', {survey}), step('nag', {condition: 'not_answered_survey'})];
        expect(surveyBefore(journey, 'nag')?.id).toBe('s2');
        expect(surveyBefore(journey, 'tip')?.id).toBe('s1');
        expect(surveyBefore(journey, 's1')).toBeUndefined();
        expect(JourneyStepsSchema.safeParse(journey).success).toBe(true);
        const orphan = JourneyStepsSchema.safeParse([step('nag', {condition: 'not_answered_survey'}), step('s1', {survey})]);
        expect(orphan.success).toBe(false);
        expect(orphan.error?.issues[0].path).toEqual([0, 'condition']);
    });

    test('a shard plan: who is due, who waits for a sign-in, and when to look next', () => {
        const now = 100 * minute;
        const people = new Map([
            ['due', startedAt(now - (61 * minute))],
            ['later', startedAt(now - (30 * minute))],
            ['waiting', stepDone(startedAt(0), 'a', 's', now - minute)],
            ['finished', ['a', 'b', 'c'].reduce((p, id) => stepDone(p, id, 's', 0), startedAt(0))],
        ]);
        const plan = planShard(steps, people, now);
        expect(plan.due.map(({userId, step: s}) => `${userId}:${s.id}`)).toEqual(['due:a']);
        expect(plan.waiting).toEqual(['waiting']);
        expect(plan.later).toBe(now + (30 * minute));

        // Someone waits for a sign-in: look again within the sign-in interval, not only at the next due time.
        expect(nextLook(plan, now, false)).toBe(now + Math.min(signInCheckMs, rescanMs));
        expect(nextLook({due: [], waiting: [], later: now + 1000}, now, false)).toBe(now + 1000);

        // Nothing left: the rescan still comes (the wave may welcome more people).
        expect(nextLook({due: [], waiting: [], later: Infinity}, now, false)).toBe(now + rescanMs);

        // An unconfirmed follow-up or people left over: at once.
        expect(nextLook(plan, now, true)).toBe(0);
    });
});
