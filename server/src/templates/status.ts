import {ChannelStatusSchema, type ChannelStatus, type StatusCounts} from 'contract/templates';

// The per-channel state machine of a proposal (contract ChannelStatusSchema). Every status change goes
// through `transition`, so an impossible change (approving an applied channel, rolling back a pending
// one) is refused with 409 before anything is written.

export type ChannelEvent =
    | 'approve' // the team admin approves
    | 'reject' // the team admin rejects
    | 'applied' // applied and verified by reading back
    | 'failed' // applying failed (the reason is kept)
    | 'needs_license' // the server's license does not allow it
    | 'rollback' // the recorded settings were restored
    | 'retry'; // applying again after failed / needs_license, or after an apply interrupted in approved (a crash)

const transitions: Record<ChannelStatus, Partial<Record<ChannelEvent, ChannelStatus>>> = {
    pending: {approve: 'approved', reject: 'rejected'},

    // retry from approved: the apply that was running died (the process was killed); applying is idempotent.
    approved: {applied: 'applied', failed: 'failed', needs_license: 'needs_license', retry: 'approved'},
    applied: {rollback: 'rolled_back'},
    rejected: {},
    failed: {retry: 'approved'},
    needs_license: {retry: 'approved'},
    rolled_back: {},
};

/** The next status, or null when the event is not allowed in `status`. */
export function transition(status: ChannelStatus, event: ChannelEvent): ChannelStatus | null {
    return transitions[status][event] ?? null;
}

export function countStatuses(statuses: Iterable<ChannelStatus>): StatusCounts {
    const counts = Object.fromEntries(ChannelStatusSchema.options.map((status) => [status, 0])) as StatusCounts;
    for (const status of statuses) {
        counts[status] += 1;
    }
    return counts;
}

export function addCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
    const sum = countStatuses([]);
    for (const status of ChannelStatusSchema.options) {
        sum[status] = a[status] + b[status];
    }
    return sum;
}
