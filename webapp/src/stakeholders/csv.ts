import {toCsv} from 'contract/csv';
import type {StakeholderStatus} from 'contract/stakeholders';

// The status page's tables as one CSV, built in the browser from the answer the page shows (so it holds
// exactly what the page holds: counts only, and wave and phase names). Long format, one value a row:
// section, item, measure, value. Written by the server's CSV writer (contract/csv.ts): a cell a
// spreadsheet would run as a formula gets a leading single quote.

export const statusCsvHeader = ['section', 'item', 'measure', 'value'];

type Row = [section: string, item: string, measure: string, value: string | number | boolean | null];

export function statusCsvRows(status: StakeholderStatus): Row[] {
    const rows: Row[] = [];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    rows.push(['status', '', 'generated_at', iso(status.generated_at)]);
    rows.push(['plan', status.plan.title, 'percent', status.plan.percent]);
    for (const phase of status.plan.phases) {
        rows.push(
            ['phase', phase.title, 'required', phase.required],
            ['phase', phase.title, 'completed', phase.completed],
            ['phase', phase.title, 'percent', phase.percent],
        );
    }
    for (const wave of status.waves) {
        rows.push(['wave', wave.name, 'state', wave.state]);
        for (const field of ['start_at', 'started_at', 'finished_at'] as const) {
            rows.push(['wave', wave.name, field, iso(wave[field])]);
        }
        for (const field of ['total', 'processed', 'added', 'already_member', 'skipped', 'failed', 'welcomed'] as const) {
            rows.push(['wave', wave.name, field, wave[field]]);
        }
    }
    const {adoption} = status;
    rows.push(['adoption', '', 'measured_at', iso(adoption.measured_at)]);
    for (const [metric, value] of Object.entries(adoption.numbers ?? {})) {
        rows.push(['adoption', '', metric, value]);
    }
    for (const target of adoption.targets) {
        const item =
            target.label ||
            `${target.metric} ${target.kind === 'percent' ? `${target.threshold} % of ${target.base}` : target.threshold} by ${target.due}`;
        for (const field of ['metric', 'kind', 'threshold', 'base', 'due', 'current', 'goal', 'percent', 'status'] as const) {
            rows.push(['target', item, field, target[field]]);
        }
    }
    for (const day of adoption.daily) {
        rows.push(
            ['day', day.day, 'daily_active', day.daily_active],
            ['day', day.day, 'weekly_active', day.weekly_active],
            ['day', day.day, 'monthly_active', day.monthly_active],
        );
    }
    return rows;
}

export function statusCsv(status: StakeholderStatus): string {
    const text = (value: Row[3]) => (value === null ? '' : String(value));
    return toCsv(statusCsvHeader, statusCsvRows(status).map((row) => [row[0], row[1], row[2], text(row[3])]));
}
