import type {CheckStatus} from 'contract/readiness';
import type {RolloutSummary, SummaryTask} from 'contract/rollout';

import type {Speaker} from '../i18n/messages';

// The status post's markdown, from the summary alone. Text people typed (plan, phase, task, wave and
// target names) goes in code spans so it renders inert: no mentions, links or formatting of its own.
// The owners are @mentioned on purpose: the post is for them.

/** Tasks listed per section; the rest is counted. */
export const LISTED_TASKS = 15;

const inert = (text: string) => `\`${text.replace(/`/g, "'").replace(/\n/g, ' ')}\``;

function owner({t}: Speaker, task: SummaryTask): string {
    if (task.owner_username) {
        return `@${task.owner_username}`;
    }
    return task.owner_id ? t('status.formerUser') : t('status.noOwner');
}

function taskLines({t}: Speaker, tasks: SummaryTask[], detail: (task: SummaryTask) => string): string[] {
    const lines = tasks.slice(0, LISTED_TASKS).map((task) => `- ${inert(task.title)} (${inert(task.phase_title)})${detail(task)}`);
    if (tasks.length > LISTED_TASKS) {
        lines.push(`- ${t('status.more', {count: tasks.length - LISTED_TASKS})}`);
    }
    return lines;
}

/** "about 2 h 5 min", "about 40 min", "under a minute". */
export function durationText({t}: Speaker, ms: number): string {
    const minutes = Math.round(ms / 60_000);
    if (minutes < 1) {
        return t('status.underAMinute');
    }
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (hours === 0) {
        return t('status.aboutMinutes', {minutes});
    }
    return rest === 0 ? t('status.aboutHours', {hours}) : t('status.aboutHoursMinutes', {hours, minutes: rest});
}

function signed({number}: Speaker, delta: number): string {
    return delta > 0 ? `+${number(delta)}` : number(delta);
}

function section(title: string, lines: string[]): string[] {
    return lines.length === 0 ? [] : ['', title, ...lines];
}

/**
 * The post in `speaker`'s language: a channel's post has many readers, so the caller gives the server's
 * default language (serverSpeaker), the same for the post and its preview.
 */
export function statusMessage(summary: RolloutSummary, speaker: Speaker): string {
    const {t, number} = speaker;
    const {plan, readiness, waves, adoption} = summary;
    const required = plan.phases.reduce((n, phase) => n + phase.required, 0);
    const completed = plan.phases.reduce((n, phase) => n + phase.completed, 0);
    const checkStatus = (status: CheckStatus) => t(`readiness.status.${status}`);
    const due = (task: SummaryTask) => `: ${t('status.due', {day: task.due_date ?? ''})}, ${owner(speaker, task)}`;

    const scoreLine = readiness.previous_score === null ?
        t('status.readiness', {score: readiness.score}) :
        t('status.readinessSince', {score: readiness.score, delta: signed(speaker, readiness.score - readiness.previous_score)});

    return [
        t('status.title', {plan: inert(plan.title), day: summary.today}),
        t('status.plan', {percent: plan.percent, completed, required}),
        '',
        t('status.tableHeader'),
        '|:--|--:|--:|',
        ...plan.phases.map((phase) =>
            `| ${inert(phase.title)} | ${number(phase.completed)} / ${number(phase.required)} | ${number(phase.percent)} % |`),
        ...section(
            t(summary.last_update_at === null ? 'status.completedSoFar' : 'status.completedSince', {
                count: summary.completed_since_last.length,
            }),
            taskLines(speaker, summary.completed_since_last, () => ''),
        ),
        ...section(t('status.overdue', {count: summary.overdue.length}), taskLines(speaker, summary.overdue, due)),
        ...section(
            t('status.blocked', {count: summary.blocked.length}),
            taskLines(speaker, summary.blocked, (task) => `: ${owner(speaker, task)}`),
        ),
        ...section(t('status.dueThisWeek', {count: summary.due_this_week.length}), taskLines(speaker, summary.due_this_week, due)),
        '',
        scoreLine,
        ...readiness.changes.slice(0, LISTED_TASKS).map(({title, before, after}) =>
            `- ${inert(title)}: ${before === null ? t('status.checkNew') : checkStatus(before)} → ${checkStatus(after)}`),
        '',
        t('status.waves', {running: waves.running.length, scheduled: waves.scheduled, completed: waves.completed}),
        ...waves.running.map((wave) => `- ${inert(wave.name)}: ${t('status.waveUsers', {processed: wave.processed, total: wave.total})}` +
            (wave.failed > 0 ? `, ${t('status.waveFailed', {failed: wave.failed})}` : '') +
            (wave.state === 'paused' ? `, ${t('status.wavePaused')}` : '') +
            (wave.eta_ms === null ? '' : `, ${t('status.waveLeft', {left: durationText(speaker, wave.eta_ms)})}`)),
        ...section(t('status.adoption'), adoption.targets.map(({target, current, goal, percent, status}) =>
            `- ${inert(target.label || target.metric)}: ${current === null ? t('status.notMeasured') : number(current)}` +
            (goal === null ? '' : ` ${t('status.ofGoal', {goal})}`) +
            ` (${number(percent)} %), ${t('status.due', {day: target.due})}, ${t(`adoption.status.${status}`)}`)),
        ...(summary.proposals.open > 0 ?
            ['', t('status.proposals', {open: summary.proposals.open, pending: summary.proposals.pending_channels})] :
            []),
    ].join('\n');
}
