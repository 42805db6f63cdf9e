// Cockpit-only rules, scoped under .cockpit. Colours come from the Mattermost theme variables so the
// cockpit follows the admin's theme; the fallbacks are the default (Denim) theme.
export const cockpitCss = `
.cockpit { color: var(--center-channel-color, #3f4350); }
.cockpit-tabs {
    display: flex; flex-wrap: wrap; gap: 4px; margin: 0 0 16px;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12);
}
.cockpit-tab {
    appearance: none; background: none; border: 0; border-bottom: 2px solid transparent;
    padding: 8px 12px; margin-bottom: -1px; font-size: 14px; font-weight: 600; cursor: pointer;
    color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72);
}
.cockpit-tab:hover { color: var(--center-channel-color, #3f4350); }
.cockpit-tab[aria-selected="true"] { color: var(--button-bg, #1c58d9); border-bottom-color: var(--button-bg, #1c58d9); }
.cockpit-tab:focus-visible { outline: 2px solid var(--button-bg, #1c58d9); outline-offset: -2px; }
/* A disabled fieldset disables the write controls inside it; display: contents keeps it out of the layout. */
.cockpit-write-controls { display: contents; border: 0; margin: 0; padding: 0; min-width: 0; }
.cockpit-crash__message { overflow-wrap: anywhere; }
.cockpit-toolbar { display: flex; align-items: center; justify-content: flex-end; gap: 12px; margin-bottom: 16px; }
.cockpit-muted { color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64); }
.cockpit-panel { margin-bottom: 24px; }
.cockpit-panel__content { padding: 16px 32px 24px; }
.cockpit-facts { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; margin: 0; }
.cockpit-facts__row { display: contents; }
.cockpit-facts dt { font-weight: 600; }
.cockpit-facts dd { margin: 0; overflow-wrap: anywhere; }
.cockpit-notice { padding: 12px 16px; border-radius: 4px; margin: 0 0 16px; }
.cockpit-notice p { margin: 4px 0 12px; }
.cockpit-notice--error {
    border: 1px solid rgba(var(--error-text-color-rgb, 210, 75, 78), 0.4);
    background: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.08);
}
.cockpit-notice--info {
    margin: 16px 0 0;
    border: 1px solid rgba(var(--button-bg-rgb, 28, 88, 217), 0.32);
    background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.08);
}
.cockpit-notice--warning {
    border: 1px solid rgba(var(--away-indicator-rgb, 255, 188, 31), 0.6);
    background: rgba(var(--away-indicator-rgb, 255, 188, 31), 0.12);
}
.cockpit-toolbar--start { justify-content: flex-start; flex-wrap: wrap; }
.cockpit-toolbar { flex-wrap: wrap; }
.cockpit-progress { display: flex; align-items: center; gap: 12px; margin: 8px 0 0; }
.cockpit-progress__track {
    flex: 1 1 auto; height: 8px; min-width: 120px; border-radius: 4px; overflow: hidden;
    background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12);
}
.cockpit-progress--large .cockpit-progress__track { height: 12px; border-radius: 6px; }
.cockpit-progress__fill { height: 100%; background: var(--button-bg, #1c58d9); transition: width 0.2s ease; }
.cockpit-progress__fill--done { background: var(--online-indicator, #06d6a0); }
.cockpit-progress__text { flex: 0 0 auto; font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); }
.cockpit-chip {
    display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 600;
    line-height: 18px; white-space: nowrap; border: 1px solid transparent;
}
.cockpit-chip--ok { color: var(--online-indicator, #06d6a0); background: rgba(var(--online-indicator-rgb, 6, 214, 160), 0.12); }
.cockpit-chip--info { color: var(--button-bg, #1c58d9); background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.08); }
.cockpit-chip--warning { color: #8f6a00; background: rgba(var(--away-indicator-rgb, 255, 188, 31), 0.2); }
.cockpit-chip--error { color: var(--error-text, #d24b4e); background: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.1); }
.cockpit-chip--neutral {
    color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72);
    background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
    border-color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16);
}
.cockpit-badges { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.cockpit-filters { display: flex; flex-wrap: wrap; gap: 8px; }
.cockpit-phase__heading { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
.cockpit-phase__header { display: block; }
.cockpit-phase__description, .cockpit-task__description { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 8px; }
.cockpit-tasks, .cockpit-checks, .cockpit-evidence { list-style: none; margin: 0; padding: 0; }
.cockpit-task { padding: 16px 0; border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08); }
.cockpit-task:last-child { border-bottom: 0; }
.cockpit-task:focus { outline: 2px solid var(--button-bg, #1c58d9); outline-offset: 2px; }
.cockpit-task__head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.cockpit-task__title { margin: 0; font-size: 14px; font-weight: 600; flex: 0 1 auto; overflow-wrap: anywhere; }
.cockpit-task--done .cockpit-task__title { color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64); }
.cockpit-task__actions { margin-left: auto; display: inline-flex; gap: 4px; flex-wrap: wrap; }
.cockpit-task__fields { display: flex; flex-wrap: wrap; gap: 12px 24px; margin: 8px 0; }
.cockpit-field { display: flex; flex-direction: column; gap: 4px; min-width: 180px; }
.cockpit-field label, .cockpit-field__label, .cockpit-form label, .cockpit-skip label, .cockpit-task__details label {
    font-weight: 600; font-size: 12px;
}
.cockpit-task__subhead { font-size: 12px; font-weight: 600; margin: 12px 0 4px; }
.cockpit-task__details, .cockpit-skip, .cockpit-form { display: flex; flex-direction: column; gap: 6px; margin: 8px 0; max-width: 720px; }
.cockpit-form__buttons, .cockpit-inline-form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.cockpit-inline-form .form-control { max-width: 420px; }
.cockpit-confirm p { margin: 0 0 8px; }
.cockpit-confirm .btn { margin-right: 8px; }
.cockpit-warning { color: #8f6a00; margin: 0; }
.cockpit-error-text { color: var(--error-text, #d24b4e); margin: 4px 0 0; }
.cockpit-owner { display: flex; flex-direction: column; gap: 4px; }
.cockpit-owner__current { display: flex; align-items: center; gap: 4px; min-height: 24px; }
.cockpit-picker { max-width: 560px; margin: 4px 0 8px; }
.cockpit-picker .form-control { width: 100%; }
.cockpit-picker__options, .cockpit-picker__chosen { list-style: none; margin: 4px 0 0; padding: 0; max-width: 720px; }
.cockpit-picker__options {
    max-height: 200px; overflow-y: auto; border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12);
    border-radius: 4px;
}
.cockpit-picker__options li, .cockpit-picker__chosen li {
    display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 4px 8px;
}
.cockpit-picker__options li + li { border-top: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08); }
.cockpit-picker__chosen li { background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.06); border-radius: 4px; margin-bottom: 4px; }
.cockpit-picker__chosen-name { flex: 1 1 auto; overflow-wrap: anywhere; }
.cockpit-picker__empty { margin: 0 0 4px; }
.cockpit-file-input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
.cockpit-file-input:focus-visible + *, .cockpit-file-button:focus-within { outline: 2px solid var(--button-bg, #1c58d9); }
.cockpit-file-button { margin: 0; cursor: pointer; }
.cockpit-import { display: contents; }
.cockpit-import__result, .cockpit-import__preview { flex-basis: 100%; margin: 0; }
.cockpit-import__preview h4 { margin: 0 0 8px; font-size: 14px; font-weight: 600; }
.cockpit-table { width: 100%; border-collapse: collapse; margin: 16px 0 8px; }
.cockpit-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 8px; color: inherit; }
.cockpit-table th, .cockpit-table td {
    text-align: left; vertical-align: top; padding: 8px 12px 8px 0; overflow-wrap: anywhere;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-table thead th { font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64); }
.cockpit-table code, .cockpit-audit__change code { white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.cockpit-source { margin: 12px 0 0; font-size: 12px; }
.cockpit-score { display: flex; align-items: center; gap: 24px; }
.cockpit-score__value { font-size: 48px; font-weight: 700; line-height: 1; color: var(--center-channel-color, #3f4350); }
.cockpit-score__bar { flex: 1 1 auto; }
.cockpit-check {
    display: flex; gap: 12px; align-items: flex-start; padding: 12px 0;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-check:last-child { border-bottom: 0; }
.cockpit-check .cockpit-chip { flex: 0 0 96px; text-align: center; }
.cockpit-check__body h4 { margin: 0 0 4px; font-size: 14px; font-weight: 600; }
.cockpit-check__body p { margin: 0 0 4px; white-space: pre-wrap; }
.cockpit-check__basis { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.cockpit-check .cockpit-check__basis .cockpit-chip { flex: 0 0 auto; }
.cockpit-basis--probe { color: #fff; background: var(--online-indicator, #06d6a0); }
.cockpit-basis--configured {
    color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); background: transparent;
    border: 1px dashed rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.4);
}
.cockpit-basis--evidence { color: #fff; background: var(--button-bg, #1c58d9); }
.cockpit-probe__facts { width: auto; margin: 4px 0 8px; }
.cockpit-probe__facts th, .cockpit-probe__facts td { padding: 2px 12px 2px 0; font-size: 12px; }
.cockpit-probe__calls { padding-left: 16px; font-size: 12px; }
.cockpit-probe__answer { max-height: 120px; overflow: auto; font-size: 11px; white-space: pre-wrap; word-break: break-all; }
.cockpit-pager { display: flex; align-items: center; justify-content: flex-end; gap: 12px; }
`;
