import type {RolloutSummary, SummaryTask} from 'contract/rollout';

// The status post's markdown, from the summary alone. Text people typed (plan, phase, task, wave and
// target names) goes in code spans so it renders inert: no mentions, links or formatting of its own.
// The owners are @mentioned on purpose: the post is for them.

/** Tasks listed per section; the rest is counted. */
export const LISTED_TASKS = 15;

const inert = (text: string) => `\`${text.replace(/`/g, "'").replace(/\n/g, ' ')}\``;

function owner(task: SummaryTask): string {
    if (task.owner_username) {
        return `@${task.owner_username}`;
    }
    return task.owner_id ? 'a former user' : 'no owner';
}

function taskLines(tasks: SummaryTask[], detail: (task: SummaryTask) => string): string[] {
    const lines = tasks.slice(0, LISTED_TASKS).map((task) => `- ${inert(task.title)} (${inert(task.phase_title)})${detail(task)}`);
    if (tasks.length > LISTED_TASKS) {
        lines.push(`- … and ${tasks.length - LISTED_TASKS} more`);
    }
    return lines;
}

/** "about 2 h 5 min", "about 40 min", "under a minute". */
export function durationText(ms: number): string {
    const minutes = Math.round(ms / 60_000);
    if (minutes < 1) {
        return 'under a minute';
    }
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (hours === 0) {
        return `about ${minutes} min`;
    }
    return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

function signed(delta: number): string {
    return delta > 0 ? `+${delta}` : String(delta);
}

function section(title: string, lines: string[]): string[] {
    return lines.length === 0 ? [] : ['', title, ...lines];
}

export function statusMessage(summary: RolloutSummary): string {
    const {plan, readiness, waves, adoption} = summary;
    const required = plan.phases.reduce((n, phase) => n + phase.required, 0);
    const completed = plan.phases.reduce((n, phase) => n + phase.completed, 0);
    const since = summary.last_update_at === null ? 'so far' : 'since the last update';

    const scoreLine = readiness.previous_score === null ?
        `**Readiness:** ${readiness.score} / 100` :
        `**Readiness:** ${readiness.score} / 100 (${signed(readiness.score - readiness.previous_score)} since the last update)`;

    return [
        `#### Roll-out status: ${inert(plan.title)}, ${summary.today}`,
        `**Plan:** ${plan.percent} % (${completed} of ${required} required tasks)`,
        '',
        '| Phase | Completed | Progress |',
        '|:--|--:|--:|',
        ...plan.phases.map((phase) => `| ${inert(phase.title)} | ${phase.completed} / ${phase.required} | ${phase.percent} % |`),
        ...section(`**Completed ${since} (${summary.completed_since_last.length}):**`,
            taskLines(summary.completed_since_last, () => '')),
        ...section(`**Overdue (${summary.overdue.length}):**`,
            taskLines(summary.overdue, (task) => `: due ${task.due_date}, ${owner(task)}`)),
        ...section(`**Blocked (${summary.blocked.length}):**`,
            taskLines(summary.blocked, (task) => `: ${owner(task)}`)),
        ...section(`**Due this week (${summary.due_this_week.length}):**`,
            taskLines(summary.due_this_week, (task) => `: due ${task.due_date}, ${owner(task)}`)),
        '',
        scoreLine,
        ...readiness.changes.slice(0, LISTED_TASKS).map((change) =>
            `- ${inert(change.title)}: ${change.before ?? 'new'} → ${change.after}`),
        '',
        `**Waves:** ${waves.running.length} running, ${waves.scheduled} scheduled, ${waves.completed} completed`,
        ...waves.running.map((wave) => `- ${inert(wave.name)}: ${wave.processed} of ${wave.total} users` +
            (wave.failed > 0 ? `, ${wave.failed} failed` : '') +
            (wave.state === 'paused' ? ', paused' : '') +
            (wave.eta_ms === null ? '' : `, ${durationText(wave.eta_ms)} left`)),
        ...section('**Adoption against targets:**', adoption.targets.map(({target, current, goal, percent, status}) =>
            `- ${inert(target.label || target.metric)}: ${current ?? 'not measured yet'}` +
            (goal === null ? '' : ` of ${goal}`) + ` (${percent} %), due ${target.due}, ${status.replace('_', ' ')}`)),
        ...(summary.proposals.open > 0 ? ['', `**Role-template proposals open:** ${summary.proposals.open} ` +
            `(${summary.proposals.pending_channels} channels waiting for a team admin)`] : []),
    ].join('\n');
}
