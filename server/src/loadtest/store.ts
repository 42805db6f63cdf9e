import {ErrorIds} from 'contract/errors';
import {
    LOAD_TEST_FILE_MAX_BYTES,
    LOAD_TEST_HISTORY_PAGE,
    loadTestVerdict,
    type LoadTestOverview,
    type LoadTestRun,
    type LoadTestVerdict,
} from 'contract/loadtest';

import {parseLoadTestResult} from './parse';

import {recordAudit, type AuditContext} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import {ConflictError} from '../kv/conflictError';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import {readSizingPlan} from '../sizing/store';

// The history of load-test runs: one write-once key per run, numbered by a head record that an upload
// advances by compare-and-set (so two uploads at once both land, one after the other).

function headCount(kv: KvReader): number {
    return kv.readVersioned(KvKeys.loadTestHead).value?.count ?? 0;
}

/** The newest run stored (an upload that died between its claim and its write leaves a hole: skipped). */
function newestRun(kv: KvReader, head: number): LoadTestRun | null {
    for (let seq = head; seq > 0 && seq > head - 5; seq--) {
        const run = kv.readVersioned(KvKeys.loadTestRun(seq)).value;
        if (run) {
            return run;
        }
    }
    return null;
}

/** What the readiness check of the load-test task reads. */
export function currentLoadTestVerdict(kv: KvReader): LoadTestVerdict {
    return loadTestVerdict(readSizingPlan(kv), newestRun(kv, headCount(kv)));
}

export function readOverview(kv: KvReader): LoadTestOverview {
    const head = headCount(kv);
    const runs: LoadTestRun[] = [];
    for (let seq = head; seq > 0 && runs.length < LOAD_TEST_HISTORY_PAGE; seq--) {
        const run = kv.readVersioned(KvKeys.loadTestRun(seq)).value;
        if (run) {
            runs.push(run);
        }
    }
    const target = readSizingPlan(kv);
    return {target, verdict: loadTestVerdict(target, runs[0] ?? null), runs, total_runs: head};
}

/** UTF-8 length without building the bytes (the body may be close to the host's 1 MiB). */
function utf8Length(text: string): number {
    let length = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x80) {
            length += 1;
        } else if (code < 0x800) {
            length += 2;
        } else if (code >= 0xd800 && code <= 0xdbff) {
            length += 4;
            i++;
        } else {
            length += 3;
        }
    }
    return length;
}

/**
 * Parses an uploaded result file and appends its runs (a comparison has two, oldest first). Everything is
 * checked before anything is written: a file refused with 400 stores nothing.
 */
export function uploadResult(context: AuditContext, body: {file_name: string; content: string}, now = Date.now()): LoadTestRun[] {
    const size = utf8Length(body.content);
    if (size > LOAD_TEST_FILE_MAX_BYTES) {
        throw new ApiError(
            400,
            ErrorIds.loadTestTooLarge,
            `The file has ${size} bytes; a load-test result has at most ${LOAD_TEST_FILE_MAX_BYTES}.`,
        );
    }
    const measurements = parseLoadTestResult(body.content);
    const {kv, userId} = context;
    const target = readSizingPlan(kv)?.concurrent_users ?? 0;

    // Claim the numbers: a concurrent upload moves the head, and this one takes the next ones.
    let first = 0;
    for (let attempt = 0; first === 0; attempt++) {
        const head = kv.readVersioned(KvKeys.loadTestHead);
        const count = head.value?.count ?? 0;
        try {
            kv.writeVersioned(KvKeys.loadTestHead, {count: count + measurements.length}, head.version);
            first = count + 1;
        } catch (error) {
            if (!(error instanceof ConflictError) || attempt >= 20) {
                throw error;
            }
        }
    }
    const runs = measurements.map((measurement, index): LoadTestRun => ({
        ...measurement,
        seq: first + index,
        uploaded_at: now,
        uploaded_by: userId,
        file_name: body.file_name,
        target_at_upload: target,
    }));
    for (const run of runs) {
        kv.writeVersioned(KvKeys.loadTestRun(run.seq), run, 0);
    }
    recordAudit(context, {
        action: 'loadtest.run.upload',
        target: `loadtest:run:${runs.map((run) => run.seq).join(',')}`,
        before: null,
        after: {file_name: body.file_name, format: runs[0].format, supported_users: runs.map((run) => run.supported_users), target},
    }, now);
    return runs;
}
