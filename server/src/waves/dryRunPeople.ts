import type {UserProfile} from '@mattermost/types/users';

import {
    type AuthService,
    authServices,
    type CsvProblem,
    type DryRunPeople,
    type PersonAction,
    type WaveDefinition,
} from 'contract/waves';

import {validateCsvRows} from './cohort';
import {invitationOf} from './invitation';
import {classifyPeople, type Newcomer, newcomersOf, type ServerFacts, usernameFromEmail} from './people';

import {isHostError} from '../host/errors';
import type {ServerConfig} from '../mattermost/api';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

// The dry run's account of the cohort file's people: who already has an account, who the wave would
// create or invite (by how they will sign in), who it would skip, a few rows of each, and what on this
// server would stop a newcomer from ever getting in. Newcomers only ever come from the file (groups,
// teams and email domains list existing accounts), so the per-source counts stay the file's matches.
//
// Each row costs what the run's resolution costs: one lookup by email, a second by username only when
// the first finds nobody. The file is not looked up twice (the other sources are resolved apart).

/** Rows of each action in the sample. */
const samplePerAction = 5;

/** The file's side of the dry run. */
export interface FilePeople {
    /** The accounts the file names, once each, in file order. */
    users: UserProfile[];

    /** Rows that matched an account (before de-duplication by account: two rows may name one account). */
    matched: number;

    /** People the wave would create or invite (none in mode skip). */
    newcomers: Newcomer[];
    problems: CsvProblem[];
    people: DryRunPeople;
}

/** sign-in method of an existing account: '' in model.User.AuthService means email and password. */
function accountService(user: UserProfile): AuthService | '' {
    const service = user.auth_service || 'email';
    return (authServices as readonly string[]).includes(service) ? service as AuthService : '';
}

/** Looks the file's people up (reads only) and counts what the wave would do for each. */
export function filePeople(api: Pick<ReadOnlyMattermostApi, 'users'>, definition: WaveDefinition, facts: ServerFacts): FilePeople {
    const newcomers = newcomersOf(definition);
    const {valid, problems} = validateCsvRows(definition.cohort.csv, facts);
    const classified = classifyPeople(api, valid.map((row) => row.person), newcomers, facts);

    // Mode skip: people without an account stay "no such user" problems, as before newcomers existed.
    const skipped = newcomers.mode === 'skip' ? classified.problems.filter((problem) => problem.reason === 'no such user') : [];
    const skippedLines = new Set(skipped.map((problem) => problem.line));
    const people: DryRunPeople = {
        existing: classified.existing.length,
        create: 0,
        invite: 0,
        skip: skipped.length,
        by_auth_service: {},
        sample: [],
    };
    const sampled = new Map<PersonAction, number>();
    const sample = (row: DryRunPeople['sample'][number]) => {
        const taken = sampled.get(row.action) ?? 0;
        if (taken < samplePerAction) {
            sampled.set(row.action, taken + 1);
            people.sample.push(row);
        }
    };
    for (const {person, user} of classified.existing) {
        sample({line: person.line, email: user.email, username: user.username, action: 'existing', auth_service: accountService(user)});
    }
    const action = newcomers.mode === 'invite' ? 'invite' : 'create';
    for (const person of classified.newcomers) {
        const service = person.auth_service || newcomers.auth_service;
        people[action] += 1;
        people.by_auth_service[service] = (people.by_auth_service[service] ?? 0) + 1;
        const username = person.username || usernameFromEmail(person.email);
        sample({line: person.line, email: person.email, username, action, auth_service: service});
    }
    for (const row of valid.filter((candidate) => skippedLines.has(candidate.line))) {
        const {email, username, auth_service: service} = row.person;
        sample({line: row.line, email, username, action: 'skip', auth_service: service});
    }
    people.sample.sort((a, b) => a.line - b.line);

    const users = new Map<string, UserProfile>();
    classified.existing.forEach(({user}) => users.set(user.id, user));
    return {
        users: [...users.values()],
        matched: classified.existing.length,
        newcomers: classified.newcomers,
        problems: [...problems, ...classified.problems].sort((a, b) => a.line - b.line),
        people,
    };
}

const setting = (config: ServerConfig, section: string, name: string): unknown =>
    ((config as Record<string, Record<string, unknown> | undefined>)[section] ?? {})[name];

/** A boolean setting whose server default is true: only an explicit false turns it off. */
const enabled = (config: ServerConfig, section: string, name: string) => setting(config, section, name) !== false;

/** The email domains a team accepts at sign-up (model.Team.AllowedDomains: space or comma separated; '' = any). */
const allowedDomains = (domains: string) => domains.toLowerCase().replace(/@/g, ' ').split(/[\s,]+/).filter(Boolean);

/**
 * What would keep newcomers from getting in: no invitation to tell them, an invite link that does
 * not work (the server's rules for signing up with a team's invite id: app.CreateUserWithInviteId),
 * group-synced targets that refuse accounts no group lists yet. Reads the first target team only.
 */
export function newcomerWarnings(
    api: Pick<ReadOnlyMattermostApi, 'config' | 'teams'>,
    definition: WaveDefinition,
    newcomers: readonly Newcomer[],
): string[] {
    if (newcomers.length === 0) {
        return [];
    }
    const {mode, auth_service: defaultService} = newcomersOf(definition);
    const count = newcomers.length;
    const warnings: string[] = [];

    // An invite wave sends its invitation whatever the switch says (inviting is what it does); a create
    // wave tells its newcomers only through the invitation.
    if (mode === 'create' && !invitationOf(definition).enabled) {
        warnings.push(
            `Newcomers: ${count} accounts would be created, but the invitation email is off: nobody would tell these people, ` +
            'and those who sign in with email and password could not sign in without its set-password link.',
        );
    }
    const config = api.config.get();
    const teamId = definition.targets.teams[0]?.team_id;
    const team = teamId ? readTeam(api, teamId) : null;
    if (mode === 'create') {
        if (team?.group_constrained) {
            const name = team.display_name || team.name;
            warnings.push(`Newcomers: team ${name} is synced with groups and refuses new accounts, which are in no group yet.`);
        }
        return warnings;
    }
    if (!team) {
        warnings.push('Newcomers: invited people sign up through the first target team\'s invite link, and the wave has no such team.');
        return warnings;
    }
    const name = team.display_name || team.name;
    if (!team.invite_id) {
        warnings.push(`Newcomers: team ${name} has no invite link (invite id) for invited people to sign up with.`);
    }
    if (team.group_constrained) {
        warnings.push(`Newcomers: team ${name} is synced with groups: the server refuses sign-ups through its invite link.`);
    }
    if (!enabled(config, 'TeamSettings', 'EnableUserCreation')) {
        warnings.push(
            'Newcomers: account creation is off on this server (TeamSettings.EnableUserCreation): invited people cannot sign up.',
        );
    }
    const byEmail = newcomers.filter((person) => (person.auth_service || defaultService) === 'email');
    if (byEmail.length > 0 && !enabled(config, 'EmailSettings', 'EnableSignUpWithEmail')) {
        warnings.push(
            `Newcomers: sign-up with email is off on this server (EmailSettings.EnableSignUpWithEmail): ${byEmail.length} invited ` +
            'people who sign in with email and password cannot sign up.',
        );
    }
    const domains = allowedDomains(team.allowed_domains ?? '');
    const outside = newcomers.filter((person) => !domains.some((domain) => person.email.endsWith(`@${domain}`))).length;
    if (domains.length > 0 && outside > 0) {
        warnings.push(
            `Newcomers: team ${name} accepts sign-ups from ${domains.join(', ')} only: ` +
            `${outside} invited people have another email domain.`,
        );
    }
    return warnings;
}

function readTeam(api: Pick<ReadOnlyMattermostApi, 'teams'>, teamId: string) {
    try {
        return api.teams.get(teamId);
    } catch (error) {
        if (isHostError(error) && error.status_code === 404) {
            return null;
        }
        throw error;
    }
}
