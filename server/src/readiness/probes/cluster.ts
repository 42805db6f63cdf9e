import {failedCall, isOn, parseBody, type ProbeDefinition} from './probe';

/** A node as GET /api/v4/cluster/status answers it (model.ClusterInfo). */
interface ClusterNode {
    id: string;
    version: string;
    config_hash: string;
    hostname: string;
}

// High availability: the nodes the server's cluster reports (GET /api/v4/cluster/status): how many,
// and whether they run the same version with the same config. A server without a running cluster
// answers an empty list.
export const clusterProbe: ProbeDefinition = {
    id: 'cluster',
    title: 'High availability cluster',
    needsAdmin: true,
    requests: () => [{method: 'GET', path: '/api/v4/cluster/status'}],
    interpret: ({config}, [answer]) => {
        const enabled = isOn(config, 'ClusterSettings.Enable');
        const refused = failedCall(answer, 'Reading the cluster status', enabled ? ['ha.cluster'] : []);
        if (refused) {
            return refused;
        }
        const body = parseBody<unknown>(answer);
        const nodes = Array.isArray(body) ? body as ClusterNode[] : [];
        const versions = [...new Set(nodes.map((n) => n.version))];
        const hashes = [...new Set(nodes.map((n) => n.config_hash))];
        const facts = [
            {name: 'clustering setting', value: enabled ? 'on' : 'off'},
            {name: 'nodes', value: String(nodes.length)},
            ...nodes.map((n) => ({name: `node ${n.hostname || n.id}`, value: `version ${n.version}, config ${n.config_hash}`})),
        ];
        if (!enabled) {
            return nodes.length === 0 ?
                {state: 'not_configured', summary: 'Clustering is off: the server runs as a single node.', facts, checks: []} :
                {state: 'warning', summary: `Clustering is off, yet ${nodes.length} node(s) report.`, facts, checks: []};
        }
        if (nodes.length === 0) {
            return {state: 'failed', summary: 'Clustering is on, but the server reports no cluster nodes.', facts, checks: ['ha.cluster']};
        }
        if (versions.length > 1 || hashes.length > 1) {
            return {
                state: 'failed',
                summary: `The ${nodes.length} nodes differ: ${versions.length} version(s), ${hashes.length} config(s).`,
                facts,
                checks: ['ha.cluster'],
            };
        }
        if (nodes.length === 1) {
            return {
                state: 'warning',
                summary: 'Clustering is on, but only one node is running: no redundancy.',
                facts,
                checks: ['ha.cluster'],
            };
        }
        return {
            state: 'passed',
            summary: `${nodes.length} nodes run version ${versions[0]} with the same config.`,
            facts,
            checks: ['ha.cluster'],
        };
    },
};
