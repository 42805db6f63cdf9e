import type {UserProfile} from '@mattermost/types/users';

import {type CockpitLocale, localeFor} from 'contract/locales';
import {
    type AuthService,
    authServices,
    type DefaultPreference,
    defaultPreferenceCatalogue,
    type Outcome,
    type UserResult,
    welcomeTemplateFor,
} from 'contract/waves';

import {sendChannelWelcomes} from './channelWelcome';
import {skipReason} from './cohort';
import {welcomeFeedbackProps} from './feedback';
import {
    EmailNotConfiguredError,
    emailMarkerKey,
    inviteNeedsInvitation,
    sendInvitationOnce,
    sendNewcomerInvitationOnce,
} from './invitation';
import {type InvitationLinks, invitationVariables, type SignIn} from './invitationVariables';
import {madeByWave, type MadeAccount, splitNewcomers} from './newcomers';
import {activeMembers} from './pace';
import {existingAccount, type Newcomer, newcomersOf, usernameFromEmail} from './people';
import {queueBatchArrivals, takesNewAccount, takesTeamJoin} from './rolling';
import {hasWelcome, type BatchEntry, type Processed} from './runSteps';
import {type Announcements, sendWelcomes, type WelcomeAnswer, type WelcomeRequest} from './welcomeOnce';
import {gettingStartedFor, listChannelIds, usesGettingStarted, type WelcomeTargets, welcomeVariables} from './welcomeVariables';

import type {HookContext} from '../app/capability';
import type {BatchError} from '../host/bindings.gen';
import {isHostError} from '../host/errors';
import {serverLocale, speakerForUser} from '../i18n/messages';
import type {StoredWave} from '../kv/keys';
import type {MattermostApi, MemberAddResult, ServerConfig} from '../mattermost/api';
import {renderWelcome, type WelcomeVariables} from '../welcome/template';

// One batch of a wave's users: make the accounts of the file's newcomers (newcomers.ts), provision the
// whole batch into each target team and channel with one batch call per target, set the default
// preferences, welcome them exactly once (welcomeOnce.ts: one announcement write, one batch of DMs) and
// send the optional invitation; invite the newcomers of an invite wave. Changes accounts, memberships
// and posts; writes no result (the engine checkpoints them).

export interface Target {
    id: string;

    /** Display name, else name. */
    name: string;

    /** The URL name (the getting-started list links ~name). */
    urlName: string;
    admin: boolean;

    /** A team's invite id (its sign-up link); '' for a channel. */
    inviteId: string;

    /** A team's active members when the run loaded it (the pace samples, pace.ts); 0 for a channel. */
    members: number;

    /** A channel's welcome for the people the wave adds to it ('' for none, and for a team). */
    welcome: string;
}

export interface Targets {
    teams: Target[];
    channels: Target[];
}

export function describe(error: unknown): string {
    if (isHostError(error)) {
        return `${error.status_code} ${error.id}: ${error.message}`;
    }
    return error instanceof Error ? error.message : String(error);
}

const describeBatch = (error: BatchError) => `${error.status_code} ${error.id}: ${error.message}`;

export function loadTargets(api: MattermostApi, stored: StoredWave): Targets {
    const {targets} = stored.definition;
    return {
        teams: targets.teams.map((target) => {
            const team = api.teams.get(target.team_id);
            return {
                id: team.id,
                name: team.display_name || team.name,
                urlName: team.name,
                admin: target.role === 'team_admin',
                inviteId: team.invite_id ?? '',
                members: activeMembers(api, team.id),
                welcome: '',
            };
        }),
        channels: targets.channels.map((target) => {
            const channel = api.channels.get(target.channel_id);
            return {
                id: channel.id,
                name: channel.display_name || channel.name,
                urlName: channel.name,
                admin: target.role === 'channel_admin',
                inviteId: '',
                members: 0,
                welcome: target.welcome_message ?? '',
            };
        }),
    };
}

interface Provisioned {

    /** Per user id, one reason per target that refused them. */
    failures: Map<string, string[]>;

    /** The users for whom anything was made. */
    added: Set<string>;

    /** Per target team, its members among the users after the call, each with whether this call added them. */
    teamMembers: Map<string, Map<string, boolean>>;

    /** Per target channel, the users this call added to it. */
    channelJoins: Map<string, string[]>;
}

/** The members the largest target team had when the run loaded it. */
export const largestTeam = (targets: Targets) => Math.max(0, ...targets.teams.map((team) => team.members));

/** Adds the eligible users to every target with one batch call per target. */
function provision(api: MattermostApi, targets: Targets, botId: string, userIds: string[]): Provisioned {
    const failures = new Map<string, string[]>();
    const added = new Set<string>();
    const teamMembers = new Map<string, Map<string, boolean>>();
    const channelJoins = new Map<string, string[]>();
    const fail = (userId: string, reason: string) => failures.set(userId, [...(failures.get(userId) ?? []), reason]);
    const each = (kind: 'team' | 'channel', target: Target, call: () => MemberAddResult[]) => {
        if (userIds.length === 0) {
            return;
        }
        let answers: MemberAddResult[];
        try {
            answers = call();
        } catch (error) {
            if (!isHostError(error)) {
                throw error;
            }

            // The whole call failed (e.g. the target is gone): every user fails on it, as each would alone.
            userIds.forEach((userId) => fail(userId, `${kind} ${target.name}: ${describe(error)}`));
            return;
        }
        const members = new Map<string, boolean>();
        for (const answer of answers) {
            if (answer.error) {
                fail(answer.user_id, `${kind} ${target.name}: ${describeBatch(answer.error)}`);
                continue;
            }
            members.set(answer.user_id, answer.added);
            if (answer.added) {
                added.add(answer.user_id);
            }
        }
        if (kind === 'team') {
            teamMembers.set(target.id, members);
        } else {
            channelJoins.set(target.id, [...members].filter(([, joined]) => joined).map(([userId]) => userId));
        }
    };
    for (const team of targets.teams) {
        each('team', team, () => api.teams.addMembers(team.id, userIds, {requestor_id: botId, admin: team.admin}));
    }
    for (const channel of targets.channels) {
        each('channel', channel, () => api.channels.addMembers(channel.id, userIds, {requestor_id: botId, admin: channel.admin}));
    }
    return {failures, added, teamMembers, channelJoins};
}

/**
 * The batch's own arrivals, queued into the other open waves that take them: the accounts the wave made
 * and the team joins it made. The hooks skip both (waves.ts), so the wave's users cost no KV read there;
 * this reads the waves once per batch. A join counts when this call made it, or when the user has no
 * result yet (an attempt that crashed before its checkpoint may have made it); the markers in
 * queueArrivals keep a user from being queued twice.
 */
function queueOwnArrivals(
    context: HookContext,
    waveId: string,
    teamMembers: ReadonlyMap<string, ReadonlyMap<string, boolean>>,
    entries: ReadonlyArray<BatchEntry & {user: UserProfile}>,
    made: ReadonlyMap<number, MadeAccount>,
): void {
    const unrecorded = new Set(entries.filter((entry) => entry.before === undefined).map((entry) => entry.userId));
    const joined = new Map([...teamMembers].map(([teamId, members]) => [
        teamId,
        [...members].filter(([userId, added]) => added || unrecorded.has(userId)).map(([userId]) => userId),
    ]));
    const accounts = entries.filter((entry) => made.has(entry.index)).map((entry) => entry.user);
    if (accounts.length === 0 && [...joined.values()].every((userIds) => userIds.length === 0)) {
        return;
    }
    queueBatchArrivals(context, waveId, (definition, otherId) => [
        ...accounts.filter((user) => takesNewAccount(definition, otherId, user)).map((user) => user.id),
        ...[...joined].filter(([teamId]) => takesTeamJoin(definition, teamId)).flatMap(([, userIds]) => userIds),
    ]);
}

/**
 * Rows the server writes for every new account (createUserOrGuest in server/channels/app/user.go): no
 * choice of the user, so a default may replace them. Without this, an account the wave just made would
 * never skip the tour: it already has tutorial_step "0".
 */
const serverCreationValues: Partial<Record<DefaultPreference['key'], string>> = {skip_tour: '0'};

/**
 * The wave's default preferences for the provisioned users, one host call for the batch. Each user gets
 * only the rows they do not have yet (the host reads theirs first), so a re-run after a crash or a retry
 * writes nothing twice and never overwrites a choice the user made. Returns the failures by user id.
 */
function applyPreferences(api: MattermostApi, preferences: readonly DefaultPreference[], userIds: string[]): Map<string, string> {
    const failures = new Map<string, string>();
    if (preferences.length === 0 || userIds.length === 0) {
        return failures;
    }
    const specs = userIds.map((userId) => ({
        user_id: userId,
        preferences: preferences.map(({key, value}) => {
            const entry = defaultPreferenceCatalogue[key];
            const replaceValue = serverCreationValues[key];
            return {category: entry.category, name: entry.name ?? userId, value, ...(replaceValue ? {replace_value: replaceValue} : {})};
        }),
    }));
    try {
        for (const answer of api.users.setDefaultPreferences(specs)) {
            if (answer.error) {
                failures.set(answer.user_id, `preferences: ${describeBatch(answer.error)}`);
            }
        }
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        userIds.forEach((userId) => failures.set(userId, `preferences: ${describe(error)}`));
    }
    return failures;
}

/** What a run reads once for all its batches: the welcome's dates and app links, the server's email and links, the file's people. */
export interface WelcomeContext {
    startAt: number;
    now: number;
    links: {desktop: string; mobile: string};
    config: ServerConfig;

    /** The server sends email (invitation.ts smtpConfigured). */
    smtp: boolean;
    invitationLinks: InvitationLinks;

    /** The file's person at a line (newcomers.ts fileNewcomerAt). */
    personAt: (line: number) => Newcomer | string;
}

/** How an account signs in, as {{sign_in_method}} tells it: '' (email and password) or the auth service. */
function serviceOf(user: UserProfile): AuthService | '' {
    return (authServices as readonly string[]).includes(user.auth_service) ? user.auth_service as AuthService : '';
}

const invitationFailure = (error: unknown) => (error instanceof EmailNotConfiguredError ? error.message : describe(error));
const isInvitationFailure = (error: unknown) => isHostError(error) || error instanceof EmailNotConfiguredError;

/** The activity of the users the getting-started list is for: one query; unknown (all unticked) if it fails. */
function appSessions(context: HookContext, userIds: string[], now: number, channelIds: string[]) {
    try {
        // `since` = now: the query then scans no posts, only the users' sessions, settings and channel views.
        return userIds.length > 0 ? context.api.users.activity(userIds, now, channelIds) : {};
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        context.log.warn('Wave welcome: activity unreadable; the getting-started list shows its items unticked', {
            error: describe(error),
        });
        return {};
    }
}

/** A welcome the DM batch gave no answer for counts as failed: retry-failed sends it (once). */
const unanswered: WelcomeAnswer = {status: 'failed', error: 'no answer from the welcome batch'};

/** One batch: its users' outcomes, by queue index. Changes memberships and posts; writes no result. */
export function processBatch(
    context: HookContext,
    waveId: string,
    stored: StoredWave,
    targets: Targets,
    botId: string,
    entries: BatchEntry[],
    announced: Announcements,
    runContext: WelcomeContext,
): Map<number, Processed> {
    const {api} = context;
    const {definition} = stored;
    const processed = new Map<number, Processed>();

    // The file's newcomers first: a create wave's accounts are made here, then provisioned with the rest.
    const {accounts, made, invitees, done} = splitNewcomers(api, waveId, definition, entries, runContext.personAt);
    done.forEach((result, index) => processed.set(index, result));

    const profiles = new Map<string, UserProfile>();
    let lookupError = '';
    try {
        api.users.
            getMany([...new Set(accounts.map((entry) => entry.userId).filter(Boolean))]).
            forEach((user) => profiles.set(user.id, user));
    } catch (error) {
        if (!isHostError(error)) {
            throw error;
        }
        lookupError = describe(error);
    }
    const eligible: Array<BatchEntry & {user: UserProfile}> = [];
    for (const entry of accounts) {
        const user = profiles.get(entry.userId);
        const skip = user ? skipReason(user, definition.allow_guests) : null;
        if (!entry.userId) {
            processed.set(entry.index, {outcome: 'failed', reason: 'queue entry missing', welcome: 'not_sent', username: ''});
        } else if (lookupError) {
            processed.set(entry.index, {outcome: 'failed', reason: lookupError, welcome: 'not_sent', username: ''});
        } else if (!user) {
            processed.set(entry.index, {outcome: 'skipped', reason: 'not_found', welcome: 'not_sent', username: ''});
        } else if (skip) {
            processed.set(entry.index, {outcome: 'skipped', reason: skip, welcome: 'not_sent', username: user.username});
        } else {
            eligible.push({...entry, user});
        }
    }

    const {failures, added, teamMembers, channelJoins} = provision(api, targets, botId, eligible.map((entry) => entry.userId));
    queueOwnArrivals(context, waveId, teamMembers, eligible, made);
    const welcomeTargets: WelcomeTargets = {
        teams: targets.teams.map((team) => team.name),
        channels: targets.channels.map((channel) => ({id: channel.id, name: channel.urlName, display: channel.name})),
    };
    const variables = (user: UserProfile): WelcomeVariables =>
        welcomeVariables(user, definition, welcomeTargets, runContext.startAt, runContext.now);
    const members = eligible.filter((entry) => !failures.has(entry.userId));
    const people = new Map(eligible.map((entry) => [entry.userId, entry.user]));
    sendChannelWelcomes(context, targets.channels, botId, channelJoins, (template, userId) => {
        const user = people.get(userId);
        return user ? renderWelcome(template, variables(user)) : null;
    });

    // Preferences after the memberships (a user who could not join gets none yet; retry-failed sets them).
    // Waves saved before `preferences` existed have none.
    const preferenceFailures = applyPreferences(api, definition.targets.preferences ?? [], members.map((entry) => entry.userId));
    const provisioned: typeof eligible = [];
    for (const entry of eligible) {
        const preferenceFailure = preferenceFailures.get(entry.userId);
        const reasons = [...(failures.get(entry.userId) ?? []), ...(preferenceFailure === undefined ? [] : [preferenceFailure])];
        if (reasons.length > 0) {
            // No welcome for a half-provisioned user: retry-failed finishes the memberships, then welcomes.
            processed.set(entry.index, {outcome: 'failed', reason: reasons.join('; '), welcome: 'not_sent', username: entry.user.username});
        } else {
            provisioned.push(entry);
        }
    }

    let welcomes = new Map<string, WelcomeAnswer>();
    if (definition.welcome.enabled) {
        const toWelcome = provisioned.filter((entry) => !hasWelcome(entry.before));
        const sessions = usesGettingStarted(definition.welcome.template) ?
            appSessions(
                context,
                toWelcome.map((entry) => entry.userId),
                runContext.now,
                listChannelIds(welcomeTargets),
            ) :
            null;
        const requests: WelcomeRequest[] = toWelcome.map((entry) => {
            // The person's language picks the wave's welcome for it (else the fallback) and the buttons' words.
            const speaker = speakerForUser(entry.user, runContext.config);
            return {
                userId: entry.userId,
                message: renderWelcome(
                    welcomeTemplateFor(definition.welcome, speaker.locale),
                    variables(entry.user),
                    sessions ?
                        gettingStartedFor(entry.user, sessions[entry.userId], runContext.links, welcomeTargets, speaker.locale) :
                        undefined,
                ),

                // With feedback on, the DM carries the answer buttons (feedback.ts).
                props: welcomeFeedbackProps(speaker, waveId, entry.userId, definition),
            };
        });
        welcomes = sendWelcomes(context, waveId, botId, requests, announced);
    }

    for (const entry of provisioned) {
        const {user} = entry;
        const outcome: Outcome = added.has(entry.userId) ? 'added' : 'already_member';
        let welcome: UserResult['welcome'] = 'disabled';
        if (definition.welcome.enabled) {
            const answer: WelcomeAnswer = hasWelcome(entry.before) ? {status: 'already_sent'} : welcomes.get(entry.userId) ?? unanswered;
            if (answer.status === 'failed') {
                processed.set(entry.index, {
                    outcome: 'failed',
                    reason: `welcome: ${answer.error}`,
                    welcome: 'failed',
                    username: user.username,
                });
                continue;
            }
            welcome = answer.status;
        }

        // The optional invitation email, once per user per wave (invitation.ts); a failure is retried by retry-failed.
        const signIn: SignIn = ownAccount(made.get(entry.index), user, waveId) ?
            {kind: 'created', auth_service: serviceOf(user)} :
            {kind: 'existing'};
        try {
            const invitation = sendInvitationOnce(
                api,
                waveId,
                definition,
                user,
                (language) => invitationVariables(variables(user), runContext.invitationLinks, signIn, runContext.config, language),
                runContext.smtp,

                // Their language, as the welcome's.
                speakerForUser(user, runContext.config).locale,
            );
            processed.set(entry.index, {
                outcome,
                reason: '',
                welcome,
                username: user.username,
                ...(invitation === 'disabled' ? {} : {invitation}),
            });
        } catch (error) {
            if (!isInvitationFailure(error)) {
                throw error;
            }
            processed.set(entry.index, {
                outcome: 'failed',
                reason: `invitation: ${invitationFailure(error)}`,
                welcome,
                username: user.username,
                invitation: 'failed',
            });
        }
    }
    recordMadeAccounts(processed, accounts, eligible, made, waveId);
    inviteNewcomers(context, waveId, stored, invitees, welcomeTargets, runContext, processed);
    return processed;
}

/** Whether the wave made this account: now, or in an earlier attempt (its prop says so). */
function ownAccount(madeAccount: MadeAccount | undefined, user: UserProfile, waveId: string): boolean {
    return madeAccount !== undefined && (madeAccount.created || madeByWave(user, waveId));
}

/**
 * A placeholder's result names its account and the file's email; an account the wave made is `created`
 * once provisioned (whichever attempt made it), one that someone else made meanwhile is onboarded as it is.
 */
function recordMadeAccounts(
    processed: Map<number, Processed>,
    accounts: readonly BatchEntry[],
    eligible: ReadonlyArray<BatchEntry & {user: UserProfile}>,
    made: ReadonlyMap<number, MadeAccount>,
    waveId: string,
): void {
    const accountIds = new Map(accounts.map((entry) => [entry.index, entry.userId]));
    const users = new Map(eligible.map((entry) => [entry.index, entry.user]));
    for (const [index, madeAccount] of made) {
        const result = processed.get(index);
        if (!result) {
            continue;
        }
        const user = users.get(index);
        const own = user !== undefined && ownAccount(madeAccount, user, waveId);
        const provisioned = result.outcome === 'added' || result.outcome === 'already_member';
        processed.set(index, {
            ...result,
            outcome: own && provisioned ? 'created' : result.outcome,
            userId: accountIds.get(index) ?? '',
            email: madeAccount.email,
        });
    }
}

/**
 * An invite wave's newcomers get the invitation with the team's sign-up link, once per email (one lookup
 * each first: someone who signed up meanwhile is not invited); the hook onboards them when they sign up.
 */
function inviteNewcomers(
    context: HookContext,
    waveId: string,
    stored: StoredWave,
    invitees: ReadonlyArray<{entry: BatchEntry; person: Newcomer}>,
    targets: WelcomeTargets,
    runContext: WelcomeContext,
    processed: Map<number, Processed>,
): void {
    const {definition} = stored;
    for (const {entry, person} of invitees) {
        // Signed up since the cohort was resolved: the user-created hook has queued their account, which
        // the wave onboards as it is; an invitation to create one would only confuse them.
        // (Unless an earlier attempt claimed their invitation: its answer says what became of it.)
        const claimed = context.api.kv.get(emailMarkerKey(waveId, person.email)) !== null;
        const account = claimed ? null : existingAccount(context.api, {email: person.email, username: ''});
        if (account) {
            processed.set(entry.index, {
                outcome: 'skipped',
                reason: 'signed_up',
                welcome: 'not_sent',
                username: account.username,
                userId: account.id,
                email: person.email,
            });
            continue;
        }
        const username = person.username || usernameFromEmail(person.email);
        const variables = (language: CockpitLocale) => invitationVariables(
            welcomeVariables({first_name: person.first_name, username}, definition, targets, runContext.startAt, runContext.now),
            runContext.invitationLinks,
            {kind: 'invited'},
            runContext.config,
            language,
        );

        // No account yet: the file's language for them, else the wave's newcomer locale, else the server's default.
        const locale = localeFor(person.locale || newcomersOf(definition).locale, serverLocale(runContext.config));
        const identity = {username: person.username, userId: '', email: person.email, welcome: 'not_sent' as const};
        try {
            const {smtp} = runContext;
            const invitation = sendNewcomerInvitationOnce(context.api, waveId, definition, person.email, variables, smtp, locale);
            if (invitation === 'disabled') {
                // The start refuses an invite wave without the invitation; a wave stored before that check fails them clearly.
                processed.set(entry.index, {...identity, outcome: 'failed', reason: `invitation: ${inviteNeedsInvitation}`});
                continue;
            }
            processed.set(entry.index, {...identity, outcome: 'invited', reason: '', invitation});
        } catch (error) {
            if (!isInvitationFailure(error)) {
                throw error;
            }
            const reason = `invitation: ${invitationFailure(error)}`;
            processed.set(entry.index, {...identity, outcome: 'failed', reason, invitation: 'failed'});
        }
    }
}
