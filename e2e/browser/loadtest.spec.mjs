// A load-test upload and task evidence in a real browser against the real server: the admin saves the
// plan's sizing in the Plan tab, uploads a load-test result below it (not enough) and one that reaches
// it in the Readiness tab, and sees the load-test task "Verified by evidence"; then adds a link as
// evidence to the disaster-recovery drill, accepts it, and sees how long it is valid. Started by
// TestBrowserLoadTest (e2e/cockpit/loadtest_browser_test.go), which restores the plan and the sizing
// afterwards and passes:
//   HARNESS_URL                       the harness page
//   TOTAL_USERS, CONCURRENT_USERS     the sizing to save; ARCHITECTURE_LABEL the reference architecture's option
//   BELOW_FILE, BELOW_USERS           a result file of the load-test tool below the target, and its supported users
//   REACHED_FILE, REACHED_USERS       one that reaches it
//   LOADTEST_TASK_TITLE               the load-test task
//   DRILL_TASK_ID, DRILL_TASK_TITLE   the disaster-recovery drill
//   EVIDENCE_URL, EVIDENCE_DATED, EXPECT_VALID_UNTIL   the drill's evidence, its day, and the day it stops counting
//   LOADTEST_SCREENSHOT_PATH, EVIDENCE_SCREENSHOT_PATH  where to save the screenshots
import assert from 'node:assert/strict';
import {basename} from 'node:path';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot, selectTab, showPlanCards} from './session.mjs';

const env = requireEnv('TestBrowserLoadTest (cd e2e && go test ./cockpit -run BrowserLoadTest)');

const totalUsers = Number(env('TOTAL_USERS'));
const concurrentUsers = Number(env('CONCURRENT_USERS'));
const architectureLabel = env('ARCHITECTURE_LABEL');
const belowFile = env('BELOW_FILE');
const belowUsers = Number(env('BELOW_USERS'));
const reachedFile = env('REACHED_FILE');
const reachedUsers = Number(env('REACHED_USERS'));
const loadTestTaskTitle = env('LOADTEST_TASK_TITLE');
const drillTaskTitle = env('DRILL_TASK_TITLE');
const drillTaskId = env('DRILL_TASK_ID');
const evidenceURL = env('EVIDENCE_URL');
const evidenceDated = env('EVIDENCE_DATED');
const expectValidUntil = env('EXPECT_VALID_UNTIL');
const loadTestShot = env('LOADTEST_SCREENSHOT_PATH', '/tmp/loadtest.png');
const evidenceShot = env('EVIDENCE_SCREENSHOT_PATH', '/tmp/evidence.png');

const API = '/plugins/onboarding-cockpit/api/v1';
const fmt = (n) => new Intl.NumberFormat('en-US').format(n);

const {page, consoleErrors, failedResponses, open} = await launchBrowser();

const openTab = (name) => selectTab(page, name);

/** Waits for the answer of `method path` (path relative to the plugin's API) while `act` runs it. */
async function answerOf(method, path, act) {
    const answered = page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(API + path));
    await act();
    return answered;
}

const taskCard = (title) => page.getByRole('listitem', {name: title, exact: true});

test('the sizing saved in the Plan tab is what an uploaded load test is measured against; reaching it verifies the task', async () => {
    await open();

    // 1. The sizing: planned and concurrent users and a reference architecture, saved.
    await openTab('Plan');
    const sizing = page.getByRole('region', {name: 'Hardware sizing', exact: true});
    await sizing.waitFor({timeout: 20_000});
    await sizing.getByLabel('Planned users', {exact: true}).fill(String(totalUsers));
    await sizing.getByLabel('Concurrent users', {exact: true}).fill(String(concurrentUsers));
    await sizing.getByLabel('Reference architecture', {exact: true}).selectOption({label: architectureLabel});
    const saved = await answerOf('PUT', '/sizing', () => sizing.getByRole('button', {name: 'Save the sizing', exact: true}).click());
    assert.equal(saved.status(), 200, `PUT sizing answered ${saved.status()}`);
    await sizing.getByRole('status').filter({hasText: `against these ${fmt(concurrentUsers)} concurrent users`}).waitFor({timeout: 10_000});

    // 2. The load-test panel measures against that sizing.
    await openTab('Readiness');
    const panel = page.getByRole('region', {name: 'Load test against the sizing', exact: true});
    await panel.waitFor({timeout: 20_000});
    await panel.getByTestId('loadtest-target').
        filter({hasText: `${fmt(concurrentUsers)} concurrent users of ${fmt(totalUsers)} planned users`}).waitFor({timeout: 10_000});
    const fileInput = panel.getByLabel('Upload a result file', {exact: true});
    const verdict = panel.locator('[data-verdict]');

    // A run below the target: stored, "not enough", the check fails.
    let up = await answerOf('POST', '/loadtest/runs', () => fileInput.setInputFiles(belowFile));
    assert.equal(up.status(), 201, `upload ${belowFile} answered ${up.status()}`);
    const uploaded = (file, users) => panel.getByRole('status').
        filter({hasText: `${basename(file)}: ${fmt(users)} supported concurrent users.`});
    await uploaded(belowFile, belowUsers).waitFor({timeout: 10_000});
    const belowText = `the newest run supported ${fmt(belowUsers)} concurrent users, fewer than the ${fmt(concurrentUsers)} planned`;
    await verdict.filter({hasText: belowText}).waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'below');
    const firstRow = panel.getByRole('table').getByRole('row').nth(1);
    await firstRow.getByRole('cell', {name: fmt(belowUsers), exact: true}).waitFor();

    // A run reaching it: verified, and the readiness check rests on that evidence.
    up = await answerOf('POST', '/loadtest/runs', () => fileInput.setInputFiles(reachedFile));
    assert.equal(up.status(), 201, `upload ${reachedFile} answered ${up.status()}`);
    await uploaded(reachedFile, reachedUsers).waitFor({timeout: 10_000});
    const reachedText = `Verified: the newest run supported ${fmt(reachedUsers)} concurrent users; the plan needs ${fmt(concurrentUsers)}.`;
    await verdict.filter({hasText: reachedText}).waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'reached');
    await firstRow.getByRole('cell', {name: fmt(reachedUsers), exact: true}).waitFor();
    await firstRow.getByRole('cell', {name: basename(reachedFile), exact: true}).waitFor();
    const check = page.getByRole('listitem', {name: 'Load test reaches the planned concurrent users', exact: true});
    await check.getByText('Verified by evidence', {exact: true}).waitFor({timeout: 10_000});

    // Of the panel or card alone: the page is several screens long, and a full-page shot is unreadable at that size.
    await screenshot(panel, loadTestShot);

    // 3. The plan's load-test task shows the evidence badge.
    await openTab('Plan');
    await showPlanCards(page);
    const task = taskCard(loadTestTaskTitle);
    await task.waitFor({timeout: 20_000});
    await task.getByText('Verified by evidence', {exact: true}).waitFor({timeout: 10_000});

    assert.deepEqual(failedResponses, [], 'HTTP errors during the uploads');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});

test('evidence added to the disaster-recovery drill and accepted shows how long it is valid', async () => {
    const drill = taskCard(drillTaskTitle);
    await drill.waitFor({timeout: 20_000});
    await drill.getByText('Needs evidence', {exact: true}).first().waitFor();
    await drill.getByRole('button', {name: /^Notes and evidence/}).click();
    const list = drill.getByTestId('evidence-list');
    await list.getByText('No evidence yet.', {exact: true}).waitFor();

    await list.getByLabel('Evidence link', {exact: true}).fill(evidenceURL);
    await list.getByLabel('Date of the evidence', {exact: true}).fill(evidenceDated);
    const addButton = list.getByRole('button', {name: 'Add evidence', exact: true});
    const added = await answerOf('PATCH', `/plan/tasks/${drillTaskId}`, () => addButton.click());
    assert.equal(added.status(), 200, `adding the evidence answered ${added.status()}`);
    const item = list.getByRole('listitem').filter({has: page.getByRole('link', {name: evidenceURL, exact: true})});
    await item.filter({hasText: `· from ${evidenceDated} · not accepted yet`}).waitFor({timeout: 10_000});
    await drill.getByText('Awaiting acceptance', {exact: true}).first().waitFor();

    const accepted = await answerOf('POST', `/plan/tasks/${drillTaskId}/evidence/accept`,
        () => item.getByRole('button', {name: `Accept evidence ${evidenceURL}`, exact: true}).click());
    assert.equal(accepted.status(), 200, `accepting the evidence answered ${accepted.status()}`);
    await item.filter({hasText: new RegExp(`· from ${evidenceDated} · accepted by \\S+`)}).waitFor({timeout: 10_000});
    await drill.getByText(`Valid until ${expectValidUntil}`, {exact: true}).first().waitFor();
    await drill.getByText('Verified by evidence', {exact: true}).waitFor();
    await list.getByText('Accepted evidence counts for 90 days.', {exact: true}).waitFor();

    await screenshot(drill, evidenceShot);

    assert.deepEqual(failedResponses, [], 'HTTP errors while the evidence was added and accepted');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});
