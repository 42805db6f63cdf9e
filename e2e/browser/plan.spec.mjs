// The Plan and Readiness tabs in a real browser (Debian Chromium driven by playwright-core), against
// the real Mattermost server through the same-origin harness page (e2e/harness). Started by the Go
// test TestBrowserPlan (e2e/cockpit/plan_browser_test.go), which picks the task and passes:
//   HARNESS_URL                  the harness page (front door = the server's SiteURL)
//   PHASE_TITLE, TASK_TITLE      a phase and one of its required tasks that is not completed yet
//   EXPECT_BEFORE, EXPECT_AFTER  the phase's progress (percent) before and after the task is done,
//                                computed by the Go side from GET /api/v1/plan
//   PLAN_SCREENSHOT_PATH, READINESS_SCREENSHOT_PATH   where to save the screenshots
//   CHROMIUM_PATH                default /usr/bin/chromium
// The Go test restores the plan afterwards.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot, selectTab, showPlanCards} from './session.mjs';

const env = requireEnv('TestBrowserPlan (cd e2e && go test ./cockpit -run BrowserPlan)');

const phaseTitle = env('PHASE_TITLE');
const taskTitle = env('TASK_TITLE');
const expectBefore = Number(env('EXPECT_BEFORE'));
const expectAfter = Number(env('EXPECT_AFTER'));
const planShot = env('PLAN_SCREENSHOT_PATH', '/tmp/plan.png');
const readinessShot = env('READINESS_SCREENSHOT_PATH', '/tmp/readiness.png');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser();

const showCards = () => showPlanCards(page);

const phaseBar = () => page.getByRole('progressbar', {name: `Progress of ${phaseTitle}`, exact: true});
const taskRow = () => page.getByRole('listitem', {name: taskTitle, exact: true});

async function valueNow(locator) {
    return Number(await locator.getAttribute('aria-valuenow'));
}

/** Polls until the progress bar shows `want` (bounded), returns what it shows last. */
async function waitForValue(locator, want, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let v = await valueNow(locator);
    while (v !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        v = await valueNow(locator);
    }
    return v;
}

test('marking a required task done raises its phase progress bar', async () => {
    await openTab('Plan');
    await showCards();
    const bar = phaseBar();
    await bar.waitFor({timeout: 20_000});
    const beforeValue = await valueNow(bar);
    assert.equal(beforeValue, expectBefore, `progress of "${phaseTitle}" before`);

    const row = taskRow();
    await row.waitFor();
    const state = row.getByLabel('State', {exact: true});
    assert.notEqual(await state.inputValue(), 'done');
    const saved = page.waitForResponse(
        (r) => (/\/plugins\/onboarding-cockpit\/api\/v1\/plan\/tasks\//).test(r.url()) && r.request().method() === 'PATCH',
    );
    await state.selectOption('done');
    const res = await saved;
    assert.equal(res.status(), 200, `PATCH answered ${res.status()}`);
    assert.deepEqual(JSON.parse(res.request().postData()).changes, {state: 'done'});

    const afterValue = await waitForValue(bar, expectAfter);
    assert.equal(afterValue, expectAfter, `progress of "${phaseTitle}" after`);
    assert.ok(afterValue > beforeValue, `progress did not increase: ${beforeValue} -> ${afterValue}`);
    assert.equal(await state.inputValue(), 'done');

    await row.scrollIntoViewIfNeeded();
    await bar.scrollIntoViewIfNeeded();
    await screenshot(page, planShot);
});

test('after a reload the task is still done and the progress stays', async () => {
    await openTab('Plan');
    await showCards();
    const bar = phaseBar();
    await bar.waitFor({timeout: 20_000});
    assert.equal(await waitForValue(bar, expectAfter), expectAfter);
    assert.equal(await taskRow().getByLabel('State', {exact: true}).inputValue(), 'done');
});

test('the Readiness tab shows a score from the real server', async () => {
    const loaded = page.waitForResponse(
        (r) => (/\/plugins\/onboarding-cockpit\/api\/v1\/readiness$/).test(r.url()) && r.request().method() === 'GET',
    );
    await selectTab(page, 'Readiness');
    const res = await loaded;
    assert.equal(res.status(), 200);
    const report = await res.json();
    const bar = page.getByRole('progressbar', {name: 'Readiness score', exact: true});
    await bar.waitFor({timeout: 20_000});
    const score = await valueNow(bar);
    assert.ok(Number.isInteger(score) && score >= 0 && score <= 100, `score ${score}`);
    assert.equal(score, Math.round(report.score), 'the bar shows the score the server computed');
    assert.equal(await bar.getAttribute('aria-valuetext'), `${score} of 100`);

    // A check that is on this server's report is listed.
    assert.ok(report.results.length > 0);
    await page.getByText(report.results[0].title, {exact: true}).first().waitFor();

    await screenshot(page, readinessShot);

    assert.deepEqual(failedResponses, [], 'HTTP errors while the Plan and Readiness tabs ran');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});
