import {Access, read, write} from './endpoint';

import {LoadTestOverviewSchema, LoadTestUploadAnswerSchema, LoadTestUploadSchema, SetSizingTargetSchema} from '../loadtest';

/**
 * Load-test results against the sizing: the overview (target, verdict, history), an upload of the
 * tool's result file, and the sizing target. Console readers see the overview; only system admins
 * upload or change the target (a run decides whether a roll-out task is verified).
 */
export const LoadTestEndpoints = {
    overview: read('/api/v1/loadtest', {access: Access.consoleReader, answer: LoadTestOverviewSchema}),
    upload: write('POST', '/api/v1/loadtest/runs', {
        access: Access.systemAdmin,
        body: LoadTestUploadSchema,
        answer: LoadTestUploadAnswerSchema,
        status: 201,
    }),
    setTarget: write('PUT', '/api/v1/loadtest/target', {
        access: Access.systemAdmin,
        body: SetSizingTargetSchema,
        answer: LoadTestOverviewSchema,
    }),
};
