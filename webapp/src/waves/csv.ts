// The cohort CSV in the browser: parsed with papaparse into `{line, value}` rows (line = the 1-based
// line of the file, so every problem points at it), split into request-sized chunks for POST …/csv.
// The server validates each value (username or email) and reports its own problems by line; here only
// what cannot become a row is reported: CSV syntax errors, rows with several values, empty values.
import Papa from 'papaparse';

import {toCsv} from 'contract/csv';
import {maxCsvRows, maxCsvRowsPerRequest, type CsvProblem, type CsvRow, type UserResult} from 'contract/waves';

export interface ParsedCohortCsv {
    rows: CsvRow[];
    problems: CsvProblem[];

    /** The first line was a header ("username", "email"…) and was not taken as a value. */
    header: boolean;

    /** More than maxCsvRows rows: nothing may be uploaded. */
    tooMany: boolean;
}

const headerPattern = /^(user ?names?|users?|e-?mails?|e-?mail address(es)?|logins?|login ids?|members?)$/i;

/** Parses the text of a cohort CSV: one username or email per row, a header row optional. */
export function parseCohortCsv(text: string): ParsedCohortCsv {
    const rows: CsvRow[] = [];
    const problems: CsvProblem[] = [];
    let header = false;
    let line = 1;
    let rowStart = 0;
    let first = true;
    const body = text.replace(/^\uFEFF/, '');
    Papa.parse<string[]>(body, {
        step(result) {
            const startLine = line;
            const end = result.meta.cursor;
            for (let i = rowStart; i < end; i++) {
                if (body.charCodeAt(i) === 10) {
                    line += 1;
                }
            }
            rowStart = end;
            const cells = result.data.map((cell) => cell.trim());
            const values = cells.filter((cell) => cell !== '');

            // A one-column file has no delimiter to detect: that is not a problem.
            const errors = result.errors.filter((error) => error.type !== 'Delimiter');
            if (errors.length > 0) {
                problems.push({line: startLine, value: cells.join(','), reason: errors.map((error) => error.message).join('; ')});
                return;
            }
            if (values.length === 0) {
                // A blank line: nothing to report. A row of empty cells is a row without a value.
                if (cells.length > 1) {
                    problems.push({line: startLine, value: cells.join(','), reason: 'empty value'});
                }
                return;
            }
            if (first) {
                first = false;
                if (values.length === 1 && headerPattern.test(values[0])) {
                    header = true;
                    return;
                }
            }
            if (values.length > 1) {
                problems.push({
                    line: startLine,
                    value: cells.join(','),
                    reason: `one username or email per row expected, found ${values.length} values`,
                });
                return;
            }
            rows.push({line: startLine, value: values[0].slice(0, 320)});
        },
    });
    return {rows, problems, header, tooMany: rows.length > maxCsvRows};
}

/** A request body stays well under the host's 1 MiB limit; rows are JSON-encoded UTF-8. */
const maxChunkBytes = 900 * 1024;

/** Bytes of `text` in UTF-8 (a surrogate pair is one 4-byte character). */
export function utf8Length(text: string): number {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x80) {
            bytes += 1;
        } else if (code < 0x800) {
            bytes += 2;
        } else if (code >= 0xd800 && code <= 0xdbff) {
            bytes += 4;
            i += 1;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

/** Rows in chunks of at most maxCsvRowsPerRequest rows and maxChunkBytes bytes of JSON, in order. */
export function csvChunks(rows: readonly CsvRow[]): CsvRow[][] {
    const chunks: CsvRow[][] = [];
    let current: CsvRow[] = [];
    let bytes = 0;
    for (const row of rows) {
        const size = utf8Length(JSON.stringify(row)) + 1;
        if (current.length > 0 && (current.length >= maxCsvRowsPerRequest || bytes + size > maxChunkBytes)) {
            chunks.push(current);
            current = [];
            bytes = 0;
        }
        current.push(row);
        bytes += size;
    }
    if (current.length > 0) {
        chunks.push(current);
    }
    return chunks;
}

/** Whether rows fit in one request body (together with the rest of a PATCH). */
export function fitsOneRequest(rows: readonly CsvRow[]): boolean {
    return csvChunks(rows).length <= 1 && rows.length <= maxCsvRowsPerRequest;
}

/**
 * Per-user results as CSV, written as the server writes its exports (contract/csv.ts): a username or
 * reason a spreadsheet would run as a formula shows as text.
 */
export function resultsCsv(results: readonly UserResult[]): string {
    return toCsv(
        ['username', 'user_id', 'outcome', 'reason', 'welcome', 'attempts', 'at'],
        results.map((r) => [r.username, r.user_id, r.outcome, r.reason, r.welcome, String(r.attempts), new Date(r.at).toISOString()]),
    );
}
