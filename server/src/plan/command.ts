import {MyTasksPage, TASKS_COMMAND} from 'contract/plan_api';

import {setDigestMuted} from './digest';
import {readMyTasks} from './owners';

import type {HookContext} from '../app/capability';
import type {CommandArgs, CommandResponse} from '../app/hooks';
import {type MessageId, speakerForUser} from '../i18n/messages';

// `/onboarding tasks`: the caller's roll-out tasks, as an ephemeral answer only they see;
// `/onboarding tasks mute` / `unmute`: the caller's daily digest off / on.

/** Task words quoted as code: nothing in a title renders as markdown or mentions anyone. */
const inert = (text: string) => `\`${text.replace(/`/g, "'")}\``;

const stateWords: Record<string, MessageId> = {
    not_started: 'tasks.state.not_started',
    in_progress: 'tasks.state.in_progress',
    done: 'tasks.state.done',
    skipped: 'tasks.state.skipped',
    blocked: 'tasks.state.blocked',
};

export function tasksCommand(args: CommandArgs, context: HookContext): CommandResponse | null {
    const words = args.command.trim().split(/\s+/);
    if (words[0] !== `/${TASKS_COMMAND.trigger}` || words[1] !== TASKS_COMMAND.subcommand) {
        return null;
    }

    // The caller's language.
    const {t} = speakerForUser(context.api.users.get(args.user_id), context.api.config.get());
    const command = `/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand}`;
    if (words[2] === 'mute' || words[2] === 'unmute') {
        setDigestMuted(context.kv, args.user_id, words[2] === 'mute', Date.now());
        return {
            response_type: 'ephemeral',
            text: words[2] === 'mute' ? t('tasks.muted', {command: `\`${command} unmute\``}) : t('tasks.unmuted'),
        };
    }
    const {tasks} = readMyTasks(context.kv, args.user_id);
    if (tasks.length === 0) {
        return {response_type: 'ephemeral', text: t('tasks.none')};
    }
    const lines = tasks.map(({task, phase_title: phaseTitle, verification}) => {
        const state = stateWords[task.state] ? t(stateWords[task.state]) : task.state;
        const due = task.due_date ? t('tasks.due', {day: task.due_date}) : '';
        const check = verification === 'none' ? '' : t('tasks.check', {verdict: verification});
        return `- ${inert(task.title)} (${inert(phaseTitle)}): ${state}${due}${check}`;
    });
    let page = '';
    if (args.team_id) {
        try {
            const path = MyTasksPage.path(context.api.teams.get(args.team_id).name);
            page = `\n${t('tasks.page', {path})}`;
        } catch {
            page = '';
        }
    }
    return {response_type: 'ephemeral', text: `${t('tasks.list', {count: tasks.length})}\n${lines.join('\n')}${page}`};
}
