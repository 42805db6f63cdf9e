import {useCallback, useRef, useState} from 'react';

import {ErrorIds} from 'contract/errors';
import type {FieldConflict, PlanResponse} from 'contract/plan_api';

import {planSlice} from './state';

import {toRequestError, type Client, type RequestError} from '../client';
import {pluginState} from '../reducer';
import {useResource, type Resource} from '../resource';

const selectPlan = (s: unknown) => pluginState(s)?.plan;
const fetchPlan = (c: Client) => c.getPlan();

/** The plan, loaded on mount (`ifEmpty`: only when no other tab loaded it yet). */
export function usePlan(autoload: 'always' | 'ifEmpty' = 'always'): Resource<PlanResponse> {
    return useResource(planSlice, selectPlan, fetchPlan, autoload);
}

export function isVersionConflict(error: RequestError): boolean {
    return error.status === 409 || error.id === ErrorIds.conflict;
}

/** A plan write: gets the client and the version the change is based on, answers the new plan. */
export type PlanWrite = (client: Client, version: number) => Promise<PlanResponse>;

export interface PlanWrites {
    /** Runs writes one after another, each with the version the previous one produced. True on success. */
    write: (op: PlanWrite) => Promise<boolean>;

    /** Someone else changed the plan's structure: writes answer 409 until the plan is reloaded. */
    conflict: boolean;

    /** Someone else changed the same field of the same task: their value, until the user keeps it or overwrites it. */
    fieldConflict: FieldConflict | null;

    /** Keeps the other person's value: drops this change and loads the plan. */
    keepTheirs: () => Promise<void>;

    /** Sends this change again, based on the version the conflict named. */
    overwrite: () => Promise<boolean>;
    error: RequestError | null;
    dismissError: () => void;
    saving: boolean;

    /** Loads the plan again and clears the conflict once the newer version is in. */
    reload: () => Promise<void>;
}

export function usePlanWrites(plan: Resource<PlanResponse>): PlanWrites {
    const latest = useRef(plan);
    latest.current = plan;
    const queue = useRef<Promise<unknown>>(Promise.resolve());
    const [conflict, setConflict] = useState(false);
    const [fieldConflict, setFieldConflict] = useState<{conflict: FieldConflict; op: PlanWrite} | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [pending, setPending] = useState(0);

    // `basedOn` overrides the version of the plan in the store (an overwrite names the conflict's version).
    const enqueue = useCallback((op: PlanWrite, basedOn?: number): Promise<boolean> => {
        const run = async (): Promise<boolean> => {
            const resource = latest.current;
            const data = resource.current().data;
            if (!data) {
                return false;
            }
            setPending((n) => n + 1);
            try {
                resource.set(await op(resource.client, basedOn ?? data.plan.version));
                setError(null);
                return true;
            } catch (err) {
                const e = toRequestError(err);
                if (e.conflict) {
                    setFieldConflict({conflict: e.conflict, op});
                } else if (isVersionConflict(e)) {
                    setConflict(true);
                } else {
                    setError(e);
                }
                return false;
            } finally {
                setPending((n) => n - 1);
            }
        };
        const next = queue.current.then(run, run);
        queue.current = next;
        return next;
    }, []);
    const write = useCallback((op: PlanWrite) => enqueue(op), [enqueue]);

    const reload = useCallback(async () => {
        await latest.current.load();
        if (!latest.current.current().error) {
            setConflict(false);
            setError(null);
        }
    }, []);

    const dismissError = useCallback(() => setError(null), []);

    const keepTheirs = useCallback(async () => {
        setFieldConflict(null);
        await latest.current.load();
    }, []);

    const overwrite = useCallback(() => {
        if (!fieldConflict) {
            return Promise.resolve(false);
        }
        setFieldConflict(null);
        return enqueue(fieldConflict.op, fieldConflict.conflict.version);
    }, [enqueue, fieldConflict]);

    return {
        write,
        conflict,
        fieldConflict: fieldConflict?.conflict ?? null,
        keepTheirs,
        overwrite,
        error,
        dismissError,
        saving: pending > 0,
        reload,
    };
}
