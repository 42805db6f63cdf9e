import {MyTasksPage, TASKS_COMMAND} from 'contract/plan_api';

import {setDigestMuted} from './digest';
import {readMyTasks} from './owners';

import type {HookContext} from '../app/capability';
import type {CommandArgs, CommandResponse} from '../app/hooks';

// `/onboarding tasks`: the caller's roll-out tasks, as an ephemeral answer only they see;
// `/onboarding tasks mute` / `unmute`: the caller's daily digest off / on.

/** Task words quoted as code: nothing in a title renders as markdown or mentions anyone. */
const inert = (text: string) => `\`${text.replace(/`/g, "'")}\``;

const stateWords: Record<string, string> = {
    not_started: 'open',
    in_progress: 'in progress',
    done: 'done',
    skipped: 'skipped',
    blocked: 'blocked',
};

export function tasksCommand(args: CommandArgs, context: HookContext): CommandResponse | null {
    const words = args.command.trim().split(/\s+/);
    if (words[0] !== `/${TASKS_COMMAND.trigger}` || words[1] !== TASKS_COMMAND.subcommand) {
        return null;
    }
    if (words[2] === 'mute' || words[2] === 'unmute') {
        setDigestMuted(context.kv, args.user_id, words[2] === 'mute', Date.now());
        return {
            response_type: 'ephemeral',
            text: words[2] === 'mute' ?
                `Muted: no daily digest of your roll-out tasks. \`/${TASKS_COMMAND.trigger} ${TASKS_COMMAND.subcommand} unmute\` ` +
                    'turns it back on.' :
                'Your daily digest of roll-out tasks due this week is on again.',
        };
    }
    const {tasks} = readMyTasks(context.kv, args.user_id);
    if (tasks.length === 0) {
        return {response_type: 'ephemeral', text: 'You own no roll-out task.'};
    }
    const lines = tasks.map(({task, phase_title: phaseTitle, verification}) =>
        `- ${inert(task.title)} (${inert(phaseTitle)}): ${stateWords[task.state] ?? task.state}` +
        `${task.due_date ? `, due ${task.due_date}` : ''}${verification === 'none' ? '' : `, check ${verification}`}`);
    let page = '';
    if (args.team_id) {
        try {
            const path = MyTasksPage.path(context.api.teams.get(args.team_id).name);
            page = `\nChange their state, notes and evidence on your tasks page: ${path}`;
        } catch {
            page = '';
        }
    }
    return {response_type: 'ephemeral', text: `Your roll-out tasks (${tasks.length}):\n${lines.join('\n')}${page}`};
}
