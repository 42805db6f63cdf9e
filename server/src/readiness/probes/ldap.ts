import {jobFacts, jobsOf, jobsRequest} from './jobs_common';
import {failedCall, isOn, parseBody, text, type ProbeDefinition} from './probe';

// AD/LDAP: the server's own connection test (POST /api/v4/ldap/test, as System Console > AD/LDAP >
// "AD/LDAP Test" does), the last ldap_sync job, and how many directory groups are linked.
export const ldapProbe: ProbeDefinition = {
    id: 'ldap',
    title: 'AD/LDAP connection and sync',
    needsAdmin: true,
    requests: ({config}) => {
        if (!isOn(config, 'LdapSettings.Enable') && !isOn(config, 'LdapSettings.EnableSync')) {
            return [];
        }
        return [
            {method: 'POST', path: '/api/v4/ldap/test'},
            jobsRequest('ldap_sync', 1),
            {method: 'GET', path: '/api/v4/ldap/groups?page=0&per_page=1&is_linked=true'},
        ];
    },
    interpret: ({config}, answers) => {
        const server = `${text(config, 'LdapSettings.LdapServer') || '(no server)'}:${config.LdapSettings?.LdapPort ?? ''}`;
        if (answers.length === 0) {
            return {state: 'not_configured', summary: 'AD/LDAP sign-in and sync are off.', facts: [], checks: []};
        }
        const [test, sync, groups] = answers;
        const checks = ['ldap.enabled', 'ldap.sync'];
        const refused = failedCall(test, `The connection test to ${server}`, checks);
        if (refused) {
            return refused;
        }
        const facts = [{name: 'connection test', value: `${server}: connected and bound`}];
        const syncRefused = failedCall(sync, 'Reading the sync jobs', ['ldap.sync']);
        if (syncRefused) {
            return {...syncRefused, facts: [...facts, ...syncRefused.facts]};
        }
        const last = jobsOf(sync)[0];
        if (groups && groups.status === 200) {
            const linked = parseBody<{count?: number}>(groups)?.count ?? 0;
            facts.push({name: 'linked groups', value: String(linked)});
        }
        if (!last) {
            return {state: 'warning', summary: 'The directory answers, but no AD/LDAP sync has run yet.', facts, checks: ['ldap.sync']};
        }
        facts.push(...jobFacts('last sync', last));
        if (last.status === 'error') {
            return {state: 'failed', summary: 'The directory answers, but the last AD/LDAP sync failed.', facts, checks};
        }
        return {state: 'passed', summary: `The directory answers and the last sync ended "${last.status}".`, facts, checks};
    },
};
