import type {ProbeDefinition} from './probe';

// model.PluginStateFailedToStart and model.PluginStateFailedToStayRunning.
const FAILED_STATES = new Set([3, 4]);

// Plugins: any installed plugin in a failed state on this node, through the plugin API (GetPlugins
// and GetPluginStatus), so the scheduled job runs it too.
export const pluginsProbe: ProbeDefinition = {
    id: 'plugins',
    title: 'Plugins',
    needsAdmin: false,
    pluginApiCalls: ['GetPlugins', 'GetPluginStatus'],
    requests: () => [],
    interpret: ({pluginStates}) => {
        const failed = pluginStates.filter((p) => FAILED_STATES.has(p.state));
        const facts = [
            {name: 'installed', value: String(pluginStates.length)},
            ...failed.map((p) => ({name: `failed: ${p.name || p.id}`, value: `${p.id} ${p.version}, state ${p.state}`})),
        ];
        return failed.length > 0 ?
            {state: 'failed', summary: `${failed.length} plugin(s) failed to start or to keep running.`, facts, checks: []} :
            {state: 'passed', summary: 'No plugin is in a failed state.', facts, checks: []};
    },
};
