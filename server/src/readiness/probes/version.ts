import {failedCall, parseBody, type ProbeDefinition} from './probe';

import {compareVersions} from '../versions';

// Version: the server's version against the newest release the server itself knows of. The only
// source a server has is its security-update check, GET /api/v4/latest_version (the server asks
// GitHub and caches the answer); where it cannot, the newest version is "unknown" — never "current".
export const versionProbe: ProbeDefinition = {
    id: 'version',
    title: 'Server version',
    needsAdmin: true,
    requests: () => [{method: 'GET', path: '/api/v4/latest_version'}],
    interpret: ({serverVersion}, [answer]) => {
        const facts = [{name: 'server version', value: serverVersion}];
        const refused = failedCall(answer, 'The server\'s check for its newest release', []);
        if (refused && refused.state !== 'failed') {
            return {...refused, facts: [...facts, ...refused.facts]};
        }
        const latest = refused ? '' : String(parseBody<{tag_name?: string}>(answer)?.tag_name ?? '').replace(/^v/, '');
        if (!latest || !(/^\d+\.\d+/).test(latest)) {
            return {
                state: 'unknown',
                summary: 'The newest release is unknown: the server could not learn it (it asks GitHub).',
                facts: [...facts, {name: 'newest release', value: 'unknown'}, ...(refused?.facts ?? [])],
                checks: [],
            };
        }
        facts.push({name: 'newest release', value: latest});
        return compareVersions(serverVersion, latest) < 0 ?
            {state: 'warning', summary: `Version ${serverVersion} runs; ${latest} is available.`, facts, checks: ['server.version']} :
            {
                state: 'passed',
                summary: `Version ${serverVersion} is the newest release the server knows of.`,
                facts,
                checks: ['server.version'],
            };
    },
};
