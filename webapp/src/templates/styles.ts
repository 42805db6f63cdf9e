// Templates-only rules, scoped under .cockpit-templates (the tab) and .cockpit-review (the team admin's
// panel). Colours come from the Mattermost theme variables, with the default theme as fallback.
export const templatesCss = `
.cockpit-templates__text { white-space: pre-wrap; overflow-wrap: anywhere; }
.cockpit-templates .sr-only, .cockpit-review .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
    clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
.cockpit-templates__actions { white-space: nowrap; }
.cockpit-templates__counts { display: flex; flex-direction: column; gap: 4px; min-width: 220px; }
.cockpit-templates__chips { list-style: none; margin: 0; padding: 0; }
.cockpit-templates__diff { table-layout: fixed; }
.cockpit-templates__diff thead th:nth-child(1) { width: 26%; }
.cockpit-templates__diff thead th:nth-child(2), .cockpit-templates__diff thead th:nth-child(3) { width: 31%; }
.cockpit-templates__diff thead th:nth-child(4) { width: 12%; }
.cockpit-templates__diff th[scope="row"] { font-weight: 600; }
th .cockpit-muted { font-weight: normal; }
.cockpit-templates__diff-row--changed { background: rgba(var(--away-indicator-rgb, 255, 188, 31), 0.12); }
.cockpit-templates__old { text-decoration: line-through; text-decoration-color: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.6); }
.cockpit-templates__new { font-weight: 600; }
.cockpit-templates__rules select.form-control { max-width: 180px; }
.cockpit-templates__editor, .cockpit-templates__propose { max-width: 880px; }
.cockpit-templates__editor h4 { margin: 16px 0 8px; font-size: 16px; font-weight: 600; }
.cockpit-templates__picker, .cockpit-templates__teams, .cockpit-templates__target {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); border-radius: 4px; padding: 8px 16px 12px; margin: 4px 0;
}
.cockpit-templates__picker legend, .cockpit-templates__teams legend, .cockpit-templates__target legend {
    font-size: 12px; font-weight: 600; width: auto; border: 0; padding: 0 4px; margin: 0;
}
.cockpit-templates__problems { list-style: none; margin: 4px 0; padding: 0; }
.cockpit-templates__channel-select { max-width: 520px; }
.cockpit-templates__preview {
    border-left: 3px solid var(--button-bg, #1c58d9); padding: 4px 12px; margin: 8px 0;
    background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.04);
}
.cockpit-templates__preview p { margin: 2px 0 6px; }
.cockpit-templates__team { margin: 16px 0 24px; }
.cockpit-check-row { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
.cockpit-check-row label { margin: 0; font-weight: normal; }
.cockpit-review { height: 100%; max-height: 100vh; overflow-y: auto; padding: 24px 32px; background: var(--center-channel-bg, #fff); }
.cockpit-review h2 { font-size: 20px; font-weight: 600; margin: 0 0 4px; }
.cockpit-review__back { display: inline-block; margin: 0 0 12px; }
.cockpit-review__bar { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-end; margin: 16px 0; }
.cockpit-review__proposal {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); border-radius: 4px; padding: 16px 20px;
    margin: 0 0 16px;
}
.cockpit-review__proposal h3 { font-size: 16px; font-weight: 600; margin: 0 0 4px; }
.cockpit-review__channel { border-top: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12); padding: 16px 0 8px; }
.cockpit-review__channel-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.cockpit-review__channel-head h4 { margin: 0; font-size: 14px; font-weight: 600; }
.cockpit-review__decide { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin: 8px 0 0; }
.cockpit-review__decide .cockpit-field { flex: 1 1 320px; }
.cockpit-notice--ok {
    border: 1px solid rgba(var(--online-indicator-rgb, 6, 214, 160), 0.5);
    background: rgba(var(--online-indicator-rgb, 6, 214, 160), 0.08);
}
`;
