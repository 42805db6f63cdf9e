// The Adoption tab in a real browser against a real server (started by the Go test
// TestBrowserAdoption, e2e/cockpit/adoption_test.go, with HARNESS_URL, ARTIFACTS_DIR, CHROMIUM_PATH):
// the numbers, the plots drawn on canvases with their data tables, a target added through the editor
// with its progress bar. Screenshot: ARTIFACTS_DIR/adoption-desktop.png.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {openBrowser, requireEnv} from './session.mjs';

const env = requireEnv('TestBrowserAdoption (cd e2e && go test ./cockpit -run BrowserAdoption)');

const harnessURL = env('HARNESS_URL');
const artifacts = env('ARTIFACTS_DIR');

let browser;
let page;
let consoleErrors;
let failedResponses;

before(async () => {
    mkdirSync(artifacts, {recursive: true});
    ({browser, page, consoleErrors, failedResponses} = await openBrowser({viewport: {width: 1440, height: 1000}}));
});

after(async () => {
    await browser?.close();
});

test('numbers, plots with data tables, and a target with progress', async () => {
    await page.goto(harnessURL);
    await page.getByTestId('harness-state').filter({hasText: /^(ready|failed)$/}).waitFor({timeout: 30_000});
    assert.equal(await page.evaluate(() => window.__harness.state), 'ready');
    await page.getByRole('tab', {name: 'Adoption', exact: true}).click();
    const today = page.getByRole('region', {name: 'Adoption today'});
    await today.waitFor({timeout: 20_000});
    await today.getByText('Monthly active users').waitFor();

    // The daily job ran at activation: one day is plotted (canvases drawn) and listed in the tables.
    const day = new Date().toISOString().slice(0, 10);
    const table = page.getByRole('table', {name: 'Active users per day'});
    await table.getByRole('rowheader', {name: day}).waitFor({timeout: 20_000});
    // Active users, posts, and the server load (the job took a load sample at activation).
    assert.equal(await page.locator('.cockpit-chart canvas').count(), 3);
    const drawn = await page.locator('.cockpit-chart canvas').first().evaluate((c) => c.width > 0 && c.height > 0);
    assert.ok(drawn, 'the chart canvas has a size');

    await page.getByRole('button', {name: 'Edit targets'}).click();
    const row = page.locator('fieldset').last();
    await row.getByRole('textbox', {name: 'Label'}).fill('MAU 80 % by March');
    await row.getByRole('spinbutton', {name: 'Threshold'}).fill('80');
    await row.getByLabel('Due date').fill('2027-03-01');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/adoption/targets'));
    await page.getByRole('button', {name: 'Save targets'}).click();
    assert.equal((await saved).status(), 200);
    const bar = page.getByRole('progressbar', {name: 'MAU 80 % by March'});
    await bar.waitFor();
    assert.match(await bar.getAttribute('aria-valuetext'), /^\d+ of \d+ \(\d+(\.\d)? %\)$/);

    // Server load: the latest sample's numbers, plotted; WebSocket connections point to where the console shows them.
    const load = page.getByRole('region', {name: 'Server load'});
    assert.match(await load.getByText('Active sessions', {exact: true}).locator('xpath=following-sibling::dd').innerText(), /^\d[\d,]*$/);
    assert.match(await load.getByText('Database connections (all nodes)', {exact: true}).locator('xpath=following-sibling::dd').innerText(), /^\d+ of \d+ allowed \(\d+ %\)$/);
    assert.equal(await load.getByRole('link', {name: 'Site Statistics'}).getAttribute('href'), '/admin_console/reporting/system_analytics');
    await load.screenshot({path: join(artifacts, 'adoption-server-load.png')});
    await page.getByRole('region', {name: 'Stakeholder status page'}).getByRole('button', {name: 'Edit access'}).waitFor();

    await page.screenshot({path: join(artifacts, 'adoption-desktop.png'), fullPage: true});
    assert.deepEqual(failedResponses, [], 'HTTP errors in the Adoption tab');
    assert.deepEqual(consoleErrors, []);
});
