import type {UserProfile} from '@mattermost/types/users';

import {WaveEndpoints} from 'contract/endpoints/waves';
import {ErrorIds} from 'contract/errors';
import {type CockpitLocale, localeFor} from 'contract/locales';
import type {InvitationPreview, InvitationPreviewRequest, WaveDefinition} from 'contract/waves';
import {invitationTextFor} from 'contract/waves_extras';

import {validateCsvRows} from './cohort';
import {resolveTargets} from './dryRun';
import {invitationMail, invitationOf, invitationText, smtpConfigured} from './invitation';
import {invitationLinks, invitationVariables, type SignIn} from './invitationVariables';
import {completeNewcomer, existingAccount, newcomersOf, serverFactsOf, usernameFromEmail} from './people';
import {loadWave} from './store';
import {welcomeTargetsFrom} from './welcomePreview';
import {waveStart, welcomeVariables} from './welcomeVariables';

import {recordAudit} from '../audit/audit';
import {ApiError} from '../errors/apiError';
import type {RouteRegistry} from '../http/router';
import {serverLocale} from '../i18n/messages';
import type {ServerConfig} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The invitation editor's preview and test-send. Both render the subject and HTML being edited (else the
// saved ones) through the same variables and renderer as the engine (invitationVariables.ts,
// invitation.ts): for the person of the file at `line` as the wave would reach them (their account, the
// account the wave would make, or their invitation to sign up), else for the calling admin as a newcomer
// of the wave's default sign-in method. Test-send mails the caller's own address only.

/** Whom the rendering is for: their names, address, how they would sign in, and their language (as the engine picks it). */
interface Recipient {
    email: string;
    names: Pick<UserProfile, 'first_name' | 'username'>;
    signIn: SignIn;
    locale: CockpitLocale;
}

/** The person of the file at `line`, as the wave would reach them; 400 when there is none or the wave would not. */
function personAt(api: ReadOnlyMattermostApi, definition: WaveDefinition, line: number): Recipient {
    const row = definition.cohort.csv.find((candidate) => candidate.line === line);
    if (!row) {
        throw ApiError.invalid(`The wave's file has no row at line ${line}.`);
    }
    const facts = serverFactsOf(api);
    const {valid, problems} = validateCsvRows([row], facts);
    if (valid.length === 0) {
        throw ApiError.invalid(`Line ${line} cannot be used: ${problems.map((problem) => problem.reason).join('; ')}`);
    }
    const {person} = valid[0];
    const serverDefault = serverLocale(api.config.get());
    const user = existingAccount(api, person);
    if (user) {
        return {email: user.email, names: user, signIn: {kind: 'existing'}, locale: localeFor(user.locale, serverDefault)};
    }
    const newcomers = newcomersOf(definition);
    if (newcomers.mode === 'skip') {
        throw ApiError.invalid(`Line ${line}: nobody has that account, and the wave skips people without one.`);
    }
    const complete = completeNewcomer(person, newcomers, facts);
    if (Array.isArray(complete)) {
        throw ApiError.invalid(`Line ${line} cannot be used: ${complete.join('; ')}`);
    }
    return {
        email: complete.email,
        names: {first_name: complete.first_name, username: complete.username || usernameFromEmail(complete.email)},
        locale: localeFor(complete.locale, serverDefault),
        signIn: newcomers.mode === 'invite' ? {kind: 'invited'} : {kind: 'created', auth_service: complete.auth_service},
    };
}

/** The calling admin as a newcomer of the wave's default sign-in method (as they already are when the wave skips newcomers). */
function callerAsNewcomer(user: UserProfile, definition: WaveDefinition, config: ServerConfig): Recipient {
    const newcomers = newcomersOf(definition);
    const signIn: SignIn = {
        skip: {kind: 'existing'} as const,
        create: {kind: 'created', auth_service: newcomers.auth_service} as const,
        invite: {kind: 'invited'} as const,
    }[newcomers.mode];
    return {email: user.email, names: user, signIn, locale: localeFor(user.locale, serverLocale(config))};
}

/** The invitation `body` edits, rendered for its recipient. */
export function renderInvitationPreview(
    api: ReadOnlyMattermostApi,
    definition: WaveDefinition,
    caller: UserProfile,
    body: InvitationPreviewRequest,
    startAt: number,
    now: number,
): InvitationPreview {
    const config = api.config.get();
    const recipient = body.line === undefined ? callerAsNewcomer(caller, definition, config) : personAt(api, definition, body.line);

    // The language asked for, else the recipient's; edits replace that language's text (and write it in that
    // language); without edits, what a reader of it gets: its own text, else the fallback.
    const chosen = invitationTextFor(invitationOf(definition), body.locale ?? recipient.locale);
    const edited = body.subject !== undefined || body.html_template !== undefined;
    const language = edited && body.locale ? body.locale : chosen.locale;
    const text = {subject: body.subject ?? chosen.text.subject, html_template: body.html_template ?? chosen.text.html_template};

    // The same target names as the engine (display name, else name); unusable targets are left out here.
    const {targets} = resolveTargets(api, definition);
    const welcomeTargets = welcomeTargetsFrom(targets);
    const firstTeam = targets.find((target) => target.kind === 'team');
    const links = invitationLinks(config, firstTeam ? api.teams.get(firstTeam.id).invite_id ?? '' : '');
    const variables = invitationVariables(
        welcomeVariables(recipient.names, definition, welcomeTargets, startAt, now),
        links,
        recipient.signIn,
        config,
        language,
    );
    const mail = invitationMail(text, recipient.email, variables);
    return {
        subject: mail.subject,
        html: mail.html,
        text: invitationText(mail.html),
        recipient: recipient.email,
        smtp_configured: smtpConfigured(config),
    };
}

/** Registers the preview and test-send routes (system admins only); called from the waves capability. */
export function registerInvitationPreviewRoutes(routes: RouteRegistry, clock: () => number): void {
    routes.handle(WaveEndpoints.invitationPreview, ({api, kv, body, params, userId}) => {
        const wave = loadWave(kv, params.waveId);
        const now = clock();
        return renderInvitationPreview(api, wave.def.value.definition, api.users.get(userId), body, waveStart(wave.run.value, now), now);
    });

    routes.handle(WaveEndpoints.invitationTestSend, (context) => {
        const {api, kv, body, params, userId} = context;
        const wave = loadWave(kv, params.waveId);
        const now = clock();
        if (!smtpConfigured(api.config.get())) {
            throw new ApiError(
                409,
                ErrorIds.waveSmtpNotConfigured,
                'Email is not configured on this server (SMTP, and email notifications): nothing can be sent.',
            );
        }
        const caller = api.users.get(userId);
        const preview = renderInvitationPreview(api, wave.def.value.definition, caller, body, waveStart(wave.run.value, now), now);

        // To the caller's own address only, whoever the rendering is for; no invitation marker is touched.
        api.mail.send(caller.email, preview.subject, preview.html);
        recordAudit(context, {
            action: 'waves.invitation.test_send',
            target: `wave:${params.waveId}`,
            before: null,
            after: {sent_to: caller.email, recipient: preview.recipient},
        });
        return {...preview, sent_to: caller.email};
    });
}
