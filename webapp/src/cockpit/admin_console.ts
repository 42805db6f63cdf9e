// Adds the cockpit as its own System Console page under the Plugins section, through
// registerAdminConsolePlugin. The admin definition is internal to Mattermost and changes between
// versions, so anything unexpected leaves the definition untouched: the cockpit stays reachable
// through its custom setting on the plugin's settings page.
import type {ComponentType} from 'react';

import {manifest} from 'contract/manifest';

import {cockpitMessages} from './messages';

/** Key of the subsection and the tail of its URL: /admin_console/plugins/onboarding_cockpit. */
export const subsectionKey = manifest.id.replace(/[^a-zA-Z0-9]+/g, '_');

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function addCockpitPage(adminDefinition: unknown, component: ComponentType): unknown {
    try {
        if (!isDict(adminDefinition)) {
            return adminDefinition;
        }
        const plugins = adminDefinition.plugins;
        if (!isDict(plugins) || !isDict(plugins.subsections)) {
            return adminDefinition;
        }
        const subsection = {
            url: `plugins/${subsectionKey}`,
            title: cockpitMessages.sidebarTitle,
            searchableStrings: [cockpitMessages.sidebarTitle],
            isHidden: false,
            schema: {
                id: 'OnboardingCockpit',
                component,
            },
        };

        // New objects along the path: the host may reuse the definition it passed in.
        return {
            ...adminDefinition,
            plugins: {
                ...plugins,
                subsections: {...plugins.subsections, [subsectionKey]: subsection},
            },
        };
    } catch {
        return adminDefinition;
    }
}
