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
`;
