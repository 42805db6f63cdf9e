import {ErrorIds} from 'contract/errors';
import type {LoadTestMeasurement} from 'contract/loadtest';

import {ApiError} from '../errors/apiError';

// Reads the result files of Mattermost's load-test tool (github.com/mattermost/mattermost-load-test-ng).
// The formats, as the tool writes them:
// - coordinator/status.go `Status` (State "stopped" | "running" | "done", StartTime, StopTime, ActiveUsers,
//   NumErrors, SupportedUsers, …), encoded by encoding/json with its field names; the coordinator API
//   answers `{"id", "message", "status": Status}` (api/client/coordinator/coordinator.go
//   CoordinatorResponse). SupportedUsers is set when the run is done (coordinator/coordinator.go).
// - `ltctl loadtest status` prints the same Status as text (cmd/ltctl/loadtest.go printCoordinatorStatus):
//   "State: done", "Start time: <time.UnixDate>", "Number of errors: N", "Supported users: N" (done only).
// - `ltctl comparison run --format json` writes comparison.json (cmd/ltctl/comparison.go) from
//   comparison/output.go `Output{DeploymentInfo, Results[{LoadTests[2]{Failed, Label, Config{Type,
//   DBEngine, …}, Status}, Report, DashboardURL}]}`; only "unbounded" runs measure supported users
//   (comparison/config.go LoadTestTypeUnbounded).

function malformed(message: string): ApiError {
    return new ApiError(400, ErrorIds.loadTestMalformed, message);
}

function foreign(): ApiError {
    return new ApiError(
        400,
        ErrorIds.loadTestForeign,
        'This is not a result of Mattermost\'s load-test tool: upload the coordinator\'s status (JSON), ' +
        'the output of "ltctl loadtest status", or the comparison.json of "ltctl comparison run --format json".',
    );
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An RFC 3339 time as Go's encoding/json writes time.Time; Go's zero time (never set) → null. No Date.parse: goja's differs. */
export function parseGoTime(value: unknown): number | null {
    if (typeof value !== 'string') {
        return null;
    }
    const match = (/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/).exec(value);
    if (!match || match[1] === '0001') {
        return null;
    }
    const [, y, mo, d, h, mi, s, fraction, , sign, oh, om] = match;
    const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
    const offset = sign ? (sign === '-' ? -1 : 1) * ((Number(oh) * 60) + Number(om)) * 60_000 : 0;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offset;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.UnixDate ("Mon Jan _2 15:04:05 MST 2006"); only UTC/GMT zones are read (an abbreviation names no offset). */
function parseUnixDate(text: string): number | null {
    const match = (/^\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT) (\d{4})$/).exec(text.trim());
    if (!match || !MONTHS.includes(match[1])) {
        return null;
    }
    const [, month, day, h, mi, s, , year] = match;
    return Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(h), Number(mi), Number(s));
}

function count(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw malformed(`${what} is not a whole number from 0 (${JSON.stringify(value) ?? 'missing'}).`);
    }
    return value;
}

function isCoordinatorStatus(value: unknown): value is Json {
    return isObject(value) && 'State' in value && 'SupportedUsers' in value;
}

/** One coordinator.Status; the run must be done, since SupportedUsers is only set then. */
function fromStatus(status: Json, format: LoadTestMeasurement['format'], label: string | null): LoadTestMeasurement {
    if (status.State !== 'done') {
        throw malformed(
            `The load test is "${String(status.State)}", not done: the coordinator knows the supported users only when the run is done.`,
        );
    }
    return {
        format,
        supported_users: count(status.SupportedUsers, 'SupportedUsers'),
        started_at: parseGoTime(status.StartTime),
        stopped_at: parseGoTime(status.StopTime),
        num_errors: status.NumErrors === undefined ? null : count(status.NumErrors, 'NumErrors'),
        label,
    };
}

function fromComparison(output: Json): LoadTestMeasurement[] {
    if (!Array.isArray(output.Results)) {
        throw malformed('The comparison has no list of Results.');
    }
    const runs: LoadTestMeasurement[] = [];
    for (const result of output.Results) {
        const loadTests = isObject(result) && Array.isArray(result.LoadTests) ? result.LoadTests : [];
        for (const loadTest of loadTests) {
            if (!isObject(loadTest) || loadTest.Failed === true || !isObject(loadTest.Config) || loadTest.Config.Type !== 'unbounded') {
                continue;
            }
            if (!isCoordinatorStatus(loadTest.Status)) {
                throw malformed('A load test of the comparison has no coordinator status.');
            }
            runs.push(fromStatus(loadTest.Status, 'comparison', typeof loadTest.Label === 'string' ? loadTest.Label : null));
        }
    }
    if (runs.length === 0) {
        throw malformed('The comparison has no completed unbounded load test: only unbounded runs measure the supported users.');
    }
    return runs;
}

function fromJson(text: string): LoadTestMeasurement[] {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw malformed(`The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (isObject(value) && isObject(value.DeploymentInfo) && 'Results' in value) {
        return fromComparison(value);
    }
    if (isObject(value) && isCoordinatorStatus(value.status)) {
        return [fromStatus(value.status, 'coordinator_status', null)];
    }
    if (isCoordinatorStatus(value)) {
        return [fromStatus(value, 'coordinator_status', null)];
    }
    if (isObject(value) && typeof value.error === 'string' && value.error !== '') {
        // The coordinator API's answer to a failed request.
        throw malformed(`The coordinator answered with an error, not a result: ${value.error}`);
    }
    throw foreign();
}

function fromLtctlText(text: string): LoadTestMeasurement[] {
    const lines = new Map<string, string>();
    for (const line of text.split(/\r?\n/)) {
        const match = (/^([A-Za-z ]+):\s*(.*)$/).exec(line.trim());
        if (match && !lines.has(match[1])) {
            lines.set(match[1], match[2].trim());
        }
    }
    const state = lines.get('State');
    if (state !== 'done') {
        throw malformed(`The load test is "${state ?? 'unknown'}", not done: "Supported users" is printed only when the run is done.`);
    }
    const supported = lines.get('Supported users');
    if (supported === undefined || !(/^\d{1,9}$/).test(supported)) {
        throw malformed('The status has no "Supported users:" line with a number.');
    }
    const errors = lines.get('Number of errors');
    return [{
        format: 'ltctl_status',
        supported_users: Number(supported),
        started_at: parseUnixDate(lines.get('Start time') ?? ''),
        stopped_at: parseUnixDate(lines.get('Stop time') ?? ''),
        num_errors: errors !== undefined && (/^\d{1,12}$/).test(errors) ? Number(errors) : null,
        label: null,
    }];
}

/**
 * The runs a result file reports (a comparison has two), oldest first. Throws a 400 ApiError:
 * `cockpit.loadtest.malformed` for the tool's formats that cannot be read (broken JSON, a run not done),
 * `cockpit.loadtest.foreign` for anything else.
 */
export function parseLoadTestResult(text: string): LoadTestMeasurement[] {
    if (text.includes('\u0000')) {
        throw foreign();
    }
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        return fromJson(trimmed);
    }
    if ((/^load-test status:\s*$/m).test(trimmed) && (/^State:/m).test(trimmed)) {
        return fromLtctlText(trimmed);
    }
    throw foreign();
}
