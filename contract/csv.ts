// The one CSV writer, for the server's exports and the webapp's downloads alike: RFC 4180 quoting, and
// formula injection neutralised. A cell a spreadsheet would run as a formula (starting with = + - @, a
// tab or a carriage return) gets a leading single quote, so `=HYPERLINK(…)` in a task title shows as
// text instead of executing (OWASP "CSV Injection").
//
// Not papaparse's `unparse` (papaparse stays the parser): its code carries timers, which the server
// bundle must not (server/src/bundle.test.ts), and its formula check misses a cell with a line break.

const formulaStart = /^[=+\-@\t\r]/;

/** One cell: neutralised, then always quoted with inner quotes doubled (commas, quotes, line breaks stay inside). */
export function csvCell(value: string): string {
    const safe = formulaStart.test(value) ? `'${value}` : value;
    return `"${safe.replace(/"/g, '""')}"`;
}

/** Rows joined with CRLF, as RFC 4180 and spreadsheets expect; ends with a line break. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
    return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
