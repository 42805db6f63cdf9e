import {AdoptionEndpoints} from './adoption';
import {AuditEndpoints} from './audit';
import {BrandingEndpoints} from './branding';
import {BundleEndpoints} from './bundle';
import {ConfigSnapshotEndpoints} from './configsnapshot';
import type {AnyEndpoint} from './endpoint';
import {JourneyEndpoints} from './journey';
import {LoadTestEndpoints} from './loadtest';
import {PlanEndpoints} from './plan';
import {PrivacyEndpoints} from './privacy';
import {ReadinessEndpoints} from './readiness';
import {RolloutEndpoints} from './rollout';
import {SizingEndpoints} from './sizing';
import {StakeholderEndpoints} from './stakeholders';
import {StatusEndpoints} from './status';
import {SurveyEndpoints} from './survey';
import {TemplateEndpoints} from './templates';
import {WaveEndpoints} from './waves';

// Every endpoint of the plugin, one file per server capability (the folder of the same name under
// server/src holds its handlers). The order is the route table's (e2e/cockpit/testdata/routes.json).

export * from './endpoint';
export {
    AdoptionEndpoints,
    AuditEndpoints,
    BrandingEndpoints,
    BundleEndpoints,
    ConfigSnapshotEndpoints,
    JourneyEndpoints,
    LoadTestEndpoints,
    PlanEndpoints,
    PrivacyEndpoints,
    ReadinessEndpoints,
    RolloutEndpoints,
    SizingEndpoints,
    StakeholderEndpoints,
    StatusEndpoints,
    SurveyEndpoints,
    TemplateEndpoints,
    WaveEndpoints,
};

export const Endpoints = {
    status: StatusEndpoints,
    plan: PlanEndpoints,
    audit: AuditEndpoints,
    readiness: ReadinessEndpoints,
    configsnapshot: ConfigSnapshotEndpoints,
    bundle: BundleEndpoints,
    sizing: SizingEndpoints,
    loadtest: LoadTestEndpoints,
    branding: BrandingEndpoints,
    waves: WaveEndpoints,
    journey: JourneyEndpoints,
    survey: SurveyEndpoints,
    adoption: AdoptionEndpoints,
    stakeholders: StakeholderEndpoints,
    templates: TemplateEndpoints,
    rollout: RolloutEndpoints,
    privacy: PrivacyEndpoints,
} as const;

/** Every endpoint, in the order above. */
export const allEndpoints: readonly AnyEndpoint[] = Object.values(Endpoints).flatMap((group) => Object.values(group) as AnyEndpoint[]);
