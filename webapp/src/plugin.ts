import React from 'react';
import {FormattedMessage} from 'react-intl';
import type {Store} from 'redux';

import {manifest} from 'contract/manifest';
import {MyTasksPage} from 'contract/plan_api';
import {StakeholderPage} from 'contract/stakeholders';
import {ReviewPanel} from 'contract/templates';

import {adoptionSiteStatistics} from './adoption/site_statistics';
import {clientFor} from './client';
import {addCockpitPage} from './cockpit/admin_console';
import {CockpitPage, CockpitSetting} from './cockpit/cockpit';
import {openTeamPage} from './components/team_navigation';
import {translationsFor} from './i18n/catalogues';
import {pointClient4AtSite} from './mattermost/client4';
import {myTasksMessages, MyTasksTeamPage} from './plan/my_tasks_page';
import {reducer} from './reducer';
import {ReviewPage} from './review/review_panel';
import {stakeholderMessages} from './stakeholders/messages';
import {openStakeholderPage} from './stakeholders/navigation';
import {StakeholderStatusPage} from './stakeholders/status_page';
import type {MattermostPlugin, PluginRegistry} from './types/mattermost';

/** Key of the `custom` setting in plugin.json's settings_schema. */
export const cockpitSettingKey = 'Cockpit';

/**
 * The main-menu entry of the status page, only for users the page lets in (everybody else would get its
 * 403 notice): asks the server once, at start-up. The label is an element, so the host's IntlProvider
 * translates it in the user's language. Resolves to whether the entry was registered.
 */
function registerStatusMenuEntry(
    register: NonNullable<PluginRegistry['registerMainMenuAction']>,
    getState: () => unknown,
): Promise<boolean> {
    return clientFor(getState).
        getStakeholderPageAccess().
        then(
            ({allowed}) => {
                if (allowed) {
                    register(React.createElement(FormattedMessage, stakeholderMessages.menuItem), () =>
                        openStakeholderPage(getState),
                    );
                }
                return allowed;
            },
            () => false,
        );
}

/**
 * The main-menu entry of "My roll-out tasks", only for people who own a task when the web app starts
 * (anyone else would find an empty page). Resolves to whether the entry was registered.
 */
function registerMyTasksMenuEntry(
    register: NonNullable<PluginRegistry['registerMainMenuAction']>,
    getState: () => unknown,
): Promise<boolean> {
    return clientFor(getState).
        getMyTasks().
        then(
            ({tasks}) => {
                if (tasks.length > 0) {
                    register(React.createElement(FormattedMessage, myTasksMessages.menuItem), () =>
                        openTeamPage(getState, MyTasksPage.path),
                    );
                }
                return tasks.length > 0;
            },
            () => false,
        );
}

export class Plugin implements MattermostPlugin {
    /** Settles once the status page's menu entry is registered or known not to be (tests wait for it). */
    menuEntryRegistered: Promise<boolean> = Promise.resolve(false);

    /** Settles once the owners' menu entry is registered or known not to be (tests wait for it). */
    myTasksEntryRegistered: Promise<boolean> = Promise.resolve(false);

    initialize(registry: PluginRegistry, store: Store | unknown): void {
        pointClient4AtSite((store as Store | undefined)?.getState?.());
        if (typeof registry.registerTranslations === 'function') {
            registry.registerTranslations(translationsFor);
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
                // eslint-disable-next-line no-console -- an older host without the API: the console is the only place a plugin can say so.
                console.warn(`[${manifest.id}] registerAdminConsolePlugin failed; the cockpit stays on the plugin settings page`, err);
            }
        }

        // The team admin's role template review, in the normal UI at /<team>/<plugin id>/review: where the
        // `/onboarding review` command (goto_location) and the bot's DM link lead (contract/templates.ts ReviewPanel).
        if (typeof registry.registerNeedsTeamRoute === 'function') {
            registry.registerNeedsTeamRoute(ReviewPanel.route, ReviewPage);
        }

        // The stakeholder status page, in the normal UI at /<team>/<plugin id>/status, reached from the main
        // menu. registerNeedsTeamRoute is the public, documented registry call for a plugin page inside a team
        // (registerProduct is internal and interferes with routes; an RHS is too narrow for the waves table).
        if (typeof registry.registerNeedsTeamRoute === 'function') {
            registry.registerNeedsTeamRoute(StakeholderPage.route, StakeholderStatusPage);
            if (typeof registry.registerMainMenuAction === 'function') {
                this.menuEntryRegistered = registerStatusMenuEntry(registry.registerMainMenuAction.bind(registry), () =>
                    (store as Store | undefined)?.getState?.(),
                );
            }
        }

        // Task owners' page, in the normal UI at /<team>/<plugin id>/tasks, reached from the main menu (owners
        // only) and from `/onboarding tasks`.
        if (typeof registry.registerNeedsTeamRoute === 'function') {
            registry.registerNeedsTeamRoute(MyTasksPage.route, MyTasksTeamPage);
            if (typeof registry.registerMainMenuAction === 'function') {
                this.myTasksEntryRegistered = registerMyTasksMenuEntry(registry.registerMainMenuAction.bind(registry), () =>
                    (store as Store | undefined)?.getState?.(),
                );
            }
        }

        // Adoption rows in System Console → Site Statistics (servers since 9.x have the registry call).
        if (typeof registry.registerSiteStatisticsHandler === 'function') {
            const getState = () => (store as Store | undefined)?.getState?.();
            try {
                registry.registerSiteStatisticsHandler(adoptionSiteStatistics(() => clientFor(getState)));
            } catch (err) {
                // eslint-disable-next-line no-console -- an older host without the API: the console is the only place a plugin can say so.
                console.warn(`[${manifest.id}] registerSiteStatisticsHandler failed; Site Statistics shows no adoption rows`, err);
            }
        }
    }
}
