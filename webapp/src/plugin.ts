import type {Store} from 'redux';

import {manifest} from 'contract/manifest';

import {addCockpitPage} from './cockpit/admin_console';
import {CockpitPage, CockpitSetting} from './cockpit/cockpit';
import en from './i18n/en.json';
import {reducer} from './reducer';
import type {MattermostPlugin, PluginRegistry} from './types/mattermost';

/** Key of the `custom` setting in plugin.json's settings_schema. */
export const cockpitSettingKey = 'Cockpit';

const translations: Record<string, Record<string, string>> = {en};

export function getTranslations(locale: string): Record<string, string> {
    return translations[locale] ?? {};
}

export class Plugin implements MattermostPlugin {
    initialize(registry: PluginRegistry, _store: Store | unknown): void {
        if (typeof registry.registerTranslations === 'function') {
            registry.registerTranslations(getTranslations);
        }
        if (typeof registry.registerReducer === 'function') {
            registry.registerReducer(reducer);
        }

        // Stable path: the cockpit inside the plugin's settings page.
        registry.registerAdminConsoleCustomSetting(cockpitSettingKey, CockpitSetting, {showTitle: false});

        // Internal, unversioned API: its own sidebar entry when available, never fatal.
        if (typeof registry.registerAdminConsolePlugin === 'function') {
            try {
                registry.registerAdminConsolePlugin((def: unknown) => addCockpitPage(def, CockpitPage));
            } catch (err) {
                // eslint-disable-next-line no-console
                console.warn(`[${manifest.id}] registerAdminConsolePlugin failed; the cockpit stays on the plugin settings page`, err);
            }
        }
    }
}
