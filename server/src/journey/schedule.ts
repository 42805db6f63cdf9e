import type {JourneyCondition, JourneyStep, PersonState} from 'contract/journey';

import type {UserActivity} from '../host/bindings.gen';
import type {JourneyPerson} from '../kv/keys';

// The journey's decisions as pure functions of a person's progress and state: which step is next and
// when it is due, whether its condition holds, and what the shard's next due time is. journey.ts reads
// and writes the records around them.

/** Each person's journey starts when their welcome was recorded (their result's time). */
export const startedAt = (at: number): JourneyPerson => ({steps: {}, at});

/** The person's next step (the first in order not done), or null when the journey is over for them. */
export function nextStep(steps: readonly JourneyStep[], person: JourneyPerson): JourneyStep | null {
    return steps.find((step) => person.steps[step.id] === undefined) ?? null;
}

/**
 * When `step` is due for the person (ms), or null: it counts from their first sign-in and they have not
 * signed in yet (so the runner must look at their sign-ins again later).
 */
export function dueAt(step: JourneyStep, person: JourneyPerson): number | null {
    const from = step.after === 'previous' ? person.at : person.signed_in_at;
    return from === undefined ? null : from + (step.delay_minutes * 60_000);
}

/**
 * What the conditions read, from the host's activity row and the profile (0 = never seen), and whether
 * they answered the survey the step's condition reads.
 */
export function personState(
    activity: UserActivity | undefined,
    lastPictureUpdate: number | undefined,
    answeredSurvey = false,
): PersonState {
    return {
        signed_in: (activity?.last_login ?? 0) > 0,
        mobile_session: (activity?.mobile_app_at ?? 0) > 0,
        desktop_session: (activity?.desktop_app_at ?? 0) > 0,
        posted: (activity?.last_post_at ?? 0) > 0,
        profile_picture: (lastPictureUpdate ?? 0) > 0,
        answered_survey: answeredSurvey,
    };
}

const holds: Record<JourneyCondition, (state: PersonState) => boolean> = {
    not_signed_in: (state) => !state.signed_in,
    no_mobile_session: (state) => !state.mobile_session,
    no_desktop_session: (state) => !state.desktop_session,
    no_post: (state) => !state.posted,
    no_profile_picture: (state) => !state.profile_picture,
    not_answered_survey: (state) => !state.answered_survey,
};

/** Whether a step with `condition` goes to a person in `state` (a step without one goes to everyone). */
export const conditionHolds = (condition: JourneyCondition | null, state: PersonState) => condition === null || holds[condition](state);

/** The person as seen signed in: the first sign-in time is kept once known. */
export function withSignIn(person: JourneyPerson, lastLogin: number): JourneyPerson {
    return person.signed_in_at === undefined && lastLogin > 0 ? {...person, signed_in_at: lastLogin} : person;
}

/** How often a shard whose people wait for a first sign-in looks at their sign-ins again. */
export const signInCheckMs = 60_000;

export interface Plan {
    /** People whose next step is due now. */
    due: Array<{userId: string; step: JourneyStep}>;

    /** People waiting for their first sign-in (their sign-ins must be read). */
    waiting: string[];

    /** The earliest later due time among the others (Infinity: nothing left). */
    later: number;
}

/** Who is due now, who waits for a sign-in and when the rest is next due, for the people of one shard. */
export function planShard(steps: readonly JourneyStep[], people: ReadonlyMap<string, JourneyPerson>, now: number): Plan {
    const plan: Plan = {due: [], waiting: [], later: Infinity};
    for (const [userId, person] of people) {
        const step = nextStep(steps, person);
        if (step === null) {
            continue;
        }
        const at = dueAt(step, person);
        if (at === null) {
            plan.waiting.push(userId);
        } else if (at <= now) {
            plan.due.push({userId, step});
        } else {
            plan.later = Math.min(plan.later, at);
        }
    }
    return plan;
}

/**
 * How long a shard goes without a look at most: people the wave welcomes meanwhile (the rest of its
 * queue, rolling arrivals) join the journey within this.
 */
export const rescanMs = 30_000;

/**
 * When the shard next needs a look: its earliest due time, sooner when someone waits for a sign-in or
 * the rescan comes first, and at once while a follow-up is announced but not confirmed (or people
 * remain past this run's limit).
 */
export function nextLook(plan: Plan, now: number, unfinished: boolean): number {
    if (unfinished) {
        return 0;
    }
    const signIn = plan.waiting.length > 0 ? now + signInCheckMs : Infinity;
    return Math.min(plan.later, signIn, now + rescanMs);
}

/** The person after a step: sent or skipped, now. */
export const stepDone = (person: JourneyPerson, stepId: string, how: 's' | 'k', now: number): JourneyPerson => ({
    ...person,
    steps: {...person.steps, [stepId]: how},
    at: now,
});
