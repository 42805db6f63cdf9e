import React, {type ReactNode} from 'react';
import {FormattedMessage, useIntl, type MessageDescriptor} from 'react-intl';

import type {RolloutSummary, SummaryTask} from 'contract/rollout';

import {summaryMessages as m} from './messages';

import {adoptionMessages} from '../adoption/messages';
import {useGoToTab} from '../cockpit/navigation';
import type {CapabilityId} from '../cockpit/types';
import {AdminPanel} from '../components/admin_panel';
import {ProgressBar} from '../components/progress_bar';
import {planMessages} from '../plan/messages';
import {readinessMessages} from '../readiness/messages';
import {templatesMessages} from '../templates/messages';
import {wavesMessages} from '../waves/messages';

// The roll-out at a glance: the numbers of the status post (GET /api/v1/rollout/summary, one builder
// on the server for both), each section with a link to the tab where the work is done.

const tabTitles: Partial<Record<CapabilityId, MessageDescriptor>> = {
    plan: planMessages.tab,
    readiness: readinessMessages.tab,
    waves: wavesMessages.tab,
    adoption: adoptionMessages.tab,
    templates: templatesMessages.tab,
};

function TabLink({tab}: {tab: CapabilityId}) {
    const intl = useIntl();
    const goToTab = useGoToTab();
    return (
        <p>
            <button
                type='button'
                className='btn btn-link cockpit-link-button'
                onClick={() => goToTab(tab)}
            >
                <FormattedMessage
                    {...m.open}
                    values={{tab: intl.formatMessage(tabTitles[tab]!)}}
                />
            </button>
        </p>
    );
}

interface SectionProps {
    title: MessageDescriptor;
    subtitle?: MessageDescriptor;
    tab: CapabilityId;
    children: ReactNode;
}

function Section({title, subtitle, tab, children}: SectionProps) {
    return (
        <AdminPanel
            title={title}
            subtitle={subtitle}
        >
            {children}
            <TabLink tab={tab}/>
        </AdminPanel>
    );
}

function TaskTable({caption, tasks}: {caption: string; tasks: SummaryTask[]}) {
    const intl = useIntl();
    if (tasks.length === 0) {
        return null;
    }
    return (
        <table className='table cockpit-table'>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope='col'><FormattedMessage {...m.task}/></th>
                    <th scope='col'><FormattedMessage {...m.phase}/></th>
                    <th scope='col'><FormattedMessage {...m.due}/></th>
                    <th scope='col'><FormattedMessage {...m.owner}/></th>
                </tr>
            </thead>
            <tbody>
                {tasks.map((task) => (
                    <tr key={task.id}>
                        <td>{task.title}</td>
                        <td>{task.phase_title}</td>
                        <td>{task.due_date ?? ''}</td>
                        <td>{task.owner_username ? `@${task.owner_username}` : intl.formatMessage(m.noOwner)}</td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

function signed(delta: number): string {
    return delta > 0 ? `+${delta}` : String(delta);
}

export function SummaryPanels({summary}: {summary: RolloutSummary}) {
    const intl = useIntl();
    const {plan, readiness, waves, adoption, proposals} = summary;
    const nothingDue = summary.overdue.length === 0 && summary.due_this_week.length === 0 && summary.blocked.length === 0;
    return (
        <>
            <Section
                title={m.planTitle}
                subtitle={m.planSubtitle}
                tab='plan'
            >
                <ProgressBar
                    large={true}
                    label={plan.title}
                    percent={plan.percent}
                    text={intl.formatMessage(m.planOverall, {title: plan.title, percent: plan.percent})}
                />
                {plan.phases.map((phase) => (
                    <ProgressBar
                        key={phase.id}
                        label={phase.title}
                        percent={phase.percent}
                        text={`${phase.title}: ${intl.formatMessage(m.phaseText, phase)}`}
                    />
                ))}
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.completedSince}
                        values={{count: summary.completed_since_last.length}}
                    />
                </p>
            </Section>

            <Section
                title={m.weekTitle}
                subtitle={m.weekSubtitle}
                tab='plan'
            >
                {nothingDue && <p><FormattedMessage {...m.nothingDue}/></p>}
                <TaskTable
                    caption={intl.formatMessage(m.overdue, {count: summary.overdue.length})}
                    tasks={summary.overdue}
                />
                <TaskTable
                    caption={intl.formatMessage(m.dueThisWeek, {count: summary.due_this_week.length})}
                    tasks={summary.due_this_week}
                />
                <TaskTable
                    caption={intl.formatMessage(m.blocked, {count: summary.blocked.length})}
                    tasks={summary.blocked}
                />
            </Section>

            <Section
                title={m.readinessTitle}
                subtitle={m.readinessSubtitle}
                tab='readiness'
            >
                <dl className='cockpit-facts'>
                    <div className='cockpit-facts__row'>
                        <dt><FormattedMessage {...m.score}/></dt>
                        <dd>
                            <FormattedMessage
                                {...m.scoreValue}
                                values={{score: readiness.score}}
                            />
                        </dd>
                    </div>
                    <div className='cockpit-facts__row'>
                        <dt><FormattedMessage {...m.scoreChange}/></dt>
                        <dd>
                            {readiness.previous_score === null ?
                                <FormattedMessage {...m.noUpdateYet}/> :
                                signed(readiness.score - readiness.previous_score)}
                        </dd>
                    </div>
                </dl>
                {readiness.changes.length > 0 && (
                    <ul>
                        {readiness.changes.map((change) => (
                            <li key={change.id}>
                                <FormattedMessage
                                    {...m.checkChange}
                                    values={{
                                        title: change.title,
                                        before: intl.formatMessage(change.before ? readinessMessages[change.before] : m.checkNew),
                                        after: intl.formatMessage(readinessMessages[change.after]),
                                    }}
                                />
                            </li>
                        ))}
                    </ul>
                )}
            </Section>

            <Section
                title={m.wavesTitle}
                subtitle={m.wavesSubtitle}
                tab='waves'
            >
                <p>
                    <FormattedMessage
                        {...m.wavesCounts}
                        values={{running: waves.running.length, scheduled: waves.scheduled, completed: waves.completed}}
                    />
                </p>
                {waves.running.map((wave) => {
                    const parts = [intl.formatMessage(m.waveText, {processed: wave.processed, total: wave.total})];
                    if (wave.state === 'paused') {
                        parts.push(intl.formatMessage(m.wavePaused));
                    }
                    if (wave.eta_ms !== null) {
                        parts.push(intl.formatMessage(m.waveEta, {minutes: Math.max(1, Math.round(wave.eta_ms / 60_000))}));
                    }
                    return (
                        <ProgressBar
                            key={wave.id}
                            label={wave.name}
                            percent={wave.total === 0 ? 0 : (wave.processed / wave.total) * 100}
                            text={`${wave.name}: ${parts.join(', ')}`}
                        />
                    );
                })}
            </Section>

            <Section
                title={m.adoptionTitle}
                subtitle={m.adoptionSubtitle}
                tab='adoption'
            >
                {adoption.targets.length === 0 && <p><FormattedMessage {...m.noTargets}/></p>}
                {adoption.targets.map(({target, current, goal, percent, status}) => (
                    <ProgressBar
                        key={target.id}
                        label={target.label || target.metric}
                        percent={percent}
                        text={`${target.label || target.metric}: ${current === null ?
                            intl.formatMessage(m.notMeasured) :
                            intl.formatMessage(m.targetText, {current, goal: goal ?? '?', due: target.due})} · ${
                            intl.formatMessage(adoptionMessages[`status_${status}`])}`}
                    />
                ))}
            </Section>

            <Section
                title={m.proposalsTitle}
                tab='templates'
            >
                <p>
                    <FormattedMessage
                        {...m.proposalsText}
                        values={{open: proposals.open, pending: proposals.pending_channels}}
                    />
                </p>
            </Section>
        </>
    );
}
