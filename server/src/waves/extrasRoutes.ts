import {FeedbackActionRequestSchema} from 'contract/waves';

import {activationCsv, activationFunnel} from './activation';
import {feedbackActionPath, handleFeedbackClick, requireClickingUser} from './feedback';
import {loadWave} from './store';

import {requireConsoleReader, requireSystemAdmin} from '../http/guards';
import {Download} from '../http/responses';
import type {RouteRegistry} from '../http/router';

// Route patterns (WaveRoutes builds the concrete paths; it URL-encodes the id, so it cannot make patterns).
const wavePath = '/api/v1/waves/:waveId';

/** The activation funnel (+ CSV) and the feedback button route; registered by the waves capability. */
export function registerWaveExtrasRoutes(routes: RouteRegistry, now: () => number): void {
    routes.get(`${wavePath}/activation`, requireConsoleReader, ({api, kv, params}) => activationFunnel(api, kv, params.waveId, now()));

    // One row per user (name, logins, posts, feedback): system admins only, like the per-user results.
    routes.get(`${wavePath}/activation/export`, requireSystemAdmin, ({api, kv, params}) => {
        const name = loadWave(kv, params.waveId).def.value.definition.name;
        return new Download(`cockpit-wave-activation-${name}.csv`, 'text/csv; charset=utf-8', activationCsv(api, kv, params.waveId));
    });

    // Called by the server for a click on a welcome DM button (see feedback.ts for who may answer).
    routes.post(feedbackActionPath, requireClickingUser, FeedbackActionRequestSchema, ({api, kv, userId, body}) =>
        handleFeedbackClick({api, kv, userId, now: now()}, body),
    );
}
