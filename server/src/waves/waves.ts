import type {UserProfile} from '@mattermost/types/users';

import {WaveEndpoints} from 'contract/endpoints/waves';

import {defaultEngineOptions, type EngineOptions, runDueWaves} from './engine';
import {registerWaveExtrasRoutes} from './extrasRoutes';
import {registerInvitationPreviewRoutes} from './invitationPreview';
import {createdByProp} from './newcomers';
import {
    groupRollingJobId,
    groupRollingSeconds,
    joinedByCockpit,
    queueNewGroupMembers,
    takesNewAccount,
    takesTeamJoin,
} from './rolling';
import {
    appendCsv,
    changeState,
    createWave,
    deleteWave,
    dryRunWave,
    enqueueArrival,
    getProgress,
    getWave,
    listWaves,
    retryFailed,
    startWave,
    tickWave,
    updateWave,
    waveResults,
} from './service';
import {registerWelcomePreviewRoutes} from './welcomePreview';

import type {Capability} from '../app/capability';
import {defaultJourneyOptions, runJourneys} from '../journey/run';

export const wavesJobId = 'waves.tick';

// The waves capability: each endpoint bound to its service call (service.ts), the rolling hooks and the jobs.

/** The engine options; tests pass their own clock and batch size through `wavesCapabilityWith`. */
export function wavesCapabilityWith(options: EngineOptions): Capability {
    return {
        name: 'waves',
        routes(routes) {
            routes.handle(WaveEndpoints.list, (context) => listWaves(context));
            routes.handle(WaveEndpoints.create, (context) => createWave(context, context.body, options));
            routes.handle(WaveEndpoints.wave, (context) => getWave(context, context.params.waveId));
            routes.handle(WaveEndpoints.update, (context) => updateWave(context, context.params.waveId, context.body, options));
            routes.handle(WaveEndpoints.csv, (context) => appendCsv(context, context.params.waveId, context.body, options));
            routes.handle(WaveEndpoints.delete, (context) => deleteWave(context, context.params.waveId, context.body.expected_version));
            routes.handle(WaveEndpoints.dryRun, (context) => dryRunWave(context, context.params.waveId));
            routes.handle(WaveEndpoints.start, (context) => startWave(context, context.params.waveId, context.body, options));
            routes.handle(WaveEndpoints.pause, (context) => changeState(context, context.params.waveId, 'pause', options));
            routes.handle(WaveEndpoints.resume, (context) => changeState(context, context.params.waveId, 'resume', options));
            routes.handle(WaveEndpoints.cancel, (context) => changeState(context, context.params.waveId, 'cancel', options));
            routes.handle(WaveEndpoints.retryFailed, (context) => retryFailed(context, context.params.waveId, options));
            routes.handle(WaveEndpoints.tick, (context) => tickWave(context, context.params.waveId, options));
            registerWelcomePreviewRoutes(routes);
            registerInvitationPreviewRoutes(routes, options.now);
            registerWaveExtrasRoutes(routes, options.now);
            routes.handle(WaveEndpoints.progress, (context) => getProgress(context, context.params.waveId));

            // Per-user outcomes (names, reasons): system admins only; read-only admins see the counts above.
            routes.handle(WaveEndpoints.results, (context) => waveResults(context, context.params.waveId, context.query));
        },
        hooks: {
            onActivate: (_, {api}) => {
                // Every node runs the waves job: each works the shards it holds (shards.ts).
                api.jobs.scheduleOnEveryNode(wavesJobId, options.tickSeconds);
                api.jobs.schedule(groupRollingJobId, groupRollingSeconds);
            },

            // A new account: a rolling wave takes it when it matches the cohort, an invite wave when the
            // wave invited its email (whether the person signed up by the link, SSO or LDAP). An account a
            // wave made itself is in its queue already, and that wave's batch queued it into the other
            // waves (batch.ts): nothing to read here.
            userHasBeenCreated: (user: UserProfile, context) => {
                if (user.props?.[createdByProp]) {
                    return;
                }
                enqueueArrival(context, (definition, waveId) => takesNewAccount(definition, waveId, user), user);
            },

            // The joins the wave engine made (as the cockpit's bot) were queued into the other waves by
            // its batch: a wave's own users cost no KV read here.
            userHasJoinedTeam: ({team_member: teamMember, actor}, context) => {
                if (joinedByCockpit(actor)) {
                    return;
                }
                enqueueArrival(context, (definition) => takesTeamJoin(definition, teamMember.team_id), {id: teamMember.user_id});
            },
        },
        jobs: {
            [wavesJobId]: (context) => {
                runDueWaves(context, options);

                // The waves' follow-ups, after the welcomes they follow (with the time the call limit leaves).
                runJourneys(context, {...defaultJourneyOptions, now: options.now});
            },
            [groupRollingJobId]: (context) => {
                queueNewGroupMembers(context);
            },
        },
    };
}

export const wavesCapability: Capability = wavesCapabilityWith(defaultEngineOptions);
