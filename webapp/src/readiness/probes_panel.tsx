import React, {useId} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import type {ProbeResult, ProbeState} from 'contract/probes';

import {readinessMessages as m} from './messages';

import {AdminPanel} from '../components/admin_panel';
import {DateTime} from '../components/date_time';
import {WriteControls} from '../components/read_only';

const stateChip: Record<ProbeState, string> = {
    passed: 'cockpit-chip--ok',
    warning: 'cockpit-chip--warning',
    failed: 'cockpit-chip--error',
    not_configured: 'cockpit-chip--neutral',
    not_licensed: 'cockpit-chip--neutral',
    unavailable: 'cockpit-chip--neutral',
    forbidden: 'cockpit-chip--warning',
    timeout: 'cockpit-chip--warning',
    unknown: 'cockpit-chip--neutral',
};

/** "SMTP connection probed Dec 5, 2026, 1:20 PM by alice", or "… by the scheduled job". */
export function ProbedLine({title, probedAt, probedBy}: {title: string; probedAt: number; probedBy: string | null}) {
    const time = (
        <DateTime
            key='time'
            value={probedAt}
        />
    );
    return probedBy === null ?
        (
            <FormattedMessage
                {...m.probedByJob}
                values={{probe: title, time}}
            />
        ) :
        (
            <FormattedMessage
                {...m.probedBy}
                values={{probe: title, time, admin: probedBy}}
            />
        );
}

/** The live probes: each one's state, what it found, when and by whom, and the raw requests and answers. */
export function ProbesPanel({probes, busy, onRun}: {probes: ProbeResult[]; busy: boolean; onRun: () => void}) {
    return (
        <AdminPanel
            title={m.probesTitle}
            subtitle={m.probesSubtitle}
        >
            <div className='cockpit-toolbar'>
                <WriteControls>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        disabled={busy}
                        onClick={onRun}
                    >
                        <FormattedMessage {...m.runProbes}/>
                    </button>
                </WriteControls>
            </div>
            {probes.length === 0 && <p className='cockpit-muted'><FormattedMessage {...m.probesNone}/></p>}
            <ul className='cockpit-checks'>
                {probes.map((probe) => (
                    <ProbeItem
                        key={probe.id}
                        probe={probe}
                    />
                ))}
            </ul>
        </AdminPanel>
    );
}

function ProbeItem({probe}: {probe: ProbeResult}) {
    const intl = useIntl();
    const id = useId();
    return (
        <li
            className='cockpit-check cockpit-probe'
            aria-labelledby={`${id}-title`}
            data-probe={probe.id}
        >
            <span className={`cockpit-chip ${stateChip[probe.state]}`}>
                <FormattedMessage {...m[`probe_${probe.state}`]}/>
            </span>
            <div className='cockpit-check__body'>
                <h4 id={`${id}-title`}>{probe.title}</h4>
                <p>{probe.summary}</p>
                <p className='cockpit-muted'>
                    <ProbedLine
                        title={probe.title}
                        probedAt={probe.probed_at}
                        probedBy={probe.probed_by?.username ?? null}
                    />
                </p>
                <details>
                    <summary><FormattedMessage {...m.probeFacts}/></summary>
                    {probe.facts.length > 0 && (
                        <table className='table cockpit-probe__facts'>
                            <caption className='sr-only'>{intl.formatMessage(m.probeFactsCaption, {probe: probe.title})}</caption>
                            <thead>
                                <tr>
                                    <th scope='col'><FormattedMessage {...m.fact}/></th>
                                    <th scope='col'><FormattedMessage {...m.value}/></th>
                                </tr>
                            </thead>
                            <tbody>
                                {probe.facts.map((fact, i) => (
                                    <tr key={`${fact.name}-${i}`}>
                                        <th scope='row'>{fact.name}</th>
                                        <td>{fact.value}</td>
                                    </tr>
                                ))}
                            </tbody>
                        </table>
                    )}
                    {probe.calls.length > 0 && (
                        <>
                            <h5><FormattedMessage {...m.probeCalls}/></h5>
                            <ul className='cockpit-probe__calls'>
                                {probe.calls.map((c, i) => (
                                    <li key={`${c.request}-${i}`}>
                                        <FormattedMessage
                                            {...(c.status === 0 ? m.probeNoAnswer : m.probeCall)}
                                            values={{
                                                request: <code key='request'>{c.request}</code>,
                                                status: c.status,
                                                ms: Math.round(c.duration_ms),
                                            }}
                                        />
                                        {c.answer && <pre className='cockpit-probe__answer'>{c.answer}</pre>}
                                    </li>
                                ))}
                            </ul>
                        </>
                    )}
                </details>
            </div>
        </li>
    );
}
