import {
    BUNDLE_FORMAT,
    BUNDLE_PARTS,
    BUNDLE_VERSION,
    type Bundle,
    type BundleApply,
    type BundlePart,
    type BundlePreview,
    type PartResult,
} from 'contract/bundle';
import {ErrorIds} from 'contract/errors';

import {adoptionTargetsPart} from './adoptionTargets';
import {brandingPart} from './branding';
import {emptyPreview, hasChanges, type BundlePartHandler, type PartPlan, type PartReadContext, type PartWriteContext} from './part';
import {planPart} from './plan';
import {templatesPart} from './templates';
import {wavesPart} from './waves';

import {readBrandingValues} from '../branding/config';
import {ApiError, isApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';

// What the bundle endpoints do: export the picked parts, preview a file's parts against this server,
// apply the picked parts one after another (each entirely or not at all).

const handlers: {readonly [P in BundlePart]: BundlePartHandler<P>} = {
    plan: planPart,
    templates: templatesPart,
    waves: wavesPart,
    branding: brandingPart,
    adoption_targets: adoptionTargetsPart,
};

function exportPart<P extends BundlePart>(part: P, context: PartReadContext, includePeople: boolean): Bundle['parts'][P] {
    return handlers[part].export(context, {includePeople});
}

function planOf<P extends BundlePart>(part: P, context: PartReadContext, bundle: Bundle): PartPlan | undefined {
    const value = bundle.parts[part];
    return value === undefined ? undefined : handlers[part].plan(context, value, bundle);
}

export function exportBundle(context: PartReadContext, parts: readonly BundlePart[], includePeople: boolean, now: number): Bundle {
    const config = context.api.config.get();
    const siteUrl = config?.ServiceSettings?.SiteURL;
    return {
        format: BUNDLE_FORMAT,
        version: BUNDLE_VERSION,
        exported_at: now,
        source: {
            site_name: readBrandingValues(config).site_name,
            site_url: typeof siteUrl === 'string' ? siteUrl : '',
            server_version: context.api.system.getServerVersion(),
        },
        include_people: includePeople,
        parts: Object.fromEntries(
            BUNDLE_PARTS.filter((part) => parts.includes(part)).map((part) => [part, exportPart(part, context, includePeople)]),
        ),
    };
}

export function previewBundle(context: PartReadContext, bundle: Bundle): BundlePreview {
    return {
        source: bundle.source,
        exported_at: bundle.exported_at,
        include_people: bundle.include_people,
        parts: BUNDLE_PARTS.flatMap((part) => {
            const plan = planOf(part, context, bundle);
            return plan === undefined ? [] : [plan.preview];
        }),
    };
}

function errorOf(context: PartWriteContext, part: BundlePart, error: unknown): {id: string; message: string} {
    if (isApiError(error)) {
        return {id: error.id, message: error.message};
    }
    if (isHostError(error)) {
        return {id: error.id, message: error.message};
    }
    context.log.error('A bundle part failed', {part, error: error instanceof Error ? error.message : String(error)});
    return {id: ErrorIds.internal, message: 'The server could not apply this part; see the server log.'};
}

export function applyBundle(context: PartWriteContext, bundle: Bundle, picked: readonly BundlePart[]): BundleApply {
    const absent = picked.filter((part) => bundle.parts[part] === undefined);
    if (absent.length > 0) {
        throw new ApiError(400, ErrorIds.bundleInvalid, `The bundle does not carry: ${absent.join(', ')}.`);
    }
    const results: PartResult[] = [];
    let followUp: Pick<BundleApply, 'image_action' | 'image_version'> = {image_action: 'none'};
    for (const part of BUNDLE_PARTS.filter((name) => picked.includes(name))) {
        let plan: PartPlan | undefined;
        try {
            plan = planOf(part, context, bundle) as PartPlan;
            if (plan.preview.problems.length > 0) {
                results.push({
                    part,
                    status: 'failed',
                    changes: plan.preview,
                    error: {id: ErrorIds.bundleCannotApply, message: `Cannot apply ${part} here: ${plan.preview.problems.join('; ')}.`},
                });
                continue;
            }
            if (!hasChanges(plan.preview)) {
                results.push({part, status: 'unchanged', changes: plan.preview});
                continue;
            }
            followUp = plan.apply(context) ?? followUp;
            results.push({part, status: 'applied', changes: plan.preview});
        } catch (error) {
            results.push({
                part,
                status: 'failed',
                changes: plan?.preview ?? emptyPreview(part),
                error: errorOf(context, part, error),
            });
        }
    }
    return {parts: results, ...followUp};
}
