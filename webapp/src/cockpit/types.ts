import type {ComponentType} from 'react';
import type {MessageDescriptor} from 'react-intl';

/**
 * Every capability of the cockpit, in tab order. Each one is a folder of the same name on both sides
 * (webapp/src/<capability>, server/src/<capability>); `overview` is served by `status`.
 */
export const CapabilityIds = ['overview', 'plan', 'readiness', 'branding', 'templates', 'waves', 'adoption', 'audit'] as const;
export type CapabilityId = typeof CapabilityIds[number];

/** One tab of the cockpit, contributed by a capability (see cockpit/tabs.ts). */
export interface CockpitTab {
    id: CapabilityId;
    title: MessageDescriptor;
    Panel: ComponentType;
}
