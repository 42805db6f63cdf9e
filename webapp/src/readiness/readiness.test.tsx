import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {ErrorIds} from 'contract/errors';
import type {SettingDifference} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {consoleHref, ReadinessTab} from './readiness_tab';

import {deferredFetch, makeStore, renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {check, planResponse, readinessFixture} from '../test/plan_fixtures';

function setup(routes: Record<string, RouteAnswer> = {}, siteURL = 'https://chat.example.com/team-chat') {
    const fake = routeFetch({
        [`GET ${PlanRoutes.readiness}`]: {body: readinessFixture()},
        [`GET ${PlanRoutes.plan}`]: {body: planResponse()},
        ...routes,
    });
    renderInConsole(<ReadinessTab/>, makeStore({siteURL}));
    return fake;
}

const group = (title: string) => screen.getByRole('region', {name: title});
const checkItem = (title: string) => screen.getByRole('listitem', {name: title});

describe('Readiness tab', () => {
    it('shows the score as a number and a progress bar, with the check time', async () => {
        setup();
        const bar = await screen.findByRole('progressbar', {name: 'Readiness score'});
        expect(bar).toHaveAttribute('aria-valuenow', '72');
        expect(bar).toHaveAttribute('aria-valuetext', '72 of 100');
        expect(within(screen.getByRole('region', {name: 'Readiness score'})).getByText('72')).toBeInTheDocument();
        expect(screen.getByText('1 error, 1 warning, 2 of 5 checks OK')).toBeInTheDocument();
        expect(screen.getByText(/^Checked /)).toHaveTextContent('Nov 21, 2026');
    });

    it('groups checks by plan phase, most urgent first, with the phase titles from the plan', async () => {
        setup();
        const rollout = await screen.findByRole('region', {name: 'Roll-out announcement'});
        const pilot = group('Pilot with staging and production');

        // Phases the plan does not have come last, named by id.
        const other = group('Other checks (directory)');
        const order = screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby') && r.querySelector('h3')?.textContent);
        expect(order.indexOf('Pilot with staging and production')).toBeLessThan(order.indexOf('Roll-out announcement'));
        expect(order.indexOf('Roll-out announcement')).toBeLessThan(order.indexOf('Other checks (directory)'));

        expect(
            within(pilot).
                getAllByRole('listitem').
                map((li) => li.querySelector('h4')?.textContent),
        ).toEqual(['Site URL is set', 'Site is served over HTTPS']);
        expect(within(pilot).getByText('Nothing to fix')).toBeInTheDocument();
        expect(
            within(rollout).
                getAllByRole('listitem').
                map((li) => li.querySelector('h4')?.textContent),
        ).toEqual(['SMTP server configured', 'Email notifications on']);
        expect(within(rollout).getByText('2 to fix')).toBeInTheDocument();
        expect(within(other).getByText('Nothing to fix')).toBeInTheDocument();

        const smtp = checkItem('SMTP server configured');
        expect(within(smtp).getByText('Error')).toHaveClass('cockpit-chip--error');
        expect(smtp).toHaveTextContent('Live probe: The SMTP test through smtp.bank.example:25 failed: Connection unsuccessful');
    });

    it('tells a check verified by a live probe from one read from the settings alone', async () => {
        setup();
        await screen.findByRole('region', {name: 'Roll-out announcement'});
        const probed = within(checkItem('SMTP server configured')).getByText('Verified by probe');
        expect(probed).toHaveClass('cockpit-basis--probe');
        expect(checkItem('SMTP server configured')).toHaveTextContent(/smtp probed Nov 21, 2026, \d+:30 [AP]M by alice/);
        const configured = within(checkItem('Site URL is set')).getByText('Configured');
        expect(configured).toHaveClass('cockpit-basis--configured');
        expect(configured).toHaveAttribute('title', 'Read from the settings only: nothing has tested that it works.');
        expect(within(checkItem('AD/LDAP group sync')).queryByText('Configured')).not.toBeInTheDocument();
    });

    it('lists the live probes with their state, who ran them and when, and the raw facts and answers', async () => {
        setup();
        const panel = await screen.findByRole('region', {name: 'Live probes'});
        const smtp = within(panel).getByRole('listitem', {name: 'SMTP connection'});
        expect(within(smtp).getByText('Failed')).toHaveClass('cockpit-chip--error');
        expect(smtp).toHaveTextContent(/SMTP connection probed Nov 21, 2026, \d+:30 [AP]M by alice/);
        const facts = within(smtp).getByRole('table', {name: 'What SMTP connection found'});
        expect(within(facts).getAllByRole('row').slice(1).map((row) => row.textContent)).toEqual([
            'SMTP serversmtp.bank.example:25',
            'error idapp.admin.test_email.failure',
        ]);
        expect(smtp).toHaveTextContent('POST /api/v4/email/test → 500 in 31 ms');
        expect(smtp).toHaveTextContent('{"id":"app.admin.test_email.failure"}');
        const licence = within(panel).getByRole('listitem', {name: 'Licence'});
        expect(within(licence).getByText('Passed')).toHaveClass('cockpit-chip--ok');
        expect(licence).toHaveTextContent('by the scheduled job');
    });

    it('"Run live probes" asks the server to probe as the admin and shows the fresh answers', async () => {
        const fresh = {
            ...readinessFixture(),
            probes: [{...readinessFixture().probes[0], state: 'passed' as const, summary: 'smtp.bank.example:25 accepted a test message.'}],
        };
        const {calls} = setup({[`POST ${PlanRoutes.readinessProbesRun}`]: {body: fresh}});
        const panel = await screen.findByRole('region', {name: 'Live probes'});
        await userEvent.click(within(panel).getByRole('button', {name: 'Run live probes'}));
        expect(calls('POST', PlanRoutes.readinessProbesRun)[0].body).toEqual({});
        expect(await within(panel).findByText('smtp.bank.example:25 accepted a test message.')).toBeInTheDocument();
        expect(within(within(panel).getByRole('listitem', {name: 'SMTP connection'})).getByText('Passed')).toBeInTheDocument();
    });

    it('shows "needs license" as neutral, never as an error', async () => {
        setup();
        await screen.findByRole('region', {name: 'Other checks (directory)'});
        const ldap = checkItem('AD/LDAP group sync');
        const chip = within(ldap).getByText('Needs license');
        expect(chip).toHaveClass('cockpit-chip--neutral');
        expect(chip.className).not.toMatch(/error|warning/);
        expect(within(ldap).queryByText('Error')).not.toBeInTheDocument();
        expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    });

    it('deep-links each check to its System Console page under the site URL path', async () => {
        setup();
        await screen.findByRole('region', {name: 'Roll-out announcement'});
        expect(
            within(checkItem('SMTP server configured')).getByRole('link', {
                name: 'Open the System Console page for “SMTP server configured”',
            }),
        ).toHaveAttribute('href', '/team-chat/admin_console/environment/smtp');
        expect(within(checkItem('AD/LDAP group sync')).getByRole('link')).toHaveAttribute(
            'href',
            '/team-chat/admin_console/user_management/groups',
        );
    });

    it('links only same-site console paths', () => {
        expect(consoleHref('http://localhost:8065', '/admin_console/environment/smtp')).toBe('/admin_console/environment/smtp');
        expect(consoleHref('https://x.test/chat/', '/admin_console/a')).toBe('/chat/admin_console/a');
        expect(consoleHref(undefined, 'javascript:alert(1)')).toBeNull();
        expect(consoleHref(undefined, '//evil.example.com/admin_console')).toBeNull();
        expect(consoleHref(undefined, 'https://evil.example.com')).toBeNull();
    });

    it('"Run checks now" runs them on the server, shows progress, then the fresh report', async () => {
        const {fn, answer} = deferredFetch();
        renderInConsole(<ReadinessTab/>, makeStore());

        // GET readiness, GET plan: answer both.
        await act(async () => answer({body: readinessFixture()}));
        await act(async () => answer({body: planResponse()}));
        expect(await screen.findByRole('progressbar', {name: 'Readiness score'})).toHaveAttribute('aria-valuenow', '72');

        await userEvent.click(screen.getByRole('button', {name: 'Run checks now'}));

        expect(screen.getByRole('status')).toHaveTextContent('Running checks…');
        expect(screen.getByRole('button', {name: 'Run checks now'})).toBeDisabled();
        const [url, init] = fn.mock.calls[2] as unknown as [string, RequestInit];
        expect(url).toMatch(new RegExp(`${PlanRoutes.readinessRun}$`));
        expect(init.method).toBe('POST');

        const fresh = {
            ...readinessFixture(),
            score: 91,
            results: [check('email.smtp', 'rollout', 'ok', {title: 'SMTP server configured'})],
        };
        await act(async () => answer({body: fresh}));

        expect(screen.getByRole('progressbar', {name: 'Readiness score'})).toHaveAttribute('aria-valuenow', '91');
        expect(screen.queryByRole('status')).not.toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Run checks now'})).toBeEnabled();
        expect(within(checkItem('SMTP server configured')).getByText('OK')).toBeInTheDocument();
    });

    it('shows a failed load with Retry and still offers the config snapshot', async () => {
        setup({[`GET ${PlanRoutes.readiness}`]: {status: 500, body: {error: {id: ErrorIds.internal, message: 'boom'}}}});
        expect(await screen.findByRole('alert')).toHaveTextContent('The server answered 500: boom');
        expect(screen.getByRole('region', {name: 'Configuration snapshot'})).toBeInTheDocument();
    });
});

describe('Config snapshot', () => {
    const differences: SettingDifference[] = [
        {key: 'ServiceSettings.SiteURL', here: 'https://chat.example.com', there: 'https://staging.example.com', secret: false},
        {key: 'ServiceSettings.MaximumLoginAttempts', here: 10, there: undefined, secret: false},
        {key: 'SqlSettings.DataSource', here: '********', there: '********', secret: true},
    ];
    const snapshot = {
        schema_version: 1,
        taken_at: 1,
        server_version: '10.11.3',
        site_url: 'https://staging.example.com',
        settings: {'ServiceSettings.SiteURL': 'https://staging.example.com'},
    };

    it('compares another environment’s snapshot and lists the differences, secrets without values', async () => {
        const {calls} = setup({[`POST ${PlanRoutes.configCompare}`]: {body: differences}});
        await screen.findByRole('progressbar', {name: 'Readiness score'});
        const panel = screen.getByRole('region', {name: 'Configuration snapshot'});

        await userEvent.upload(within(panel).getByLabelText('Compare with a snapshot file'),
            new File([JSON.stringify(snapshot)], 'staging.json', {type: 'application/json'}));

        const table = await within(panel).findByRole('table', {name: '3 settings differ between this server and staging.json'});
        expect(calls('POST', PlanRoutes.configCompare)[0].body).toEqual({snapshot});
        const rows = within(table).getAllByRole('row').slice(1);
        expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(differences.map((d) => d.key));
        expect(
            within(rows[0]).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['https://chat.example.com', 'https://staging.example.com']);
        expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['10', '(not set)']);
        expect(within(rows[2]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Differs (secret, value not shown)']);
        expect(table).not.toHaveTextContent('********');
    });

    it('shows the server message when the snapshot is refused', async () => {
        setup({
            [`POST ${PlanRoutes.configCompare}`]: {
                status: 400,
                body: {error: {id: ErrorIds.invalid, message: 'snapshot.schema_version: expected 1'}},
            },
        });
        await screen.findByRole('progressbar', {name: 'Readiness score'});
        await userEvent.upload(
            screen.getByLabelText('Compare with a snapshot file'),
            new File(['{"schema_version":2}'], 's.json', {type: 'application/json'}),
        );
        expect(await screen.findByRole('alert')).toHaveTextContent('The snapshot cannot be compared: snapshot.schema_version: expected 1');
    });

    it('downloads this server’s snapshot as a file', async () => {
        const {calls} = setup({[`GET ${PlanRoutes.configSnapshot}`]: {text: JSON.stringify(snapshot)}});
        URL.createObjectURL = jest.fn(() => 'blob:snapshot');
        URL.revokeObjectURL = jest.fn();
        const names: string[] = [];
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
            names.push(this.download);
        });
        await screen.findByRole('progressbar', {name: 'Readiness score'});
        await userEvent.click(screen.getByRole('button', {name: 'Download snapshot'}));
        await act(async () => undefined);
        expect(calls('GET', PlanRoutes.configSnapshot)).toHaveLength(1);
        expect(names).toEqual([expect.stringMatching(/^config-snapshot-chat-example-com-\d{4}-\d{2}-\d{2}\.json$/)]);
        click.mockRestore();
    });
});
