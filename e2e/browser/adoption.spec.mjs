// The Adoption tab in a real browser against a real server (started by the Go test
// TestBrowserAdoption, e2e/cockpit/adoption_test.go, with HARNESS_URL, ARTIFACTS_DIR, CHROMIUM_PATH;
// it runs a wave of 4 people and has the adoption job measure it first): the numbers, the trend plots
// and the per-wave bar charts (funnel, feedback) painted on canvases with their data tables, a target
// of "% of provisioned" added through the editor with its progress bar. Screenshots:
// ARTIFACTS_DIR/adoption-desktop.png (the whole tab) and adoption-waves.png (the per-wave section).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, requireEnv, screenshot, launchBrowser} from './session.mjs';

const env = requireEnv('TestBrowserAdoption (cd e2e && go test ./cockpit -run BrowserAdoption)');

const artifacts = env('ARTIFACTS_DIR');

/** Whether every canvas the locator matches holds painted pixels (not only a size). */
async function painted(locator) {
    return locator.evaluateAll((canvases) => canvases.length > 0 && canvases.every((canvas) => {
        if (canvas.width === 0 || canvas.height === 0) {
            return false;
        }
        const {data} = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        return data.some((value, i) => i % 4 === 3 && value > 0);
    }));
}

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser({viewport: {width: 1440, height: 1000}});

test('numbers, plots with data tables, and a target with progress', async () => {
    await openTab('Adoption');
    const today = page.getByRole('region', {name: 'Adoption today'});
    await today.waitFor({timeout: 20_000});
    await today.getByText('Monthly active users').waitFor();

    // The daily job ran at activation: one day is plotted (canvases drawn) and listed in the tables.
    const day = new Date().toISOString().slice(0, 10);
    const table = page.getByRole('table', {name: 'Active users per day'});
    await table.getByRole('rowheader', {name: day}).waitFor({timeout: 20_000});

    // Active users, posts, the two per-wave bar charts (the day's snapshot may predate the wave: then no
    // per-wave trend yet), and the server load (the job took a load sample at activation).
    const canvases = await page.locator('.cockpit-chart canvas').count();
    assert.ok(canvases === 5 || canvases === 6, `${canvases} charts, want 5 or 6`);
    await page.waitForFunction(() => [...document.querySelectorAll('.cockpit-chart canvas')].every((canvas) => {
        const {data} = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        return canvas.width > 0 && data.some((value, i) => i % 4 === 3 && value > 0);
    }), null, {timeout: 10_000});
    assert.ok(await painted(page.locator('.cockpit-chart canvas')), 'every chart canvas holds painted pixels');

    // Per wave: the funnel and feedback bar charts, their data in tables (the measured wave of 4 people).
    const waves = page.getByRole('region', {name: 'Rollout waves'});
    const funnel = waves.getByRole('table', {name: 'Activation per wave'});
    const pilot = funnel.getByRole('row').filter({has: page.getByRole('rowheader', {name: /^Adoption pilot /})});

    // 4 people, all welcomed; two logged in (and answered the feedback question), one posted. The invited
    // and account columns are there only when a measured wave has some: 0 for this one.
    const stages = (await funnel.getByRole('columnheader').allInnerTexts()).slice(1);
    const counts = Object.fromEntries((await pilot.getByRole('cell').allInnerTexts()).map((cell, i) => [stages[i], cell]));
    assert.deepEqual(
        ['Cohort', 'Provisioned', 'Welcomed', 'Logged in', 'Posted'].map((stage) => counts[stage]),
        ['4', '4', '4', '2', '1'],
    );
    for (const stage of ['Invited', 'Has an account'].filter((name) => name in counts)) {
        assert.equal(counts[stage], '0', stage);
    }
    const feedback = waves.getByRole('table', {name: 'Feedback answers per wave'});
    assert.deepEqual(await feedback.getByRole('columnheader').allInnerTexts(), ['Wave', 'Great', 'OK', 'I need help']);
    const answers = feedback.getByRole('row').filter({has: page.getByRole('rowheader', {name: /^Adoption pilot /})});
    assert.deepEqual(await answers.getByRole('cell').allInnerTexts(), ['1', '0', '1']);
    const bars = waves.
        locator('figure').
        filter({has: page.getByRole('table', {name: /^(Activation|Feedback answers) per wave$/})}).
        locator('canvas');
    assert.equal(await bars.count(), 2);
    assert.ok(await painted(bars), 'the bar charts hold painted pixels');

    // The table toggle shows the funnel table.
    await waves.getByRole('button', {name: 'Show the data table'}).first().click();
    assert.doesNotMatch(await funnel.getAttribute('class'), /sr-only/);
    await waves.getByRole('button', {name: 'Export waves CSV'}).waitFor();
    await screenshot(waves, join(artifacts, 'adoption-waves.png'));

    await page.getByRole('button', {name: 'Edit targets'}).click();

    // The editor's last target row (other panels' write controls are fieldsets too).
    const targets = page.getByRole('region', {name: 'Success targets'});
    const row = targets.locator('fieldset.cockpit-targets-editor__row').last();
    await row.getByRole('textbox', {name: 'Label'}).fill('MAU 80 % by March');
    await row.getByRole('combobox', {name: 'Threshold type'}).selectOption({label: 'Percent'});
    await row.getByRole('combobox', {name: 'Percent of'}).selectOption({label: 'Users provisioned by waves'});
    await row.getByRole('spinbutton', {name: 'Threshold'}).fill('80');
    await row.getByLabel('Due date').fill('2027-03-01');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/adoption/targets'));
    await page.getByRole('button', {name: 'Save targets'}).click();
    const savedResponse = await saved;
    assert.equal(savedResponse.status(), 200);
    assert.equal((await savedResponse.json()).targets.at(-1).base, 'provisioned');
    await assertConsoleFormUntouched(page, assert, 'saving the targets');
    const bar = page.getByRole('progressbar', {name: 'MAU 80 % by March'});
    await bar.waitFor();
    assert.match(await bar.getAttribute('aria-valuetext'), /^\d+ of \d+ \(\d+(\.\d)? %\)$/);
    await page.getByText(/≥ 80 % of the users provisioned by waves \(\d+\) by 2027-03-01/).waitFor();

    // The targets CSV carries the base.
    const download = page.waitForEvent('download');
    await page.getByRole('region', {name: 'Success targets'}).getByRole('button', {name: 'Export targets CSV'}).click();
    const csvPath = await (await download).path();
    assert.match(readFileSync(csvPath, 'utf8'), /"MAU 80 % by March","monthly_active","percent","80","provisioned","2027-03-01"/);

    // Server load: the latest sample's numbers, plotted; WebSocket connections point to where the console shows them.
    const load = page.getByRole('region', {name: 'Server load'});
    assert.match(await load.getByText('Active sessions', {exact: true}).locator('xpath=following-sibling::dd').innerText(), /^\d[\d,]*$/);
    assert.match(
        await load.getByText('Database connections (all nodes)', {exact: true}).locator('xpath=following-sibling::dd').innerText(),
        /^\d+ of \d+ allowed \(\d+ %\)$/,
    );
    assert.equal(await load.getByRole('link', {name: 'Site Statistics'}).getAttribute('href'), '/admin_console/reporting/system_analytics');
    await screenshot(load, join(artifacts, 'adoption-server-load.png'));
    await page.getByRole('region', {name: 'Stakeholder status page'}).getByRole('button', {name: 'Edit access'}).waitFor();

    await screenshot(page, join(artifacts, 'adoption-desktop.png'), {fullPage: true});
    assert.deepEqual(failedResponses, [], 'HTTP errors in the Adoption tab');
    assert.deepEqual(consoleErrors, []);
});
