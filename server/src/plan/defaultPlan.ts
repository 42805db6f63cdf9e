import {type PlanContent, PlanContentSchema} from 'contract/plan';

import defaultPlanJson from '../../../assets/plan/default-plan.json';

// The validated default plan as JSON, computed once per VM. Validating it costs ≈1.5 ms, which was
// most of every GET on a server whose plan was never edited. It is derived from a bundled constant,
// so every VM computes the same text: caching it shares no state between requests or VMs.
let validatedJson: string | undefined;

/**
 * The plan every server starts with (assets/plan/default-plan.json, bundled), validated and with the
 * schema's defaults filled in. A fresh object on every call, so callers may change it.
 */
export function defaultPlanContent(): PlanContent {
    if (validatedJson === undefined) {
        const result = PlanContentSchema.safeParse(defaultPlanJson);
        if (!result.success) {
            // A broken asset is a build defect; plan.test.ts keeps it from shipping.
            throw new Error(`assets/plan/default-plan.json is not a valid plan: ${result.error.message}`);
        }
        validatedJson = JSON.stringify(result.data);
    }
    return JSON.parse(validatedJson) as PlanContent;
}
