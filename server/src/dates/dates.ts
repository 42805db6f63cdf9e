// Every date the server writes: UTC, in ISO 8601. UTC because the plugin's JS runtime (goja) has no
// time-zone database and no Intl: near midnight a user far from UTC may read the neighbouring day, but
// every node, export and KV key agrees on the day.

/** The UTC day of a time in ms, as YYYY-MM-DD: the adoption day keys, export file names, the welcome DM's dates. */
export function utcDay(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

/** A time in ms as an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ), as the CSV exports write it. */
export function isoTime(ms: number): string {
    return new Date(ms).toISOString();
}
