import {z} from 'zod';

import {Access, read, write} from './endpoint';

import {lazySchema} from '../lazy';
import {RunProbesRequestSchema} from '../probes';
import {ReadinessReportSchema} from '../readiness';

/** The readiness checks: the cached report, and a run now (cached and audited). */
export const ReadinessEndpoints = {
    readiness: read('/api/v1/readiness', {access: Access.consoleReader, answer: ReadinessReportSchema}),
    readinessRun: write('POST', '/api/v1/readiness/run', {
        access: Access.systemAdmin,
        body: lazySchema(() => z.strictObject({})),
        answer: ReadinessReportSchema,
    }),

    /** Runs the live probes now as the calling admin (each cached with its time and who ran it), then the checks. */
    readinessProbesRun: write('POST', '/api/v1/readiness/probes/run', {
        access: Access.systemAdmin,
        body: RunProbesRequestSchema,
        answer: ReadinessReportSchema,
    }),
};
