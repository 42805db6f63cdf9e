import {Access, read, write} from './endpoint';

import {LoadTestOverviewSchema, LoadTestUploadAnswerSchema, LoadTestUploadSchema} from '../loadtest';

/**
 * Load-test results against the plan's saved sizing (SizingEndpoints): the overview (target, verdict,
 * history) and an upload of the tool's result file. Console readers see the overview; only system
 * admins upload (a run decides whether a roll-out task is verified).
 */
export const LoadTestEndpoints = {
    overview: read('/api/v1/loadtest', {access: Access.consoleReader, answer: LoadTestOverviewSchema}),
    upload: write('POST', '/api/v1/loadtest/runs', {
        access: Access.systemAdmin,
        body: LoadTestUploadSchema,
        answer: LoadTestUploadAnswerSchema,
        status: 201,
    }),
};
