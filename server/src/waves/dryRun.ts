import {type CockpitLocale, localeFor} from 'contract/locales';
import type {DryRunReport, DryRunTarget, DryRunUser, WaveDefinition, Welcome, WelcomeLanguageCount} from 'contract/waves';

import {inCohortLanguages, type ResolvedCohort, resolveCohort, skipReason} from './cohort';
import {filePeople, type FilePeople, newcomerWarnings} from './dryRunPeople';
import {isMember} from './engine';
import {serverFactsOf} from './people';

import {isHostError} from '../host/errors';
import {serverLocale} from '../i18n/messages';
import type {ReadOnlyMattermostApi} from '../mattermost/readOnly';

/** Memberships are looked up for at most this many users (the counts say how many were checked). */
export const maxMembershipChecks = 5000;
const sampleSize = 20;

/** Above this many users, each target's member list is read once (pages of 1,000) instead of one lookup per user. */
const perUserLookupLimit = 200;
const memberPageSize = 1000;

interface Membership {
    user_id: string;
    delete_at?: number;
}

/** Every current member of a team or channel, read page by page (a left team membership has delete_at > 0). */
function memberIds(page: (page: number, perPage: number) => Membership[]): Set<string> {
    const ids = new Set<string>();
    for (let n = 0; ; n++) {
        const members = page(n, memberPageSize);
        for (const member of members) {
            if (!member.delete_at) {
                ids.add(member.user_id);
            }
        }
        if (members.length < memberPageSize) {
            return ids;
        }
    }
}

/** Every member of the given groups, read page by page. */
function groupMemberIds(api: ReadOnlyMattermostApi, groupIds: readonly string[]): Set<string> {
    const ids = new Set<string>();
    for (const groupId of groupIds) {
        for (let n = 0; ; n++) {
            const members = api.groups.members(groupId, n, memberPageSize);
            members.forEach((user) => ids.add(user.id));
            if (members.length < memberPageSize) {
                break;
            }
        }
    }
    return ids;
}

/**
 * Who a group-constrained (group-synced) team or channel accepts: the members of its linked groups, as
 * the server checks when a member is added. Null for a target that takes anyone.
 */
function groupConstraint(
    api: ReadOnlyMattermostApi,
    kind: 'team' | 'channel',
    target: {id: string; group_constrained?: boolean | null},
): Set<string> | null {
    return target.group_constrained ? groupMemberIds(api, api.groups.linkedTo(kind, target.id)) : null;
}

interface ResolvedTarget extends DryRunTarget {
    /** The URL name (the welcome's getting-started list links ~name). */
    urlName: string;
    isMember: (userId: string) => boolean;

    /** For a group-constrained target: the users it accepts. */
    accepts: Set<string> | null;
}

/** Loads the targets; problems (missing team or channel, a channel outside the target teams) are listed, not thrown. */
export function resolveTargets(api: ReadOnlyMattermostApi, definition: WaveDefinition): {targets: ResolvedTarget[]; problems: string[]} {
    const targets: ResolvedTarget[] = [];
    const problems: string[] = [];
    const teamIds = new Set(definition.targets.teams.map((team) => team.team_id));
    for (const target of definition.targets.teams) {
        try {
            const team = api.teams.get(target.team_id);
            targets.push({
                kind: 'team',
                id: team.id,
                name: team.display_name || team.name,
                urlName: team.name,
                role: target.role,
                would_add: 0,
                already_member: 0,
                refused: 0,
                isMember: (userId) => isMember(() => api.teams.getMember(team.id, userId)),
                accepts: null,
            });
        } catch (error) {
            problems.push(`team ${target.team_id}: ${isHostError(error) && error.status_code === 404 ? 'not found' : String(error)}`);
        }
    }
    for (const target of definition.targets.channels) {
        try {
            const channel = api.channels.get(target.channel_id);
            if (channel.type !== 'O' && channel.type !== 'P') {
                problems.push(`channel ${channel.name}: only public and private channels can be targets`);
                continue;
            }
            if (!teamIds.has(channel.team_id)) {
                problems.push(`channel ${channel.name}: its team is not one of the target teams`);
                continue;
            }
            targets.push({
                kind: 'channel',
                id: channel.id,
                name: channel.display_name || channel.name,
                urlName: channel.name,
                role: target.role,
                would_add: 0,
                already_member: 0,
                refused: 0,
                isMember: (userId) => isMember(() => api.channels.getMember(channel.id, userId)),
                accepts: null,
            });
        } catch (error) {
            problems.push(`channel ${target.channel_id}: ${isHostError(error) && error.status_code === 404 ? 'not found' : String(error)}`);
        }
    }
    return {targets, problems};
}

/**
 * The cohort as the run would resolve it: the file's people (looked up once each, newcomers apart),
 * then the other sources, de-duplicated in source order (the file first) with the same counts.
 */
function dryRunCohort(api: ReadOnlyMattermostApi, definition: WaveDefinition): {cohort: ResolvedCohort; file: FilePeople} {
    const file = filePeople(api, definition, serverFactsOf(api));
    const others = resolveCohort(api, {...definition.cohort, csv: []});
    const fromFile = new Set(file.users.map((user) => user.id));
    const added = others.users.filter((user) => !fromFile.has(user.id));
    return {
        cohort: {
            users: [...file.users, ...added],
            sources: {...others.sources, csv: file.matched},
            duplicates: (file.matched - file.users.length) + others.duplicates + (others.users.length - added.length),
            csvProblems: file.problems,
        },
        file,
    };
}

/** Resolves the cohort and classifies every user against the targets. Changes nothing. */
export function dryRun(api: ReadOnlyMattermostApi, definition: WaveDefinition): DryRunReport {
    const named = dryRunCohort(api, definition);

    // The language filter applies after the sources, as the run's resolution does (engine.ts).
    const serverDefault = serverLocale(api.config.get());
    const users = inCohortLanguages(definition.cohort, named.cohort.users, serverDefault);
    const newcomers = inCohortLanguages(definition.cohort, named.file.newcomers, serverDefault);
    const cohort = {...named.cohort, users: users.kept};
    const file = {...named.file, newcomers: newcomers.kept};
    const {targets, problems} = resolveTargets(api, definition);
    if (cohort.users.length > perUserLookupLimit) {
        // 5,000 users × 4 targets one lookup at a time is 20,000 host calls, longer than a script call
        // may run; the member lists are a few calls per target.
        for (const target of targets) {
            const ids =
                target.kind === 'team' ?
                    memberIds((page, perPage) => api.teams.members(target.id, page, perPage)) :
                    memberIds((page, perPage) => api.channels.members(target.id, page, perPage));
            target.isMember = (userId) => ids.has(userId);
        }
    }

    // Only the dry run reads the linked groups' members (the launch checks nothing: the server refuses).
    for (const target of targets) {
        const record = target.kind === 'team' ? api.teams.get(target.id) : api.channels.get(target.id);
        target.accepts = groupConstraint(api, target.kind, record);
    }
    const cannotAdd = {deactivated: 0, bot: 0, guest: 0, group_synced: 0};
    const sample: DryRunUser[] = [];
    let checked = 0;
    for (const user of cohort.users) {
        const reason = skipReason(user, definition.allow_guests);
        if (reason) {
            cannotAdd[reason] += 1;
        }
        if (reason || checked >= maxMembershipChecks) {
            if (reason && sample.length < sampleSize) {
                sample.push({user_id: user.id, username: user.username, status: reason, would_join: [], already_in: [], refused_by: []});
            }
            continue;
        }
        checked += 1;
        const wouldJoin: string[] = [];
        const alreadyIn: string[] = [];
        const refusedBy: string[] = [];
        for (const target of targets) {
            if (target.isMember(user.id)) {
                target.already_member += 1;
                alreadyIn.push(target.name);
            } else if (target.accepts && !target.accepts.has(user.id)) {
                target.refused += 1;
                refusedBy.push(target.name);
            } else {
                target.would_add += 1;
                wouldJoin.push(target.name);
            }
        }
        if (refusedBy.length > 0) {
            cannotAdd.group_synced += 1;
        }
        if (sample.length < sampleSize) {
            sample.push({
                user_id: user.id,
                username: user.username,
                status: refusedBy.length > 0 ? 'group_synced' : 'ok',
                would_join: wouldJoin,
                already_in: alreadyIn,
                refused_by: refusedBy,
            });
        }
    }

    // A newcomer is a member of nothing yet: the wave would add them to every target that takes anyone.
    for (const target of targets) {
        if (target.accepts) {
            target.refused += file.newcomers.length;
        } else {
            target.would_add += file.newcomers.length;
        }
    }
    return {
        people: file.people,
        warnings: newcomerWarnings(api, definition, file.newcomers),

        // Everyone the wave would queue: the accounts, and the people it would create or invite.
        cohort_size: cohort.users.length + file.newcomers.length,
        sources: cohort.sources,
        duplicates: cohort.duplicates,
        csv_problems: cohort.csvProblems,
        cannot_add: cannotAdd,
        membership_checked: checked,
        targets: targets.map(({isMember, urlName, accepts, ...target}) => target),
        target_problems: problems,
        sample,
        welcome_languages: welcomeLanguages(
            definition.welcome,
            [...cohort.users.filter((user) => !skipReason(user, definition.allow_guests)), ...file.newcomers],
            serverDefault,
        ),
        outside_languages: users.outside + newcomers.outside,
    };
}

/** How many people get the welcome in each language (localeFor: their locale, else the server's default), most first. */
export function welcomeLanguages(
    welcome: Pick<Welcome, 'template' | 'translations'>,
    people: ReadonlyArray<{locale?: string}>,
    serverDefault: string,
): WelcomeLanguageCount[] {
    const counts = new Map<CockpitLocale, number>();
    people.forEach((person) => {
        const locale = localeFor(person.locale, serverDefault);
        counts.set(locale, (counts.get(locale) ?? 0) + 1);
    });
    return [...counts.entries()].
        map(([locale, count]) => ({locale, people: count, own_template: welcome.translations?.[locale] !== undefined})).
        sort((a, b) => b.people - a.people || a.locale.localeCompare(b.locale));
}
