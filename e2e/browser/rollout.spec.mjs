// The Overview (the roll-out at a glance) and the Plan tab's status updates in a real browser (Debian
// Chromium driven by playwright-core), against the real Mattermost server through the harness page.
// Started by TestBrowserRollout (e2e/cockpit/rollout_browser_test.go), which saved the project channel
// and passes:
//   HARNESS_URL                   the harness page
//   PLAN_PERCENT, READINESS_SCORE the numbers GET /api/v1/plan and /api/v1/readiness answer
//   CHANNEL_LABEL                 the project channel as the form shows it
//   OVERVIEW_SCREENSHOT_PATH, PREVIEW_SCREENSHOT_PATH   where to save the screenshots
// The Go test then checks the channel holds the one post the browser asked for.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserRollout (cd e2e && go test ./cockpit -run BrowserRollout)');

const planPercent = Number(env('PLAN_PERCENT'));
const readinessScore = Number(env('READINESS_SCORE'));
const channelLabel = env('CHANNEL_LABEL');
const overviewShot = env('OVERVIEW_SCREENSHOT_PATH', '/tmp/overview.png');
const previewShot = env('PREVIEW_SCREENSHOT_PATH', '/tmp/status-preview.png');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser();

test('the Overview shows the roll-out at a glance, the diagnostics collapsed, and links to the tabs', async () => {
    await openTab('Overview');
    const plan = page.getByRole('region', {name: 'Plan progress', exact: true});
    await plan.waitFor({timeout: 20_000});
    const overall = plan.getByRole('progressbar').first();
    assert.equal(Number(await overall.getAttribute('aria-valuenow')), planPercent);
    const readiness = page.getByRole('region', {name: 'Readiness', exact: true});
    assert.match(await readiness.textContent(), new RegExp(`${readinessScore} / 100`));
    for (const name of ['Due this week and overdue', 'Waves', 'Adoption against targets', 'Role-template proposals']) {
        await page.getByRole('region', {name, exact: true}).waitFor();
    }

    // Collapsed: the engine counters are not shown until Diagnostics is opened.
    assert.equal(await page.getByRole('region', {name: 'Script engines', exact: true}).isVisible(), false);
    await screenshot(page, overviewShot, {fullPage: true});

    await readiness.getByRole('button', {name: 'Open Readiness'}).click();
    assert.equal(await page.getByRole('tab', {name: 'Readiness', exact: true}).getAttribute('aria-selected'), 'true');
});

test('the Plan tab previews the next status post, then posts it', async () => {
    await page.getByRole('tab', {name: 'Plan', exact: true}).click();
    await page.getByText('Status updates', {exact: true}).click();
    await page.getByTestId('rollout-channel').filter({hasText: channelLabel}).waitFor({timeout: 20_000});

    await page.getByRole('button', {name: 'Preview', exact: true}).click();
    const preview = page.getByRole('region', {name: 'The next post, as the channel will show it'});
    await preview.waitFor({timeout: 20_000});
    const markdown = await preview.getByTestId('rollout-preview-markdown').textContent();
    assert.match(markdown, new RegExp(`\\*\\*Plan:\\*\\* ${planPercent} %`));
    assert.match(markdown, new RegExp(`\\*\\*Readiness:\\*\\* ${readinessScore} / 100`));

    // Rendered inert: no image or link from the plan's text.
    assert.equal(await preview.locator('img').count(), 0);
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, previewShot, {fullPage: true});

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/rollout/updates/post') && r.request().method() === 'POST');
    await page.getByRole('button', {name: 'Post now', exact: true}).click();
    assert.equal((await posted).status(), 201);
    await page.getByRole('status').filter({hasText: 'Posted to the project channel.'}).waitFor();

    await page.getByText('Timeline', {exact: true}).click();
    await page.getByRole('table', {name: 'Timeline'}).getByText('Status update posted').first().waitFor({timeout: 20_000});

    assert.deepEqual(failedResponses, [], 'HTTP errors');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors.filter((e) => !(/^Failed to load resource/).test(e)), []);
});
