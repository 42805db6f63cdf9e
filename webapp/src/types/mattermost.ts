// The slice of the Mattermost webapp plugin API this plugin relies on, typed locally
// (reference/mattermost-platform.md §1–2). Everything beyond registerAdminConsoleCustomSetting is
// optional here because the host may lack it or change it; index.tsx feature-detects before use.
import type {ComponentType, ReactNode} from 'react';
import type {Reducer} from 'redux';

import type {TeamPageProps} from '../components/team_page';

/** Props the System Console passes to a `registerAdminConsoleCustomSetting` component. */
export interface CustomSettingProps {
    id: string;
    label: string;
    helpText: string | null;
    value: unknown;
    disabled: boolean;
    config: Record<string, unknown>;
    license: Record<string, string>;
    setByEnv: boolean;
    onChange: (id: string, value: unknown, confirm?: boolean, doSubmit?: boolean, warning?: boolean) => void;
    registerSaveAction: (action: () => Promise<{error?: {message?: string}}>) => void;
    unRegisterSaveAction: (action: () => Promise<{error?: {message?: string}}>) => void;
    setSaveNeeded: () => void;
    cancelSubmit: () => void;
    showConfirm: boolean;
}

/** `adminDefinition => adminDefinition`; the definition's shape is internal to Mattermost. */
export type AdminConsolePluginReducer = (adminDefinition: unknown) => unknown;

export type TranslationsGetter = (locale: string) => Record<string, string>;

export interface PluginRegistry {
    registerAdminConsoleCustomSetting(
        key: string,
        component: ComponentType<CustomSettingProps>,
        options?: {showTitle?: boolean},
    ): unknown;
    registerAdminConsolePlugin?: (func: AdminConsolePluginReducer) => unknown;
    registerReducer?: (reducer: Reducer) => unknown;
    registerTranslations?: (getTranslationsForLocale: TranslationsGetter) => unknown;

    /** System Console → Site Statistics rows (see adoption/site_statistics.ts for the shape). */
    registerSiteStatisticsHandler?: (handler: () => Promise<Record<string, unknown>>) => unknown;

    /**
     * A page of the normal UI at `/<team name>/<plugin id>/<route>`. The component gets no router props but
     * `css={{gridArea: 'center'}}` and the theme (components/team_page.tsx).
     */
    registerNeedsTeamRoute?: (route: string, component: ComponentType<TeamPageProps>) => unknown;

    /** An item of the main (team) menu; `text` may be an element (rendered inside the host's IntlProvider). Returns its id. */
    registerMainMenuAction?: (text: ReactNode, action: () => void, mobileIcon?: unknown) => unknown;
}

export interface MattermostPlugin {
    initialize(registry: PluginRegistry, store: unknown): void;
    uninitialize?(): void;
}

declare global {
    interface Window {
        registerPlugin(id: string, plugin: MattermostPlugin): void;
    }
}
