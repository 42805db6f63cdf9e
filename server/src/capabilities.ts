import {adoptionCapability} from './adoption/adoption';
import type {Capability} from './app/capability';
import {auditCapability} from './audit/auditCapability';
import {botCapability} from './bot/bot';
import {brandingCapability} from './branding/branding';
import {bundleCapability} from './bundle/bundle';
import {configSnapshotCapability} from './configsnapshot/configSnapshot';
import {journeyCapability} from './journey/journey';
import {loadTestCapability} from './loadtest/loadtest';
import {planCapability} from './plan/plan';
import {privacyCapability} from './privacy/privacy';
import {readinessCapability} from './readiness/readiness';
import {rolloutCapability} from './rollout/rollout';
import {sizingCapability} from './sizing/sizing';
import {stakeholdersCapability} from './stakeholders/stakeholders';
import {statusCapability} from './status/status';
import {surveyCapability} from './survey/survey';
import {templatesCapability} from './templates/templates';
import {wavesCapability} from './waves/waves';

// Every capability of the server component, in the order their hooks run. Adding a capability:
// create its folder with `export const xCapability: Capability`, then list it here.
export const capabilities: readonly Capability[] = [
    botCapability,
    statusCapability,
    planCapability,
    auditCapability,
    readinessCapability,
    configSnapshotCapability,
    sizingCapability,
    loadTestCapability,
    brandingCapability,
    wavesCapability,
    journeyCapability,
    surveyCapability,
    adoptionCapability,
    stakeholdersCapability,
    templatesCapability,
    rolloutCapability,
    bundleCapability,
    privacyCapability,
];
