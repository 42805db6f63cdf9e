// Cards or table: the Plan tab's view, remembered per admin in this browser (localStorage, keyed by the
// user id, so two admins sharing a browser keep their own). Without a choice, a plan of more than
// `TABLE_FROM` tasks opens as the table: past that, cards need several screens.
import {useCallback, useState} from 'react';

export type PlanView = 'cards' | 'table';

export const TABLE_FROM = 10;

const storageKey = (userId: string | undefined) => `onboarding-cockpit.plan.view.${userId ?? 'anonymous'}`;

export function defaultView(taskCount: number): PlanView {
    return taskCount > TABLE_FROM ? 'table' : 'cards';
}

function readChoice(userId: string | undefined): PlanView | null {
    try {
        const value = window.localStorage.getItem(storageKey(userId));
        return value === 'cards' || value === 'table' ? value : null;
    } catch {
        // Storage refused (privacy mode, quota): the default applies.
        return null;
    }
}

/** The view to show and a setter that remembers the choice. */
export function usePlanView(userId: string | undefined, taskCount: number): [PlanView, (view: PlanView) => void] {
    const [choice, setChoice] = useState<PlanView | null>(() => readChoice(userId));
    const choose = useCallback((view: PlanView) => {
        setChoice(view);
        try {
            window.localStorage.setItem(storageKey(userId), view);
        } catch {
            // Not remembered, still shown.
        }
    }, [userId]);
    return [choice ?? defaultView(taskCount), choose];
}
