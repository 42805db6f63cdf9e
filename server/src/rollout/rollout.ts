import {RolloutEndpoints} from 'contract/endpoints/rollout';
import {TIMELINE_MAX_PER_PAGE, type UpdateSettingsResponse} from 'contract/rollout';

import {statusMessage} from './message';
import {nextSlot, postStatusUpdate, ROLLOUT_UPDATE_INTERVAL_SECONDS, ROLLOUT_UPDATE_JOB_ID, runScheduledUpdate} from './schedule';
import {buildRolloutSummary, summaryInputs} from './summary';
import {readTimeline} from './timeline';

import type {Capability} from '../app/capability';
import {recordAudit} from '../audit/audit';
import {botUserId} from '../bot/bot';
import {ApiError} from '../errors/apiError';
import {serverSpeaker} from '../i18n/messages';
import {KvKeys} from '../kv/keys';
import type {KvReader} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

const TIMELINE_DEFAULT_PER_PAGE = 30;

function integerParam(raw: string | undefined, name: string, min: number, max: number): number | null {
    if (raw === undefined || raw === '') {
        return null;
    }
    const value = Number(raw);
    if (!(/^\d+$/).test(raw) || value < min || value > max) {
        throw ApiError.invalid(`query.${name}: must be a whole number from ${min} to ${max}`);
    }
    return value;
}

function settingsResponse(api: Pick<ReadOnlyMattermostApi, 'channels' | 'teams'>, kv: KvReader, now: number): UpdateSettingsResponse {
    const record = kv.readVersioned(KvKeys.rolloutSettings);
    const settings = record.value;
    const posted = kv.readVersioned(KvKeys.rolloutLastUpdate).value?.posted ?? null;
    let channelName = '';
    let teamName = '';
    if (settings?.channel_id) {
        try {
            const channel = api.channels.get(settings.channel_id);
            channelName = channel.display_name;
            teamName = channel.team_id ? api.teams.get(channel.team_id).display_name : '';
        } catch {
            // Deleted since it was chosen: the form shows the id and asks for another.
        }
    }
    const schedule = settings?.schedule ?? {kind: 'off' as const};
    return {
        version: record.version,
        channel_id: settings?.channel_id ?? null,
        channel_display_name: channelName,
        team_name: teamName,
        schedule,
        next_at: settings?.channel_id ? nextSlot(schedule, now) : null,
        last_update: posted,
    };
}

/** The project channel: a public or private channel of a team that exists; the bot is made a member so its posts reach it. */
function checkedChannel(api: MattermostApi, channelId: string, userId: string, botId: string): void {
    let channel;
    try {
        channel = api.channels.get(channelId);
    } catch {
        throw ApiError.invalid('body.channel_id: no such channel');
    }
    if ((channel.type !== 'O' && channel.type !== 'P') || channel.delete_at > 0) {
        throw ApiError.invalid('body.channel_id: must be a public or private channel that is not archived');
    }
    const isMember = (read: () => object) => {
        try {
            return ((read() as {delete_at?: number}).delete_at ?? 0) === 0;
        } catch {
            return false;
        }
    };
    try {
        // Like anyone else, the bot must be in the channel's team before it can join the channel.
        if (!isMember(() => api.teams.getMember(channel.team_id, botId))) {
            api.teams.addMember(channel.team_id, botId);
        }
        if (!isMember(() => api.channels.getMember(channelId, botId))) {
            api.channels.addMember(channelId, botId, userId);
        }
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw ApiError.invalid(`body.channel_id: the bot cannot join this channel (${reason})`);
    }
}

export const rolloutCapability: Capability = {
    name: 'rollout',
    routes(routes) {
        routes.handle(RolloutEndpoints.summary, ({api, kv}) => buildRolloutSummary(summaryInputs(api, kv, Date.now())));

        routes.handle(RolloutEndpoints.updateSettings, ({api, kv}) => settingsResponse(api, kv, Date.now()));

        routes.handle(RolloutEndpoints.saveUpdateSettings, (context) => {
            const {api, kv, body, userId} = context;
            if (body.channel_id !== null) {
                checkedChannel(api, body.channel_id, userId, botUserId(kv));
            }
            const previous = kv.readVersioned(KvKeys.rolloutSettings).value;
            const now = Date.now();
            kv.writeVersioned(KvKeys.rolloutSettings, {
                channel_id: body.channel_id,
                schedule: body.schedule,
                updated_at: now,
                updated_by: userId,
            }, body.expected_version);
            recordAudit(context, {
                action: 'rollout.settings.update',
                target: 'rollout:settings',
                before: previous ? {channel_id: previous.channel_id, schedule: previous.schedule} : null,
                after: {channel_id: body.channel_id, schedule: body.schedule},
            }, now);
            return settingsResponse(api, kv, now);
        });

        // The exact markdown the next post carries; nothing is stored.
        routes.handle(RolloutEndpoints.updatePreview, ({api, kv}) => {
            const summary = buildRolloutSummary(summaryInputs(api, kv, Date.now()));
            return {message: statusMessage(summary, serverSpeaker(api.config.get())), summary};
        });

        routes.handle(RolloutEndpoints.postUpdate, (context) => {
            const channelId = context.kv.readVersioned(KvKeys.rolloutSettings).value?.channel_id;
            if (!channelId) {
                throw ApiError.invalid('no project channel is chosen: save one first');
            }
            return postStatusUpdate(context, channelId, 0, Date.now());
        });

        routes.handle(RolloutEndpoints.timeline, ({kv, query}) => readTimeline(
            kv,
            integerParam(query.before, 'before', 1, Number.MAX_SAFE_INTEGER),
            integerParam(query.per_page, 'per_page', 1, TIMELINE_MAX_PER_PAGE) ?? TIMELINE_DEFAULT_PER_PAGE,
        ));
    },
    hooks: {
        // jobs.schedule is cluster-wide: one node runs each interval; the slot claim makes it once a week.
        onActivate: (_, {api}) => api.jobs.schedule(ROLLOUT_UPDATE_JOB_ID, ROLLOUT_UPDATE_INTERVAL_SECONDS),
    },
    jobs: {
        [ROLLOUT_UPDATE_JOB_ID]: (context) => {
            runScheduledUpdate(context, Date.now());
        },
    },
};
