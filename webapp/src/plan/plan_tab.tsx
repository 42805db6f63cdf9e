import React, {useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {phaseProgress, type Phase, type PhaseProgress, type Task} from 'contract/plan';
import {taskEvidenceStatus, taskVerification, type TaskChanges} from 'contract/plan_api';

import {FieldConflictNotice} from './field_conflict_notice';
import {ImportPlan} from './import_plan';
import {planMessages as m} from './messages';
import {isOverdue, matchesFilter, movePhase, moveTask, newPhase, newTask, TaskFilters, type Order, type TaskFilter} from './model';
import {PhaseSection} from './phase_section';
import {TableFilterBar} from './table_filter_bar';
import {filterRows, matchesTableFilters, noTableFilters, ownerChoices, tableRows, type TableFilters} from './table_filters';
import {taskAnchor, TaskItem} from './task_item';
import {TaskTable, type OpenTask} from './task_table';
import {usePlan, usePlanWrites} from './use_plan';
import {usePlanView, type PlanView} from './view_mode';

import {toRequestError, type RequestError} from '../client';
import {CockpitForm} from '../components/cockpit_form';
import {ConflictNotice} from '../components/conflict_notice';
import {DateTime} from '../components/date_time';
import {localDate, utcDate} from '../components/dates';
import {fileSlug, saveTextFile} from '../components/files';
import {ProgressBar} from '../components/progress_bar';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice, RequestErrorText} from '../components/request_error';
import {useReadiness} from '../readiness/use_readiness';
import {RolloutPlanPanels} from '../rollout/plan_panels';
import {SizingPanel} from '../sizing/sizing_panel';

const filterLabels = {all: m.filterAll, mine: m.filterMine, overdue: m.filterOverdue, blocked: m.filterBlocked} as const;
const viewLabels = {cards: m.viewCards, table: m.viewTable} as const;

type HostState = {entities?: {users?: {currentUserId?: string}}};

/** The Plan tab: the roll-out plan with progress, inline editing, filters, import/export and sizing. */
export function PlanTab() {
    const intl = useIntl();
    const plan = usePlan('always');
    const readiness = useReadiness('ifEmpty');
    const writes = usePlanWrites(plan);
    const currentUserId = useSelector((s: HostState) => s?.entities?.users?.currentUserId);
    const {data, loading, error} = plan.state;
    const [filter, setFilter] = useState<TaskFilter>('all');
    const [tableFilters, setTableFilters] = useState<TableFilters>(noTableFilters);
    const [openTask, setOpenTask] = useState<OpenTask | null>(null);
    const taskCount = data?.plan.phases.reduce((n, p) => n + p.tasks.length, 0) ?? 0;
    const [view, setView] = usePlanView(currentUserId, taskCount);
    const [exportError, setExportError] = useState<RequestError | null>(null);
    const today = localDate();
    const utcToday = utcDate();

    const onExport = async () => {
        try {
            const text = await plan.client.exportPlan();
            saveTextFile(text, `${fileSlug(data?.plan.title ?? '', 'plan')}-${localDate()}.json`);
            setExportError(null);
        } catch (err) {
            setExportError(toRequestError(err));
        }
    };

    const goToTask = (taskId: string) => {
        setFilter('all');
        setTableFilters(noTableFilters);
        setOpenTask({taskId, skip: false});
        setTimeout(() => {
            const el = document.getElementById(taskAnchor(taskId));
            el?.scrollIntoView?.({behavior: 'smooth', block: 'center'});
            el?.focus();
        }, 0);
    };

    if (!data) {
        return (
            <div
                className='cockpit-plan'
                aria-busy={loading}
            >
                {loading && (
                    <div
                        role='status'
                        className='cockpit-muted'
                    >
                        <FormattedMessage {...m.loading}/>
                    </div>
                )}
                {error && (
                    <RequestErrorNotice
                        error={error}
                        onRetry={() => {
                            plan.load();
                        }}
                        retrying={loading}
                    />
                )}
            </div>
        );
    }

    const content = data.plan;
    const results = readiness.state.data?.results ?? [];
    const progressOf = (phase: Phase): PhaseProgress =>
        data.progress.phases.find((p) => p.phase_id === phase.id) ?? phaseProgress(phase);
    const required = content.phases.reduce((n, p) => n + progressOf(p).required, 0);
    const completed = content.phases.reduce((n, p) => n + progressOf(p).completed, 0);
    const allTasks = content.phases.flatMap((p) => p.tasks);
    const count = (f: TaskFilter) => allTasks.filter((t) => matchesFilter(t, f, currentUserId, today)).length;
    const loadTestTask = allTasks.find((t) => t.id === 'pilot.load-test') ?? allTasks.find((t) => t.id.includes('load-test'));
    const reorder = (order: Order) => writes.write((c, v) => c.reorderPlan(v, order.phaseOrder, order.taskOrder));
    const updateTask = (taskId: string, changes: TaskChanges) => writes.write((c, v) => c.updateTask(taskId, v, changes));

    // One task's card: in its phase among the cards, and as the table's detail view.
    const taskCard = (task: Task, phase: Phase, startSkipping = false) => {
        const index = phase.tasks.indexOf(task);
        return (
            <TaskItem
                key={`${task.id}-${startSkipping}`}
                task={task}
                verification={taskVerification(task, results, taskEvidenceStatus(task, results, utcToday))}
                evidence={taskEvidenceStatus(task, results, utcToday)}
                acceptEvidence={(evidenceIndex) => writes.write((c, v) => c.acceptEvidence(task.id, v, evidenceIndex))}
                overdue={isOverdue(task, today)}
                isFirst={index === 0}
                isLast={index === phase.tasks.length - 1}
                update={(changes) => updateTask(task.id, changes)}
                move={(delta) => reorder(moveTask(content, phase.id, task.id, delta))}
                remove={() => writes.write((c, v) => c.deleteTask(task.id, v))}
                startSkipping={startSkipping}
            />
        );
    };
    const rows = tableRows(content);
    const shownRows = filterRows(rows, tableFilters, currentUserId, today);
    const countAlone = (key: 'mine' | 'overdue' | 'blocked') =>
        rows.filter((r) => matchesTableFilters(r, {...noTableFilters, [key]: true}, currentUserId, today)).length;

    return (
        <div
            className='cockpit-plan'
            aria-busy={loading || writes.saving}
        >
            <div className='cockpit-toolbar'>
                <span className='cockpit-muted'>
                    {writes.saving ? <FormattedMessage {...m.saving}/> : (
                        <FormattedMessage
                            {...m.version}
                            values={{
                                version: content.version,
                                time: (
                                    <DateTime value={content.updated_at}/>
                                ),
                            }}
                        />
                    )}
                </span>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    disabled={loading}
                    onClick={() => {
                        writes.reload();
                    }}
                >
                    <FormattedMessage {...m.reload}/>
                </button>
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => {
                        onExport();
                    }}
                >
                    <FormattedMessage {...m.exportPlan}/>
                </button>
                <WriteControls>
                    <ImportPlan
                        client={plan.client}
                        writes={writes}
                    />
                </WriteControls>
            </div>

            {writes.conflict && (
                <ConflictNotice
                    title={m.conflictTitle}
                    body={m.conflictBody}
                    reload={m.reload}
                    disabled={loading}
                    onReload={() => {
                        writes.reload();
                    }}
                />
            )}
            {writes.fieldConflict && (
                <FieldConflictNotice
                    conflict={writes.fieldConflict}
                    taskTitle={allTasks.find((t) => t.id === writes.fieldConflict?.task_id)?.title ?? writes.fieldConflict.task_id}
                    disabled={loading || writes.saving}
                    onKeepTheirs={() => {
                        writes.keepTheirs();
                    }}
                    onOverwrite={() => {
                        writes.overwrite();
                    }}
                />
            )}
            {writes.error && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <p>
                        <FormattedMessage
                            {...m.saveError}
                            values={{status: writes.error.status, message: <RequestErrorText error={writes.error}/>}}
                        />
                    </p>
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={writes.dismissError}
                    >
                        <FormattedMessage {...m.dismiss}/>
                    </button>
                </div>
            )}
            {exportError && (
                <div
                    role='alert'
                    className='cockpit-notice cockpit-notice--error'
                >
                    <p>
                        <FormattedMessage
                            {...m.exportError}
                            values={{message: <RequestErrorText error={exportError}/>}}
                        />
                    </p>
                </div>
            )}
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={() => {
                        writes.reload();
                    }}
                    retrying={loading}
                />
            )}

            <section
                className='AdminPanel clearfix cockpit-panel'
                aria-label={intl.formatMessage(m.overallTitle)}
            >
                <div className='header'>
                    <h3>{content.title}</h3>
                    <ProgressBar
                        large={true}
                        label={intl.formatMessage(m.overallLabel)}
                        percent={data.progress.percent}
                        text={intl.formatMessage(m.progressText, {completed, required, percent: data.progress.percent})}
                    />
                </div>
                <div className='AdminPanel__content cockpit-panel__content'>
                    <div
                        role='group'
                        aria-label={intl.formatMessage(m.viewLabel)}
                        className='cockpit-view-toggle'
                    >
                        {(['cards', 'table'] as PlanView[]).map((v) => (
                            <button
                                key={v}
                                type='button'
                                className={`btn btn-sm ${view === v ? 'btn-primary' : 'btn-tertiary'}`}
                                aria-pressed={view === v}
                                onClick={() => setView(v)}
                            >
                                {intl.formatMessage(viewLabels[v])}
                            </button>
                        ))}
                    </div>
                    {view === 'table' ? (
                        <TableFilterBar
                            filters={tableFilters}
                            onChange={setTableFilters}
                            counts={{mine: countAlone('mine'), overdue: countAlone('overdue'), blocked: countAlone('blocked')}}
                            owners={ownerChoices(rows)}
                            phases={content.phases}
                            shown={shownRows.length}
                            total={rows.length}
                        />
                    ) : (
                        <div
                            role='group'
                            aria-label={intl.formatMessage(m.filterLabel)}
                            className='cockpit-filters'
                        >
                            {TaskFilters.map((f) => (
                                <button
                                    key={f}
                                    type='button'
                                    className={`btn btn-sm ${filter === f ? 'btn-primary' : 'btn-tertiary'}`}
                                    aria-pressed={filter === f}
                                    onClick={() => setFilter(f)}
                                >
                                    {f === 'all' ?
                                        intl.formatMessage(filterLabels[f]) :
                                        intl.formatMessage(m.filterCount, {
                                            label: intl.formatMessage(filterLabels[f]),
                                            count: count(f),
                                        })}
                                </button>
                            ))}
                        </div>
                    )}
                </div>
            </section>

            {view === 'table' && (
                <section
                    className='AdminPanel clearfix cockpit-panel'
                    aria-label={intl.formatMessage(m.tableTitle)}
                >
                    <div className='AdminPanel__content cockpit-panel__content'>
                        {shownRows.length === 0 ? (
                            <p className='cockpit-muted'><FormattedMessage {...m.noMatch}/></p>
                        ) : (
                            <TaskTable
                                rows={shownRows}
                                results={results}
                                today={today}
                                utcToday={utcToday}
                                update={updateTask}
                                card={(row, skip) => {
                                    const phase = content.phases.find((p) => p.id === row.phaseId);
                                    return phase ? taskCard(row.task, phase, skip) : null;
                                }}
                                open={openTask}
                                setOpen={setOpenTask}
                            />
                        )}
                    </div>
                </section>
            )}

            {view === 'cards' && filter !== 'all' && count(filter) === 0 && (
                <p
                    role='status'
                    className='cockpit-muted'
                >
                    <FormattedMessage {...m.noMatch}/>
                </p>
            )}

            {view === 'cards' && content.phases.map((phase, phaseIndex) => {
                const visible = phase.tasks.filter((t) => matchesFilter(t, filter, currentUserId, today));
                if (filter !== 'all' && visible.length === 0) {
                    return null;
                }
                return (
                    <PhaseSection
                        key={phase.id}
                        phase={phase}
                        progress={progressOf(phase)}
                        isFirst={phaseIndex === 0}
                        isLast={phaseIndex === content.phases.length - 1}
                        hasVisibleTasks={visible.length > 0}
                        filtered={filter !== 'all'}
                        rename={(changes) => writes.write((c, v) => c.updatePhase(phase.id, v, changes))}
                        move={(delta) => reorder(movePhase(content, phase.id, delta))}
                        remove={() => writes.write((c, v) => c.deletePhase(phase.id, v))}
                        addTask={(title) => writes.write((c, v) => c.addTask(phase.id, v, newTask(content, phase, title)))}
                    >
                        {visible.map((task) => taskCard(task, phase))}
                    </PhaseSection>
                );
            })}

            {view === 'cards' && filter === 'all' && (
                <AddPhase add={(title) => writes.write((c, v) => c.addPhase(v, newPhase(content, title)))}/>
            )}

            <SizingPanel
                client={plan.client}
                loadTestTaskId={loadTestTask?.id}
                onGoToTask={goToTask}
            />
            <RolloutPlanPanels plan={content}/>
        </div>
    );
}

function AddPhase({add}: {add: (title: string) => Promise<boolean>}) {
    const intl = useIntl();
    const [title, setTitle] = useState('');
    return (
        <section
            className='AdminPanel clearfix cockpit-panel'
            aria-label={intl.formatMessage(m.addPhaseTitle)}
        >
            <div className='AdminPanel__content cockpit-panel__content'>
                <WriteControls>
                    <CockpitForm
                        className='cockpit-inline-form'
                        noValidate={true}
                        onSubmit={async () => {
                            if (title.trim() && await add(title.trim())) {
                                setTitle('');
                            }
                        }}
                    >
                        <input
                            className='form-control'
                            aria-label={intl.formatMessage(m.newPhaseTitle)}
                            placeholder={intl.formatMessage(m.newPhaseTitle)}
                            maxLength={200}
                            value={title}
                            onChange={(e) => setTitle(e.target.value)}
                        />
                        <button
                            type='submit'
                            className='btn btn-tertiary'
                            disabled={!title.trim()}
                        >
                            <FormattedMessage {...m.addPhase}/>
                        </button>
                    </CockpitForm>
                </WriteControls>
            </div>
        </section>
    );
}
