// The Plan table's styles: compact rows in the System Console's table look, filter chips like the
// console's user list, and the card opened below its row.
export const planTableCss = `
.cockpit-plan-table-wrap { overflow-x: auto; }
.cockpit-plan-table { width: 100%; border-collapse: collapse; font-size: 14px; }
.cockpit-plan-table th, .cockpit-plan-table td {
    padding: 6px 8px; text-align: left; vertical-align: middle;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-plan-table thead th {
    font-size: 12px; font-weight: 600; text-transform: uppercase;
    color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72);
}
.cockpit-plan-table tbody th { font-weight: normal; }
.cockpit-plan-table__title {
    border: 0; background: none; padding: 0; text-align: left; font-weight: 600;
    color: var(--button-bg, #1c58d9); cursor: pointer;
}
.cockpit-plan-table__title:focus-visible { outline: 2px solid var(--button-bg, #1c58d9); outline-offset: 2px; }
.cockpit-plan-table__phase { display: block; font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64); }
.cockpit-plan-table tr.is-open > * { background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.06); }
.cockpit-plan-table select, .cockpit-plan-table input[type=date] { min-width: 120px; height: 32px; padding: 4px 8px; }
.cockpit-plan-table__owner { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.cockpit-plan-table__number { text-align: right; font-variant-numeric: tabular-nums; }
.cockpit-plan-table__detail > td { padding: 8px 16px 16px; }
.cockpit-plan-table__detail .cockpit-task { border-bottom: 0; }
.cockpit-view-toggle { display: inline-flex; gap: 4px; }
.cockpit-filter-bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.cockpit-filter-bar select { width: auto; height: 32px; padding: 4px 8px; }
.cockpit-filter-chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 0; padding: 0; list-style: none; }
.cockpit-filter-chip {
    display: inline-flex; align-items: center; gap: 4px; padding: 2px 4px 2px 10px; border-radius: 12px;
    font-size: 12px; background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-filter-chip button { border: 0; background: none; padding: 0 4px; line-height: 1; cursor: pointer; }
`;
