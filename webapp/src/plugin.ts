import type {Store} from 'redux';

import {manifest} from 'contract/manifest';

import {adoptionSiteStatistics} from './adoption/site_statistics';
import {clientFor} from './client';
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
    initialize(registry: PluginRegistry, store: Store | unknown): void {
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

        // Adoption rows in System Console → Site Statistics (servers since 9.x have the registry call).
        if (typeof registry.registerSiteStatisticsHandler === 'function') {
            const getState = () => (store as Store | undefined)?.getState?.();
            try {
                registry.registerSiteStatisticsHandler(adoptionSiteStatistics(() => clientFor(getState)));
            } catch (err) {
                // eslint-disable-next-line no-console
                console.warn(`[${manifest.id}] registerSiteStatisticsHandler failed; Site Statistics shows no adoption rows`, err);
            }
        }
    }
}
