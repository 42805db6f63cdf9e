import {jobFacts, jobsOf, jobsRequest} from './jobs_common';
import {failedCall, isOn, text, type ProbeDefinition} from './probe';

// Elasticsearch/OpenSearch: the server's connection test (POST /api/v4/elasticsearch/test, saved
// settings) and the last post-indexing job.
export const elasticsearchProbe: ProbeDefinition = {
    id: 'elasticsearch',
    title: 'Elasticsearch / OpenSearch',
    needsAdmin: true,
    requests: ({config}) =>
        (isOn(config, 'ElasticsearchSettings.EnableIndexing') ?
            [{method: 'POST', path: '/api/v4/elasticsearch/test'}, jobsRequest('elasticsearch_post_indexing', 1)] :
            []),
    interpret: ({config}, answers) => {
        if (answers.length === 0) {
            return {state: 'not_configured', summary: 'Elasticsearch/OpenSearch indexing is off.', facts: [], checks: []};
        }
        const url = text(config, 'ElasticsearchSettings.ConnectionURL');
        const facts = [{name: 'connection URL', value: url}];
        const refused = failedCall(answers[0], `The connection test to ${url}`, ['search.elasticsearch']);
        if (refused) {
            return {...refused, facts: [...facts, ...refused.facts]};
        }
        const last = answers[1]?.status === 200 ? jobsOf(answers[1])[0] : undefined;
        if (last) {
            facts.push(...jobFacts('last indexing job', last));
            if (last.status === 'error') {
                return {
                    state: 'failed',
                    summary: 'The cluster answers, but the last indexing job failed.',
                    facts,
                    checks: ['search.elasticsearch'],
                };
            }
        }
        return {state: 'passed', summary: `${url} answers the server's connection test.`, facts, checks: ['search.elasticsearch']};
    },
};
