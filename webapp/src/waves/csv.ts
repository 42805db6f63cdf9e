// The cohort CSV in the browser: parsed with papaparse into `{line, value}` rows (line = the 1-based
// line of the file, so every problem points at it), split into request-sized chunks for POST …/csv.
// Two shapes of file: one username or email per row (a header optional), or a header row of named
// columns (contract/waves_people.ts) describing each person, who may have no account yet. The server
// validates each row and reports its own problems by line; here only what cannot become a row is
// reported: CSV syntax errors, rows with several values or none, unknown or repeated columns, cells
// longer than their column allows.
import Papa from 'papaparse';

import {toCsv} from 'contract/csv';
import {
    maxCsvRows,
    maxCsvRowsPerRequest,
    personColumns,
    PersonSchema,
    type CsvProblem,
    type CsvRow,
    type Person,
    type PersonColumn,
    type UserResult,
} from 'contract/waves';

export interface ParsedCohortCsv {
    rows: CsvRow[];
    problems: CsvProblem[];

    /** The first line was a header ("username", "email"…, or named columns) and was not taken as a value. */
    header: boolean;

    /** The named columns the header declared, in its order (empty for a one-column file). */
    columns: PersonColumn[];

    /** More than maxCsvRows rows: nothing may be uploaded. */
    tooMany: boolean;
}

const headerPattern = /^(user ?names?|users?|e-?mails?|e-?mail address(es)?|logins?|login ids?|members?)$/i;

/** A header cell as a column name: case-insensitive, spaces and dashes as underscores ("First Name" → first_name). */
export const columnName = (cell: string) => cell.trim().toLowerCase().replace(/[\s-]+/g, '_');

const isPersonColumn = (name: string): name is PersonColumn => (personColumns as readonly string[]).includes(name);

/** The longest text a column takes (PersonSchema, i.e. the server's account columns). */
const columnMax = (column: PersonColumn): number => PersonSchema.shape[column].unwrap().maxLength ?? Infinity;

/**
 * What the first row with values says about the file: named columns (at least two cells, one of them a
 * person column), a one-column header, or a first value.
 */
type Layout =
    | {kind: 'undecided'}
    | {kind: 'values'}
    | {kind: 'named'; columns: Array<PersonColumn | null>}

    /** A header of named columns without email or username: no row can be matched to anyone. */
    | {kind: 'unusable'};

function namedLayout(cells: string[], line: number, problems: CsvProblem[]): Layout {
    const names = cells.map(columnName);
    const seen = new Set<PersonColumn>();
    const unknown: string[] = [];
    const repeated: string[] = [];
    const columns = names.map((name, i): PersonColumn | null => {
        if (name === '') {
            return null;
        }
        if (!isPersonColumn(name)) {
            unknown.push(cells[i]);
            return null;
        }
        if (seen.has(name)) {
            repeated.push(cells[i]);
            return null;
        }
        seen.add(name);
        return name;
    });
    if (unknown.length > 0) {
        problems.push({line, value: unknown.join(', '), reason: `unknown columns, ignored (the columns are ${personColumns.join(', ')})`});
    }
    if (repeated.length > 0) {
        problems.push({line, value: repeated.join(', '), reason: 'columns named twice: the first of each is read'});
    }
    if (!seen.has('email') && !seen.has('username')) {
        problems.push({
            line,
            value: cells.join(','),
            reason: 'the header names neither an email nor a username column: no row can be read',
        });
        return {kind: 'unusable'};
    }
    return {kind: 'named', columns};
}

/** A row of a named-columns file as a person, or the reason it cannot be one. */
function personRow(cells: string[], columns: Array<PersonColumn | null>): {person: Person} | {reason: string} {
    const extra = cells.slice(columns.length).filter((cell) => cell !== '').length;
    if (extra > 0) {
        return {reason: `${columns.length + extra} cells but the header has ${columns.length} columns`};
    }
    const person: Person = {};
    const tooLong: string[] = [];
    columns.forEach((column, i) => {
        const cell = cells[i] ?? '';
        if (column === null || cell === '') {
            return;
        }
        if (cell.length > columnMax(column)) {
            tooLong.push(`${column} is longer than ${columnMax(column)} characters`);
            return;
        }
        person[column] = cell;
    });
    if (tooLong.length > 0) {
        return {reason: tooLong.join('; ')};
    }
    if (!person.email && !person.username) {
        return {reason: 'neither an email nor a username'};
    }
    return {person};
}

/** Parses the text of a cohort CSV: one username or email per row, or named columns; a header row optional for the former. */
export function parseCohortCsv(text: string): ParsedCohortCsv {
    const rows: CsvRow[] = [];
    const problems: CsvProblem[] = [];
    let header = false;
    let layout: Layout = {kind: 'undecided'};
    let line = 1;
    let rowStart = 0;
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
            if (values.length === 0 && cells.length <= 1) {
                // A blank line: nothing to report.
                return;
            }
            if (layout.kind === 'undecided' && values.length > 0) {
                if (values.length > 1 && values.some((value) => isPersonColumn(columnName(value)))) {
                    header = true;
                    layout = namedLayout(cells, startLine, problems);
                    return;
                }
                layout = {kind: 'values'};
                if (values.length === 1 && headerPattern.test(values[0])) {
                    header = true;
                    return;
                }
            }
            if (layout.kind === 'unusable') {
                return;
            }
            if (layout.kind === 'named') {
                const read = personRow(cells, layout.columns);
                if ('reason' in read) {
                    problems.push({line: startLine, value: cells.join(','), reason: read.reason});
                    return;
                }
                rows.push({line: startLine, value: read.person.email ?? read.person.username ?? '', person: read.person});
                return;
            }
            if (values.length === 0) {
                // A row of empty cells is a row without a value.
                problems.push({line: startLine, value: cells.join(','), reason: 'empty value'});
                return;
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

    // Papaparse calls `step` synchronously: the layout is final here (a cast, since TS cannot see the callback assign it).
    const final = layout as Layout;
    const columns = final.kind === 'named' ? final.columns.filter((column): column is PersonColumn => column !== null) : [];
    return {rows, problems, header, columns, tooMany: rows.length > maxCsvRows};
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
 * reason a spreadsheet would run as a formula shows as text. `email` is the file's address of a person
 * who had no account; `invitation` is empty when the wave sent none.
 */
export function resultsCsv(results: readonly UserResult[]): string {
    return toCsv(
        ['username', 'email', 'user_id', 'outcome', 'reason', 'welcome', 'invitation', 'attempts', 'at'],
        results.map((r) => [
            r.username,
            r.email ?? '',
            r.user_id,
            r.outcome,
            r.reason,
            r.welcome,
            r.invitation ?? '',
            String(r.attempts),
            new Date(r.at).toISOString(),
        ]),
    );
}

/**
 * Two people of the downloadable template: one who will sign in with email and password (their
 * account gets no usable password; they choose one through the server's password reset), one who
 * signs in with SAML (the auth data is the id the identity provider sends for them).
 */
const templatePeople: ReadonlyArray<Record<PersonColumn, string>> = [
    {
        email: 'ada.lovelace@example.com',
        username: 'ada.lovelace',
        first_name: 'Ada',
        last_name: 'Lovelace',
        nickname: 'Ada',
        position: 'Analyst',
        locale: 'en',
        timezone: 'Europe/London',
        auth_service: 'email',
        auth_data: '',
    },
    {
        email: 'grace.hopper@example.com',
        username: 'grace.hopper',
        first_name: 'Grace',
        last_name: 'Hopper',
        nickname: '',
        position: 'Engineer',
        locale: 'en',
        timezone: 'America/New_York',
        auth_service: 'saml',
        auth_data: 'ghopper-1906',
    },
];

/** The cohort template: the header row of named columns and two example people. */
export function cohortTemplateCsv(): string {
    return toCsv(personColumns, templatePeople.map((person) => personColumns.map((column) => person[column])));
}
