import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type {ConfigApply} from 'contract/configsnapshot';
import {ConfigSnapshotEndpoints} from 'contract/endpoints/configsnapshot';
import {LoadTestEndpoints} from 'contract/endpoints/loadtest';
import {ErrorIds} from 'contract/errors';
import type {LoadTestOverview, LoadTestRun} from 'contract/loadtest';
import type {SettingDifference} from 'contract/plan_api';
import {PlanRoutes} from 'contract/routes';

import {consoleHref, ReadinessTab} from './readiness_tab';

import {deferredFetch, makeStore, renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {check, planResponse, readinessFixture} from '../test/plan_fixtures';

const emptyOverview: LoadTestOverview = {
    target: null,
    verdict: {state: 'no_target', supported_users: null, concurrent_users: null, run_seq: null, measured_on: null},
    runs: [],
    total_runs: 0,
};

function setup(routes: Record<string, RouteAnswer> = {}, siteURL = 'https://chat.example.com/team-chat') {
    const fake = routeFetch({
        [`GET ${PlanRoutes.readiness}`]: {body: readinessFixture()},
        [`GET ${PlanRoutes.plan}`]: {body: planResponse()},
        [`GET ${LoadTestEndpoints.overview.toPath()}`]: {body: emptyOverview},
        [`GET ${ConfigSnapshotEndpoints.applies.toPath()}`]: {body: {version: 0, changes: []}},
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

        // Answers by URL: the panels below the report load their own data at the same time.
        const answered = new Set<number>();
        const answerFor = async (path: string, a: {body: unknown}) => {
            const urls = fn.mock.calls.map((c) => String((c as unknown as [string])[0]));
            const call = urls.findIndex((url, k) => !answered.has(k) && url.endsWith(path));
            const index = urls.slice(0, call).filter((_, k) => !answered.has(k)).length;
            answered.add(call);
            await act(async () => answer(a, index));
        };

        // GET readiness, GET plan, and the panels' reads: answer them all.
        await answerFor(PlanRoutes.readiness, {body: readinessFixture()});
        await answerFor(PlanRoutes.plan, {body: planResponse()});
        await answerFor(LoadTestEndpoints.overview.toPath(), {body: emptyOverview});
        await answerFor(ConfigSnapshotEndpoints.applies.toPath(), {body: {version: 0, changes: []}});
        expect(await screen.findByRole('progressbar', {name: 'Readiness score'})).toHaveAttribute('aria-valuenow', '72');

        await userEvent.click(screen.getByRole('button', {name: 'Run checks now'}));

        expect(screen.getByRole('status')).toHaveTextContent('Running checks…');
        expect(screen.getByRole('button', {name: 'Run checks now'})).toBeDisabled();
        const [url, init] = fn.mock.calls[fn.mock.calls.length - 1] as unknown as [string, RequestInit];
        expect(url).toMatch(new RegExp(`${PlanRoutes.readinessRun}$`));
        expect(init.method).toBe('POST');

        const fresh = {
            ...readinessFixture(),
            score: 91,
            results: [check('email.smtp', 'rollout', 'ok', {title: 'SMTP server configured'})],
        };
        await answerFor(PlanRoutes.readinessRun, {body: fresh});

        expect(screen.getByRole('progressbar', {name: 'Readiness score'})).toHaveAttribute('aria-valuenow', '91');
        expect(screen.queryByRole('status')).not.toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Run checks now'})).toBeEnabled();
        expect(within(checkItem('SMTP server configured')).getByText('OK')).toBeInTheDocument();
    });

    it('shows a failed load with Retry and still offers the config snapshot', async () => {
        setup({[`GET ${PlanRoutes.readiness}`]: {status: 500, body: {error: {id: ErrorIds.internal, message: 'boom'}}}});
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'The server answered 500: Something went wrong on the server; the plugin log has the details.',
        );
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
        ).toEqual(['', 'https://chat.example.com', 'https://staging.example.com']);
        expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['', '10', '(not set)']);
        expect(within(rows[2]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['', 'Differs (secret, value not shown)']);

        // Secrets cannot be picked.
        expect(within(rows[2]).queryByRole('checkbox')).toBeNull();
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

describe('Staging → production', () => {
    const snapshot = {
        schema_version: 1,
        taken_at: 1,
        server_version: '11.4.0',
        site_url: 'https://staging.example.com',
        settings: {'PasswordSettings.MinimumLength': 12},
    };
    const patch = {PasswordSettings: {MinimumLength: 12}};
    const applied: ConfigApply = {
        seq: 1,
        at: Date.UTC(2026, 11, 5),
        user_id: 'admin',
        kind: 'apply',
        source: {site_url: 'https://staging.example.com', server_version: '11.4.0', taken_at: 1},
        patch,
        changes: [{key: 'PasswordSettings.MinimumLength', before: 8, after: 12}],
        not_applied: [],
    };

    it('picks a difference, shows the exact patch, applies it and offers its rollback', async () => {
        const {calls} = setup({
            [`POST ${PlanRoutes.configCompare}`]: {body: [{key: 'PasswordSettings.MinimumLength', here: 8, there: 12, secret: false}]},
            [`POST ${ConfigSnapshotEndpoints.patchPreview.toPath()}`]: {
                body: {patch, changes: applied.changes, refused: []},
            },
            [`POST ${ConfigSnapshotEndpoints.apply.toPath()}`]: {body: applied},
            [`GET ${ConfigSnapshotEndpoints.applies.toPath()}`]: [
                {body: {version: 0, changes: []}},
                {body: {version: 1, changes: [applied]}},
            ],
        });
        await screen.findByRole('progressbar', {name: 'Readiness score'});
        const panel = screen.getByRole('region', {name: 'Configuration snapshot'});
        await userEvent.upload(within(panel).getByLabelText('Compare with a snapshot file'),
            new File([JSON.stringify(snapshot)], 'staging.json', {type: 'application/json'}));
        await userEvent.click(await within(panel).findByRole('checkbox', {name: 'Copy PasswordSettings.MinimumLength to this server'}));
        await userEvent.click(within(panel).getByRole('button', {name: 'Show the patch for the picked settings'}));

        expect(await within(panel).findByTestId('config-patch')).toHaveTextContent('"MinimumLength": 12');
        const previewCall = calls('POST', ConfigSnapshotEndpoints.patchPreview.toPath())[0];
        expect(previewCall.body).toEqual({snapshot, keys: ['PasswordSettings.MinimumLength']});
        expect(within(panel).getByRole('button', {name: 'Download for mmctl config patch'})).toBeEnabled();

        await userEvent.click(within(panel).getByRole('button', {name: 'Apply to this server'}));
        expect(await within(panel).findByText('Change #1 applied and read back.')).toBeInTheDocument();
        expect(calls('POST', ConfigSnapshotEndpoints.apply.toPath())[0].body).toEqual({
            expected_version: 0, snapshot, keys: ['PasswordSettings.MinimumLength'],
        });
        expect(await within(panel).findByRole('button', {name: 'Roll back #1'})).toBeInTheDocument();
    });
});

describe('Load test against the sizing', () => {
    const run: LoadTestRun = {
        format: 'ltctl_status',
        supported_users: 2150,
        started_at: Date.UTC(2026, 10, 30, 9),
        stopped_at: Date.UTC(2026, 10, 30, 12),
        num_errors: 42,
        label: null,
        seq: 1,
        uploaded_at: Date.UTC(2026, 11, 1),
        uploaded_by: 'admin',
        file_name: 'status.txt',
        target_at_upload: 2100,
    };
    const target = {total_users: 8000, concurrent_users: 2100, architecture_users: null};

    it('uploads a result file and shows the verdict against the target, with the reference architecture', async () => {
        const {calls} = setup({
            [`GET ${LoadTestEndpoints.overview.toPath()}`]: {
                body: {
                    ...emptyOverview,
                    target,
                    verdict: {state: 'no_run', supported_users: null, concurrent_users: 2100, run_seq: null, measured_on: null},
                },
            },
            [`POST ${LoadTestEndpoints.upload.toPath()}`]: {
                status: 201,
                body: {
                    run,
                    overview: {
                        target,
                        runs: [run],
                        total_runs: 1,
                        verdict: {state: 'reached', supported_users: 2150, concurrent_users: 2100, run_seq: 1, measured_on: '2026-11-30'},
                    },
                },
            },
        });
        const panel = await screen.findByRole('region', {name: 'Load test against the sizing'});
        expect(await within(panel).findByText('No load-test result yet for 2,100 planned concurrent users.')).toBeInTheDocument();
        expect(within(panel).getByText(/Reference architecture: up to 15,000 concurrent users/)).toBeInTheDocument();
        expect(within(panel).getByTestId('loadtest-target')).toHaveTextContent(
            'Measured against the plan’s sizing: 2,100 concurrent users of 8,000 planned users (Plan tab, Hardware sizing).',
        );

        const file = new File(['State: done'], 'status.txt', {type: 'text/plain'});
        await userEvent.upload(within(panel).getByLabelText('Upload a result file'), file);
        expect(await within(panel).findByText(/Verified: the newest run supported 2,150 concurrent users/)).toBeInTheDocument();
        expect(calls('POST', LoadTestEndpoints.upload.toPath())[0].body).toEqual({file_name: 'status.txt', content: 'State: done'});
        expect(within(panel).getByRole('table', {name: 'Load-test runs, newest first (1 in all)'})).toHaveTextContent('2,150');
    });

    it('shows why a file was refused', async () => {
        setup({
            [`POST ${LoadTestEndpoints.upload.toPath()}`]: {
                status: 400,
                body: {error: {id: ErrorIds.loadTestForeign, message: 'This is not a result of Mattermost’s load-test tool.'}},
            },
        });
        const panel = await screen.findByRole('region', {name: 'Load test against the sizing'});
        const file = new File(['a,b'], 'x.json', {type: 'application/json'});
        await userEvent.upload(within(panel).getByLabelText('Upload a result file'), file);
        expect(await within(panel).findByRole('alert')).
            toHaveTextContent('x.json was not stored: This is not a result of Mattermost’s load-test tool.');
    });
});
