import {failedCall, parseBody, text, type ProbeDefinition} from './probe';

// File storage: the server's S3 test (POST /api/v4/file/s3_test, saved settings) where S3 is the
// driver; otherwise the server's own file-store health check (GET /api/v4/system/ping with
// get_server_status, which writes and reads a test file). The REST API does not report free disk space.
export const filestoreProbe: ProbeDefinition = {
    id: 'filestore',
    title: 'File storage',
    needsAdmin: true,
    requests: ({config}) =>
        (text(config, 'FileSettings.DriverName') === 'amazons3' ?
            [{method: 'POST', path: '/api/v4/file/s3_test'}] :
            [{method: 'GET', path: '/api/v4/system/ping?get_server_status=true'}]),
    interpret: ({config}, answers) => {
        const driver = text(config, 'FileSettings.DriverName') || '(none)';
        const [answer] = answers;
        if (driver === 'amazons3') {
            const bucket = text(config, 'FileSettings.AmazonS3Bucket');
            const facts = [{name: 'driver', value: driver}, {name: 'bucket', value: bucket}];
            const refused = failedCall(answer, `The S3 test of bucket "${bucket}"`, ['files.storage']);
            return refused ?
                {...refused, facts: [...facts, ...refused.facts]} :
                {state: 'passed', summary: `Bucket "${bucket}" answers the server's S3 test.`, facts, checks: ['files.storage']};
        }
        const facts = [{name: 'driver', value: driver}, {name: 'directory', value: text(config, 'FileSettings.Directory') || './data/'}];

        // With use_rest_semantics left out, an unhealthy server answers 500 with the same JSON body.
        const status = parseBody<{filestore_status?: string}>(answer)?.filestore_status;
        if (!status) {
            const refused = failedCall(answer, 'The file store health check', ['files.storage']);
            return refused ?
                {...refused, facts: [...facts, ...refused.facts]} :
                {state: 'unknown', summary: 'The server did not report its file store health.', facts, checks: []};
        }
        facts.push({name: 'filestore_status', value: status}, {name: 'free space', value: 'not reported by the server API'});
        return status === 'OK' ?
            {state: 'passed', summary: 'The server wrote and read a test file in its file store.', facts, checks: ['files.storage']} :
            {state: 'failed', summary: `The server reports its file store as ${status}.`, facts, checks: ['files.storage']};
    },
};
