import {WaveEndpoints} from 'contract/endpoints/waves';

import {activationCsv, activationFunnel} from './activation';
import {handleFeedbackClick, requireClickingUser} from './feedback';
import {loadWave} from './store';

import {Download} from '../http/responses';
import type {RouteRegistry} from '../http/router';

/** The activation funnel (+ CSV) and the feedback button route; registered by the waves capability. */
export function registerWaveExtrasRoutes(routes: RouteRegistry, now: () => number): void {
    routes.handle(WaveEndpoints.activation, ({api, kv, params}) => activationFunnel(api, kv, params.waveId, now()));

    // One row per user (name, logins, posts, feedback): system admins only, like the per-user results.
    routes.handle(WaveEndpoints.activationExport, ({api, kv, params}) => {
        const name = loadWave(kv, params.waveId).def.value.definition.name;
        return new Download(`cockpit-wave-activation-${name}.csv`, 'text/csv; charset=utf-8', activationCsv(api, kv, params.waveId));
    });

    // Called by the server for a click on a welcome DM button (see feedback.ts for who may answer).
    routes.handle(
        WaveEndpoints.feedbackAction,
        ({api, kv, userId, body}) => handleFeedbackClick({api, kv, userId, now: now()}, body),
        requireClickingUser,
    );
}
