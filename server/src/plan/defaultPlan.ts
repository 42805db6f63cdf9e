import {type PlanContent, PlanContentSchema} from 'contract/plan';

import defaultPlanJson from '../../../assets/plan/default-plan.json';

/**
 * The plan every server starts with (assets/plan/default-plan.json, bundled), validated and with the
 * schema's defaults filled in. A fresh object on every call: nothing shared lives in module scope.
 */
export function defaultPlanContent(): PlanContent {
    const result = PlanContentSchema.safeParse(defaultPlanJson);
    if (!result.success) {
        // A broken asset is a build defect; plan.test.ts keeps it from shipping.
        throw new Error(`assets/plan/default-plan.json is not a valid plan: ${result.error.message}`);
    }
    return result.data;
}
