import React, {useId} from 'react';
import {FormattedMessage, FormattedNumber, useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import type {CheckResult, CheckStatus} from 'contract/readiness';

import {ConfigSnapshotPanel} from './config_snapshot';
import {readinessMessages as m} from './messages';
import {ProbedLine, ProbesPanel} from './probes_panel';
import {useReadiness} from './use_readiness';

import {BundlePanel} from '../bundle/bundle_panel';
import {siteURLFrom, siteURLPath} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {ProgressBar} from '../components/progress_bar';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';
import {LoadTestPanel} from '../loadtest/load_test_panel';
import {usePlan} from '../plan/use_plan';

/** Most urgent first. "needs_license" is not a failure: it sorts with the informational results. */
const severity: Record<CheckStatus, number> = {error: 0, warning: 1, info: 2, needs_license: 3, ok: 4};

/** Chip style per status: needs_license is neutral, never styled as a failure. */
const chipClass: Record<CheckStatus, string> = {
    ok: 'cockpit-chip--ok',
    info: 'cockpit-chip--info',
    warning: 'cockpit-chip--warning',
    error: 'cockpit-chip--error',
    needs_license: 'cockpit-chip--neutral',
};

const needsFix = (r: CheckResult) => r.status === 'error' || r.status === 'warning';

export interface CheckGroup {
    phaseId: string;

    /** The plan's phase title; undefined when the plan has no such phase. */
    title?: string;
    results: CheckResult[];
}

/** Results grouped by phase in the plan's phase order; phases the plan lacks come last. */
export function groupByPhase(results: CheckResult[], phases: Array<{id: string; title: string}>): CheckGroup[] {
    const groups = new Map<string, CheckGroup>();
    for (const p of phases) {
        groups.set(p.id, {phaseId: p.id, title: p.title, results: []});
    }
    for (const r of results) {
        let g = groups.get(r.phase);
        if (!g) {
            g = {phaseId: r.phase, results: []};
            groups.set(r.phase, g);
        }
        g.results.push(r);
    }
    return [...groups.values()].
        filter((g) => g.results.length > 0).
        map((g) => ({...g, results: [...g.results].sort((a, b) => severity[a.status] - severity[b.status])}));
}

/** Only same-site paths (`/admin_console/...`) become links. */
export function consoleHref(siteURL: string | undefined, consolePath: string): string | null {
    return (/^\/[^/\\]/).test(consolePath) ? `${siteURLPath(siteURL)}${consolePath}` : null;
}

/** The Readiness tab: score, checks by phase with deep links into the System Console, config snapshots. */
export function ReadinessTab() {
    const intl = useIntl();
    const readiness = useReadiness('always');
    const plan = usePlan('ifEmpty');
    const siteURL = useSelector(siteURLFrom);
    const {data, loading, error} = readiness.state;
    const phases = plan.state.data?.plan.phases ?? [];

    const results = data?.results ?? [];
    const errors = results.filter((r) => r.status === 'error').length;
    const warnings = results.filter((r) => r.status === 'warning').length;
    const passed = results.filter((r) => r.status === 'ok').length;
    const score = Math.round(data?.score ?? 0);

    return (
        <div
            className='cockpit-readiness'
            aria-busy={loading}
        >
            <div className='cockpit-toolbar'>
                {data && data.checked_at > 0 && (
                    <span className='cockpit-muted'>
                        <FormattedMessage
                            {...m.checkedAt}
                            values={{time: (
                                <DateTime value={data.checked_at}/>
                            )}}
                        />
                    </span>
                )}
                {loading && (
                    <span
                        role='status'
                        className='cockpit-muted'
                    >
                        <FormattedMessage {...(data ? m.running : m.loading)}/>
                    </span>
                )}
                <WriteControls>
                    <button
                        type='button'
                        className='btn btn-primary'
                        disabled={loading}
                        onClick={() => {
                            readiness.run();
                        }}
                    >
                        <FormattedMessage {...m.run}/>
                    </button>
                </WriteControls>
            </div>
            {error && (
                <RequestErrorNotice
                    error={error}
                    onRetry={() => {
                        readiness.load();
                    }}
                    retrying={loading}
                />
            )}
            {data && (
                <>
                    <AdminPanel
                        title={m.scoreTitle}
                        subtitle={m.scoreSubtitle}
                    >
                        <div className='cockpit-score'>
                            <span
                                className='cockpit-score__value'
                                aria-hidden='true'
                            >
                                <FormattedNumber value={score}/>
                            </span>
                            <div className='cockpit-score__bar'>
                                <ProgressBar
                                    large={true}
                                    label={intl.formatMessage(m.scoreLabel)}
                                    percent={score}
                                    text={intl.formatMessage(m.scoreValue, {score})}
                                />
                                <p className='cockpit-muted'>
                                    <FormattedMessage
                                        {...m.summary}
                                        values={{errors, warnings, passed, total: results.length}}
                                    />
                                </p>
                            </div>
                        </div>
                    </AdminPanel>
                    {results.length === 0 && <p className='cockpit-muted'><FormattedMessage {...m.noChecks}/></p>}
                    <ProbesPanel
                        probes={data.probes}
                        busy={loading}
                        onRun={() => {
                            readiness.runProbes();
                        }}
                    />
                    {groupByPhase(results, phases).map((g) => (
                        <CheckGroupPanel
                            key={g.phaseId}
                            group={g}
                            siteURL={siteURL}
                        />
                    ))}
                </>
            )}
            <LoadTestPanel
                client={readiness.client}
                onChanged={() => {
                    readiness.load();
                }}
            />
            <ConfigSnapshotPanel
                client={readiness.client}
                siteURL={siteURL}
            />
            <BundlePanel client={readiness.client}/>
        </div>
    );
}

function CheckGroupPanel({group, siteURL}: {group: CheckGroup; siteURL?: string}) {
    const intl = useIntl();
    const id = useId();
    const title = group.title ?? intl.formatMessage(m.otherPhase, {phase: group.phaseId});
    return (
        <section
            className='AdminPanel clearfix cockpit-panel'
            aria-labelledby={`${id}-title`}
        >
            <div className='header'>
                <h3 id={`${id}-title`}>{title}</h3>
                <div className='cockpit-muted'>
                    <FormattedMessage
                        {...m.groupSummary}
                        values={{count: group.results.filter(needsFix).length}}
                    />
                </div>
            </div>
            <div className='AdminPanel__content cockpit-panel__content'>
                <ul className='cockpit-checks'>
                    {group.results.map((r) => {
                        const href = consoleHref(siteURL, r.console_path);
                        return (
                            <li
                                key={r.id}
                                className='cockpit-check'
                                aria-labelledby={`${id}-${r.id}`}
                            >
                                <span className={`cockpit-chip ${chipClass[r.status]}`}>
                                    <FormattedMessage {...m[r.status]}/>
                                </span>
                                <div className='cockpit-check__body'>
                                    <h4 id={`${id}-${r.id}`}>{r.title}</h4>
                                    <p>{r.explanation}</p>
                                    <VerificationBadge result={r}/>
                                    {href && (
                                        <a
                                            href={href}
                                            aria-label={intl.formatMessage(m.openConsoleLabel, {title: r.title})}
                                        >
                                            <FormattedMessage {...m.openConsole}/>
                                        </a>
                                    )}
                                </div>
                            </li>
                        );
                    })}
                </ul>
            </div>
        </section>
    );
}

const BASIS = {
    probe: {className: 'cockpit-basis--probe', label: m.verifiedByProbe, title: m.verifiedByProbeTitle},
    evidence: {className: 'cockpit-basis--evidence', label: m.verifiedByEvidence, title: m.verifiedByEvidenceTitle},
    configured: {className: 'cockpit-basis--configured', label: m.configuredOnly, title: m.configuredOnlyTitle},
} as const;

/** What a check's status rests on: a live probe's answer, an uploaded measurement, or the settings alone. */
function VerificationBadge({result}: {result: CheckResult}) {
    const intl = useIntl();
    if (result.status === 'needs_license') {
        return null;
    }
    const basis = BASIS[result.verification];
    return (
        <p className='cockpit-check__basis'>
            <span
                className={`cockpit-chip ${basis.className}`}
                title={intl.formatMessage(basis.title)}
            >
                <FormattedMessage {...basis.label}/>
            </span>
            {result.probe && (
                <span className='cockpit-muted'>
                    <ProbedLine
                        title={result.probe.id}
                        probedAt={result.probe.probed_at}
                        probedBy={result.probe.probed_by}
                    />
                </span>
            )}
        </p>
    );
}
