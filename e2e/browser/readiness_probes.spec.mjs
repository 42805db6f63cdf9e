// The Readiness tab's live probes in a real browser against the real server: the admin runs the probes,
// sees each probe's state with who ran it and its raw facts, and the checks' two kinds of backing
// ("Verified by probe" where a probe answered, "Configured" where only the settings speak). Started by
// TestBrowserReadinessProbes (e2e/cockpit/readiness_probes_browser_test.go), which points the server's
// SMTP at a sink on loopback and passes:
//   HARNESS_URL              the harness page
//   SMTP_ADDR                the sink's host:port (the SMTP probe's fact)
//   PROBES_SCREENSHOT_PATH   where to save the screenshot
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserReadinessProbes (cd e2e && go test ./cockpit -run BrowserReadinessProbes)');

const smtpAddr = env('SMTP_ADDR');
const shot = env('PROBES_SCREENSHOT_PATH', '/tmp/readiness-probes.png');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser();

test('running the live probes shows their states, who ran them, their raw facts, and the checks they back', async () => {
    await openTab('Readiness');

    const panel = page.getByRole('region', {name: 'Live probes', exact: true});
    await panel.waitFor({timeout: 20_000});
    const ran = page.waitForResponse(
        (r) => (/\/plugins\/onboarding-cockpit\/api\/v1\/readiness\/probes\/run$/).test(r.url()) && r.request().method() === 'POST',
    );
    await panel.getByRole('button', {name: 'Run live probes', exact: true}).click();
    const res = await ran;
    assert.equal(res.status(), 200, `POST probes/run answered ${res.status()}`);
    const report = await res.json();

    // The SMTP probe passed against the sink, by the signed-in admin, with the sink as its fact.
    const smtp = panel.getByRole('listitem', {name: 'SMTP connection', exact: true});
    await smtp.getByText('Passed', {exact: true}).waitFor({timeout: 10_000});
    await smtp.getByText(/^SMTP connection probed .+ by \S+$/).waitFor();
    await smtp.getByText('Raw facts', {exact: true}).click();
    const facts = smtp.getByRole('table', {name: 'What SMTP connection found', exact: true});
    await facts.getByRole('row', {name: `SMTP server ${smtpAddr}`}).waitFor();
    await smtp.getByText(/POST \/api\/v4\/email\/test → 200 in \d+ ms/).waitFor();

    // The cluster probe on this single server: not configured, with its raw answer.
    const cluster = panel.getByRole('listitem', {name: 'High availability cluster', exact: true});
    await cluster.getByText('Not configured', {exact: true}).waitFor();

    // Every probe of the report is listed with its state.
    for (const probe of report.probes) {
        await panel.getByRole('listitem', {name: probe.title, exact: true}).waitFor();
    }

    // The SMTP check rests on the probe; Site URL only on the settings.
    const smtpCheck = page.getByRole('listitem', {name: 'SMTP server configured', exact: true});
    await smtpCheck.getByText('Verified by probe', {exact: true}).waitFor();
    const siteCheck = page.getByRole('listitem', {name: 'Site URL is set', exact: true});
    await siteCheck.getByText('Configured', {exact: true}).waitFor();
    assert.equal(
        await siteCheck.getByText('Configured', {exact: true}).getAttribute('title'),
        'Read from the settings only: nothing has tested that it works.',
    );

    await smtp.scrollIntoViewIfNeeded();
    await screenshot(page, shot, {fullPage: true});

    assert.deepEqual(failedResponses, [], 'HTTP errors while the probes ran');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});
