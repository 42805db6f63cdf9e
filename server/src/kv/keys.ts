import {z} from 'zod';

import {plainRecord} from './records';

// EVERY key the plugin stores, in one list, grouped by namespace (the part before the first colon).
// A capability adds its namespace here rather than building keys in its own folder, so collisions
// and the full storage layout are visible in one file. Per-entity keys are functions of the id,
// e.g. `waveResults: (waveId, shard) => versionedRecord(`wave:${waveId}:results:${shard}`, …)`.
// Namespaces `mutex_` and `cron_` are used by the host's cluster helpers; `mmi_` is reserved by the server.

export const KvKeys = {
    /** bot: the plugin bot's user id, written on every activation. */
    botUserId: plainRecord('bot:user_id', z.string()),
} as const;
