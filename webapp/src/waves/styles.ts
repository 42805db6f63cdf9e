// Waves tab rules, scoped under .cockpit-waves; colours from the Mattermost theme variables.
export const wavesCss = `
.cockpit-waves fieldset { border: 0; padding: 0; margin: 0 0 24px; }
.cockpit-waves legend { font-size: 16px; font-weight: 600; margin: 8px 0 12px; border: 0; width: auto; }
.cockpit-waves .cockpit-field { margin-bottom: 12px; max-width: 720px; }
.cockpit-waves .cockpit-check-row { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
.cockpit-waves .cockpit-check-row label { font-weight: normal; font-size: 14px; margin: 0; }
.cockpit-waves__subhead { font-size: 13px; font-weight: 600; margin: 16px 0 6px; }
.cockpit-waves__hint { font-size: 12px; margin: 4px 0 8px; }
.cockpit-waves__header { justify-content: flex-start; }
.cockpit-waves__title { margin: 0; font-size: 20px; font-weight: 600; }
.cockpit-waves__open { padding: 0; font-weight: 600; text-align: left; }
.cockpit-waves__progress-cell { min-width: 220px; }
.cockpit-waves__new .form-control { max-width: 320px; }
.cockpit-waves__state { margin-bottom: 8px; }
.cockpit-waves__role { width: auto; min-width: 140px; display: inline-block; }
.cockpit-waves__preference {
    display: grid; grid-template-columns: 240px minmax(200px, 320px); gap: 12px; align-items: center;
    font-weight: normal; margin: 0 0 6px;
}
.cockpit-waves__domains { margin-top: 16px; }
.cockpit-waves__narrow { max-width: 200px !important; }
.cockpit-waves__short { max-width: 320px; }
.cockpit-waves__number { max-width: 120px; }
.cockpit-waves__datetime { width: auto; display: inline-block; }
.cockpit-waves__upload { max-width: 560px; }
.cockpit-waves__welcome { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(280px, 1fr); gap: 24px; align-items: start; }
@media (max-width: 1100px) { .cockpit-waves__welcome { grid-template-columns: 1fr; } }
.cockpit-waves__template { font-family: monospace; font-size: 13px; margin-top: 6px; }
.cockpit-waves__variable { cursor: pointer; font-family: monospace; }
.cockpit-waves__post {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); border-radius: 8px; padding: 12px 16px; margin-bottom: 8px;
    background: var(--center-channel-bg, #fff); min-height: 64px; overflow-wrap: anywhere;
}
.cockpit-waves__message p { margin: 0 0 8px; }
.cockpit-waves__message p:last-child { margin-bottom: 0; }
.cockpit-waves__actions { margin-top: 16px; }
.cockpit-waves .btn:disabled { opacity: 0.48; cursor: not-allowed; }
.cockpit-waves .cockpit-facts { margin-top: 16px; }
.cockpit-waves .radio label { font-weight: normal; font-size: 14px; display: flex; gap: 8px; align-items: center; margin: 0; }
.cockpit-waves .radio { margin: 0 0 8px; }
.cockpit-waves .radio .help-text { margin: 2px 0 0 24px; font-size: 12px; }
.cockpit-waves__mail-head { margin: 0; font-size: 13px; }
.cockpit-waves__mail-head > div { display: flex; gap: 8px; }
.cockpit-waves__mail-head dt { font-weight: 600; min-width: 64px; }
.cockpit-waves__mail-head dd { margin: 0; overflow-wrap: anywhere; }
.cockpit-waves__mail {
    width: 100%; min-height: 260px; border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); border-radius: 8px;
    background: #fff; margin-top: 8px;
}
.cockpit-waves__mail-text {
    white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; max-height: 240px; overflow: auto;
    background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.04); border: 0; border-radius: 4px; padding: 8px;
}
`;
