import {WaveStateSchema, type WaveState} from 'contract/waves';

// The wave's state machine (contract WaveStateSchema). Every change of a run's state, an admin's
// (start, pause, …) or the engine's (due, finish, reopen), is one of these; store.ts `transition`
// refuses any other with 409 before anything is written.

export type WaveEvent =
    | 'start' // the admin starts it now
    | 'schedule' // the admin starts it at a later time
    | 'due' // the engine: a scheduled wave's start time has come
    | 'pause' // the admin pauses it
    | 'resume' // the admin resumes it
    | 'cancel' // the admin cancels it
    | 'retry_failed' // the admin queues its failed users again (a paused wave stays paused)
    | 'finish' // the engine: every queued user has a result, none failed
    | 'finish_with_failures' // the same, with failures
    | 'reopen'; // the engine: rolling arrivals joined a completed wave

const transitions: Record<WaveState, Partial<Record<WaveEvent, WaveState>>> = {
    draft: {start: 'running', schedule: 'scheduled', cancel: 'cancelled'},

    // schedule again: a new start time for a wave not started yet.
    scheduled: {start: 'running', schedule: 'scheduled', due: 'running', pause: 'paused', cancel: 'cancelled'},
    running: {
        pause: 'paused',
        cancel: 'cancelled',
        retry_failed: 'running',
        finish: 'completed',
        finish_with_failures: 'completed_with_failures',
    },
    paused: {resume: 'running', cancel: 'cancelled', retry_failed: 'paused'},
    completed: {reopen: 'running'},
    completed_with_failures: {retry_failed: 'running', reopen: 'running'},
    cancelled: {},
};

/** The next state, or null when the event is not allowed in `state`. */
export function waveTransition(state: WaveState, event: WaveEvent): WaveState | null {
    return transitions[state][event] ?? null;
}

/** The states in which `event` is allowed (what an admin action's 409 is decided on). */
export function statesAllowing(event: WaveEvent): WaveState[] {
    return WaveStateSchema.options.filter((state) => waveTransition(state, event) !== null);
}

/** Whether some event changes `from` into `to`; staying in the same state is always allowed. */
export function isAllowedChange(from: WaveState, to: WaveState): boolean {
    return from === to || Object.values(transitions[from]).includes(to);
}
