// Branding studio rules, scoped under .cockpit-branding; colours from the Mattermost theme variables.
export const brandingCss = `
.cockpit-branding__layout { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(320px, 1fr); gap: 24px; align-items: start; }
@media (max-width: 1100px) { .cockpit-branding__layout { grid-template-columns: 1fr; } }
.cockpit-branding fieldset { border: 0; padding: 0; margin: 0 0 16px; }
.cockpit-branding legend { font-size: 14px; font-weight: 600; margin: 8px 0; border: 0; }
.cockpit-branding .cockpit-field { margin-bottom: 12px; }
.cockpit-branding .cockpit-check-row { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
.cockpit-branding .cockpit-check-row label { font-weight: normal; font-size: 14px; margin: 0; }
.cockpit-branding__colors { display: flex; gap: 16px; flex-wrap: wrap; }
.cockpit-branding__pinned { font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64); }
.cockpit-branding__sticky { position: sticky; top: 16px; }
.cockpit-brand-preview { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.cockpit-brand-frame {
    margin: 0; border-radius: 8px; overflow: hidden;
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16);
    background: var(--center-channel-bg, #fff); color: var(--center-channel-color, #3f4350);
}
.cockpit-brand-frame figcaption { padding: 4px 8px; font-size: 11px; }
.cockpit-brand-frame--desktop { width: 100%; max-width: 560px; }
.cockpit-brand-frame--mobile { width: 240px; }
.cockpit-brand-login { display: flex; gap: 16px; padding: 16px; align-items: center; justify-content: center; flex-wrap: wrap; }
.cockpit-brand-frame--mobile .cockpit-brand-login { flex-direction: column; align-items: stretch; }
.cockpit-brand-frame--mobile .cockpit-brand-login__brand, .cockpit-brand-frame--mobile .cockpit-brand-login__form {
    flex: 0 0 auto; max-width: none;
}
.cockpit-brand-login__brand { flex: 1 1 160px; max-width: 240px; }
.cockpit-brand-login__image { max-width: 100%; max-height: 120px; display: block; margin-bottom: 8px; }
.cockpit-brand-login__text { font-size: 12px; overflow-wrap: anywhere; }
.cockpit-brand-login__text p { margin: 0 0 6px; }
.cockpit-brand-login__form { flex: 1 1 160px; max-width: 240px; text-align: center; }
.cockpit-brand-login__title { margin: 0 0 4px; font-size: 18px; font-weight: 700; overflow-wrap: anywhere; }
.cockpit-brand-login__description {
    margin: 0 0 8px; font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72);
    overflow-wrap: anywhere;
}
.cockpit-brand-login__input {
    border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); border-radius: 4px; padding: 4px 8px;
    font-size: 11px; text-align: left; margin-bottom: 6px;
    color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64);
}
.cockpit-brand-login__button {
    background: var(--button-bg, #1c58d9); color: var(--button-color, #fff); border-radius: 4px; padding: 4px 8px;
    font-size: 12px; font-weight: 600;
}
.cockpit-brand-channel { border-top: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); }
.cockpit-brand-banner {
    display: flex; justify-content: space-between; gap: 8px; padding: 4px 8px; font-size: 12px; font-weight: 600;
    overflow-wrap: anywhere;
}
.cockpit-brand-channel__header {
    padding: 6px 8px; font-weight: 600; font-size: 13px;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-brand-channel__post { padding: 8px; font-size: 12px; }
.cockpit-brand-channel__post p { margin: 2px 0 0; }
.cockpit-branding__history { list-style: none; margin: 0; padding: 0; }
.cockpit-branding__history li {
    display: flex; gap: 12px; justify-content: space-between; align-items: flex-start; padding: 8px 0;
    border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08);
}
.cockpit-branding__presets { list-style: none; margin: 0; padding: 0; }
.cockpit-branding__presets li { display: flex; gap: 12px; justify-content: space-between; align-items: flex-start; padding: 8px 0; }
.cockpit-branding__presets p { margin: 2px 0 0; font-size: 12px; }
`;
