import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {Client4} from 'mattermost-redux/client';

import type {AuditEntry} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {AuditTab} from './audit_tab';

import {renderInConsole, routeFetch, userId, userProfile} from '../test/helpers';

const alice = userId('alice');
const bob = userId('bob');

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
    return {
        id: `e${n}`,
        at: Date.UTC(2026, 10, 20, 10, n % 60),
        user_id: n % 2 ? alice : bob,
        action: 'plan.task.update',
        target: `pilot.task-${n}`,
        before: {state: 'not_started'},
        after: {state: 'done'},
        ...overrides,
    };
}

const page0 = {entries: Array.from({length: 25}, (_, i) => entry(i + 1)), total: 27};
const page1 = {
    entries: [
        entry(26, {
            user_id: bob,
            action: 'plan.import',
            target: 'plan',
            before: {version: 3},
            after: {version: 4, title: '<img src=x onerror=alert(1)>'},
        }),
        entry(27, {user_id: alice, action: 'plan.phase.add', target: 'security', before: null}),
    ],
    total: 27,
};

const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);

afterEach(() => {
    jest.restoreAllMocks();
});

describe('Audit tab', () => {
    it('lists entries with resolved usernames and pages through the log', async () => {
        const {calls} = routeFetch({
            [`GET ${PlanRoutes.audit}?page=0&per_page=25`]: {body: page0},
            [`GET ${PlanRoutes.audit}?page=1&per_page=25`]: {body: page1},
        });
        const profiles = jest.spyOn(Client4, 'getProfilesByIds').mockImplementation(async (ids: string[]) =>
            [userProfile('alice', 'Alice', 'Ng'), userProfile('bob')].filter((u) => ids.includes(u.id)));
        const {container} = renderInConsole(<AuditTab/>);

        expect(await screen.findByText('1–25 of 27')).toBeInTheDocument();
        expect(rows()).toHaveLength(25);
        await within(rows()[0]).findByText('@alice (Alice Ng)');
        expect(within(rows()[1]).getByText('@bob')).toBeInTheDocument();
        expect(within(rows()[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual([
            expect.stringContaining('Nov 20, 2026'),
            '@alice (Alice Ng)',
            'plan.task.update',
            'pilot.task-1',
            '{"state":"not_started"} → {"state":"done"}',
        ]);
        expect(profiles).toHaveBeenCalledTimes(1);
        expect(new Set(profiles.mock.calls[0][0])).toEqual(new Set([alice, bob]));
        expect(screen.getByRole('button', {name: 'Previous page'})).toBeDisabled();

        await userEvent.click(screen.getByRole('button', {name: 'Next page'}));

        expect(await screen.findByText('26–27 of 27')).toBeInTheDocument();
        expect(rows()).toHaveLength(2);
        expect(within(rows()[0]).getByText('plan.import')).toBeInTheDocument();
        expect(rows()[0]).toHaveTextContent('{"version":3} → {"version":4,"title":"<img src=x onerror=alert(1)>"}');
        expect(container.querySelector('img')).toBeNull();
        expect(rows()[1]).toHaveTextContent('– → {"state":"done"}');
        expect(within(rows()[1]).getByText('@alice (Alice Ng)')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Next page'})).toBeDisabled();

        // Known users are not asked for again.
        expect(profiles).toHaveBeenCalledTimes(1);

        await userEvent.click(screen.getByRole('button', {name: 'Previous page'}));
        expect(await screen.findByText('1–25 of 27')).toBeInTheDocument();
        expect(calls('GET', `${PlanRoutes.audit}?page=0&per_page=25`)).toHaveLength(2);
    });

    it('shows ids it cannot resolve, and an empty log', async () => {
        routeFetch({
            [`GET ${PlanRoutes.audit}?page=0&per_page=25`]: [
                {body: {entries: [entry(1, {user_id: 'zz00000000000000000000000z'})], total: 1}},
                {body: {entries: [], total: 0}},
            ],
        });
        jest.spyOn(Client4, 'getProfilesByIds').mockRejectedValue(new Error('forbidden'));
        renderInConsole(<AuditTab/>);
        expect(await screen.findByText('zz00000000000000000000000z')).toBeInTheDocument();

        await userEvent.click(screen.getByRole('button', {name: 'Refresh'}));
        expect(await screen.findByText('Nothing has been changed through the cockpit yet.')).toBeInTheDocument();
    });

    it('exports the log as CSV and JSON files', async () => {
        const {calls} = routeFetch({
            [`GET ${PlanRoutes.audit}?page=0&per_page=25`]: {body: {entries: [], total: 0}},
            [`GET ${PlanRoutes.auditExport}?format=csv`]: {text: 'at,user,action\n1,alice,plan.import\n'},
            [`GET ${PlanRoutes.auditExport}?format=json`]: {text: '[]'},
        });
        const blobs: Blob[] = [];
        URL.createObjectURL = jest.fn((b: Blob) => {
            blobs.push(b);
            return 'blob:audit';
        });
        URL.revokeObjectURL = jest.fn();
        const names: string[] = [];
        jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
            names.push(this.download);
        });
        renderInConsole(<AuditTab/>);
        await screen.findByText('Nothing has been changed through the cockpit yet.');

        await userEvent.click(screen.getByRole('button', {name: 'Export CSV'}));
        await userEvent.click(screen.getByRole('button', {name: 'Export JSON'}));
        await act(async () => undefined);

        expect(calls('GET', `${PlanRoutes.auditExport}?format=csv`)).toHaveLength(1);
        expect(calls('GET', `${PlanRoutes.auditExport}?format=json`)).toHaveLength(1);
        expect(names).toEqual([expect.stringMatching(/^cockpit-audit-.*\.csv$/), expect.stringMatching(/^cockpit-audit-.*\.json$/)]);
        expect(blobs.map((b) => b.type)).toEqual(['text/csv', 'application/json']);
    });

    it('shows a failed export', async () => {
        routeFetch({[`GET ${PlanRoutes.audit}?page=0&per_page=25`]: {body: {entries: [], total: 0}}});
        renderInConsole(<AuditTab/>);
        await screen.findByText('Nothing has been changed through the cockpit yet.');
        await userEvent.click(screen.getByRole('button', {name: 'Export CSV'}));
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'The export failed: This no longer exists, or never did. Reload the page.',
        );
    });
});
